"""Benchmark the site builder against a single-core Markdown floor (and peers).

    python benchmarks/run.py --pages 1000 5000 [--jobs N] [--repeat K] [--peers] [--serve] [--json PATH]

See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import markdown

import corpus
import peers

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
WORK = BENCH_DIR / ".work"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024
SAMPLE_EVERY = 0.05  # seconds between RSS samples
LOAD_AT_START = round(os.getloadavg()[0], 2)  # other work on the machine skews every timing

# Targets (issue 17, "Speed"), checked in checks(): ratios measured in one run. Shares are of
# the cold build time of the same size.
CPU_VS_MKDOCS = 1.5  # CPU per page, against MkDocs building the same pages in the same run: every size
COLD_VS_FLOOR = {1000: 1.1, 5000: 1.0}  # wall time against the one-core Python-Markdown floor
ONE_EDIT_SHARE, ONE_EDIT_AT = 0.05, 5000
SERVE_MS, SERVE_AT = 600, 5000  # a title or a date change shown by `serve` (serve_latency.py, --serve)
# Earlier targets, still printed beside them as notes (no PASS/MISS).
NO_CHANGE_SHARE = 0.03
TEMPLATE_SHARE = 0.35
SCALE_5000_VS_1000 = 5.5
PEAK_MB = 400


def log(msg: str) -> None:
    # Progress goes to stderr so stdout holds only the report.
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Running a process tree: wall time, peak summed RSS, ru_maxrss
# --------------------------------------------------------------------------

class BuildFailed(Exception):
    def __init__(self, cmd: list[str], returncode: int, stderr: str):
        super().__init__(f"exit {returncode}: {' '.join(cmd)}")
        self.cmd, self.returncode, self.stderr = cmd, returncode, stderr


@dataclass
class Run:
    seconds: float
    peak_rss: int = 0       # bytes, max over samples of the RSS summed over the tree
    peak_pss: int = 0       # bytes, the same for PSS: pages shared by forked workers counted once
    ru_maxrss: int = 0      # bytes, the largest single process (wait4 cross-check)
    stdout: str = ""
    stderr: str = ""
    cpu: float = 0.0        # user + system seconds of the process and every child it waited for


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, rss bytes) for every process, from /proc/*/stat."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue  # exited between scandir and open
        # Fields after the ")" closing the command name: state ppid ... ; rss is the 22nd.
        fields = stat.rsplit(b")", 1)[1].split()
        table[int(entry.name)] = (int(fields[1]), int(fields[21]) * PAGE_SIZE)
    return table


def tree_rss(root: int) -> tuple[int, int]:
    """(RSS, PSS) summed over `root` and all its descendants (the builder's process pool).

    Summed RSS counts a page shared by the parent and its forked workers once per process;
    PSS (proportional set size, from /proc/PID/smaps_rollup) divides it among them, so it
    is the memory the tree actually holds."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            rss += table[pid][1]
            pss += _pss(pid)
            todo.extend(children.get(pid, []))
    return rss, pss


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass  # exited, or a kernel without smaps_rollup
    return 0


class RssSampler(threading.Thread):
    """Samples tree_rss(pid) every SAMPLE_EVERY seconds until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_pss = pid, 0, 0
        self._done = threading.Event()  # not _stop: Thread uses that name

    def run(self) -> None:
        while not self._done.is_set():
            rss, pss = tree_rss(self.pid)
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            self._done.wait(SAMPLE_EVERY)

    def stop(self) -> tuple[int, int]:
        self._done.set()
        self.join()
        return self.peak, self.peak_pss


def run_tree(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
             sample: bool = False) -> Run:
    """Run cmd to completion; time it, and optionally sample its tree's memory.

    Output goes to temporary files rather than pipes so a chatty build can
    never block on a full pipe while we are not reading it.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        sampler = RssSampler(proc.pid) if sample else None
        if sampler:
            sampler.start()
        # wait4 rather than proc.wait(): it returns this child's own rusage,
        # whose ru_maxrss covers it and its reaped descendants.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak, peak_pss = sampler.stop() if sampler else (0, 0)
        out.seek(0), err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise BuildFailed(cmd, proc.returncode, stderr or stdout)
    return Run(seconds, peak, peak_pss, usage.ru_maxrss * 1024, stdout, stderr, usage.ru_utime + usage.ru_stime)


def best_of(repeat: int, step) -> Run:
    """Min time of `repeat` runs of step(k); memory is the max (the worst seen)."""
    runs = [step(k) for k in range(repeat)]
    best = min(runs, key=lambda r: r.seconds)
    best.peak_rss = max(r.peak_rss for r in runs)
    best.peak_pss = max(r.peak_pss for r in runs)
    best.ru_maxrss = max(r.ru_maxrss for r in runs)
    return best


def rmtree(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# --------------------------------------------------------------------------
# Floor: what Python-Markdown alone costs on one core
# --------------------------------------------------------------------------

def floor(site: Path, repeat: int) -> float:
    files = sorted((site / "content").rglob("*.md"))

    def once() -> float:
        start = time.perf_counter()
        for path in files:
            post = frontmatter.loads(path.read_text(encoding="utf-8"))
            markdown.markdown(post.content)
        return time.perf_counter() - start

    return min(once() for _ in range(repeat))


# --------------------------------------------------------------------------
# Our builder
# --------------------------------------------------------------------------

def snapshot(out: Path) -> dict[str, int]:
    """relative path -> mtime_ns of every file under out."""
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def written(before: dict[str, int], after: dict[str, int]) -> int:
    """Files created or rewritten between two snapshots (deletions are not writes)."""
    return sum(1 for path, mtime in after.items() if before.get(path) != mtime)


def count_html(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html")) if out.is_dir() else 0


class Builder:
    def __init__(self, site: Path, out: Path, jobs: int):
        self.site, self.out, self.jobs = site, out, jobs

    def cmd(self) -> list[str]:
        return [sys.executable, "-m", "builder", "build", str(self.site),
                "--output", str(self.out), "--jobs", str(self.jobs)]

    def build(self, sample: bool = False) -> Run:
        # cwd=REPO so `python -m builder` also works from a plain checkout.
        return run_tree(self.cmd(), cwd=REPO, sample=sample)

    def cold(self) -> Run:
        rmtree(self.site / ".cache")
        rmtree(self.out)
        return self.build(sample=True)

    def timed_rebuild(self, change=None) -> tuple[Run, int]:
        """Apply change() (if any), rebuild, and count the files it wrote."""
        if change:
            change()
        before = snapshot(self.out)
        run = self.build()
        return run, written(before, snapshot(self.out))


def theme_templates() -> Path:
    """The installed package's default theme templates (asked of the same python)."""
    code = "import builder, pathlib; print(pathlib.Path(builder.__file__).parent / 'theme' / 'templates')"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildFailed([sys.executable, "-c", code], done.returncode, done.stderr)
    return Path(done.stdout.strip())


def edit_page(site: Path, i: int, k: int) -> None:
    path = site / "content" / "updates" / corpus.page_name(i)
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\nWe added this sentence to time a one-page rebuild (edit {k + 1}).\n")


def edit_template(path: Path, k: int) -> None:
    # An HTML comment changes every page's output without changing its meaning.
    text = path.read_text(encoding="utf-8")
    comment = f"<!-- benchmark template edit {k + 1} -->\n"
    text = text.replace("</head>", comment + "</head>", 1) if "</head>" in text else text + comment
    path.write_text(text, encoding="utf-8")


def restore_corpus(site: Path, n: int) -> None:
    """Undo run.py's own edits, including ones left by an interrupted run."""
    rmtree(site / "templates")
    corpus.write_update(site, edited_page(n))


def edited_page(n: int) -> int:
    return n // 2 + 1


def measure_builder(site: Path, out: Path, n: int, jobs: int, repeat: int) -> dict:
    b = Builder(site, out, jobs)
    restore_corpus(site, n)
    try:
        log(f"[{n}] cold build x{repeat}")
        cold = best_of(repeat, lambda k: b.cold())
        html = count_html(out)
        if cold.stderr.strip():  # warnings are worth seeing, even on success
            log(f"[{n}] builder stderr (last lines):\n" + "\n".join(cold.stderr.strip().splitlines()[-10:]))

        log(f"[{n}] no-change rebuild x{repeat}")
        no_change = [b.timed_rebuild() for _ in range(repeat)]

        log(f"[{n}] one-page edit x{repeat}")
        page = edited_page(n)
        one_edit = [b.timed_rebuild(lambda k=k: edit_page(site, page, k)) for k in range(repeat)]
        corpus.write_update(site, page)

        log(f"[{n}] template edit x{repeat}")
        template = site / "templates" / "base.html"
        base = theme_templates() / "base.html"
        if not base.is_file():
            raise BuildFailed(["(find theme)"], 1, f"no default base template at {base}")
        template.parent.mkdir(exist_ok=True)
        shutil.copyfile(base, template)
        b.build()  # untimed: takes in the unchanged override, so only the edit is measured
        template_edit = [b.timed_rebuild(lambda k=k: edit_template(template, k)) for k in range(repeat)]
    finally:
        restore_corpus(site, n)

    def best(runs):  # (Run, written) pairs -> min time, and what that run wrote
        run, count = min(runs, key=lambda rw: rw[0].seconds)
        return run.seconds, count

    result = {"cold_s": cold.seconds, "cold_html_files": html, "cold_cpu_s": cold.cpu,
              "peak_mb": cold.peak_pss / MB, "peak_rss_sum_mb": cold.peak_rss / MB, "ru_maxrss_mb": cold.ru_maxrss / MB,
              "cold_stderr_tail": cold.stderr.strip().splitlines()[-5:]}
    for key, runs in (("no_change", no_change), ("one_edit", one_edit), ("template", template_edit)):
        result[f"{key}_s"], result[f"{key}_written"] = best(runs)
    # Any write at all in a no-change rebuild is a miss, not only the best run's.
    result["no_change_written"] = max(w for _, w in no_change)
    return result


def measure_serve(n: int, change: str, saves: int) -> dict:
    """serve_latency.py in its own process (it drives Chromium): save -> shown, for one kind of change."""
    log(f"[{n}] serve: {saves} {change} changes")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "serve.json"
        done = subprocess.run([sys.executable, str(BENCH_DIR / "serve_latency.py"), "--pages", str(n),
                               "--change", change, "--saves", str(saves), "--json", str(out)],
                              cwd=REPO, capture_output=True, text=True)
        if done.returncode != 0 or not out.is_file():
            log(f"[{n}] serve_latency.py failed:\n{done.stderr[-2000:]}")
            return {}
        return json.loads(out.read_text())


# --------------------------------------------------------------------------
# Peers
# --------------------------------------------------------------------------

def measure_peers(site: Path, n: int, jobs: int, repeat: int) -> dict:
    results = {}
    for name, setup in peers.PEERS.items():
        work = WORK / "peers" / f"{name}-{n}"
        work.mkdir(parents=True, exist_ok=True)
        build = setup(site, work, jobs)
        if build is None:
            log(f"[{n}] {name}: not installed in {peers.PEERS_DIR}/bin, skipped (make bench-peers)")
            results[name] = {"skipped": "not installed"}
            continue
        log(f"[{n}] {name} cold build x{repeat}")

        def cold(k, build=build):
            for path in build.clear:
                rmtree(path)
            return run_tree(build.cmd, cwd=build.cwd, env=build.env, sample=True)

        try:
            run = best_of(repeat, cold)
        except BuildFailed as failed:
            log(f"[{n}] {name} failed ({failed}):\n{failed.stderr[-3000:]}")
            results[name] = {"failed": failed.stderr[-3000:]}
            continue
        html = count_html(build.out)
        if html < n:
            log(f"[{n}] {name}: wrote only {html} HTML files for {n} pages")
        results[name] = {"cold_s": run.seconds, "peak_mb": run.peak_pss / MB, "peak_rss_sum_mb": run.peak_rss / MB, "html_files": html, "cold_cpu_s": run.cpu}
    return results


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%"


def _secs_share(r: dict, key: str) -> str:
    """'0.12 (2.3%; 0 written)' for a rebuild step, or '—' when not measured."""
    if f"{key}_s" not in r:
        return "—"
    return f"{r[key + '_s']:.2f} ({pct(r[key + '_s'], r['cold_s'])}; {r[key + '_written']} written)"


def _row(label: str, floor_s: float, r: dict) -> list[str]:
    cold = r.get("cold_s")
    return [label, f"{floor_s:.2f}",
            f"{cold:.2f}" if cold else "—", f"{cold / floor_s:.2f}" if cold else "—",
            f"{r['cold_cpu_s']:.1f}" if "cold_cpu_s" in r else "—",
            _secs_share(r, "no_change"), _secs_share(r, "one_edit"), _secs_share(r, "template"),
            f"{r['peak_mb']:.0f} ({r['peak_rss_sum_mb']:.0f})" if "peak_mb" in r else "—"]


def table(results: dict[int, dict]) -> str:
    head = ["pages", "floor s", "cold s", "cold/floor", "cold CPU s", "no-change s (% of cold)",
            "one-edit s (% of cold)", "template-edit s (% of cold)", "peak MB: PSS (RSS summed)"]
    rows = [head, ["---"] * len(head)]
    for n, r in results.items():
        if "cold_s" in r:
            rows.append(_row(str(n), r["floor_s"], r))
        for name, p in r.get("peers", {}).items():
            if "cold_s" in p:
                rows.append(_row(f"{n} {name}", r["floor_s"], p))
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def cold_vs_floor(n: int) -> float:
    """The cold target at n pages: the one of the nearest size at or below n (1.1 x up to 5,000)."""
    return COLD_VS_FLOOR[max([size for size in COLD_VS_FLOOR if size <= n], default=min(COLD_VS_FLOOR))]


def checks(results: dict[int, dict]) -> list[dict]:
    """The targets: pass is True, False, or None when this run did not measure it (SKIP)."""
    out = []

    def check(name: str, ok: bool | None, detail: str, target: bool = True) -> None:
        out.append({"check": name, "pass": ok, "detail": detail, "target": target})

    for n, r in results.items():
        if "cold_s" not in r:
            continue  # --no-builder
        cold, limit = r["cold_s"], cold_vs_floor(n)
        mkdocs = r.get("peers", {}).get("mkdocs", {})
        if "cold_cpu_s" in mkdocs:
            check(f"{n}: CPU per page <= {CPU_VS_MKDOCS} x MkDocs'", *_cpu_vs_mkdocs(r, mkdocs))
        else:
            check(f"{n}: CPU per page <= {CPU_VS_MKDOCS} x MkDocs'", None, "not measured: run with --peers")
        check(f"{n}: cold <= {limit} x floor", cold <= limit * r["floor_s"],
              f"{cold:.2f} s vs {limit * r['floor_s']:.2f} s ({cold / r['floor_s']:.2f} x)")
        check(f"{n}: one-edit <= {ONE_EDIT_SHARE:.0%} of cold", r["one_edit_s"] <= ONE_EDIT_SHARE * cold,
              pct(r["one_edit_s"], cold), target=n >= ONE_EDIT_AT)
        for change in ("title", "date"):
            serve = r.get("serve", {}).get(change)
            name = f"{n}: a {change} change shown by serve <= {SERVE_MS} ms (median)"
            if serve and serve.get("median_ms") is not None:
                check(name, serve["missed"] == 0 and serve["median_ms"] <= SERVE_MS,
                      f"median {serve['median_ms']} ms, p90 {serve['p90_ms']} ms, {serve['missed']} of "
                      f"{serve['saves']} missed", target=n >= SERVE_AT)
            elif n >= SERVE_AT:
                check(name, None, "not measured: run with --serve")
        _notes(n, r, check)
    if "cold_s" in results.get(1000, {}) and "cold_s" in results.get(5000, {}):
        ratio = results[5000]["cold_s"] / results[1000]["cold_s"]
        check(f"cold 5000 <= {SCALE_5000_VS_1000} x cold 1000", ratio <= SCALE_5000_VS_1000, f"ratio {ratio:.2f}",
              target=False)
    return out


def _cpu_vs_mkdocs(r: dict, mkdocs: dict) -> tuple[bool, str]:
    # Per page: our build makes 5,307 pages from 5,000 sources; MkDocs makes 5,000 (+ 404).
    def per_page(peer: dict) -> float:
        return peer["cold_cpu_s"] / max(1, peer["html_files"])

    ours, theirs = r["cold_cpu_s"] / r["cold_html_files"], per_page(mkdocs)
    searching = r.get("peers", {}).get("mkdocs-search", {})
    also = ""
    if "cold_cpu_s" in searching:  # for information: the check stays against MkDocs without search
        with_search = per_page(searching)
        also = f"; MkDocs with its search plugin {with_search * 1000:.2f} ms ({ours / with_search:.2f} x)"
    return (ours <= CPU_VS_MKDOCS * theirs,
            f"{ours * 1000:.2f} ms vs MkDocs {theirs * 1000:.2f} ms ({ours / theirs:.2f} x){also}")


def _notes(n: int, r: dict, check) -> None:
    """Earlier targets, printed as notes beside issue 17's."""
    cold = r["cold_s"]
    check(f"{n}: no-change <= {NO_CHANGE_SHARE:.0%} of cold", r["no_change_s"] <= NO_CHANGE_SHARE * cold,
          pct(r["no_change_s"], cold), target=False)
    check(f"{n}: no-change writes no file", r["no_change_written"] == 0, f"{r['no_change_written']} written", target=False)
    check(f"{n}: template-edit <= {TEMPLATE_SHARE:.0%} of cold", r["template_s"] <= TEMPLATE_SHARE * cold,
          pct(r["template_s"], cold), target=False)
    check(f"{n}: peak <= {PEAK_MB} MB (PSS over the process tree)", r["peak_mb"] <= PEAK_MB,
          f"{r['peak_mb']:.0f} MB; summed RSS, which counts pages shared with forked workers "
          f"once per process, {r['peak_rss_sum_mb']:.0f} MB", target=False)
    check(f"{n}: cold build wrote >= {n} HTML files", r["cold_html_files"] >= n, f"{r['cold_html_files']} HTML files",
          target=False)


def verdict(c: dict) -> str:
    if not c.get("target", True):
        return "note (" + ("met" if c["pass"] else "over") + ")"
    return {True: "PASS", False: "MISS", None: "SKIP"}[c["pass"]]


def machine() -> dict:
    return {"cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
            "python": platform.python_version(), "platform": platform.platform(),
            "load_1min_start": LOAD_AT_START, "load_1min_end": round(os.getloadavg()[0], 2)}


def report(results: dict[int, dict], jobs: int, repeat: int) -> list[dict]:
    m = machine()
    print(f"Machine: {m['cores']} cores ({m['usable_cores']} usable), Python {m['python']}; "
          f"--jobs {jobs}; best of {repeat}; load average {m['load_1min_start']} at start, "
          f"{m['load_1min_end']} at end")
    if max(m["load_1min_start"], m["load_1min_end"]) > m["usable_cores"]:
        # Other work competing for the cores makes every time here longer.
        print("WARNING: the machine was busy with other work; times are not reliable")
    print()
    print(table(results))
    print()
    for n, r in results.items():
        if "cold_s" in r:
            print(f"{n}: cold build wrote {r['cold_html_files']} HTML files; largest single process "
                  f"(ru_maxrss) {r['ru_maxrss_mb']:.0f} MB; tree peak {r['peak_mb']:.0f} MB PSS, "
                  f"{r['peak_rss_sum_mb']:.0f} MB summed RSS")
        for name, p in r.get("peers", {}).items():
            if "skipped" in p:
                print(f"{n}: {name} skipped: {p['skipped']}")
            elif "failed" in p:
                print(f"{n}: {name} failed (see stderr above)")
            else:
                print(f"{n}: {name} wrote {p['html_files']} HTML files")
    if "cold_s" in results.get(1000, {}) and "cold_s" in results.get(5000, {}):
        print(f"cold 5000/1000 ratio: {results[5000]['cold_s'] / results[1000]['cold_s']:.2f}")
    print()
    result = checks(results)
    print("Targets (issue 17):")
    for c in (c for c in result if c["target"]):
        print(f"{verdict(c)}  {c['check']}  ({c['detail']})")
    print("\nNotes (earlier targets, and the targets of another size):")
    for c in (c for c in result if not c["target"]):
        print(f"{verdict(c)}  {c['check']}  ({c['detail']})")
    return result


# --------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, nargs="+", default=[1000, 5000], help="corpus sizes (default 1000 5000)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="builder --jobs (default: all cores)")
    ap.add_argument("--repeat", type=int, default=1, help="take the best of K runs of each timed step")
    ap.add_argument("--peers", action="store_true", help="also time Pelican, MkDocs and Hugo from benchmarks/.peers")
    ap.add_argument("--serve", action="store_true",
                    help=f"also time a title and a date change shown by `serve` (serve_latency.py) at {SERVE_AT}+ pages")
    ap.add_argument("--saves", type=int, default=20, help="saves per change with --serve (default 20)")
    ap.add_argument("--no-builder", action="store_true", help="skip our builder (floor and peers only)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = ap.parse_args(argv)
    if min(args.pages) < 2 or args.repeat < 1 or args.jobs < 1:
        ap.error("--pages must be >= 2, --repeat and --jobs >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results: dict[int, dict] = {}
    try:
        for n in args.pages:
            site, out = WORK / f"site-{n}", WORK / f"out-{n}"
            log(f"[{n}] corpus: {'generated' if corpus.ensure_corpus(site, n) else 'reused'} {site}")
            r = results[n] = {"floor_s": floor(site, args.repeat)}
            log(f"[{n}] floor {r['floor_s']:.2f} s")
            if not args.no_builder:
                r.update(measure_builder(site, out, n, args.jobs, args.repeat))
            if args.peers:
                r["peers"] = measure_peers(site, n, args.jobs, args.repeat)
            if args.serve and n >= SERVE_AT:
                r["serve"] = {change: measure_serve(n, change, args.saves) for change in ("title", "date")}
    except BuildFailed as failed:
        print(f"build failed ({failed}); stderr:\n{failed.stderr}", file=sys.stderr)
        return 1

    result_checks = report(results, args.jobs, args.repeat)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "jobs": args.jobs, "repeat": args.repeat,
                                         "results": results, "checks": result_checks}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
