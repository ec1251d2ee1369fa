"""The dev server's file handler: output/ with pretty URLs, never anything outside it.

Written out rather than taken from tornado's StaticFileHandler because every HTML page
must carry the build-error panel while a rebuild is failing, and a browser must never be
told "304 Not Modified" for a page whose panel has come or gone since it last asked.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Callable

from tornado import web

# .ics and the feeds as a web server should send them (see deploy/nginx.conf).
_TYPES = {".ics": "text/calendar; charset=utf-8", ".xml": "application/xml; charset=utf-8",
          ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".js": "application/javascript; charset=utf-8", ".json": "application/json"}


def site_handler(root: Path, panel: Callable[[], str]) -> tuple:
    """A tornado route serving root; panel() is the HTML to put at the top of each page."""
    return (r"/(.*)", _SiteFiles, {"root": root.resolve(), "panel": panel})


def find_file(root: Path, url_path: str) -> tuple[Path | None, bool]:
    """(the file a URL path names inside root, or None; whether to redirect to add a "/").
    url_path is already percent-decoded (by tornado's router): it is not decoded again."""
    path = url_path
    if "\\" in path or "\0" in path:
        return None, False
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts):
        return None, False
    target = root.joinpath(*parts)
    try:
        real = target.resolve()
    except (OSError, RuntimeError):
        return None, False
    if real != root and root not in real.parents:
        return None, False  # a link leading out of output/
    if real.is_dir():
        if path and not path.endswith("/"):
            return real, True
        real = real / "index.html"
    return (real, False) if real.is_file() else (None, False)


def not_found_page(root: Path, url_path: str) -> Path:
    """The 404 page for a missing address: under /cy/ (another language's folder) that
    language's own 404.html, which the build writes on a bilingual site, as deploy/nginx.conf
    does; otherwise the main one."""
    first = url_path.lstrip("/").split("/", 1)[0]
    if first.isalpha() and first.islower() and len(first) <= 3 and (root / first / "404.html").is_file():
        return root / first / "404.html"
    return root / "404.html"


class _SiteFiles(web.RequestHandler):
    def initialize(self, root: Path, panel: Callable[[], str]) -> None:
        self.root, self.panel = root, panel

    def head(self, path: str) -> None:
        self.get(path, include_body=False)

    def get(self, path: str, include_body: bool = True) -> None:
        found, add_slash = find_file(self.root, path)
        if add_slash:
            self.redirect("/" + path + "/")
            return
        status = 200
        if found is None:
            status, found = 404, not_found_page(self.root, path)
        try:
            data = found.read_bytes() if found.is_file() else b""
        except OSError:
            data = b""
        suffix = found.suffix.lower()
        if not data and suffix == ".html":
            data = b"<!DOCTYPE html><html lang=\"en\"><head><title>Not built yet</title></head><body>" \
                   b"<h1>The site has not been built yet</h1></body></html>"
        panel = self.panel() if suffix == ".html" else ""
        if panel:
            data = _after_body_tag(data, panel.encode("utf-8"))
        self.set_status(status)
        self.set_header("Content-Type", _TYPES.get(suffix) or mimetypes.guess_type(found.name)[0] or "application/octet-stream")
        self.set_header("Cache-Control", "no-store")  # a preview must always show the newest build
        self.set_header("X-Content-Type-Options", "nosniff")
        if include_body:
            self.write(data)

    def compute_etag(self):
        return None  # see the module's docstring: no 304s


def _after_body_tag(page: bytes, insert: bytes) -> bytes:
    start = page.find(b"<body")
    end = page.find(b">", start) if start != -1 else -1
    if end == -1:
        return insert + page
    return page[:end + 1] + insert + page[end + 1:]

