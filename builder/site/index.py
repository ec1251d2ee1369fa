"""Assemble validated pages into the site: what is published, collections, timeline, tags.

Pure: pages and today's date in, an immutable SiteIndex out (plus content errors for
references that do not resolve).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from builder.site.config import SiteConfig
from builder.content.dates import PartialDate
from builder.errors import ContentError, did_you_mean
from builder.content.model import ARTICLE_KINDS, DATED_KINDS, Page
from builder.site.easyread import hold_with_standard


# Addresses the builder makes itself; a page slug may not take one of them.
RESERVED = ("letters", "updates", "news", "timeline", "commitments", "tags", "glossary",
            "accessibility", "search", "get-updates", "settings", "assets", "pagefind", "admin", "you-said-we-did",
            "easy-read", "complaints-and-advice",
            "measures")


@dataclass(frozen=True)
class TimelineEntry:
    event: Page
    around: tuple[Page, ...]  # letters, updates, news published from this event until the next


@dataclass(frozen=True)
class TimelineYear:
    year: int
    entries: tuple[TimelineEntry, ...]


@dataclass(frozen=True)
class Expected:
    """Something families can expect next: an upcoming event or a promised update."""

    date: PartialDate
    title: str
    url: str
    kind: str  # "event" or "update"


@dataclass(frozen=True)
class SiteIndex:
    config: SiteConfig
    today: dt.date
    pages: tuple[Page, ...]  # everything published, in source order
    by_kind: dict[str, tuple[Page, ...]]  # newest first (pages: by title)
    timeline: tuple[TimelineYear, ...]
    upcoming: tuple[Page, ...]  # events in the future, soonest first
    tags: dict[str, tuple[Page, ...]]  # newest first
    neighbours: dict[str, tuple[Page | None, Page | None]]  # url -> (previous, next) in its kind
    reports: dict[str, tuple[Page, ...]]  # commitment slug -> pages that report on it
    raised: dict[str, tuple[Page, ...]]  # event slug -> commitments it raised
    expected: tuple[Expected, ...]  # soonest first
    next_scheduled: PartialDate | None
    unpublished: dict[str, str] = field(default_factory=dict)  # source -> why not

    def kind(self, kind: str) -> tuple[Page, ...]:
        return self.by_kind.get(kind, ())

    @property
    def latest(self) -> Page | None:
        articles = [p for kind in ARTICLE_KINDS for p in self.kind(kind)]
        return max(articles, key=lambda p: p.sort_key) if articles else None

    def commitment(self, slug: str) -> Page | None:
        return next((p for p in self.kind("commitment") if p.slug == slug), None)


def select(pages: list[Page], today: dt.date, drafts: bool) -> tuple[list[Page], dict[str, str]]:
    """Split pages into published and not (drafts, scheduled), with the reason for each."""
    published, held = [], {}
    for page in pages:
        if page.draft and not drafts:
            held[page.source] = "a draft"
        elif page.kind in DATED_KINDS and page.date and page.date.first_day > today:
            held[page.source] = f"scheduled for {page.date.display}"
        else:
            published.append(page)
    return hold_with_standard(published, held)


def build_index(pages: list[Page], config: SiteConfig, today: dt.date, unpublished: dict[str, str],
                scheduled: list[Page], broken: frozenset[str] = frozenset()) -> tuple[SiteIndex, list[ContentError]]:
    """broken: slugs of files that failed validation, whose references are not errors twice.
    Each part of the index is made by its own function below."""
    newest = sorted(pages, key=lambda p: p.sort_key, reverse=True)
    by_kind = _by_kind(newest)
    upcoming, timeline = _timeline(pages, by_kind, today, config.timeline_order)
    reports, report_errors = _reports(newest, by_kind, broken)
    raised, raised_errors = _raised(by_kind, broken)
    expected = _expected(upcoming, by_kind, scheduled, today)
    index = SiteIndex(
        config=config, today=today, pages=tuple(pages), by_kind=by_kind, timeline=timeline,
        upcoming=upcoming, tags=_tags(newest), neighbours=_neighbours(by_kind), reports=reports, raised=raised,
        expected=tuple(e for e in expected if e.kind != "scheduled"),
        next_scheduled=min((p.date for p in scheduled), default=None, key=lambda d: d.sort_key()),
        unpublished=unpublished,
    )
    return index, report_errors + raised_errors + _measure_errors(by_kind, broken)


def _by_kind(newest: list[Page]) -> dict[str, tuple[Page, ...]]:
    """Each kind's pages, newest first; standing pages, commitments and measures by title."""
    by_kind = {kind: tuple(group) for kind, group in groupby(sorted(newest, key=lambda p: p.kind), key=lambda p: p.kind)}
    by_kind = {kind: tuple(sorted(items, key=lambda p: p.sort_key, reverse=True)) for kind, items in by_kind.items()}
    for kind in ("page", "commitment", "measure"):
        if kind in by_kind:
            by_kind[kind] = tuple(sorted(by_kind[kind], key=lambda p: p.title.lower()))
    return by_kind


def _timeline(pages: list[Page], by_kind: dict, today: dt.date, order: str) -> tuple[tuple[Page, ...], tuple[TimelineYear, ...]]:
    """(events to come, soonest first; the past events by year, each with what was published
    from it until the next)."""
    events = sorted(by_kind.get("event", ()), key=lambda p: p.sort_key)
    past = [e for e in events if e.date.first_day <= today]
    upcoming = tuple(e for e in events if e.date.first_day > today)
    articles = sorted((p for p in pages if p.kind in DATED_KINDS), key=lambda p: p.sort_key)
    entries = []
    for position, event in enumerate(past):
        start = event.date.sort_key()
        end = past[position + 1].date.sort_key() if position + 1 < len(past) else (9999, 99, 99)
        entries.append(TimelineEntry(event, tuple(a for a in articles if start <= a.date.sort_key() < end)))
    if order == "newest":
        entries.reverse()
    return upcoming, tuple(TimelineYear(year, tuple(group)) for year, group in groupby(entries, key=lambda e: e.event.date.year))


def _tags(newest: list[Page]) -> dict[str, tuple[Page, ...]]:
    tags: dict[str, list[Page]] = {}
    for page in newest:
        for tag in page.tags:
            tags.setdefault(tag, []).append(page)
    return {t: tuple(v) for t, v in sorted(tags.items())}


def _neighbours(by_kind: dict) -> dict[str, tuple[Page | None, Page | None]]:
    """url -> (previous, next) in its kind, oldest first."""
    neighbours = {}
    for kind in ARTICLE_KINDS + ("event",):
        ordered = sorted(by_kind.get(kind, ()), key=lambda p: p.sort_key)
        for i, page in enumerate(ordered):
            neighbours[page.url] = (ordered[i - 1] if i else None, ordered[i + 1] if i + 1 < len(ordered) else None)
    return neighbours


def _reports(newest: list[Page], by_kind: dict, broken: frozenset[str]) -> tuple[dict, list[ContentError]]:
    """commitment slug -> the pages that report on it, newest first."""
    commitments = {p.slug: p for p in by_kind.get("commitment", ())}
    reports: dict[str, list[Page]] = {slug: [] for slug in commitments}
    errors = []
    for page in newest:
        for slug in page.commitments:
            if slug in reports:
                reports[slug].append(page)
            elif slug not in broken:  # a broken file has its own error; do not report it twice
                errors.append(ContentError(page.source, f'"commitments" names "{slug}", which is not a commitment.'
                                           + did_you_mean(slug, commitments), page.line_of("commitments"),
                                           "use the file name (without .md) of a file in content/commitments/"))
    return {k: tuple(v) for k, v in reports.items()}, errors


def _raised(by_kind: dict, broken: frozenset[str]) -> tuple[dict, list[ContentError]]:
    """event slug -> the commitments it raised."""
    event_slugs = {p.slug: p for p in by_kind.get("event", ())}
    raised: dict[str, list[Page]] = {}
    errors = []
    for commitment in by_kind.get("commitment", ()):
        if commitment.raised_by not in event_slugs and commitment.raised_by not in broken:
            errors.append(ContentError(commitment.source, f'"source" names "{commitment.raised_by}", which is not '
                                       "a timeline event." + did_you_mean(commitment.raised_by, event_slugs),
                                       commitment.line_of("source"),
                                       "use the file name (without .md) of the event in content/timeline/"))
        raised.setdefault(commitment.raised_by, []).append(commitment)
    return {k: tuple(v) for k, v in raised.items()}, errors


def _measure_errors(by_kind: dict, broken: frozenset[str]) -> list[ContentError]:
    """A commitment naming a measure the site does not have."""
    measures = {p.slug for p in by_kind.get("measure", ())}
    return [ContentError(commitment.source, f'"measures" names "{slug}", which is not a measure.'
                         + did_you_mean(slug, measures), commitment.line_of("measures"),
                         "use the file name (without .md) of a file in content/measures/")
            for commitment in by_kind.get("commitment", ()) for slug in commitment.measures
            if slug not in measures and slug not in broken]


def _expected(upcoming: tuple[Page, ...], by_kind: dict, scheduled: list[Page], today: dt.date) -> list[Expected]:
    """What families can expect next, soonest first: events, promised letters, scheduled pages."""
    expected = [Expected(e.date, e.title, e.url, "event") for e in upcoming]
    for letter in by_kind.get("letter", ()):
        if letter.next_update and letter.next_update.last_day >= today:
            expected.append(Expected(letter.next_update, "Next letter to families", letter.url, "update"))
    for page in scheduled:
        expected.append(Expected(page.date, page.title, "", "scheduled"))
    expected.sort(key=lambda e: e.date.sort_key())
    return expected


def duplicate_urls(pages: list[Page], base_path: str) -> list[ContentError]:
    """Two pages at one address, or a page at an address the site makes itself."""
    errors = []
    seen: dict[str, Page] = {}
    builtin = {f"{base_path}{name}/" for name in RESERVED}
    for page in sorted(pages, key=lambda p: p.source):
        if page.url in builtin:
            errors.append(ContentError(page.source, f"its web address {page.url} is used by a page the site makes itself",
                                       None, "rename the file or add a different slug: field"))
        elif page.url in seen:
            first = seen[page.url]
            errors.append(ContentError(page.source, f"has the same web address ({page.url}) as {first.source}", None,
                                       "give one of them a different file name or slug: field"))
        else:
            seen[page.url] = page
    return errors
