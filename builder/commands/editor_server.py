"""The browser editor inside `localoffer serve`: /admin/ and its local backend at /api/v1.

`editor_handlers` are the tornado routes `serve` puts in front of the site's files. The editor
is offered only on a loopback address, and the backend answers only requests whose Host and
Origin are this server, so neither another computer on the network nor a web page open in
another tab can change the site's files.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

from tornado import web

from builder.commands.cms_backend import handle
from builder.errors import BuildFailed, format_errors
from builder.render import admin

LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_REQUEST = 50 * 1024 * 1024  # as Decap's own local server allows: big enough for a PDF
TOO_LARGE = "the request is larger than 50 MB: attach a smaller file (a PDF can be saved smaller from its Print menu)"


def offers_editor(host: str) -> bool:
    return host in LOOPBACK


def editor_handlers(site_dir: Path, host: str, port: int, status=None) -> list[tuple]:
    """The tornado routes of the editor, to put before the site's files; none off loopback.
    status: a callable giving the preview's last build result (commands/status.py), which
    /admin/status.json answers with, as the published editor's does with its job's."""
    if not offers_editor(host):
        return []
    hosts = {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
    options = {"site_dir": Path(site_dir), "hosts": hosts}
    return [(r"/api/v1", ApiHandler, options), (r"/admin(/.*)?", AdminHandler, {**options, "status": status})]


def editor_notice(host: str, port: int) -> str:
    if offers_editor(host):
        return f"Edit in your browser at http://{host}:{port}/admin/"
    return "The browser editor is offered only on 127.0.0.1 (run serve without --host to use it)."


class _Local(web.RequestHandler):
    def initialize(self, site_dir: Path, hosts: set[str]) -> None:
        self.site_dir, self.hosts = site_dir, hosts

    def prepare(self) -> None:
        # A page elsewhere could point a name it controls at 127.0.0.1 (DNS rebinding), or post
        # from another origin: both are refused.
        if self.request.host not in self.hosts:
            raise web.HTTPError(403, "the editor answers only on 127.0.0.1")
        origin = self.request.headers.get("Origin")
        if origin is not None and origin not in {f"http://{host}" for host in self.hosts}:
            raise web.HTTPError(403, "requests from other web sites are refused")
        self.set_header("Cache-Control", "no-store")

    @property
    def local_url(self) -> str:
        return f"http://{self.request.host}/"


@web.stream_request_body
class ApiHandler(_Local):
    """Decap's backend. The body is streamed, so one larger than MAX_REQUEST is refused from its
    Content-Length before it is read, and every refusal is JSON with a reason the editor shows."""

    def prepare(self) -> None:
        super().prepare()
        self._body, self._size = [], 0
        if self.request.method != "POST":
            return
        if self.request.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            # also forces a CORS preflight, which is never granted
            raise web.HTTPError(415, "the editor's requests are JSON (Content-Type: application/json)")
        length = self.request.headers.get("Content-Length", "0")
        if not length.isdigit() or int(length) > MAX_REQUEST:
            raise web.HTTPError(413, TOO_LARGE)
        self.request.connection.set_max_body_size(MAX_REQUEST)

    def data_received(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size <= MAX_REQUEST:  # a chunked body past it is dropped, and refused in post()
            self._body.append(chunk)

    def post(self) -> None:
        if self._size > MAX_REQUEST:
            raise web.HTTPError(413, TOO_LARGE)
        try:
            request = json.loads(b"".join(self._body))
        except RecursionError:  # [[[[… 100,000 deep: Python's parser gives up; so do we, politely
            raise web.HTTPError(400, "the request is nested too deeply to be an editor's request") from None
        except ValueError as problem:  # also bytes that are not UTF-8
            raise web.HTTPError(400, "the request is not valid JSON: %s", str(problem)[:120]) from None
        status, body = handle(self.site_dir, request, site_url=self.local_url)
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(body))

    def write_error(self, status_code: int, **kwargs) -> None:
        """{"error": reason} for every refusal, as the backend's own answers are (never a traceback).
        The reason goes in the body, not the status line, which must stay plain ASCII."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        reason = error.log_message % error.args if isinstance(error, web.HTTPError) and error.log_message else self._reason
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": reason}))


class AdminHandler(_Local):
    """The editor page and its config, made fresh for each request so a change to site.toml
    shows on reload; its fixed files come straight from the package."""

    def prepare(self) -> None:
        super().prepare()
        # No live-reload script here: a reload after each save would throw away what the
        # officer is typing in the editor. (livereload adds it through the app's transforms.)
        self._transforms = []

    def initialize(self, site_dir: Path, hosts: set[str], status=None) -> None:
        super().initialize(site_dir, hosts)
        self.status = status

    def get(self, rest: str | None) -> None:
        if rest is None:  # /admin: the page finds config.yml next to itself, so it needs the "/"
            self.redirect("/admin/")
            return
        name = rest.removeprefix("/")
        if name in ("", "index.html"):
            self._send("text/html; charset=utf-8", admin.admin_page(self._config()))
        elif name == "status.json" and self.status is not None:
            self._send("application/json; charset=utf-8", json.dumps(self.status(), ensure_ascii=False))
        elif name == "config.yml":
            api = f"{self.local_url}api/v1"
            self._send("text/yaml; charset=utf-8",
                       admin.config_yaml(self._config(), proxy_url=api, site_url=self.local_url))
        else:
            path = admin.static_files().get(f"{admin.FOLDER}/{name}")
            if path is None:
                raise web.HTTPError(404)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self.set_header("Cache-Control", "max-age=86400")  # the file name carries the version
            self._send("text/javascript; charset=utf-8" if path.suffix == ".js" else kind, path.read_bytes())

    def _config(self):
        from builder.site.config import load_config

        try:
            return load_config(self.site_dir)
        except BuildFailed as failure:
            self.set_status(500)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("The editor cannot start until site.toml is fixed:\n\n" + format_errors(failure.errors))
            raise web.Finish() from None

    def _send(self, kind: str, body: str | bytes) -> None:
        self.set_header("Content-Type", kind)
        self.finish(body)
