"""Two kinds of link a comms officer writes by copying an address, checked at build time.

- The preview's own address (http://127.0.0.1:8000/updates/…/, http://localhost:8000/…),
  copied from the browser's address bar: it works on their computer and nowhere else.
- A site address (/updates/no-such-update/) that no page of this build has. Links between
  files (../updates/x.md) are checked by links.py; an address written from the site's root
  can only be checked once every output is planned, so this runs after planning, before
  anything is rendered, and names the content file and line as every other error does.

Each page's root-relative links are kept in the build record under the digest of its HTML,
so a build reads only the pages that changed.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from builder.errors import ContentError

_PREVIEW = re.compile(r"^(?:https?:)?//(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1\])(?::\d+)?(?:[/?#]|$)",
                      re.IGNORECASE)
_ROOT_LINK = re.compile(r'(?:href|src)="(/(?!/)[^"]*)"')
# Folders and files the builder writes besides the planned pages (assets, search, editor, feeds).
_MADE_FOLDERS = ("assets/", "pagefind/", "admin/")
_MADE_FILES = {"feed.xml", "calendar.ics", "sitemap.xml", "robots.txt", "favicon.ico", "_redirects", "404.html"}


def preview_address_problem(value: str) -> tuple[str, str] | None:
    """(message, hint) when value is an address on this computer, else None."""
    if not _PREVIEW.match(value.strip()):
        return None
    path = urlsplit(value.strip()).path or "/"
    return (f'the link "{value}" goes to the preview on your own computer, which families cannot open',
            f"write the page's address without the part before it, like {path}, or link to its file, "
            "like ../updates/2024-05-01-our-progress.md")


def root_links(html: str) -> tuple[str, ...]:
    """The links in a page's HTML written from the site's root (/updates/…/), in order."""
    return tuple(dict.fromkeys(_ROOT_LINK.findall(html)))


def known(path: str, outputs: frozenset[str], prefixes: tuple[str, ...] = ("",)) -> bool:
    """Whether an address within the site (without base_path) reaches something this build makes."""
    if not path or path.endswith("/"):
        return path + "index.html" in outputs
    if path in outputs or path + "/index.html" in outputs:  # /letters/x works without its last /
        return True
    for prefix in prefixes:  # each language's folder has its own feeds and search
        rest = path.removeprefix(prefix)
        if rest.startswith(_MADE_FOLDERS) or rest in _MADE_FILES:
            return True
    return False


def missing_site_paths(pages, links: dict[str, tuple[str, ...]], outputs: frozenset[str], base_path: str,
                       body_of, prefixes: tuple[str, ...] = ("",)) -> list[ContentError]:
    """An error for each link of pages (by source: links) to an address within the site that
    outputs (every output path) does not have. body_of(page): its Markdown, for the line."""
    errors = []
    for page in pages:
        for value in links.get(page.source, ()):
            path = unquote(value.split("#", 1)[0].split("?", 1)[0])  # urlsplit is 10 times slower, for nothing
            if not path.startswith(base_path) or known(path[len(base_path):], outputs, prefixes):
                continue  # outside the site's folder (another part of the council's site): check's business
            errors.append(ContentError(
                page.source, f'the link "{value}" goes to an address this site does not have', _line(page, body_of, value),
                "check the spelling against the page you meant, or link to that page's file instead, "
                "like ../updates/2024-05-01-our-progress.md (the build then checks it for you)"))
    return errors


def _line(page, body_of, value: str) -> int | None:
    """Links lose their line in Markdown: find where the address was written in the body."""
    for offset, line in enumerate(body_of(page).split("\n")):
        if value in line:
            return page.body_line + offset
    return None
