"""The theme's style sheet, scripts and icon, published under names that carry a digest of
their bytes (assets/style.3f9a1c2b.css), so a web server can tell browsers to keep them for
a year: a changed file gets a new name, and pages link to the new name.

A site's own file of the same name in content/assets/ replaces the theme's; its digest is
then taken from the site's file. Each file is also published under its plain name
(assets/style.css), for a site's own templates written before names carried digests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

THEME_STATIC = Path(__file__).parent.parent / "theme" / "static"
# Published at the site's root under their own names: browsers ask for /favicon.ico by itself.
ROOT_FILES = ("favicon.ico",)
DIGEST_LENGTH = 8


@dataclass(frozen=True)
class Assets:
    paths: dict[str, str]  # logical name -> output path: "style.css" -> "assets/style.3f9a1c2b.css"
    sources: dict[str, Path]  # logical name -> the file it is made from (the site's own, or the theme's)

    def url(self, base: str, name: str) -> str:
        """The address to link to, for the template global asset("style.css")."""
        return base + self.paths[name]

    def files(self) -> dict[str, Path]:
        """output path -> file, for every file the theme publishes."""
        found: dict[str, Path] = {}
        for name, source in self.sources.items():
            found[self.paths[name]] = source
            if name not in ROOT_FILES:
                found[f"assets/{name}"] = source
        return found


def fingerprinted(name: str, data: bytes) -> str:
    """style.css + bytes -> style.3f9a1c2b.css"""
    stem, dot, suffix = name.rpartition(".")
    token = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
    return f"{stem}.{token}.{suffix}" if dot else f"{name}.{token}"


def theme_assets(site_dir: Path, static_dir: Path = THEME_STATIC) -> Assets:
    paths, sources = {}, {}
    for item in sorted(static_dir.iterdir()):
        if not item.is_file() or item.name.startswith("."):
            continue
        own = site_dir / "content" / ("" if item.name in ROOT_FILES else "assets") / item.name
        source = own if own.is_file() else item
        sources[item.name] = source
        paths[item.name] = item.name if item.name in ROOT_FILES else \
            "assets/" + fingerprinted(item.name, source.read_bytes())
    return Assets(paths, sources)
