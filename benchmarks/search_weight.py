"""What one search costs a reader's browser, against a single Pagefind index of the same pages.

    python benchmarks/search_weight.py --pages 1000 5000 [--jobs N] [--json PATH]

For each size: a cold build of the corpus (benchmarks/corpus.py) with our builder, then
edits to pages until the recent search index holds as many pages as it may before it is
merged (the heaviest it gets for a reader), rebuilding after one page and after all of them.
The single index is a clean build of the same edited pages, which writes one Pagefind index
of every page (its search.json, which a plain index would not need, is not counted). Each
query loads /search/?q=… in Chromium with an empty cache and counts every request the page
makes until the result count is shown, and their bytes. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import corpus

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
WORK = BENCH_DIR / ".work" / "search"
RATIO = 1.25  # the target: ours within 1.25 x the single index, in requests and in bytes
ONE_EDIT_SHARE = 0.05
CHROMIUM = "/usr/bin/chromium"
QUERIES = ("EHCP", "transport", "speech and language therapy", "audit", "revisited")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(site: Path, out: Path, jobs: int) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "builder", "build", str(site), "--output", str(out), "--jobs", str(jobs)],
                   cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - started


def edit(site: Path, i: int) -> None:
    with (site / "content" / "updates" / corpus.page_name(i)).open("a", encoding="utf-8") as f:
        f.write("\nWe revisited this plan with families and wrote down what changed.\n")


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def weigh(browser, url: str, skip: str = "") -> tuple[int, int, str]:
    """(requests, bytes, status line) for one query, with an empty cache."""
    context = browser.new_context()
    seen = []
    try:
        page = context.new_page()
        page.on("requestfinished", lambda request: seen.append(request))
        page.goto(url)
        page.wait_for_function("(s => s && s.textContent && !s.textContent.includes('…'))"
                               "(document.getElementById('search-status'))", timeout=60_000)
        page.wait_for_load_state("networkidle")
        counted = [r for r in seen if not (skip and r.url.endswith(skip))]
        size = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in counted)
        return len(counted), size, page.locator("#search-status").inner_text()
    finally:
        context.close()


def measure(n: int, jobs: int, browser) -> dict:
    from builder.render.search_log import recent_limit

    source = BENCH_DIR / ".work" / f"site-{n}"
    corpus.ensure_corpus(source, n)
    ours, single = WORK / f"ours-{n}", WORK / f"single-{n}"
    for folder in (ours, single):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, ours / "site", ignore=shutil.ignore_patterns(".cache", "output"))
    log(f"[{n}] cold build")
    cold = build(ours / "site", ours / "out", jobs)
    edited = list(range(1, n + 1, max(1, n // recent_limit(n))))[:recent_limit(n)]
    edit(ours / "site", edited[0])
    log(f"[{n}] one-page edit")
    one_edit = build(ours / "site", ours / "out", jobs)
    for i in edited[1:]:
        edit(ours / "site", i)
    log(f"[{n}] {len(edited)} pages edited (the recent index at its limit)")
    recent_edit = build(ours / "site", ours / "out", jobs)
    layout = json.loads((ours / "out/pagefind/search.json").read_text())
    assert layout["merge"], "the recent index was merged: the benchmark should stop just short of that"
    shutil.copytree(ours / "site", single / "site", ignore=shutil.ignore_patterns(".cache", "output"))
    log(f"[{n}] single index (a clean build of the same pages)")
    build(single / "site", single / "out", jobs)
    assert not json.loads((single / "out/pagefind/search.json").read_text())["merge"]
    result = {"pages": n, "recent_pages": len(edited), "cold_s": round(cold, 2), "one_edit_s": round(one_edit, 2),
              "recent_edit_s": round(recent_edit, 2), "queries": []}
    servers = [serve(ours / "out"), serve(single / "out")]
    try:
        for query in QUERIES:
            log(f"[{n}] query {query!r}")
            path = "/search/?q=" + query.replace(" ", "+")
            mine = weigh(browser, servers[0][1] + path)
            theirs = weigh(browser, servers[1][1] + path, skip="/pagefind/search.json")
            # The same pages, counted alike (the words around the count may differ: the first result,
            # which says whether the match is exact, can differ when two pages score the same).
            assert [w for w in mine[2].split() if w.isdigit()] == [w for w in theirs[2].split() if w.isdigit()], \
                (query, mine[2], theirs[2])
            result["queries"].append({"query": query, "status": mine[2], "requests": [mine[0], theirs[0]],
                                      "bytes": [mine[1], theirs[1]]})
    finally:
        for server, _ in servers:
            server.shutdown()
    edit(ours / "site", next(i for i in range(1, n + 1) if i not in edited))
    log(f"[{n}] one more page edited: the recent index is merged into a new settled one")
    result["merge_s"] = round(build(ours / "site", ours / "out", jobs), 2)
    assert not json.loads((ours / "out/pagefind/search.json").read_text())["merge"]
    return result


def report(results: list[dict]) -> bool:
    ok = True
    print("| pages | query | requests ours/single | ratio | kB ours/single | ratio | verdict |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        for q in r["queries"]:
            (rq, sq), (rb, sb) = q["requests"], q["bytes"]
            good = rq <= RATIO * sq and rb <= RATIO * sb
            ok &= good
            print(f"| {r['pages']} | {q['query']} | {rq}/{sq} | {rq / sq:.2f} | {rb / 1000:.0f}/{sb / 1000:.0f} | "
                  f"{rb / sb:.2f} | {'PASS' if good else 'MISS'} |")
    print()
    print("| pages | cold s | one-edit s (% of cold) | recent index at its limit: pages, rebuild s "
          "| the edit that merges: s (% of cold) | verdict |")
    print("|---|---|---|---|---|---|")
    for r in results:
        good = r["one_edit_s"] <= ONE_EDIT_SHARE * r["cold_s"]
        ok &= good
        print(f"| {r['pages']} | {r['cold_s']} | {r['one_edit_s']} ({r['one_edit_s'] / r['cold_s']:.1%}) | "
              f"{r['recent_pages']}, {r['recent_edit_s']} | {r['merge_s']} ({r['merge_s'] / r['cold_s']:.0%}) | "
              f"{'PASS' if good else 'MISS'} (one-edit <= 5%) |")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The system's Chromium, as the browser tests use (tests/browser/conftest.py).
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox",
                                             "--disable-gpu", "--disable-background-networking"])
        try:
            results = [measure(n, args.jobs, browser) for n in args.pages]
        finally:
            browser.close()
    ok = report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
