"""Old addresses that lead to a page's new one: the `aliases:` field.

A page renamed or moved keeps its old links working by listing its old addresses. Each
becomes a small redirect page (planned in builder.render.outputs) and a line of the
`_redirects` file that Netlify and Cloudflare Pages read (builder.render.feeds). This module
holds the rules: how an alias is written, which addresses it may not take, and where its
redirect goes. Pure functions only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.content.model import Page
from builder.errors import ContentError, FieldProblem
from builder.site.index import RESERVED

# Characters a URL path may hold as written (RFC 3986 pchar, plus "/").
_PATH_CHARS = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$")
_PAGE_FILE = (".html", ".htm")
# Sections whose first level holds pages: their roots, pagination and filters are the site's own.
_PAGE_SECTIONS = ("letters", "updates", "news", "timeline", "commitments", "you-said-we-did")
_FILTERS = {"timeline": "show/", "you-said-we-did": "topic/"}  # each section's filter pages
_EXAMPLE = "aliases: [/letters/old-name/]"


def normalise_alias(value: str) -> str:
    """One alias as written in front matter -> a site path: "/letters/old-name/".

    Accepts it with or without the leading or trailing slash; refuses full web addresses
    and anything that could point outside the site."""
    text = str(value).strip()
    if not text:
        raise FieldProblem("an alias is empty", f"write the old address, like {_EXAMPLE}")
    if "://" in text or text.startswith(("//", "www.")):
        path = re.sub(r"^[a-z]+://[^/]*|^//[^/]*|^www\.[^/]*", "", text, flags=re.IGNORECASE) or "/"
        raise FieldProblem(f'the alias "{text}" is a full web address',
                           f"write only the part after the site's address, like aliases: [{path}]")
    if "?" in text or "#" in text:
        raise FieldProblem(f'the alias "{text}" has a "?" or "#" in it',
                           "write only the page's address, without anything from the ? or # onwards")
    if not _PATH_CHARS.match(text):
        raise FieldProblem(f'the alias "{text}" has spaces or characters a web address cannot hold',
                           f"copy the old address exactly as it appeared in the browser, like {_EXAMPLE}")
    parts = [part for part in text.split("/") if part]
    if any(part in (".", "..") for part in parts):
        raise FieldProblem(f'the alias "{text}" has "." or ".." in it',
                           f"write the old address from the site's start, like {_EXAMPLE}")
    if not parts:
        raise FieldProblem("the home page's address cannot be an alias", "remove it from aliases:")
    last = parts[-1]
    if "." in last and not last.lower().endswith(_PAGE_FILE):
        raise FieldProblem(f'the alias "{text}" is the address of a file, not a page',
                           f"an alias must be a page's address, like {_EXAMPLE} or /old-page.html")
    path = "/" + "/".join(parts)
    return path if last.lower().endswith(_PAGE_FILE) else path + "/"


def with_base(alias: str, base_path: str) -> str:
    """A site path as written -> the full path, with base_url's folder in front. An alias that
    already starts with that folder (copied from the browser's address bar) is kept."""
    if base_path != "/" and (alias + "/").startswith(base_path):
        return alias
    return base_path + alias.lstrip("/")


def output_path(path: str) -> str:
    """A full site path -> the file that answers it: "/a/b/" -> "a/b/index.html"."""
    return path.lstrip("/") + ("index.html" if path.endswith("/") else "")


def written(path: str, base_path: str) -> str:
    """A full site path -> as a comms officer writes it in aliases: (without base_url's folder)."""
    return "/" + path[len(base_path):] if path.startswith(base_path) else path


def made_by_the_site(rel: str) -> bool:
    """Addresses the builder makes itself: lists, pagination, topics, search, assets…"""
    first, _, rest = rel.partition("/")
    if rel in ("", "index.html", "404.html"):
        return True
    if first in _PAGE_SECTIONS:
        return rest in ("", "index.html") or rest.startswith("page/") or rest.startswith(_FILTERS.get(first, "page/"))
    return first in RESERVED


def alias_clashes(pages: list[Page], base_path: str) -> list[ContentError]:
    """An alias may not take a page's address, an address the site makes, or another alias."""
    if not any(page.aliases for page in pages):
        return []  # most sites: no need to map every address (this runs on every rebuild)
    owners: dict[str, Page] = {}
    for page in sorted(pages, key=lambda p: p.source):
        owners.setdefault(output_path(page.url), page)
    claimed: dict[str, Page] = {}
    errors = []
    for page in sorted(pages, key=lambda p: p.source):
        line = page.line_of("aliases")
        for alias in page.aliases:
            key = output_path(alias)
            shown = written(alias, base_path)
            owner = owners.get(key)
            if owner is page:
                errors.append(ContentError(page.source, f"lists its own address {shown} in aliases:", line,
                                           "remove it: aliases: is only for addresses the page used to have"))
            elif owner:
                errors.append(ContentError(page.source, f"its alias {shown} is the web address of {owner.source}", line,
                                           f"an address can lead to only one page: remove {shown} from aliases:, "
                                           f"or rename {owner.source} if it should move"))
            elif made_by_the_site(key[len(base_path) - 1:]):
                errors.append(ContentError(page.source, f"its alias {shown} is an address the site makes itself", line,
                                           f"remove {shown} from aliases:"))
            elif key in claimed:
                errors.append(ContentError(page.source, f"its alias {shown} is also an alias of {claimed[key].source}", line,
                                           "an old address can lead to only one page: keep it in one of the two files"))
            else:
                claimed[key] = page
    return errors


@dataclass(frozen=True)
class Redirect:
    path: str  # the output file, relative to the output folder: "letters/old-name/index.html"
    alias: str  # the old full site path: "/letters/old-name/"
    page: Page  # where it leads


def redirects(pages, base_path: str) -> list[Redirect]:
    """One redirect per alias of each published page, in address order."""
    found = [Redirect(output_path(alias)[len(base_path) - 1:], alias, page)
             for page in pages for alias in page.aliases]
    return sorted(found, key=lambda r: r.alias)


def redirects_file(found: list[Redirect]) -> str:
    """The `_redirects` file of Netlify and Cloudflare Pages: "old new 301" per line."""
    lines = ["# Old addresses and the pages they moved to, from the aliases: fields. Made by localoffer."]
    lines += [f"{r.alias} {r.page.url} 301" for r in found]
    return "\n".join(lines) + "\n"
