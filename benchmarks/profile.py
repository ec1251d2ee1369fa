"""Where a cold build's time goes, per page, stage by stage, on one core.

    python benchmarks/profile.py [--pages 1000]

Runs each stage of the builder over the benchmark corpus (benchmarks/corpus.py) by itself,
on one core, and prints milliseconds per page beside the "floor" (reading the file and
Python-Markdown with no extensions, as run.py measures it). The stages are the builder's
own functions, called as build.py calls them; only the timing is added here. A real build
spreads the page stages over every core and runs Pagefind beside the templates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import dataclasses
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import frontmatter  # noqa: E402
import markdown  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    site = HERE / ".work" / f"site-{args.pages}"
    corpus.ensure_corpus(site, args.pages)
    rows = profile(site)
    floor = rows.pop("floor")
    total = sum(rows.values())
    print(f"{args.pages} pages, one core, ms per page (floor: read + Python-Markdown = {floor:.2f} ms)\n")
    print("| stage | ms per page | × floor |")
    print("| --- | --- | --- |")
    for name, ms in rows.items():
        print(f"| {name} | {ms:.2f} | {ms / floor:.2f} |")
    print(f"| **all stages** | **{total:.2f}** | **{total / floor:.2f}** |")


def profile(site: Path) -> dict[str, float]:
    from builder.build import build
    from builder.content.discover import discover
    from builder.content.glossary import load_glossary
    from builder.content.markdown_render import _CLEANER, MarkdownRenderer, _wrap_tables
    from builder.content.read import read_source
    from builder.content.validate import validate
    from builder.render.outputs import plan_outputs
    from builder.render.pagefind_service import index_shards
    from builder.incremental import keys
    from builder.render.search import plan_shards, search_documents
    from builder.render.templates import TemplateRenderer
    from builder.site.config import load_config
    from builder.site.index import build_index
    from builder.site.links import LinkTargets, resolve

    config = load_config(site, None)
    sources, _ = discover(site)
    glossary, _ = load_glossary(site, sources, config, config.language)
    pages_src = [s for s in sources if s.rel.endswith(".md") and s.kind != "glossary"]
    count = len(pages_src)
    times: dict[str, float] = {}

    def timed(name: str, work):
        start = time.perf_counter()
        result = work()
        times[name] = times.get(name, 0.0) + time.perf_counter() - start
        return result

    def floor():
        for source in pages_src:
            markdown.markdown(frontmatter.loads((site / source.rel).read_text(encoding="utf-8")).content)

    timed("floor", floor)
    raws = timed("read the file, split the front matter", lambda: [read_source(site, s.rel) for s in pages_src])
    pages = timed("validate into the page model", lambda: [validate(raw, s.kind, site, config.base_path, config.language, "")
                                                           for raw, s in zip(raws, pages_src)])
    renderer = MarkdownRenderer(glossary, config.allow_raw_html, site, config.base_path)
    md = renderer._md  # the configured Python-Markdown instance, to time it apart from the rest

    def convert():
        out = []
        for page, source in zip(pages, pages_src):
            md.reset()
            md.images_without_alt, md.heading_list, md.page_images, md.page_source = [], [], [], source.rel
            md.questions = False
            out.append(md.convert(page.body))
        return out

    converted = timed("Python-Markdown (tables, lists, attributes, heading ids)", convert)
    cleaned = timed("sanitise the HTML (nh3)", lambda: [_wrap_tables(_CLEANER.clean(h)) for h in converted])
    timed("mark glossary terms", lambda: [renderer._mark_terms(h) for h in cleaned])

    # The rest needs the site as the build leaves it: build once, then time the later stages.
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "site"
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache", "output"))
        build(copy, jobs=1)
        loaded_pages = [dataclasses.replace(p, html="") for p in pages]
        store = {p.source: h for p, h in zip(loaded_pages, cleaned)}
        targets = LinkTargets({p.source: p for p in loaded_pages}, {}, frozenset(), config.base_path, frozenset())
        timed("resolve links", lambda: [resolve(p, store[p.source], targets) for p in loaded_pages])
        index, _ = build_index(loaded_pages, config, dt.date.today(), {}, [], frozenset())

        class Html(dict):  # what the build's HTML store offers the later stages
            def sha(self, source):
                return source

        html = Html(store)
        outputs = timed("plan every output", lambda: plan_outputs(index, glossary, html))
        templates = TemplateRenderer(copy, index, glossary, None, language=config.language)
        rendered = timed("render the templates (Jinja)", lambda: [templates.render(o) for o in outputs])
        out_dir = Path(work) / "out"

        def write():
            for output, text in zip(outputs, rendered):
                path = out_dir / output.path
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text.encode("utf-8"))

        timed("write the pages", write)
        shards = plan_shards(index.pages, keys.search_key({}, html, config.language))
        documents = timed("search documents", lambda: [(Path(work) / f"s{s.number}", search_documents(s.pages, html, config.language))
                                                       for s in shards])
        timed("Pagefind (its own process)", lambda: index_shards(documents, config.language.split("-")[0].lower()))
    return {name: seconds * 1000 / count for name, seconds in times.items()}


if __name__ == "__main__":
    main()
