"""Rewrite links written between source files into the URLs of the published pages."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from builder.errors import ContentError
from builder.content.model import Page
from builder.site.site_links import preview_address_problem


LINK_ATTR = re.compile(r'(href|src)="([^"]*)"')


def is_local(value: str) -> bool:
    """A link written to another file of the site (not http:, mailto:, #fragment-only, /…)."""
    value = value.strip()
    return bool(value) and not value.startswith(("#", "/", "//")) and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value)


@dataclass(frozen=True)
class LinkTargets:
    """What a link may point at: published pages by source path, and static files."""

    pages: dict  # site-relative source path -> Page (published only)
    unpublished: dict  # source path -> reason ("a draft", "scheduled for 3 May 2030")
    static_files: frozenset  # site-relative paths
    base_path: str
    broken: frozenset = frozenset()  # sources that failed validation: already reported


def resolve(page: Page, html: str, targets: LinkTargets, body=None) -> tuple[str, list[ContentError]]:
    """body: a callable giving the Markdown source, read only if a link is broken (for its line)."""
    errors: list[ContentError] = []

    def rewrite(match) -> str:
        attribute, value = match.group(1), match.group(2)
        if not is_local(value):
            if problem := preview_address_problem(value):  # copied from the preview's address bar
                errors.append(ContentError(page.source, problem[0], _line_of(page, body() if body else page.body, value),
                                           problem[1]))
            return match.group(0)
        url, problem = _target_url(page, value, targets)
        if problem:
            text = body() if body else page.body
            errors.append(ContentError(page.source, problem[0], _line_of(page, text, value), problem[1]))
            return match.group(0)
        return f'{attribute}="{url}"'

    return LINK_ATTR.sub(rewrite, html), errors


def _target_url(page: Page, value: str, targets: LinkTargets) -> tuple[str, tuple[str, str] | None]:
    path, _, fragment = value.partition("#")
    path = unquote(path.split("?")[0])
    folder = posixpath.dirname(page.source)
    target = posixpath.normpath(posixpath.join(folder, path))
    if not target.startswith("content/"):
        return "", (f'the link "{value}" points outside the content folder',
                    "link to a page or file inside content/, written relative to this file")
    if target.endswith(".md"):
        found = targets.pages.get(target)
        if found is None and target in targets.broken:
            return value, None  # the target has its own error; this build fails anyway
        if found is None:
            if target in targets.unpublished:
                return "", (f'the link "{value}" goes to a page that is {targets.unpublished[target]}, '
                            "so readers would find nothing there",
                            "remove the link until that page is published")
            return "", (f'the link "{value}" goes to a page that does not exist ({target})',
                        "check the file name and folder; links are written from this file's folder, "
                        "for example ../timeline/2019-01-revisit.md")
        if fragment and fragment not in {h.id for h in found.headings} and fragment != "main":
            return "", (f'the link "{value}" goes to a section "#{fragment}" that {target} does not have',
                        "use the id of one of its headings: "
                        + (", ".join(h.id for h in found.headings[:6]) or "(it has no headings)"))
        return found.url + (f"#{fragment}" if fragment else ""), None
    if target in targets.static_files:
        return targets.base_path + target.removeprefix("content/") + (f"#{fragment}" if fragment else ""), None
    return "", (f'the link "{value}" goes to a file that does not exist ({target})',
                "check the spelling, or add the file to the content folder")


def _line_of(page: Page, body: str, value: str) -> int | None:
    """Links lose their line in Markdown; find where the target was written in the body."""
    for offset, line in enumerate(body.split("\n")):
        if value in line:
            return page.body_line + offset
    return None
