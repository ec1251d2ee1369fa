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
    for the site's output/ folder (nothing to compare when there is none yet). A bilingual
    site has a sitemap per language (/cy/sitemap.xml): each is read beside the main one."""
    first = _read_one(site_dir, where, config)
    if first is None or first.problem:
        return first
    paths, titles = list(first.paths), dict(first.titles)
    for other, pages_folder in _language_records(site_dir, where, config):
        found = _read_one(site_dir, other, config, pages_folder)
        if found is not None and not found.problem:  # a site that was not bilingual then has none
            paths += found.paths
            titles.update(found.titles)
    return Published(first.label, tuple(paths), titles)


def _language_records(site_dir: Path, where: str | None, config: SiteConfig) -> list[tuple[str, Path | None]]:
    """(where, the build's folder) of the other languages' sitemaps, beside the main one's
    (a single sitemap file has none beside it)."""
    prefixes = _prefixes(config)[1:]
    if where and where.startswith(("http://", "https://")):
        main = config.base_url + "sitemap.xml"
        return [(config.base_url + folder + "sitemap.xml", None) for folder in prefixes] if where == main else []
    folder = Path(where) if where else site_dir / "output"
    return [(str(folder / language), folder) for language in prefixes] if folder.is_dir() else []


def _prefixes(config: SiteConfig) -> list[str]:
    """Each language's folder, the main one's ("") first."""
    from builder.site.languages import prefix, site_languages

    return [prefix(config, language) for language in site_languages(config)]


def _in_language(path: str, config: SiteConfig) -> tuple[str, str]:
    """A full site path -> (its language's folder, the file under it): "/cy/letters/x/" ->
    ("cy/", "letters/x/index.html")."""
    rel = output_path(path)[len(config.base_path) - 1:]
    folder = next((folder for folder in _prefixes(config)[1:] if rel.startswith(folder)), "")
    return folder, rel[len(folder):]


def _read_one(site_dir: Path, where: str | None, config: SiteConfig, pages_folder: Path | None = None) -> Published | None:
    """One sitemap. pages_folder: where the build it lists is, when not beside it (a language's
    sitemap is in its folder, cy/, of the build)."""
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
        folder = pages_folder or (path if path.is_dir() else None)
        sitemap = path / "sitemap.xml" if path.is_dir() else path
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
             if p.startswith(base) and not made_by_the_site(_in_language(p, config)[1])]
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
    original: str = ""  # a translation's original, which keeps the aliases of every language


def _current_sources(site_dir: Path, config: SiteConfig) -> list[_Source]:
    """Every page file with the address it has now (drafts too), read without validating."""
    from builder.content.address import page_address
    from builder.site.languages import language_of, original_of, prefix

    found = []
    sources, _ = discover(site_dir)
    for source in sources:
        if source.kind in ("static", "glossary", "stray-markdown", "measure-data"):
            continue
        try:
            raw = parse_source(source.rel, decode(source.rel, (site_dir / source.rel).read_bytes()))
        except (ContentError, OSError):
            continue  # the build reports it
        language = language_of(source.rel, config)
        folder = prefix(config, language)
        url = page_address(source.rel, source.kind, config.base_path, language, folder, str(raw.meta.get("slug") or "")).url
        found.append(_Source(source.rel, url, str(raw.meta.get("title") or ""), "aliases" in raw.meta,
                             raw.line_of("aliases") or raw.line_of("title"), original_of(source.rel, language) if folder else ""))
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
    sources = _current_sources(site_dir, config)
    by_url = {s.url: s for s in sources}
    by_rel = {s.rel: s for s in sources}
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
        guess = _guess(path, published.titles.get(path, ""), fresh, config)
        warnings.append(ContentError(published.label, message, None, _alias_hint(path, guess, by_rel, config)))
    return warnings


def _alias_hint(path: str, guess: _Source | None, by_rel: dict, config: SiteConfig) -> str:
    """The aliases: line that keeps path working. A translation's old address is kept on its
    original, without the language's folder: the original's aliases lead to every version."""
    folder, rest = _in_language(path, config)
    if not folder:
        shown = written(path, config.base_path)
        if guess is None:
            return (f"if the page moved, add this line to the front matter of its new file: aliases: [{shown}]. "
                    "If it was removed on purpose, add the line to the page that replaces it, so old links still lead somewhere")
        how = f"add {shown} to its aliases: list" if guess.has_aliases else f"add this line to its front matter: aliases: [{shown}]"
        return f"if {guess.rel} is that page, {how}"
    shown = written(config.base_path + path[len(config.base_path) + len(folder):], config.base_path)
    if guess is None:
        return (f"if the page moved, add this line to the front matter of the original (not the translation) of its "
                f"new file: aliases: [{shown}]. The original's old addresses lead to its translations too")
    original = by_rel.get(guess.original)
    how = (f"add {shown} to the aliases: list of its original, {guess.original}" if original and original.has_aliases
           else f"add this line to the front matter of its original, {guess.original}: aliases: [{shown}]")
    return f"if {guess.rel} is that page, {how} (the original's old addresses lead to its translations too)"


def _section(path: str, config: SiteConfig) -> tuple[str, str]:
    """(language folder, section) of a full site path: ("cy/", "letters")."""
    folder, rest = _in_language(path, config)
    rel = rest.removesuffix("index.html").strip("/")
    return folder, rel.split("/")[0] if "/" in rel else ""


def _guess(path: str, old_title: str, fresh: list[_Source], config: SiteConfig) -> _Source | None:
    """The page the old address most likely became, in the same language: the same title
    first, then the most similar file name in the same section, then the only new page of
    that section."""
    section = _section(path, config)
    fresh = [s for s in fresh if _section(s.url, config)[0] == section[0]]
    same_section = [s for s in fresh if _section(s.url, config) == section]
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
