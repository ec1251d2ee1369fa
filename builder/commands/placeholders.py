"""The example text `localoffer new` writes, found by `localoffer check` wherever it is left.

A new file starts with "Your Name", "Your job title", a one-line instruction as its text and
empty "## What we have done" headings. The build accepts them, as they are valid content, so
a letter could be published signed "Your Name". `check` reports each: a warning while the
file is a draft, an error once it is not (the publishing jobs run check first, so an error
stops publication). The example values are read from new.py's own templates, so the two
can never differ.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from builder.commands.new import TEMPLATES, fill
from builder.content.read import parse_source
from builder.errors import ContentError

# Front matter fields whose example value must be replaced, and what to write instead.
_FIELDS = {
    "author": "the name of the person who signs it",
    "role": "their job title",
    "summary": "one plain sentence saying what this is about",
    "outcome": "what was decided, in one line",
    "note": "what has happened so far, in plain words",
}
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@cache
def _examples() -> tuple[frozenset[str], frozenset[str]]:
    """(example field values, example lines of text) in every template of `new`."""
    values, lines = set(), set()
    for kind in TEMPLATES:
        text = fill(kind, "T", dt.date(2000, 1, 1), "s", optional=False)
        raw = parse_source("new.md", text)
        values |= {str(raw.meta[field]) for field in _FIELDS if isinstance(raw.meta.get(field), str)}
        values |= {str(entry.get("note")) for entry in raw.meta.get("status") or () if isinstance(entry, dict)}
        lines |= {line.strip() for line in raw.body.split("\n") if line.strip() and not _HEADING.match(line)}
    return frozenset(values), frozenset(lines)


def placeholder_problems(rel: str, text: str) -> tuple[list[ContentError], list[ContentError]]:
    """(warnings, failures): the example text of `new` left in one Markdown file. Warnings
    while it is a draft; failures when it would be published."""
    raw = parse_source(rel, text)
    values, example_lines = _examples()
    draft = raw.meta.get("draft") is True
    found: list[ContentError] = []

    def report(message: str, line: int | None, hint: str) -> None:
        if not draft:
            hint += " (this page is not a draft, so it would be published like this)"
        found.append(ContentError(rel, message, line, hint))

    for field, instead in _FIELDS.items():
        if str(raw.meta.get(field, "")).strip() in values:
            report(f'{field}: still has the example text "{raw.meta[field]}"', raw.line_of(field), f"replace it with {instead}")
    for entry in raw.meta.get("status") or ():
        if isinstance(entry, dict) and str(entry.get("note", "")).strip() in values:
            report(f'a status note still has the example text "{entry["note"]}"', raw.line_of("status"),
                   "replace it with what has happened so far, in plain words")
    body = raw.body.split("\n")
    for offset, line in enumerate(body):
        if line.strip() in example_lines:
            report(f'the text still has the example line "{line.strip()}"', raw.body_line + offset,
                   "replace that line with your own text")
    for offset, title in _empty_headings(body):
        report(f'the heading "{title}" has nothing under it', raw.body_line + offset,
               "write that part under the heading, or delete the heading")
    return (found, []) if draft else ([], found)


def _empty_headings(lines: list[str]) -> list[tuple[int, str]]:
    """(line offset, title) of each heading with no text before the next heading of its level
    or higher, or the end. Headings inside ``` code blocks are text."""
    headings, in_code = [], False
    for offset, line in enumerate(lines):
        if line.strip().startswith("```"):
            in_code = not in_code
        elif not in_code and (match := _HEADING.match(line)):
            headings.append((offset, len(match.group(1)), match.group(2)))
    empty = []
    for n, (offset, level, title) in enumerate(headings):
        # A subheading counts as content; the next heading of this level or above ends the part.
        end = next((o for o, lvl, _ in headings[n + 1:] if lvl <= level), len(lines))
        following = next((o for o, _, _ in headings[n + 1:]), len(lines))
        if following >= end and not any(text.strip() for text in lines[offset + 1:end]):
            empty.append((offset, title))
    return empty
