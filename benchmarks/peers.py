"""Other static site generators, set up to build the benchmark corpus.

Each peer renders one HTML page per update and nothing else (no index, tag,
category, archive, feed, sitemap or search pages), so its cold build is
comparable with our per-page work. Config files are generated into
benchmarks/.work/peers/<name>-<N>/; the tools themselves come from the venv
in benchmarks/.peers/ (made by `make bench-peers`).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from corpus import SITE_TOML

PEERS_DIR = Path(__file__).resolve().parent / ".peers"

# The site.toml of the corpus holds the title and base URL; the peers get the same.
SITE_TITLE = "Benchmark SEND progress"
BASE_URL = "https://send.example.org/"
assert SITE_TITLE in SITE_TOML and BASE_URL in SITE_TOML


@dataclass
class PeerBuild:
    """What run.py needs to time one cold build of a peer."""
    cmd: list[str]
    out: Path
    clear: list[Path]                      # deleted before a cold build (output, caches)
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None


def find(name: str) -> Path | None:
    exe = PEERS_DIR / "bin" / name
    return exe if exe.is_file() else None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def pelican(site: Path, work: Path, jobs: int) -> PeerBuild | None:
    exe = find("pelican")
    if exe is None:
        return None
    out, cache = work / "out", work / "cache"
    # Everything except the article pages themselves is switched off.
    conf = f"""\
SITENAME = {SITE_TITLE!r}
SITEURL = ""
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
THEME = "simple"                   # notmyidea needs category pages, which are off
PATH = {str(site / "content")!r}
ARTICLE_PATHS = ["updates"]
PAGE_PATHS = []
STATIC_PATHS = []
SLUGIFY_SOURCE = "basename"        # file name, as our builder does; titles repeat
DIRECT_TEMPLATES = []
INDEX_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
DEFAULT_PAGINATION = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
CACHE_PATH = {str(cache)!r}
"""
    _write(work / "pelicanconf.py", conf)
    # Pelican is single-process; jobs does not apply.
    cmd = [str(exe), str(site / "content"), "-s", str(work / "pelicanconf.py"), "-o", str(out), "-q"]
    # Wide COLUMNS: Pelican logs through rich, which otherwise wraps errors to 80 columns.
    return PeerBuild(cmd, out, [out, cache], env={"COLUMNS": "200"}, cwd=work)


def mkdocs(site: Path, work: Path, jobs: int, plugins: str = "[]") -> PeerBuild | None:
    exe = find("mkdocs")
    if exe is None:
        return None
    docs, out = work / "docs", work / "out"
    # MkDocs wants docs_dir beside its config, so it gets a copy of the
    # Markdown (made here, untimed). Copied afresh so edits never linger.
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(site / "content" / "updates", docs / "updates")
    # nav: [] keeps the theme from listing every page on every page
    # (quadratic); plugins: [] drops the default search plugin (mkdocs_search keeps it).
    conf = f"""\
site_name: {SITE_TITLE}
site_url: {BASE_URL}
docs_dir: docs
site_dir: out
nav: []
plugins: {plugins}
validation:
  nav:
    omitted_files: ignore
"""
    _write(work / "mkdocs.yml", conf)
    cmd = [str(exe), "build", "-q", "-f", str(work / "mkdocs.yml")]
    return PeerBuild(cmd, out, [out], cwd=work)


def _hugo_binary() -> Path | None:
    # The `hugo` console script is a Python wrapper around the Go binary it
    # ships; run the binary itself so Python start-up is not counted.
    for binary in sorted(PEERS_DIR.glob("lib/python*/site-packages/hugo/binaries/hugo")):
        if os.access(binary, os.X_OK):
            return binary
    return find("hugo")


def hugo(site: Path, work: Path, jobs: int) -> PeerBuild | None:
    exe = _hugo_binary()
    if exe is None:
        return None
    out, cache = work / "out", work / "cache"
    conf = f"""\
baseURL = "{BASE_URL}"
title = "{SITE_TITLE}"
contentDir = "{site / 'content'}"
publishDir = "out"
disableKinds = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
"""
    _write(work / "hugo.toml", conf)
    # Hugo ships no theme: a minimal single-page layout is the least it needs.
    _write(work / "layouts" / "single.html",
           '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>\n'
           "<body><main><h1>{{ .Title }}</h1>\n<p>{{ .Date.Format \"2 January 2006\" }}</p>\n"
           "{{ .Content }}</main></body></html>\n")
    cmd = [str(exe), "build", "--source", str(work), "--cacheDir", str(cache), "--quiet"]
    # Same core budget as our builder's --jobs.
    env = {"GOMAXPROCS": str(jobs)}
    return PeerBuild(cmd, out, [out, cache, work / "resources"], env=env, cwd=work)


def mkdocs_search(site: Path, work: Path, jobs: int) -> PeerBuild | None:
    """MkDocs with its default search plugin (a JSON index for lunr.js), as our build has search."""
    return mkdocs(site, work, jobs, plugins="[search]")


PEERS = {"pelican": pelican, "mkdocs": mkdocs, "mkdocs-search": mkdocs_search, "hugo": hugo}
