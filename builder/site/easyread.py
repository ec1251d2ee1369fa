"""Easy Read versions: which page each Easy Read file is a version of, and its problems.

An Easy Read version sits beside its page with "easyread" before ".md": content/letters/x.md
has content/letters/x.easyread.md, and its Welsh translation x.cy.md has x.cy.easyread.md. It
is published at its page's address with easy-read/ after it (builder.content.address.page_address),
the two pages link to each other, and /easy-read/ lists every Easy Read page of a language.
Pure: file names and pages in, answers out.
"""

from __future__ import annotations

from builder.content.discover import EASY_READ_SUFFIX
from builder.errors import ContentError


def is_easy_read(rel: str) -> bool:
    return rel.endswith(EASY_READ_SUFFIX)


def standard_of(rel: str) -> str:
    """content/letters/x.cy.easyread.md -> content/letters/x.cy.md: the page it is a version of."""
    return rel.removesuffix(EASY_READ_SUFFIX) + ".md"


def easy_read_of(rel: str) -> str:
    """content/letters/x.cy.md -> content/letters/x.cy.easyread.md: where its Easy Read version goes."""
    return rel.removesuffix(".md") + EASY_READ_SUFFIX


def easy_read_problems(page_rels: list[str], pages: list) -> list[ContentError]:
    """An Easy Read file with no standard version beside it, or with a different slug (the two
    share an address). pages: every page that was read."""
    known = set(page_rels)
    by_source = {page.source: page for page in pages}
    errors = []
    for rel in sorted(r for r in known if is_easy_read(r)):
        standard = standard_of(rel)
        if standard not in known:
            errors.append(ContentError(
                rel, f"is an Easy Read version of {standard}, which does not exist", None,
                "an Easy Read file is named like the page it is a version of, with .easyread before .md: "
                f"check the name, or add {standard}"))
            continue
        page, first = by_source.get(rel), by_source.get(standard)
        if page is None or first is None:
            continue  # one of them has errors of its own
        if page.slug != first.slug:
            errors.append(ContentError(
                rel, f"its web address ({page.slug}) is not the same as that of {standard} ({first.slug})",
                page.line_of("slug") or page.line_of("title"),
                f"an Easy Read version shares its page's address: write slug: {first.slug} in both files, "
                "or in neither"))
    return errors


def hold_with_standard(published: list, held: dict[str, str]) -> tuple[list, dict[str, str]]:
    """An Easy Read version is published with its standard version, never before it (a draft
    or a letter scheduled for next week would otherwise show early in Easy Read)."""
    held = dict(held)
    kept = []
    for page in published:
        reason = held.get(standard_of(page.source)) if page.kind == "easyread" else None
        if reason:
            held[page.source] = f"held with its standard version ({reason})"
        else:
            kept.append(page)
    return kept, held


def counterparts(pages) -> dict[str, object]:
    """Page address -> the other version of it: a page's Easy Read version, an Easy Read
    page's standard version. pages: the published pages of one language."""
    by_source = {page.source: page for page in pages}
    found = {}
    for page in pages:
        if page.kind == "easyread" and (standard := by_source.get(standard_of(page.source))) is not None:
            found[page.url], found[standard.url] = standard, page
    return found
