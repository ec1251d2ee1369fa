"""Warnings about gaps families meet on a site that builds without errors (`localoffer check`):

- an event whose date passed more than 8 weeks ago, with no outcome;
- an inspection, revisit or review with no section saying what was found;
- a commitment with no status, or none given for 6 months;
- a letter's promised next letter (next_update) whose month has passed, with no newer letter;
- no link to the council's complaints page or its SEND information and advice service in
  site.toml's [help] (the "Complaints and independent advice" page then gives only national ones).

Each says what a family will see and how to fix it, with the file and line. Pure apart from
reading the content files; `today` is a parameter so tests can fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from builder.content.model import EVENT_LABELS, STATUS_LABELS, Page
from builder.errors import ContentError

OUTCOME_DUE = dt.timedelta(weeks=8)
STATUS_DUE = dt.timedelta(days=183)  # six months
FINDINGS_EVENTS = ("inspection", "revisit", "review")
# An outcome that only says there is none yet, as writers often put in its place.
_NO_OUTCOME = re.compile(r"^\s*$|\bnot yet\b|\bto be confirmed\b|\btbc\b|\bawaited\b|\bi'w gadarnhau\b|\beto\b", re.I)
# A heading that introduces what was found: "## What the inspectors found", "## Key findings".
_FINDINGS_HEADING = re.compile(r"^#{2,4}\s.*\b(found|finding|findings|concluded|canfod|canfyddiad\w*)\b", re.I | re.M)


def family_warnings(site_dir: Path, config, sources, today: dt.date | None = None,
                    drafts: bool = False) -> list[ContentError]:
    """sources: builder.content.discover's, for the site at site_dir (already built without errors)."""
    today = today or dt.date.today()
    pages = _pages(site_dir, config, sources, drafts)
    warnings = []
    for page, body in pages:
        if page.kind == "event":
            warnings += _event(page, body, today)
        elif page.kind == "commitment":
            warnings += _commitment(page, today)
    warnings += _next_letter(pages, today)
    return warnings + help_warnings(config)


def _pages(site_dir: Path, config, sources, drafts: bool) -> list[tuple[Page, str]]:
    from builder.content.read import read_source
    from builder.content.validate import PageInvalid, validate
    from builder.site.languages import language_of, prefix

    found = []
    for source in sources:
        if source.kind not in ("event", "commitment", "letter"):
            continue
        language = language_of(source.rel, config)
        try:
            raw = read_source(site_dir, source.rel)
            page = validate(raw, source.kind, site_dir, config.base_path, language, prefix(config, language))
        except (ContentError, PageInvalid, OSError):
            continue  # its problems stopped the build, which check ran first
        if drafts or not page.draft:
            found.append((page, raw.body))
    return found


def _event(page: Page, body: str, today: dt.date) -> list[ContentError]:
    found = []
    past = page.date.last_day + OUTCOME_DUE < today
    kind = EVENT_LABELS.get(page.event, page.event).lower()
    if past and _NO_OUTCOME.search(page.outcome):
        shown = f'"Outcome: {page.outcome}"' if page.outcome.strip() else "no outcome at all"
        found.append(ContentError(
            page.source, f"this {kind} was in {page.date.display}, more than 8 weeks ago, but families still see {shown} "
            "on the timeline, as if nothing had happened since", page.line_of("outcome") or page.line_of("date"),
            'write what was decided or found in outcome: (one line), or, if it did not take place, say so '
            '(outcome: "Postponed to June 2025"); update the title and text if they still say "planned"'))
    if page.event in FINDINGS_EVENTS and page.date.first_day <= today and not _FINDINGS_HEADING.search(body):
        found.append(ContentError(
            page.source, f"this {kind} has no summary of what was found: families reading it cannot tell what "
            "the inspectors or reviewers said", page.body_line or page.line_of("title"),
            'add a section headed like "## What the inspectors found", with the main findings in plain words '
            "and a link to the full report"))
    return found


def _commitment(page: Page, today: dt.date) -> list[ContentError]:
    current = page.current_status
    if current is None:
        return [ContentError(
            page.source, 'has no status, so families see "Status not yet published" on the commitments page and '
            "cannot tell whether anything has been done", page.line_of("status") or page.line_of("title"),
            'add a status: entry, like status: [{date: 2025-05, status: in progress, note: "…"}]')]
    if current.date.last_day + STATUS_DUE < today:
        return [ContentError(
            page.source, f'its latest status is from {current.date.display}, over 6 months ago: families see '
            f'"{STATUS_LABELS.get(current.status, current.status)} (as of {current.date.display})" and may think no one '
            "is checking it",
            page.line_of("status"), "add a new status: entry with today's date, even if the status is the same, "
            "and keep the old ones (they make the history)")]
    return []


def _next_letter(pages: list[tuple[Page, str]], today: dt.date) -> list[ContentError]:
    """The newest letter (in each language) promised the next one by a month that has passed."""
    newest: dict[str, Page] = {}
    for page, _ in pages:
        if page.kind == "letter" and page.date.first_day <= today:
            if page.language not in newest or page.sort_key > newest[page.language].sort_key:
                newest[page.language] = page
    found = []
    for letter in newest.values():
        promised = letter.next_update
        if promised and promised.last_day < today:
            found.append(ContentError(
                letter.source, f"this letter told families the next one would come in {promised.display}, which has "
                'passed: "What happens next" on the home page no longer shows it, and no newer letter is published',
                letter.line_of("next_update"), "publish the next letter, or, if it is late, add an update or news item "
                "saying when it will come; give next_update: in the new letter"))
    return found


def help_warnings(config) -> list[ContentError]:
    """The council's own links for the "Complaints and independent advice" page (site.toml [help])."""
    found = []
    if not config.help.complaints:
        found.append(ContentError(
            "site.toml", "has no link to the council's complaints page, so the \"Complaints and independent advice\" "
            "page can only tell families to contact the council", None,
            'add it under [help], like complaints = "https://www.yourcouncil.gov.uk/complaints"'))
    if not config.help.sendiass:
        found.append(ContentError(
            "site.toml", "has no link to the local SEND information, advice and support service (SENDIASS), so the "
            "\"Complaints and independent advice\" page gives only national advice services", None,
            'add it under [help], like sendiass = "https://www.yoursendiass.org.uk/" and '
            'sendiass_name = "Yourshire SENDIASS"'))
    return found
