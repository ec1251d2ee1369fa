"""The render stage: every output of every language, rendered into staging where anything
it read changed, and the files copied as they are listed beside them. Nothing in output/
is touched here (builder/publish does that, all at once).

Rendering reuses the last build's result where what an output read is the same: its
template and context, the theme, and what it looked up in the site index
(builder/incremental/keys.py and reads.py). This module never builds a key itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from builder.errors import ContentError
from builder.hashing import digest
from builder.incremental import keys
from builder.incremental.memo import Memo
from builder.incremental.store import PageHtml
from builder.parallel import fork_map
from builder.publish import output as publishing
from builder.render.admin import admin_files
from builder.render.feeds import machine_outputs
from builder.render.measures import measure_files
from builder.render.preview import Preview
from builder.render.templates import TemplateRenderer, static_files
from builder.site.language_site import LanguageSite
from builder.stages import Settings, Site


@dataclass(frozen=True)
class Made:
    """What the render stage left in staging for publish."""
    staging: Path
    present: set  # files in output/ now
    digests: dict  # output path -> content digest
    rendered: set  # paths rendered into staging by this build
    files: dict  # output path -> file copied as it is


def render(site: Site, languages: list[LanguageSite], memo: Memo, intact: bool) -> tuple[Made, list[ContentError]]:
    """Every output each language has, rendered into staging where anything it shows changed;
    the files copied as they are (theme, content files, images, search index) listed."""
    s = site.settings
    if (memo.current or intact) and s.output.is_dir():  # no walk of 10,000 files
        present = memo.published()
    else:
        present = set(publishing.files_under(s.output)) if s.output.is_dir() else set()
    staging = publishing.staging_dir(s.output, s.cache_dir)
    publishing.prepare(staging)
    digests, rendered, errors = {}, set(), []
    for ls in languages:
        made, done, problems = _render_language(s, ls.plan, ls.renderer, site.html, ls.index, memo, staging, present,
                                       site.tokens, ls.prefix, lambda machine, ls=ls: ls.machine_files(machine, site.config))
        digests.update(made)
        rendered |= done
        errors += problems
    main = languages[0].renderer
    files = admin_files(site.config, s.cache_dir / "admin") | static_files(s.site_dir, site.sources, main.assets) | site.images
    for ls in languages:
        files |= {ls.prefix + path: file for path, file in ls.search.files().items()}
    for path, source in files.items():  # copied as they are: known by size and time
        info = os.stat(source)
        stamp = (info.st_mtime_ns, info.st_size)
        digests[path] = memo.get("file", path, stamp) or memo.put("file", path, stamp, f"file:{stamp[0]}:{stamp[1]}")
    return Made(staging, present, digests, rendered, files), errors


@dataclass(frozen=True)
class Summary:
    """What the build reports of every language together."""
    pages: int  # HTML pages
    rendered: int  # of them, rendered this time
    next_scheduled: object  # the soonest date a held page is due, if any
    search_behind: bool  # the search index still has work to do (search_now=False)
    preview: Preview  # for serve: how each page is rendered again from a save


def summarise(site: Site, languages: list[LanguageSite], made: Made) -> Summary:
    s = site.settings
    outputs = [o for ls in languages for o in ls.plan]
    preview = Preview(s.site_dir, site.targets, site.config.base_path, site.config.allow_raw_html,
                      {ls.language: (ls.prefix, ls.glossary) for ls in languages},
                      {o.context["page"].source: (o, ls.renderer) for ls in languages for o in ls.plan if "html" in o.context})
    soonest = min((ls.index.next_scheduled for ls in languages if ls.index.next_scheduled), default=None,
                  key=lambda d: d.sort_key())
    return Summary(len(outputs), sum(1 for o in outputs if o.path in made.rendered), soonest,
                   any(ls.stale for ls in languages) and not s.search_now, preview)


def _render_language(s: Settings, outputs, renderer: TemplateRenderer, html: PageHtml, index, memo: Memo, staging: Path,
            present: set, tokens: dict, prefix: str = "", adjust=lambda machine: machine) -> tuple[dict[str, str], set[str], list]:
    """Render each output where anything it read changed into staging: (path -> content
    digest, paths rendered, errors). tokens: source -> page token; prefix: the language's
    folder its outputs are under; adjust: places its feeds and sitemap."""
    sources = renderer.template_sources()
    every_template = digest(repr(sorted(sources.items())).encode())
    # Parsing every template again would cost more than the check.
    dependencies = (memo.get("templates", "", every_template)
                    or memo.put("templates", "", every_template, renderer.dependencies()))
    render_keys = keys.RenderKeys(index, tokens, keys.template_keys(sources, dependencies), renderer.theme_key)
    rendered: set[str] = set()
    errors: list[ContentError] = []

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
        errors.extend(r for r in results if isinstance(r, ContentError))
        rendered.update(item.path for item, r in zip(items, results) if not isinstance(r, ContentError))
        return [None if isinstance(r, ContentError) else r for r in results]  # None: not remembered

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
    return digests, rendered, errors
