"""What measures' charts cost: matplotlib's import, and one chart (full and small).

    .venv/bin/python benchmarks/charts.py [--repeat 20]

The import is timed in a fresh interpreter each time (as a build pays it), against the same
interpreter starting and importing nothing, and reported as the difference. Times are CPU
time (user + system), which a busy shared machine disturbs far less than the clock. Each chart is
drawn once first (fonts are found and cached then), then timed `--repeat` times; the median
is reported. Charts are cached by what they show, so a rebuild pays neither unless figures
changed; a site without measures never imports matplotlib.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

IMPORT = "import matplotlib; matplotlib.use('svg'); from matplotlib.figure import Figure"


def _cpu(who=resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _run(code: str) -> float:
    started = _cpu(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True)
    return _cpu(resource.RUSAGE_CHILDREN) - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    _run(IMPORT)  # the first import ever builds matplotlib's font cache: not what a build pays
    bare = statistics.median(_run("pass") for _ in range(5))
    loaded = statistics.median(_run(IMPORT) for _ in range(5))
    print(f"matplotlib import: {(loaded - bare) * 1000:.0f} ms (interpreter alone {bare * 1000:.0f} ms)")

    from builder.render.charts import ChartSpec, draw

    for size in ("full", "small"):
        spec = ChartSpec(f"chart-{size}", size, ("2021", "2022", "2023", "2024"), (2021, 2022, 2023, 2024),
                         (40.0, 46.0, 50.0, 63.0), (58.0, 50.3, 50.3, 46.4), "Example Council", "England",
                         80.0, "Target: 80% by March 2026", True)
        draw(spec)
        times = []
        for _ in range(repeat):
            started = _cpu()
            draw(spec)
            times.append(_cpu() - started)
        print(f"{size} chart: {statistics.median(times) * 1000:.1f} ms (median of {repeat})")


if __name__ == "__main__":
    main()
