"""The first stage of the build, for every language at once: discover -> read -> validate ->
Markdown -> what is published -> images -> links.

`read` hands back the `Site`: everything the languages' sites (builder/site/language_site.py)
are made from. Like every stage of the pipeline it returns (value, errors); the build raises
them at its explicit `raise_if_any` points. What a step may reuse from the last build is
asked of the memo (builder/incremental), never decided here.
"""

from __future__ import annotations

import functools

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from builder.content.discover import PAGE_KINDS, discover, stray_markdown
from builder.content.glossary import load_glossary
from builder.content.load import load_page, missing_alt, read_body
from builder.errors import ContentError
from builder.hashing import digest
from builder.incremental import keys
from builder.incremental.memo import CacheDamaged, Memo
from builder.incremental.store import HTML, RAW, PageHtml
from builder.parallel import fork_map
from builder.site import languages as lang
from builder.site.config import SiteConfig, load_config
from builder.site.easyread import easy_read_problems
from builder.site.index import duplicate_urls, select
from builder.site.links import LinkTargets, resolve
from builder.site.redirects import alias_clashes


@dataclass(frozen=True)
class Settings:
    """What the command asked for."""
    site_dir: Path
    output: Path
    cache_dir: Path
    drafts: bool
    jobs: int
    today: dt.date
    base_url: str | None
    search_now: bool


@dataclass(frozen=True)
class Site:
    """The site as read, in every language: what each language's site is made from."""
    settings: Settings
    config: SiteConfig
    keep: bool  # the build keeps a record (and compiled templates) between builds
    sources: tuple  # every file discovered (builder.content.discover.Source)
    languages: tuple[str, ...]  # the main one first
    glossaries: dict  # language -> its glossary
    loaded: dict  # source -> LoadedPage, of every page read without an error
    pages: tuple  # every page read, in source order
    published: tuple  # what is published today
    held: dict  # source -> why it is not published
    scheduled: tuple  # held pages with a date of their own, to say when they appear
    broken: frozenset  # sources that failed validation
    static: frozenset  # sources copied as they are
    images: dict  # output path -> file in the image store
    targets: LinkTargets
    html: PageHtml  # each published page's HTML, its links resolved

    @functools.cached_property
    def tokens(self) -> dict[str, str]:
        """source -> the token of the page as read: what the cache's keys hold for it (made
        once, for the search and render steps both)."""
        return {rel: entry.token for rel, entry in self.loaded.items()}


def each(stage, items) -> tuple[list, list[ContentError]]:
    """(values, errors) of a stage run once per item, such as once per language."""
    values, errors = [], []
    for item in items:
        value, problems = stage(item)
        values.append(value)
        errors += problems
    return values, errors


def read(s: Settings, memo: Memo) -> tuple[Site, list[ContentError]]:
    """Read, validate and convert every page (in parallel; unchanged files reused), then what
    is published, its images and its links."""
    config = load_config(s.site_dir, s.cache_dir if memo.root else None)
    if s.base_url:
        config = dataclasses.replace(config, base_url=s.base_url, raw=config.raw + f"\n# served at {s.base_url}")
    sources, errors = discover(s.site_dir)
    languages = lang.site_languages(config)
    glossaries, problems = _glossaries(s, sources, config, languages)
    errors += problems
    memo.begin(keys.fingerprint(config.raw, {f"{language}:{term}": text for language in languages
                                             for term, text in glossaries[language].items()}, s.drafts), s.output)
    page_sources = [source for source in sources if source.kind in PAGE_KINDS]
    errors += stray_markdown(sources)
    loaded, problems = _load_pages(s, page_sources, config, glossaries, memo)
    errors += problems
    pages = [loaded[source.rel].page for source in page_sources if source.rel in loaded]
    errors += _site_problems(s, [source.rel for source in page_sources], pages, loaded, config)
    broken = frozenset(source.rel for source in page_sources if source.rel not in loaded)

    # What is published today, its images (sizes for the Markdown ones, metadata removed from
    # all: builder/content/image_store.py) and the links between pages.
    published, held = select(pages, s.today, s.drafts)
    static = frozenset(source.rel for source in sources if source.kind == "static")
    images, problems = _images(s, static, published, memo.root is not None)
    errors += problems
    targets = LinkTargets({p.source: p for p in published}, held, static, config.base_path, broken)
    html, problems = _resolve_links(s, published, loaded, targets, memo)
    errors += problems
    scheduled = [p for p in pages if p.source in held and not p.draft and p.date]  # Easy Read: no date of its own
    return Site(s, config, memo.root is not None, tuple(sources), languages, glossaries, loaded, tuple(pages),
                tuple(published), held, tuple(scheduled), broken, static, images, targets, html), errors


def _glossaries(s: Settings, sources, config, languages) -> tuple[dict, list[ContentError]]:
    """Each language's pages have their own glossary (builder.site.languages: bilingual sites)."""
    glossaries, errors = {}, []
    for language in languages:
        glossaries[language], problems = load_glossary(s.site_dir, sources, config, language)
        errors += problems
    return glossaries, errors


def _site_problems(s: Settings, rels: list[str], pages: list, loaded: dict, config) -> list[ContentError]:
    """Problems between pages: translations, Easy Read versions, addresses, aliases."""
    return (lang.translation_problems(rels, pages, config) + easy_read_problems(rels, pages)
            + missing_alt(s.site_dir, loaded) + duplicate_urls(pages, config.base_path)
            + alias_clashes(pages, config.base_path))


def _load_pages(s: Settings, page_sources, config, glossaries: dict, memo: Memo) -> tuple[dict, list[ContentError]]:
    errors: list[ContentError] = []

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
    return {rel: entry for rel, entry in loaded.items() if entry is not None}, errors


def _images(s: Settings, static: frozenset, published: list, prune: bool) -> tuple[dict, list[ContentError]]:
    """Output path -> file in the image store, for every image the site publishes."""
    from builder.content.attachments import empty_files
    from builder.content.image_store import publish_images

    # The store is keyed by content digest, so it is never stale: --no-cache uses it too (and
    # leaves it unpruned, since `check` builds that way beside a normal build).
    found, problems = publish_images(s.cache_dir / "images", s.site_dir, static, published, s.jobs, prune)
    return found, list(problems) + empty_files(s.site_dir, static, published)  # an empty PDF is a content error too


def _resolve_links(s: Settings, published, loaded, targets: LinkTargets, memo: Memo) -> tuple[PageHtml, list[ContentError]]:
    """Rewrite each page's links to the published addresses (reused while they resolve the same)."""
    errors: list[ContentError] = []

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
    return PageHtml(memo.blobs, memo.map("links", items, compute)), errors
