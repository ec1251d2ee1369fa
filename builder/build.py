"""The build, top to bottom: discover -> read -> validate -> Markdown -> links -> site index
-> render -> publish.

Read `_build` to follow a build: the site is read once (builder/stages.py), then made into
one site per language by the same function (builder/site/language_site.py), which are
linked to each other, rendered and published together. Each stage is a plain function
returning (value, errors); the build stops only at its `raise_if_any` points. `build` is
the session around it: the lock, the up-to-date check and the retry. What a stage may skip
because the last build already computed it is decided in one place, builder/incremental:
`memo.map(step, (name, key, item)…, compute)` hands back last build's result where the key
(a digest of what that step read, from incremental/keys.py) is the same, and computes the
rest. The stages never see it.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import ContentError, raise_if_any
from builder.hashing import digest
from builder.incremental import keys
from builder.incremental.memo import CacheDamaged, Memo, disown
from builder.incremental.store import PageHtml
from builder.incremental.uptodate import UpToDate, forget_stamp, inputs_stamp
from builder.parallel import fork_map
from builder.publish import output as publishing
from builder.publish.guards import tidy_on_failure, without_collector_pauses
from builder.publish.lock import build_lock
from builder.render.admin import admin_files
from builder.render.feeds import machine_outputs
from builder.render.measures import measure_files
from builder.render.preview import Preview
from builder.render.templates import TemplateRenderer, static_files
from builder.site.language_site import LanguageSite, draw_charts, language_site, link_translations, searching
from builder.stages import Settings, Site, each, read

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
    settings = Settings(site_dir, output, cache_dir, drafts, jobs or os.cpu_count() or 1,
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


def _build(s: Settings, memo: Memo, intact: bool) -> BuildReport:
    """intact: output/ holds exactly the files the record says were published."""
    started = time.perf_counter()
    site, errors = read(s, memo)
    languages, problems = each(lambda language: language_site(site, language), site.languages)
    raise_if_any(errors + problems)
    draw_charts(site, languages, memo)  # measures' charts, for every language's templates
    with searching(site, languages, memo) as languages:  # Pagefind indexes beside what follows
        languages, errors = link_translations(site, languages, memo)
        raise_if_any(errors)  # before rendering
        made, errors = render(site, languages, memo, intact)
        raise_if_any(errors)
    written, removed = publish(site, made, memo)
    return _report(site, languages, made, written, removed, time.perf_counter() - started)


@dataclass(frozen=True)
class _Made:
    """What the render stage left in staging for publish."""
    staging: Path
    present: set  # files in output/ now
    digests: dict  # output path -> content digest
    rendered: set  # paths rendered into staging by this build
    files: dict  # output path -> file copied as it is


def render(site: Site, languages: list[LanguageSite], memo: Memo, intact: bool) -> tuple[_Made, list[ContentError]]:
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
    tokens = {rel: entry.token for rel, entry in site.loaded.items()}  # what each page was when read
    for ls in languages:
        made, done, problems = _render(s, ls.plan, ls.renderer, site.html, ls.index, memo, staging, present,
                                       tokens, ls.prefix, lambda machine, ls=ls: ls.machine_files(machine, site.config))
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
    return _Made(staging, present, digests, rendered, files), errors


def publish(site: Site, made: _Made, memo: Memo) -> tuple[list[str], list[str]]:
    """Only now is output/ touched, all at once: (files written, files removed)."""
    s = site.settings
    previous = {**memo.previous("render"), **memo.previous("file")}
    written, removed = publishing.publish(s.output, made.staging, s.cache_dir, made.digests, previous, made.rendered,
                                          made.files, made.present)
    memo.end()
    return written, removed


def _report(site: Site, languages: list[LanguageSite], made: _Made, written, removed, seconds: float) -> BuildReport:
    s = site.settings
    outputs = [o for ls in languages for o in ls.plan]
    preview = Preview(s.site_dir, site.targets, site.config.base_path, site.config.allow_raw_html,
                      {ls.language: (ls.prefix, ls.glossary) for ls in languages},
                      {o.context["page"].source: (o, ls.renderer) for ls in languages for o in ls.plan if "html" in o.context})
    return BuildReport(len(outputs), sum(1 for o in outputs if o.path in made.rendered), len(written), len(removed),
                       seconds, min((ls.index.next_scheduled for ls in languages if ls.index.next_scheduled),
                                    default=None, key=lambda d: d.sort_key()),
                       s.output, search_behind=any(ls.stale for ls in languages) and not s.search_now,
                       changed=frozenset(written) | frozenset(removed), preview=preview)


def _render(s: Settings, outputs, renderer: TemplateRenderer, html: PageHtml, index, memo: Memo, staging: Path,
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
