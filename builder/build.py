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

from builder.errors import raise_if_any
from builder.incremental.memo import CacheDamaged, Memo, disown
from builder.incremental.uptodate import UpToDate, forget_stamp, inputs_stamp
from builder.publish import output as publishing
from builder.publish.guards import tidy_on_failure, without_collector_pauses
from builder.publish.lock import build_lock
from builder.render.stage import Made, Summary, render, summarise
from builder.site.language_site import draw_charts, language_site, link_translations, searching
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
    return _report(site, summarise(site, languages, made), written, removed, time.perf_counter() - started)


def publish(site: Site, made: Made, memo: Memo) -> tuple[list[str], list[str]]:
    """Only now is output/ touched, all at once: (files written, files removed)."""
    s = site.settings
    previous = {**memo.previous("render"), **memo.previous("file")}
    written, removed = publishing.publish(s.output, made.staging, s.cache_dir, made.digests, previous, made.rendered,
                                          made.files, made.present)
    memo.end()
    return written, removed



def _report(site: Site, summary: Summary, written, removed, seconds: float) -> BuildReport:
    return BuildReport(summary.pages, summary.rendered, len(written), len(removed), seconds, summary.next_scheduled,
                       site.settings.output, search_behind=summary.search_behind,
                       changed=frozenset(written) | frozenset(removed), preview=summary.preview)
