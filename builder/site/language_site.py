"""One site per language, each made by the same code (in the spirit of Hugo's HugoSites).

A site in one language has its own address folder ("" for the main language, "cy/"), its
config as that language sees it, its glossary, its published and held pages, its index, its
templates, its planned outputs and its search index. `language_site` makes one from the
`Site` read by builder/stages.py; what crosses languages (a translation's links to its other
versions, the aliases a translation keeps on its original, robots.txt listing each
language's sitemap) is done in this module only, by `link_translations` and `translated`.
"""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from builder.content.address import page_address
from builder.errors import ContentError
from builder.incremental import keys
from builder.render.languages import localise, localise_machine
from builder.render.measures import add_charts
from builder.render.outputs import plan_outputs
from builder.render.search import SearchJob, plan_shards
from builder.render.templates import TemplateRenderer
from builder.site import languages as lang
from builder.site.config import SiteConfig
from builder.site.index import SiteIndex, build_index


@dataclass(frozen=True)
class LanguageSite:
    language: str
    prefix: str  # its folder under base_url: "" for the main language, "cy/"
    config: SiteConfig  # as the language sees it (builder.site.languages.language_config)
    glossary: dict
    pages: tuple  # published in this language
    held: dict  # source -> why it is not published
    index: SiteIndex
    renderer: TemplateRenderer
    plan: tuple = ()  # its outputs, in its folder (builder.render.outputs.Output)
    search: SearchJob | None = None
    search_step: str = ""  # the record's step for its search shards
    stale: tuple = ()  # search shards indexed again by this build

    def machine_files(self, machine: list, config: SiteConfig) -> list:
        """Its feeds, calendar and sitemap, in its folder; robots.txt lists every language's sitemap."""
        return localise_machine(machine, self.language, config)


def language_site(site, language: str) -> tuple[LanguageSite, list[ContentError]]:
    """The site in one language: its pages, index and templates. site: builder.stages.Site."""
    s, config = site.settings, lang.language_config(site.config, language)
    mine = translated([p for p in site.published if p.language == language], site, language)
    held = {rel: why for rel, why in site.held.items() if lang.language_of(rel, site.config) == language}
    index, errors = build_index(mine, config, s.today, held, [p for p in site.scheduled if p.language == language],
                                _broken_slugs(site))
    glossary = site.glossaries[language]
    renderer = TemplateRenderer(s.site_dir, index, glossary, _folder(s.cache_dir / "templates") if site.keep else None,
                                language=language, cache_dir=s.cache_dir / "locale" if site.keep else None,
                                root=site.config.base_path)
    errors += renderer.unknown_templates(mine)
    return LanguageSite(language, lang.prefix(site.config, language), config, glossary, tuple(mine), held,
                        index, renderer), errors


def _broken_slugs(site) -> frozenset[str]:
    """The slugs of the files that failed validation (their file names': x of x.cy.md)."""
    kinds = {source.rel: source.kind for source in site.sources}
    found = set()
    for rel in site.broken:
        language = lang.language_of(rel, site.config)
        found.add(page_address(rel, kinds[rel], "/", language, lang.prefix(site.config, language)).slug)
    return frozenset(found)


def translated(pages: list, site, language: str) -> list:
    """A translation keeps its original's old addresses (aliases: is written on the original
    only), in its language's folder: /letters/old/ on x.md is /cy/letters/old/ for x.cy.md."""
    folder = lang.prefix(site.config, language)
    if not folder:
        return pages
    originals = {page.source: page for page in site.pages}
    base = site.config.base_path
    found = []
    for page in pages:
        original = originals.get(lang.original_of(page.source, language))
        aliases = tuple(base + folder + alias[len(base):] for alias in original.aliases) if original else ()
        found.append(dataclasses.replace(page, aliases=aliases) if aliases else page)
    return found


def draw_charts(site, languages: list[LanguageSite], memo) -> None:
    """Measures' charts, drawn where what they show changed, given to every language's
    templates (the helpers they call). Nothing here can be a content error."""
    add_charts(memo, {ls.language: ls.index for ls in languages}, {ls.language: ls.renderer for ls in languages},
               site.settings.jobs)
    memo.blobs.flush()  # to disk now: the parent holds less while the render workers run


@contextmanager
def searching(site, languages: list[LanguageSite], memo):
    """Pagefind indexes each language's shards whose pages changed, in the background, while
    the body of the `with` plans and renders; it is stopped if that fails. Each language has
    its own shards. The record learns of the new shards only when the body succeeds."""
    s, found = site.settings, []
    try:
        for ls in languages:
            step = "search-" + ls.language if ls.prefix else "search"
            folder = s.cache_dir / step
            shards = plan_shards(ls.index.pages, keys.search_key(site.tokens, site.html, ls.language))
            stale = [shard for shard in shards if memo.get(step, str(shard.number), shard.key) is None
                     or not (folder / f"shard-{shard.number}" / "result").is_dir()]
            job = SearchJob(folder, shards, stale if s.search_now else [], site.html, ls.language, s.jobs)
            found.append(dataclasses.replace(ls, search=job, search_step=step, stale=tuple(stale)))
        yield found
    finally:
        for ls in found:
            ls.search.cancel()
    for ls in found if s.search_now else ():
        for shard in ls.stale:
            memo.put(ls.search_step, str(shard.number), shard.key, True)


def link_translations(site, languages: list[LanguageSite], memo) -> tuple[list[LanguageSite], list[ContentError]]:
    """Plan each language's outputs, then place them in its folder and link each page to its
    other versions (builder.render.languages). Errors: links written as site addresses
    (/updates/…/) that no language's outputs make."""
    plans = {ls.language: plan_outputs(ls.index, ls.glossary, site.html, ls.renderer.translations)
             for ls in languages}
    if len(languages) > 1:
        plans = localise(plans, lang.translation_map(site.published, site.config), site.config,
                         {ls.language: ls.renderer.translations for ls in languages})
    languages = [dataclasses.replace(ls, plan=tuple(plans[ls.language])) for ls in languages]
    return languages, _site_path_errors(site, languages, memo)


def _site_path_errors(site, languages: list[LanguageSite], memo) -> list[ContentError]:
    """Links written as a site address (/updates/…/) that this build does not make (site_links.py)."""
    from builder.content.load import read_body
    from builder.site.site_links import missing_site_paths, root_links

    html = site.html
    items = [(p.source, html.sha(p.source), p.source) for p in site.published]
    links = memo.map("root-links", items, lambda sources: [root_links(html[source]) for source in sources])
    outputs = frozenset(o.path for ls in languages for o in ls.plan)  # paths carry the language folder
    # static files, and the images' sizes
    outputs |= {rel.removeprefix("content/") for rel in site.static | set(site.images)}
    return missing_site_paths(site.published, links, outputs, site.config.base_path,
                              lambda page: read_body(site.settings.site_dir, page),
                              tuple(ls.prefix for ls in languages))


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
