"""The build, top to bottom: discover -> read -> validate -> Markdown -> links -> site index
-> render -> publish.

Read `build` to follow a build. Each stage is a plain function in its own module
(builder/content, builder/site, builder/render, builder/publish). What a stage may skip
because the last build already computed it is decided in one place, builder/incremental:
`memo.map(step, (name, key, item)…, compute)` hands back last build's result where the key
(a digest of what that step read, from incremental/keys.py) is the same, and computes the
rest. The stages never see it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from builder.content.discover import PAGE_KINDS, discover, stray_markdown
from builder.content.glossary import load_glossary
from builder.content.slugs import slugify
from builder.content.load import load_page, missing_alt, read_body
from builder.errors import ContentError, raise_if_any
from builder.hashing import digest
from builder.incremental import keys
from builder.incremental.memo import CacheDamaged, Memo, disown
from builder.incremental.store import HTML, RAW, PageHtml
from builder.incremental.uptodate import UpToDate, forget_stamp, inputs_stamp
from builder.parallel import fork_map
from builder.publish import output as publishing
from builder.publish.guards import tidy_on_failure, without_collector_pauses
from builder.publish.lock import build_lock
from builder.render.feeds import machine_outputs
from builder.render.admin import admin_files
from builder.render.measures import add_charts, measure_files
from builder.render.outputs import plan_outputs
from builder.render.preview import Preview
from builder.render.search import SearchJob, plan_shards
from builder.render.templates import TemplateRenderer, static_files
from builder.site.config import load_config
from builder.site.index import build_index, duplicate_urls, select
from builder.site import languages as lang
from builder.render.languages import localise, localise_machine
from builder.site.easyread import easy_read_problems
from builder.site.links import LinkTargets, resolve
from builder.site.redirects import alias_clashes

CACHE_FOLDER = Path(".cache") / "localoffer"


@dataclass(frozen=True)
class BuildReport:
    pages: int  # HTML pages in the site
    rendered: int  # outputs rendered this time
    written: int  # files whose bytes were written (the rest were unchanged)
    removed: int  # stale files no longer in the output
    seconds: float
    next_scheduled: object = None
    output: Path | None = None
    search_behind: bool = False  # built with search_now=False while the search index needed work
    changed: frozenset = frozenset()  # paths written or removed
    preview: object = field(default=None, compare=False, repr=False)  # for serve: builder.render.preview


def build(site_dir: Path, output: Path | None = None, *, drafts: bool = False, jobs: int | None = None,
          today: dt.date | None = None, use_cache: bool = True, base_url: str | None = None,
          memo: Memo | None = None, on_wait=None, search_now: bool = True, process_ends: bool = False) -> BuildReport:
    """Build site_dir into output (default site_dir/output).

    base_url replaces site.toml's, as the dev server does to serve a sub-folder site at /.
    memo: the record of the last build, kept alive by `serve`; by default read from the cache.
    on_wait(line): told a line to show if this build must wait for another, or takes over from a killed one.
    search_now=False publishes the pages without waiting for the search index to catch up
    (serve then builds again at once): the preview shows a save sooner.
    process_ends: the process exits after this build (the command line): see publish/guards.py."""
    site_dir = Path(site_dir).resolve()
    output = Path(output).resolve() if output else site_dir / "output"
    cache_dir = site_dir / CACHE_FOLDER
    publishing.check_output_folder(site_dir, output, cache_dir)
    memo = memo or Memo(cache_dir if use_cache else None)
    settings = _Settings(site_dir, output, cache_dir, drafts, jobs or os.cpu_count() or 1,
                         today or dt.date.today(), base_url, search_now)
    with without_collector_pauses(process_ends), build_lock(cache_dir, on_wait), tidy_on_failure(output, cache_dir):
        started = time.perf_counter()
        publishing.finish_interrupted(cache_dir)
        # Is there anything to do? Asked only when nothing else knows: serve's record in memory
        # already describes output/, and a build without a record has nothing to compare.
        last = None if memo.current or memo.root is None else UpToDate(cache_dir, output)
        inputs = last and inputs_stamp(site_dir, (str(output), drafts, base_url, settings.today.isoformat()))
        if last and (known := last.unchanged(inputs)):  # nothing to do: say again what the last build said
            return BuildReport(known["pages"], 0, 0, 0, time.perf_counter() - started, known["next"], output)
        forget_stamp(cache_dir)  # until this build succeeds, output/ may match no stamp
        if memo.root is None:
            disown(cache_dir, output)  # the record, if it describes output/, will not any more
        try:
            report = _build(settings, memo, bool(last and last.intact))
        except (CacheDamaged, publishing.Incomplete):
            memo.clear()  # something the record promised is gone: build everything
            report = _build(settings, memo, intact=False)
        if last and not report.search_behind:
            last.remember(inputs, {"pages": report.pages, "next": report.next_scheduled}, memo.published())
        return report


@dataclass(frozen=True)
class _Settings:
    site_dir: Path
    output: Path
    cache_dir: Path
    drafts: bool
    jobs: int
    today: dt.date
    base_url: str | None
    search_now: bool


def _build(s: _Settings, memo: Memo, intact: bool) -> BuildReport:
    """intact: output/ holds exactly the files the record says were published."""
    started = time.perf_counter()
    config = load_config(s.site_dir, s.cache_dir if memo.root else None)
    if s.base_url:
        config = dataclasses.replace(config, base_url=s.base_url, raw=config.raw + f"\n# served at {s.base_url}")
    sources, errors = discover(s.site_dir)
    # Each language's pages have their own glossary (builder.site.languages: bilingual sites).
    languages = lang.site_languages(config)
    glossaries = {}
    for language in languages:
        glossaries[language], problems = load_glossary(s.site_dir, sources, config, language)
        errors += problems
    memo.begin(keys.fingerprint(config.raw, {f"{language}:{term}": text for language in languages
                                             for term, text in glossaries[language].items()}, s.drafts), s.output)

    # Content: read, validate and convert each file (in parallel; unchanged files reused).
    page_sources = [source for source in sources if source.kind in PAGE_KINDS]
    errors += stray_markdown(sources)
    loaded = _load_pages(s, page_sources, config, glossaries, memo, errors)
    pages = [loaded[source.rel].page for source in page_sources if source.rel in loaded]
    errors += lang.translation_problems([source.rel for source in page_sources], pages, config)
    errors += easy_read_problems([source.rel for source in page_sources], pages)
    broken = frozenset(source.rel for source in page_sources if source.rel not in loaded)
    errors += missing_alt(s.site_dir, loaded) + duplicate_urls(pages, config.base_path)
    errors += alias_clashes(pages, config.base_path)

    # Site: what is published today, links between pages, the index of everything.
    published, held = select(pages, s.today, s.drafts)
    static = frozenset(source.rel for source in sources if source.kind == "static")
    # Images: sizes for the Markdown ones, metadata removed from all (builder/content/image_store.py).
    images = _images(s, static, published, memo.root is not None, errors)
    targets = LinkTargets({p.source: p for p in published}, held, static, config.base_path, broken)
    html = _resolve_links(s, published, loaded, targets, memo, errors)
    scheduled = [p for p in pages if p.source in held and not p.draft and p.date]  # Easy Read: no date of its own
    # The site index, templates and outputs of each language (one for most sites).
    indexes, renderers, plans = {}, {}, {}
    for language in languages:
        mine = [p for p in published if p.language == language]
        index, index_errors = build_index(mine, lang.language_config(config, language), s.today,
                                          {rel: why for rel, why in held.items() if lang.language_of(rel, config) == language},
                                          [p for p in scheduled if p.language == language],
                                          frozenset(slugify(Path(rel).stem) for rel in broken))
        errors += index_errors
        indexes[language] = index
        renderers[language] = TemplateRenderer(s.site_dir, index, glossaries[language],
                                               _folder(s.cache_dir / "templates") if memo.root else None,
                                               language=language, cache_dir=s.cache_dir / "locale" if memo.root else None,
                                               root=config.base_path)
        errors += renderers[language].unknown_templates(mine)
    raise_if_any(errors)
    add_charts(memo, indexes, renderers, s.jobs)  # measures' charts, drawn where what they show changed
    memo.blobs.flush()  # to disk now: the parent holds less while the render workers run

    # Search: Pagefind indexes the shards whose pages changed, beside all that follows.
    searches, stales = [], []
    for language in languages:
        step = "search-" + language if lang.prefix(config, language) else "search"  # own shards per language
        folder = s.cache_dir / step
        shards = plan_shards(indexes[language].pages, html, language)
        stale = [shard for shard in shards if memo.get(step, str(shard.number), shard.key) is None
                 or not (folder / f"shard-{shard.number}" / "result").is_dir()]
        searches.append(SearchJob(folder, shards, stale if s.search_now else [], html, language, s.jobs))
        stales.append((step, stale))
    try:
        # Render: every output the site has, rendered into staging where anything it shows changed.
        for language in languages:
            plans[language] = plan_outputs(indexes[language], glossaries[language], html,
                                           {rel: entry.token for rel, entry in loaded.items()}, renderers[language].translations)
        if len(languages) > 1:
            plans = localise(plans, lang.translation_map(published, config), config,
                             {language: renderers[language].translations for language in languages})
        raise_if_any(_site_path_errors(s, published, html, memo, plans, static | set(images), config))  # before rendering
        if (memo.current or intact) and s.output.is_dir():  # no walk of 10,000 files
            present = memo.published()
        else:
            present = set(publishing.files_under(s.output)) if s.output.is_dir() else set()
        staging = publishing.staging_dir(s.output, s.cache_dir)
        publishing.prepare(staging)
        digests, rendered = {}, set()
        for language in languages:
            made, done = _render(s, plans[language], renderers[language], html, indexes[language], memo, staging, present,
                                 {rel: entry.token for rel, entry in loaded.items()}, lang.prefix(config, language),
                                 lambda machine, language=language: localise_machine(machine, language, config))
            digests.update(made)
            rendered |= done
        renderer = renderers[config.language]
        files = admin_files(config, s.cache_dir / "admin") | static_files(s.site_dir, sources, renderer.assets) | images
        for language, search in zip(languages, searches):
            files |= {lang.prefix(config, language) + path: file for path, file in search.files().items()}
    finally:
        for search in searches:
            search.cancel()
    for step, stale in stales if s.search_now else ():
        for shard in stale:
            memo.put(step, str(shard.number), shard.key, True)
    outputs = [o for language in languages for o in plans[language]]
    for path, source in files.items():  # copied as they are: known by size and time
        info = os.stat(source)
        stamp = (info.st_mtime_ns, info.st_size)
        digests[path] = memo.get("file", path, stamp) or memo.put("file", path, stamp, f"file:{stamp[0]}:{stamp[1]}")

    # Publish: only now is output/ touched, all at once.
    previous = {**memo.previous("render"), **memo.previous("file")}
    written, removed = publishing.publish(s.output, staging, s.cache_dir, digests, previous, rendered, files, present)
    memo.end()
    pages_rendered = sum(1 for o in outputs if o.path in rendered)
    preview = Preview(s.site_dir, targets, config.base_path, config.allow_raw_html,
                      {language: (lang.prefix(config, language), glossaries[language]) for language in languages},
                      {o.context["page"].source: (o, renderers[language]) for language in languages
                       for o in plans[language] if "html" in o.context})
    return BuildReport(len(outputs), pages_rendered, len(written), len(removed), time.perf_counter() - started,
                       min((i.next_scheduled for i in indexes.values() if i.next_scheduled), default=None,
                           key=lambda d: d.sort_key()),
                       s.output, search_behind=any(stale for _, stale in stales) and not s.search_now,
                       changed=frozenset(written) | frozenset(removed), preview=preview)


def _load_pages(s: _Settings, page_sources, config, glossaries: dict, memo: Memo, errors: list) -> dict:
    def compute(items: list) -> list:
        from builder.content.markdown_render import MarkdownRenderer

        # Once per language, before the fork: each marks the terms of its language's glossary.
        markdown = {language: MarkdownRenderer(glossary, config.allow_raw_html, s.site_dir, config.base_path)
                    for language, glossary in glossaries.items()}

        def one(n: int):
            language = lang.language_of(items[n].rel, config)
            return load_page(s.site_dir, items[n].rel, items[n].kind, config.base_path, markdown[language],
                             language, lang.prefix(config, language))

        results = fork_map(one, len(items), s.jobs)
        for result in results:
            if isinstance(result, list):
                errors.extend(result)
            else:
                memo.blobs.put(RAW, result[0].raw_sha, result[1])
        return [None if isinstance(result, list) else result[0] for result in results]

    known = memo.previous("page")
    uses = {rel: entry.uses for rel, entry in known.items()}
    items = [(source.rel, keys.source_stamp(s.site_dir, source.rel, uses.get(source.rel, ())), source)
             for source in page_sources]
    loaded = memo.map("page", items, compute)
    # The stamp covers the files a page used when last read; a page read now may use others.
    for rel, entry in loaded.items():
        if entry is not None and entry.uses != uses.get(rel, ()):
            memo.put("page", rel, keys.source_stamp(s.site_dir, rel, entry.uses), entry)
    return {rel: entry for rel, entry in loaded.items() if entry is not None}


def _images(s: _Settings, static: frozenset, published: list, prune: bool, errors: list) -> dict:
    """Output path -> file in the image store, for every image the site publishes."""
    from builder.content.attachments import empty_files
    from builder.content.image_store import publish_images

    # The store is keyed by content digest, so it is never stale: --no-cache uses it too (and
    # leaves it unpruned, since `check` builds that way beside a normal build).
    found, problems = publish_images(s.cache_dir / "images", s.site_dir, static, published, s.jobs, prune)
    errors.extend(problems)
    errors.extend(empty_files(s.site_dir, static, published))  # an empty PDF is a content error too
    return found


def _resolve_links(s: _Settings, published, loaded, targets: LinkTargets, memo: Memo, errors: list) -> PageHtml:
    """Rewrite each page's links to the published addresses (reused while they resolve the same)."""
    def compute(pages: list) -> list:
        found = []
        for page in pages:
            raw = memo.blobs.get(RAW, loaded[page.source].raw_sha)
            if raw is None:
                raise CacheDamaged(page.source)
            text, problems = resolve(page, raw, targets, body=lambda page=page: read_body(s.site_dir, page))
            errors.extend(problems)
            sha = digest(text.encode())
            memo.blobs.put(HTML, sha, text)
            found.append(sha)
        return found

    items = [(p.source, keys.link_key(p, loaded[p.source].raw_sha, loaded[p.source].links, targets), p) for p in published]
    return PageHtml(memo.blobs, memo.map("links", items, compute))


def _site_path_errors(s: _Settings, published, html: PageHtml, memo: Memo, plans: dict, files, config) -> list:
    """Links written as a site address (/updates/…/) that this build does not make (site_links.py)."""
    from builder.site.site_links import missing_site_paths, root_links

    items = [(p.source, html.sha(p.source), p.source) for p in published]
    links = memo.map("root-links", items, lambda sources: [root_links(html[source]) for source in sources])
    prefixes = tuple(lang.prefix(config, language) for language in plans)
    outputs = frozenset(o.path for language in plans for o in plans[language])  # paths carry the language folder
    outputs |= {rel.removeprefix("content/") for rel in files}  # static files, and the images' sizes
    return missing_site_paths(published, links, outputs, config.base_path, lambda page: read_body(s.site_dir, page),
                              prefixes)


def _render(s: _Settings, outputs, renderer: TemplateRenderer, html: PageHtml, index, memo: Memo, staging: Path,
            present: set, tokens: dict, prefix: str = "", adjust=lambda machine: machine) -> tuple[dict[str, str], set[str]]:
    """Render each output where anything it read changed into staging: (path -> content digest,
    paths rendered). tokens: source -> page token; prefix: the language's folder its outputs
    are under; adjust: places its feeds and sitemap."""
    sources = renderer.template_sources()
    every_template = digest(repr(sorted(sources.items())).encode())
    # Parsing every template again would cost more than the check.
    dependencies = (memo.get("templates", "", every_template)
                    or memo.put("templates", "", every_template, renderer.dependencies()))
    render_keys = keys.RenderKeys(index, tokens, keys.template_keys(sources, dependencies), renderer.theme_key)
    rendered: set[str] = set()

    def render_pages(items: list) -> list:
        def one(n: int):
            try:
                text, reads = renderer.render_recorded(items[n])
            except ContentError as problem:
                return problem
            data = text.encode("utf-8")
            publishing.put(staging, items[n].path, data)  # workers write, so no page is held in memory
            return digest(data), reads

        results = fork_map(one, len(items), s.jobs)
        raise_if_any([r for r in results if isinstance(r, ContentError)])
        rendered.update(item.path for item in items)
        return results

    def make_files(items: list) -> list:
        found = []
        for path, make, arguments in items:
            data = make(*arguments).encode("utf-8")
            publishing.put(staging, path, data)
            rendered.add(path)
            found.append(digest(data))
        return found

    # What each output read: its template and context, the theme, and what it looked up (keys.py).
    digests = memo.map_recorded("render", [(o.path, render_keys.static(o), o) for o in outputs], render_pages,
                                render_keys.replay, reuse=present.__contains__)
    machine = adjust(machine_outputs(index, html, [o.path.removeprefix(prefix) for o in outputs], renderer.translations)
                     + measure_files(index))
    digests.update(memo.map("render", [(path, keys.machine_key(make, (arguments, renderer.theme_key), tokens), item)
                                       for item in machine for path, make, arguments in [item]],
                            make_files, reuse=present.__contains__))
    return digests, rendered


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
