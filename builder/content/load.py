"""One source file in, one page out: read -> validate -> Markdown.

`load_page` is what the build runs per file, in parallel. It touches the disk only to read
the file (and its attachments' sizes), and returns either the page with its Markdown HTML
or the content errors that stop it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from builder.content import limits
from builder.content.model import Page
from builder.content.read import read_source
from builder.errors import ContentError
from builder.hashing import digest


@dataclass(frozen=True)
class LoadedPage:
    page: Page  # validated, with headings; body dropped (read again only to place a link error)
    raw_sha: str  # digest of the Markdown HTML (links not yet resolved)
    links: tuple[str, ...]  # the local link values in that HTML, resolved by builder.site.links
    images_without_alt: tuple[str, ...]
    token: str  # digest of the page's fields, made once; stands in for the page in the build cache's keys
    uses: tuple[str, ...]  # other files it depends on (attachments, images it shows), site-relative


def load_page(site_dir: Path, rel: str, kind: str, base_path: str, markdown, language: str = "",
              prefix: str = "") -> tuple[LoadedPage, str] | list[ContentError]:
    """(the loaded page, its Markdown HTML), or the errors that stop it. language and prefix:
    the page's language and its folder under base_path (builder.site.languages)."""
    from builder.content.markdown_render import local_links
    from builder.content.validate import PageInvalid, validate

    try:
        with limits.page_time_limit(rel):
            raw = read_source(site_dir, rel)
            page = validate(raw, kind, site_dir, base_path, language, prefix)
            problems = limits.nesting(rel, page.body, page.body_line)
            if problems:
                return problems
            rendered = markdown.render(page.body, rel, questions=page.questions, easy_read=page.kind == "easyread")
    except ContentError as problem:
        return [problem]
    except PageInvalid as problem:
        return problem.errors
    except OSError as problem:
        return [ContentError(rel, f"cannot be read ({problem.strerror})", None, "check the file is not open elsewhere")]
    except RecursionError:  # a shape the nesting checks do not know, nested too deeply to convert
        return [ContentError(rel, "is nested too deeply to convert", None,
                             f"use at most {limits.MAX_NESTING} levels of lists, quotes or brackets inside each other")]
    if rendered.unsafe_links:
        return limits.unsafe_link_errors(rel, page.body, page.body_line, rendered.unsafe_links)
    page = dataclasses.replace(page, headings=rendered.headings, images=rendered.images, body="")
    loaded = LoadedPage(page, digest(rendered.html.encode()), tuple(local_links(rendered.html)),
                        rendered.images_without_alt, digest(repr(page).encode()),
                        tuple(a.file for a in page.attachments) + tuple(image.file for image in page.images)
                        + _measure_data(rel, kind, language, prefix))
    return loaded, rendered.html


def _measure_data(rel: str, kind: str, language: str, prefix: str) -> tuple[str, ...]:
    """A measure depends on the CSV beside it, even while it does not exist (so adding one is seen)."""
    from builder.content.measures import data_file

    return (data_file(rel, f".{language}" if prefix else ""),) if kind == "measure" else ()


def missing_alt(site_dir: Path, loaded: dict[str, LoadedPage]) -> list[ContentError]:
    found = []
    for rel, entry in loaded.items():
        for src in entry.images_without_alt:
            found.append(ContentError(rel, f'the image "{src}" has no text alternative', find_line(site_dir, rel, src),
                                      "describe what the image shows between the square brackets: ![A chart of …](" + src + ")"))
    return found


def find_line(site_dir: Path, rel: str, needle: str) -> int | None:
    try:
        lines = (site_dir / rel).read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return None
    return next((n for n, line in enumerate(lines, 1) if needle and needle in line), None)


def read_body(site_dir: Path, page: Page) -> str:
    """The Markdown text, read again only when a broken link needs its line number."""
    try:
        return read_source(site_dir, page.source).body
    except (ContentError, OSError):
        return ""
