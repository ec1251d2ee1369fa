"""What a one-page change costs a publishing job in CI, with and without the kept build.

    python benchmarks/ci_cache.py                       # the example site and a 1,000-page corpus
    python benchmarks/ci_cache.py --pages 1000 5000 --no-example --repeat 3 --json ci.json

Each CI run starts from a fresh clone: the site's files with no output/ and no .cache/, and
every file's time set to the moment of the checkout. The jobs `localoffer init` writes keep
output/ and .cache/localoffer between runs (actions/cache, GitLab's `cache:`); this script
copies them back as those do (with the times they were saved with). For each site:

1. the last run: a fresh clone, built, and its output/ and .cache/localoffer put aside;
2. cold: a fresh clone with one page edited, built with nothing restored;
3. kept: a fresh clone with one page edited, built after restoring what step 1 put aside.
4. kept, same times: as 3, but the clone keeps the last run's file times, as a rebuild on
   one's own computer does. The gap between 3 and 4 is what new file times cost.

Each build is `python -m builder build SITE` in its own process, timed from start to exit.
The clone is always made at the same path, as a CI runner's checkout is, because the
builder's record names the output folder it describes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work" / "ci"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (benchmarks/ is not a package)

SOURCES = ("site.toml", "content", "templates")
KEPT = ("output", ".cache/localoffer")  # what the jobs keep between runs
SUMMARY = re.compile(r"Built (\d+) pages? in [\d.]+ s \((\d+) rendered, (\d+) files written, (\d+) removed\)")


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def clone(source: Path, site: Path, keep_times: bool) -> None:
    """The site's files as a fresh checkout has them: no output/ or .cache/; with the times
    of now (shutil.copy), or kept (copy2) for the 'same times' case."""
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    copy = shutil.copy2 if keep_times else shutil.copy
    for name in SOURCES:
        if (source / name).is_dir():
            shutil.copytree(source / name, site / name, copy_function=copy)
        elif (source / name).is_file():
            copy(source / name, site / name)


def keep(site: Path, store: Path) -> None:
    """Put aside what the jobs keep, with its files' times, as the CI cache saves them."""
    if store.exists():
        shutil.rmtree(store)
    for name in KEPT:
        shutil.copytree(site / name, store / name, copy_function=shutil.copy2)


def restore(store: Path, site: Path) -> None:
    for name in KEPT:
        shutil.copytree(store / name, site / name, copy_function=shutil.copy2)


def edit(site: Path, page: str) -> None:
    path = site / page
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added in this run.\n", encoding="utf-8")


def build(site: Path) -> dict:
    """One build in its own process: wall seconds, and CPU seconds of it and every process it
    waited for (its workers, Pagefind), which other work on a shared machine disturbs less."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "builder", "build", str(site)], cwd=REPO, stdout=out,
                                   stderr=err, env=dict(os.environ, PYTHONPATH=str(REPO)))
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the build of {site} failed:\n{stderr}")
    found = SUMMARY.search(stdout)
    pages, rendered, written, removed = (int(x) for x in found.groups()) if found else (0, 0, 0, 0)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "pages": pages, "rendered": rendered,
            "written": written, "removed": removed}


def measure(name: str, source: Path, page: str, repeat: int) -> dict:
    site, store = WORK / name / "site", WORK / name / "kept"
    log(f"[{name}] the last run")
    clone(source, site, keep_times=True)
    build(site)
    keep(site, store)
    cases = {"cold": (False, False), "kept": (True, False), "kept, same times": (True, True)}
    result = {}
    for case, (restored, same_times) in cases.items():
        runs = []
        for _ in range(repeat):
            log(f"[{name}] {case}")
            clone(source, site, keep_times=same_times)
            if restored:
                restore(store, site)
            edit(site, page)
            runs.append(build(site))
        result[case] = min(runs, key=lambda run: run["seconds"])
    shutil.rmtree(WORK / name)
    return result


def sites(pages: list[int], example: bool) -> list[tuple[str, Path, str]]:
    """(name, source folder, the page edited) for each site measured."""
    found = []
    if example:
        letter = sorted((REPO / "content/letters").glob("*.md"))[-1]
        found.append(("example", REPO, letter.relative_to(REPO).as_posix()))
    for n in pages:
        source = HERE / ".work" / f"site-{n}"
        corpus.ensure_corpus(source, n)
        found.append((f"{n} pages", source, f"content/updates/{corpus.page_name(n // 2)}"))
    return found


def table(results: dict) -> str:
    rows = ["| site | cold: wall s, CPU s | kept: wall s, CPU s (CPU % of cold) | kept, same times: wall s, CPU s "
            "(CPU % of cold) | pages rendered: cold / kept / same times |", "| --- | ---: | ---: | ---: | --- |"]
    for name, r in results.items():
        cold = r["cold"]["cpu"]
        share = lambda case: f"{r[case]['seconds']:.1f}, {r[case]['cpu']:.1f} ({r[case]['cpu'] / cold:.0%})"
        rows.append(f"| {name} | {r['cold']['seconds']:.1f}, {cold:.1f} | {share('kept')} | {share('kept, same times')} | "
                    f"{r['cold']['rendered']} / {r['kept']['rendered']} / {r['kept, same times']['rendered']} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, nargs="*", default=[1000], help="generated corpus sizes (default 1000)")
    ap.add_argument("--no-example", action="store_true", help="leave out the example site")
    ap.add_argument("--repeat", type=int, default=1, help="best of K builds of each case")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    results = {name: measure(name, source, page, args.repeat) for name, source, page in sites(args.pages, not args.no_example)}
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.1f} at the end; best of {args.repeat}")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({"load": load, "repeat": args.repeat, "results": results}, indent=2))


if __name__ == "__main__":
    main()
