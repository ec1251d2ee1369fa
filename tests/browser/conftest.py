"""Proof tests on the built HTML: a real browser (axe-core, keyboard, reflow, screenshots),
the Nu Html Checker and nginx.

Each site that exists (the example site at the repository root and the fixture site
tests/fixtures/sites/full) is built once per session into a temporary folder, served by a
tiny local HTTP server, and checked in Debian's Chromium through Playwright.

Tools come from `bash scripts/setup-test-env.sh` (run by `make test`). When a tool is
missing the tests needing it are skipped with the install command in the reason; with
CI=true they fail instead, so CI can never pass by skipping.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"

SETUP_HINT = "run: bash scripts/setup-test-env.sh"
APT_HINT = "sudo apt-get install -y --no-install-recommends {}  (or: bash scripts/setup-test-env.sh)"
NPM_HINT = "npm ci  (or: bash scripts/setup-test-env.sh)"

# The sites to build: the example site always, the fixture site when the lead has written it.
_CANDIDATE_SITES = [("example", ROOT), ("full", ROOT / "tests" / "fixtures" / "sites" / "full"),
                    ("welsh", ROOT / "tests" / "fixtures" / "sites" / "welsh")]  # bilingual: /cy/ beside English
SITES = [(name, path) for name, path in _CANDIDATE_SITES if (path / "site.toml").is_file()]
SITE_IDS = [name for name, _ in SITES]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(ok: bool, reason: str) -> None:
    """Skip when a tool is missing; fail instead on CI, where nothing may be skipped."""
    if ok:
        return
    if in_ci():
        pytest.fail(f"CI=true and a test tool is missing: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On CI a skip in these tests, for whatever reason, is reported as a failure."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true, and a browser/vnu/nginx test may not be skipped there: {reason}"


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                          if os.access(p, os.X_OK)), None)


# --------------------------------------------------------------------------- building

@dataclass
class BuiltSite:
    name: str
    source: Path
    output: Path
    pages: list[str] = field(default_factory=list)  # every .html file, relative POSIX paths

    def url_path(self, rel: str) -> str:
        """The pretty URL path a file is served at: letters/x/index.html -> /letters/x/."""
        if rel == "index.html":
            return "/"
        if rel.endswith("/index.html"):
            return "/" + rel[: -len("index.html")]
        return "/" + rel

    @property
    def page_urls(self) -> list[str]:
        return [self.url_path(rel) for rel in self.pages]

    @functools.cached_property
    def redirects(self) -> dict[str, str]:
        """URL path of each redirect page (an old address from aliases:) -> where it sends readers."""
        found = {}
        for rel in self.pages:
            match = _REFRESH.search((self.output / rel).read_text(encoding="utf-8", errors="replace"))
            if match:
                found[self.url_path(rel)] = html.unescape(match.group(1))
        return found

    def key_pages(self) -> dict[str, str]:
        """Home, one letter and the timeline: the pages the keyboard and screenshot tests use."""
        found = {"home": "index.html"}
        letters = sorted(p for p in self.pages if p.startswith("letters/") and p.count("/") == 2
                         and p.endswith("/index.html") and not p.startswith("letters/page/")
                         and self.url_path(p) not in self.redirects)
        if letters:
            found["letter"] = letters[0]
        if "timeline/index.html" in self.pages:
            found["timeline"] = "timeline/index.html"
        assert "index.html" in self.pages, f"{self.name}: the build wrote no index.html"
        return {name: self.url_path(rel) for name, rel in found.items()}


_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


@contextlib.contextmanager
def opened(page, site_url: str, path: str, built_site: BuiltSite):
    """Load a page to check it; yields the response. A redirect page sends the reader on at
    once, so its target answers "204 No Content" while it is checked: the browser then stays
    on the redirect page (as it does when a server sends 204), and the page itself is checked.
    The refresh must still be attempted, to the right address."""
    target = built_site.redirects.get(path)
    if target is None:
        yield page.goto(site_url + path, wait_until="load")
        return
    target_url = urljoin(site_url + path, target)
    held: list[str] = []

    def hold(route):
        held.append(route.request.url)
        route.fulfill(status=204)

    page.route(target_url, hold)
    try:
        response = page.goto(site_url + path, wait_until="load")
        for _ in range(100):
            if held:
                break
            page.wait_for_timeout(50)
        assert held, f"{path}: the redirect page did not send the reader on to {target}"
        assert page.url == site_url + path, f"{path}: the browser left the redirect page for {page.url}"
        yield response
    finally:
        page.unroute(target_url)


def build_site(name: str, source: Path, output: Path) -> BuiltSite:
    command = [sys.executable, "-m", "builder", "build", str(source), "--output", str(output), "--no-cache"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"building the {name} site failed (exit {done.returncode}):\n"
                    f"$ {' '.join(command)}\n{done.stdout}\n{done.stderr}", pytrace=False)
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html") if p.is_file())
    assert pages, f"{name}: the build wrote no HTML pages into {output}"
    return BuiltSite(name, source, output, pages)


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory) -> dict[str, BuiltSite]:
    """Every site, built once per session (the vnu test checks them all with one JVM)."""
    base = tmp_path_factory.mktemp("built")
    return {name: build_site(name, source, base / name) for name, source in SITES}


@pytest.fixture(scope="session", params=SITE_IDS)
def built_site(request, built_sites) -> BuiltSite:
    return built_sites[request.param]


@pytest.fixture(scope="session")
def html_pages(built_site) -> list[str]:
    """Every .html page of the built site, as relative paths (index.html, letters/x/index.html, 404.html)."""
    return built_site.pages


# --------------------------------------------------------------------------- local HTTP server

class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".xml": "application/xml", ".js": "text/javascript",
                      ".ics": "text/calendar", ".pdf": "application/pdf"}

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@pytest.fixture(scope="session")
def site_url(built_site):
    """http://127.0.0.1:PORT serving the built site with pretty URLs (folder -> index.html)."""
    handler = functools.partial(_Handler, directory=str(built_site.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"http-{built_site.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- browser

def chromium_missing_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is missing: pip install playwright (or make test)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing: " + APT_HINT.format("chromium")
    return None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's, not a Playwright download)."""
    reason = chromium_missing_reason()
    require(reason is None, reason or "")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


DEFAULT_VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def _shared_page(browser):
    context = browser.new_context(viewport=DEFAULT_VIEWPORT, reduced_motion="reduce",
                                  service_workers="block", java_script_enabled=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browser_page(_shared_page):
    """The session's one page, reset to 1280x800, light scheme and blank before each test."""
    page = _shared_page
    page.goto("about:blank")
    page.set_viewport_size(DEFAULT_VIEWPORT)
    page.emulate_media(color_scheme="light", media="screen")
    yield page
    page.goto("about:blank")


@pytest.fixture(scope="session")
def axe_source() -> Path:
    require(AXE_JS.is_file(), f"{AXE_JS.relative_to(ROOT)} is missing: {NPM_HINT}")
    return AXE_JS



# All three accessibility engines in one load of each page, shared by test_axe.py and
# test_engines.py: a session fixture must be defined once, here, to be computed once.
from .page_checks import page_checks, scripts_url  # noqa: E402,F401
