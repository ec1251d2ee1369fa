"""`localoffer check`: warn when an address the last build published has gone.

Renaming a file or changing its slug: changes its web address, and every link people saved or
shared breaks. The last build's sitemap.xml is the record of what readers had (the output
folder's, a saved copy, or the live site's), so its page addresses are compared with a fresh
build. For each that has gone, the warning guesses which page it became (same title, or a
similar file name in the same section) and gives the exact `aliases:` line to add.
"""

from __future__ import annotations

import difflib
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from builder.content.discover import discover
from builder.content.read import decode, parse_source
from builder.content.slugs import slugify
from builder.errors import ContentError
from builder.site.config import SiteConfig
from builder.site.redirects import made_by_the_site, output_path, written

_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Published:
    """What the last build published: page paths (with base_url's folder) and their titles."""
    label: str  # where the record came from, for messages: "output/sitemap.xml"
    paths: tuple[str, ...]
    titles: dict  # path -> title, when the old pages themselves could be read
    problem: ContentError | None = None  # the record could not be read


def read_published(site_dir: Path, where: str | None, config: SiteConfig) -> Published | None:
    """where: a folder holding sitemap.xml, a sitemap.xml file, an http(s) address, or None
    for the site's output/ folder (nothing to compare when there is none yet)."""
    if where and where.startswith(("http://", "https://")):
        label = where
        try:
            with urllib.request.urlopen(where, timeout=15) as response:
                text = response.read()
        except (urllib.error.URLError, OSError, ValueError) as problem:
            reason = getattr(problem, "reason", None) or getattr(problem, "code", None) or problem
            return Published(label, (), {}, ContentError(
                label, f"the published sitemap could not be read ({reason}), so no addresses were compared", None,
                "nothing to do if the site has never been published; otherwise check base_url in site.toml"))
        folder = None
    else:
        path = Path(where) if where else site_dir / "output"
        folder = path if path.is_dir() else None
        sitemap = path / "sitemap.xml" if folder else path
        label = _label(sitemap, site_dir)
        if not sitemap.is_file():
            if where:
                return Published(label, (), {}, ContentError(label, "was not found, so no addresses were compared",
                                                             None, "give the folder of the last build, or its sitemap.xml"))
            return None
        text = sitemap.read_bytes()
    try:
        locs = [e.text.strip() for e in ET.fromstring(text).iter(f"{_SITEMAP}loc") if e.text]
    except ET.ParseError as problem:
        return Published(label, (), {}, ContentError(label, f"is not a readable sitemap ({problem})", None,
                                                     "build the site again, or give another sitemap"))
    base = config.base_path
    paths = [p for p in (urlsplit(loc).path for loc in locs)
             if p.startswith(base) and not made_by_the_site(output_path(p)[len(base) - 1:])]
    titles = {}
    for path in paths if folder else ():
        page = folder / output_path(path)[len(base) - 1:]
        match = _H1.search(page.read_text(encoding="utf-8", errors="replace")) if page.is_file() else None
        if match:
            titles[path] = " ".join(_TAG.sub("", match.group(1)).split())
    return Published(label, tuple(paths), titles)


def _label(path: Path, site_dir: Path) -> str:
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class _Source:
    rel: str
    url: str
    title: str
    has_aliases: bool
    line: int | None


def _current_sources(site_dir: Path, base_path: str) -> list[_Source]:
    """Every page file with the address it has now (drafts too), read without validating."""
    from builder.content.validate import url_for

    found = []
    sources, _ = discover(site_dir)
    for source in sources:
        if source.kind in ("static", "glossary", "stray-markdown", "measure-data"):
            continue
        try:
            raw = parse_source(source.rel, decode(source.rel, (site_dir / source.rel).read_bytes()))
        except (ContentError, OSError):
            continue  # the build reports it
        slug = str(raw.meta.get("slug") or slugify(Path(source.rel).stem))
        found.append(_Source(source.rel, url_for(source.kind, slug, base_path), str(raw.meta.get("title") or ""),
                             "aliases" in raw.meta, raw.line_of("aliases") or raw.line_of("title")))
    return found


def moved_warnings(site_dir: Path, built: Path, published: Published | None, config: SiteConfig) -> list[ContentError]:
    """One warning per page address of the last build that the new build (in built) lacks."""
    if published is None:
        return []
    if published.problem:
        return [published.problem]
    base = config.base_path
    gone = [p for p in published.paths if not (built / output_path(p)[len(base) - 1:]).is_file()]
    if not gone:
        return []
    sources = _current_sources(site_dir, base)
    by_url = {s.url: s for s in sources}
    before = set(published.paths)
    fresh = [s for s in sources if s.url not in before]  # pages at an address readers never had
    warnings = []
    for path in gone:
        shown = written(path, base)
        message = f"{shown} was published by the last build but no page has that address now"
        same = by_url.get(path)
        if same:  # the file is still there: it became a draft or is scheduled for later
            warnings.append(ContentError(same.rel, f"{shown} was published by the last build, but this page is "
                                         "now a draft or dated in the future, so it is not on the site", None,
                                         "that is fine if you meant it; until it is back, links to it show "
                                         '"Page not found"'))
            continue
        guess = _guess(path, published.titles.get(path, ""), fresh, base)
        if guess:
            how = (f"add {shown} to its aliases: list" if guess.has_aliases else f"add this line to its front matter: aliases: [{shown}]")
            hint = f"if {guess.rel} is that page, {how}"
        else:
            hint = (f"if the page moved, add this line to the front matter of its new file: aliases: [{shown}]. "
                    "If it was removed on purpose, add the line to the page that replaces it, so old links still lead somewhere")
        warnings.append(ContentError(published.label, message, None, hint))
    return warnings


def _section(path: str, base: str) -> str:
    rel = path[len(base):].strip("/")
    return rel.split("/")[0] if "/" in rel else ""


def _guess(path: str, old_title: str, fresh: list[_Source], base: str) -> _Source | None:
    """The page the old address most likely became: the same title first, then the most
    similar file name in the same section, then the only new page of that section."""
    section = _section(path, base)
    same_section = [s for s in fresh if _section(s.url, base) == section]
    if old_title:
        for source in fresh:
            if source.title.strip().lower() == old_title.strip().lower():
                return source
    old_slug = path.rstrip("/").rsplit("/", 1)[-1]
    scored = sorted(((difflib.SequenceMatcher(None, old_slug, s.url.rstrip("/").rsplit("/", 1)[-1]).ratio(), s.rel, s)
                     for s in same_section), key=lambda item: (-item[0], item[1]))
    if scored and scored[0][0] >= 0.6:
        return scored[0][2]
    return same_section[0] if len(same_section) == 1 else None
