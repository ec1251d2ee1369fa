"""deploy/nginx.conf serves a built site correctly: pretty URLs, the 404 page with a 404 status,
attachments with their own content type, feeds as Atom.

nginx runs from a throwaway prefix (config, pid, logs and temp folders in a tmp dir, listening on
127.0.0.1 on a free port), so nothing under /etc or /var is touched."""

from __future__ import annotations

import os
import pwd
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import APT_HINT, ROOT, find_nginx, opened, require

pytestmark = pytest.mark.nginx

TEMPLATE = ROOT / "deploy" / "nginx.conf"
MIME_TYPES = [Path("/etc/nginx/mime.types"), Path("/usr/local/nginx/conf/mime.types"),
              Path("/usr/local/etc/nginx/mime.types")]
FALLBACK_TYPES = """types {
    text/html html; text/css css; application/javascript js; application/json json; text/xml xml;
    application/pdf pdf; image/png png; image/jpeg jpg jpeg; image/svg+xml svg; application/wasm wasm;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_block(root: Path, port: int) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    text, roots = re.subn(r"(?m)^(\s*)root\s+[^;]+;", lambda m: f"{m.group(1)}root {root};", text)
    text = re.sub(r"(?m)^\s*listen\s+\[[^;]*;\n", "", text)  # IPv6 listen lines: not needed here
    text, listens = re.subn(r"(?m)^(\s*)listen\s+[^;]+;", lambda m: f"{m.group(1)}listen 127.0.0.1:{port};", text)
    assert roots == 1 and listens == 1, \
        f"{TEMPLATE.relative_to(ROOT)} must have exactly one `root` and one IPv4 `listen` line ({roots}, {listens})"
    return text


def main_config(prefix: Path, site_conf: Path) -> str:
    mime = next((p for p in MIME_TYPES if p.is_file()), None)
    temp = "\n".join(f"    {kind}_temp_path {prefix / 'temp' / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, workers would drop to "nobody", who cannot read pytest's private tmp folders.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
    {f'include {mime};' if mime else FALLBACK_TYPES}
    default_type application/octet-stream;
    access_log {prefix / 'access.log'};
{temp}
    include {site_conf};
}}
"""


@pytest.fixture(scope="session")
def nginx_url(built_site, tmp_path_factory):
    nginx = find_nginx()
    require(nginx is not None, "nginx is missing: " + APT_HINT.format("nginx"))
    assert TEMPLATE.is_file(), f"{TEMPLATE} is missing"
    prefix = tmp_path_factory.mktemp(f"nginx-{built_site.name}")
    (prefix / "temp").mkdir()
    conf, site_conf = prefix / "nginx.conf", prefix / "site.conf"
    conf.write_text(main_config(prefix, site_conf), encoding="utf-8")
    base = [nginx, "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(conf)]

    for attempt in range(3):
        port = free_port()
        site_conf.write_text(server_block(built_site.output.resolve(), port), encoding="utf-8")
        checked = subprocess.run(base + ["-t", "-q"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, f"nginx -t rejected the config:\n{checked.stderr}\n{site_conf.read_text()}"
        process = subprocess.Popen(base, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.05)
        if process.poll() is None:
            break
        log = (prefix / "error.log").read_text(errors="replace") if (prefix / "error.log").exists() else ""
        if "Address already in use" not in log or attempt == 2:
            pytest.fail(f"nginx did not start (exit {process.returncode}):\n{process.stdout.read()}\n{log}",
                        pytrace=False)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful stop of the master we started
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with _opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers.items()), error.read()


def test_home_and_pretty_urls(nginx_url, built_site):
    pages = built_site.key_pages()
    assert "timeline" in pages and "letter" in pages, f"{built_site.name}: no timeline or letter page: {pages}"
    for path in ("/", "/timeline/", pages["letter"]):
        status, headers, body = fetch(nginx_url + path)
        assert status == 200, f"GET {path}: {status}"
        assert headers.get("Content-Type", "").startswith("text/html"), f"GET {path}: {headers.get('Content-Type')}"
        rel = path.lstrip("/") + "index.html"
        assert body == (built_site.output / rel).read_bytes(), f"GET {path} did not serve {rel}"


def test_every_page_is_served(nginx_url, built_site):
    bad = []
    for rel, path in zip(built_site.pages, built_site.page_urls):
        if rel == "404.html" or rel.endswith("/404.html"):
            continue  # internal: only ever served as the body of a 404 (cy/404.html: the Welsh one)
        status, _, _ = fetch(nginx_url + path)
        if status != 200:
            bad.append(f"{path}: {status}")
    assert not bad, "pages not served with 200:\n" + "\n".join(bad)


def test_folder_without_slash_redirects_to_pretty_url(nginx_url):
    status, headers, _ = fetch(nginx_url + "/timeline")
    assert status == 301, f"GET /timeline: {status}"
    assert headers.get("Location", "").endswith("/timeline/"), headers.get("Location")


@pytest.mark.parametrize("path", ["/no-such-page/", "/letters/no-such-letter/", "/missing.pdf"])
def test_missing_path_gets_the_404_page(nginx_url, built_site, path):
    status, headers, body = fetch(nginx_url + path)
    assert status == 404, f"GET {path}: {status}"
    assert headers.get("Content-Type", "").startswith("text/html")
    assert body == (built_site.output / "404.html").read_bytes(), f"GET {path} did not return the site's 404.html"


@pytest.mark.parametrize("path", ["/cy/no-such-page/", "/cy/letters/no-such-letter/", "/cy/missing.pdf",
                                  "/cy/missing.ics", "/cy/404.html"])
def test_missing_welsh_address_gets_the_welsh_404_page(nginx_url, built_site, path):
    """Under /cy/ the reader is reading Welsh: a bilingual site answers with its Welsh 404 page
    (which the builder writes); a site without Welsh pages with its only, English, one."""
    welsh = built_site.output / "cy" / "404.html"
    if built_site.name == "welsh":
        assert welsh.is_file(), "the bilingual site has no Welsh 404 page (cy/404.html)"
    expected = welsh if welsh.is_file() else built_site.output / "404.html"
    status, headers, body = fetch(nginx_url + path)
    assert status == 404, f"GET {path}: {status}"
    assert headers.get("Content-Type", "").startswith("text/html")
    assert body == expected.read_bytes(), \
        f"GET {path} did not return {expected.relative_to(built_site.output)}: {body[:200]!r}"


def test_attachment_downloads_as_pdf(nginx_url, built_site):
    pdfs = sorted(built_site.output.rglob("*.pdf"))
    assert pdfs, f"{built_site.name}: no PDF attachment in the output to try"
    rel = pdfs[0].relative_to(built_site.output).as_posix()
    status, headers, body = fetch(nginx_url + "/" + rel)
    assert status == 200, f"GET /{rel}: {status}"
    assert headers.get("Content-Type", "").split(";")[0] == "application/pdf", headers.get("Content-Type")
    assert body == pdfs[0].read_bytes()


def test_feeds_are_served_as_atom(nginx_url, built_site):
    feeds = sorted(p.relative_to(built_site.output).as_posix() for p in built_site.output.rglob("feed.xml"))
    assert "feed.xml" in feeds
    for rel in feeds:
        status, headers, _ = fetch(nginx_url + "/" + rel)
        assert status == 200, f"GET /{rel}: {status}"
        assert headers.get("Content-Type", "").split(";")[0] == "application/atom+xml", \
            f"GET /{rel}: {headers.get('Content-Type')}"


# --------------------------------------------------------------------------- security and caching

LONG_CACHE = "public, max-age=31536000, immutable"


def test_fingerprinted_assets_are_cached_for_a_year_and_html_is_not(nginx_url, built_site):
    home = (built_site.output / "index.html").read_text(encoding="utf-8")
    linked = sorted(set(re.findall(r'(?:href|src)="(/assets/[^"]+\.[0-9a-f]{8}\.(?:css|js|svg))"', home)))
    assert any(p.endswith(".css") for p in linked) and any(p.endswith(".js") for p in linked), linked
    for path in linked:
        status, headers, body = fetch(nginx_url + path)
        assert status == 200, f"GET {path}: {status}"
        assert headers.get("Cache-Control") == LONG_CACHE, f"GET {path}: {headers.get('Cache-Control')}"
        assert body == (built_site.output / path.lstrip("/")).read_bytes()
    for path in ("/", "/timeline/", "/assets/style.css", "/feed.xml", "/favicon.ico", "/no-such-page/"):
        status, headers, _ = fetch(nginx_url + path)
        assert status in (200, 404), f"GET {path}: {status}"
        assert headers.get("Cache-Control") == "no-cache", f"GET {path}: {headers.get('Cache-Control')}"
        assert "default-src 'none'" in headers.get("Content-Security-Policy", ""), f"GET {path}: no CSP"


def test_favicon_is_served(nginx_url):
    status, headers, body = fetch(nginx_url + "/favicon.ico")
    assert status == 200 and body[:4] == b"\x00\x00\x01\x00", f"GET /favicon.ico: {status}"  # an ICO file


# Recorded from the first script of every page, before the page's own scripts run.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


@pytest.fixture(scope="module")
def csp_page(browser):
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, errors
    context.close()


def _visit(page, errors, url: str, then=None) -> list[str]:
    errors.clear()
    response = page.goto(url, wait_until="load")
    assert response is not None and "content-security-policy" in response.headers, \
        f"{url}: served without a Content-Security-Policy"
    if then:
        then(page)
    return [f"{url}: {problem}" for problem in page.evaluate("window.__violations") + errors]


def test_every_page_loads_with_no_csp_violation_or_console_error(csp_page, nginx_url, built_site):
    page, errors = csp_page
    # Canary: an inline script added to a served page must be blocked and recorded, or a clean
    # run would prove nothing.
    page.goto(nginx_url + "/", wait_until="load")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                  " document.head.appendChild(s); }")
    page.wait_for_function("() => window.__violations.length > 0")
    assert page.evaluate("window.ran") is None, "an inline script ran: the CSP is not enforced"
    found = []
    for rel, path in zip(built_site.pages, built_site.page_urls):
        if rel == "404.html" or rel.endswith("/404.html"):  # internal to nginx (cy/404.html: the Welsh one)
            path = "/" + rel.removesuffix("404.html") + "no-such-page/"  # served as the body of a real 404
            errors.clear()
            page.goto(nginx_url + path, wait_until="load")
            found += [f"{path}: {p}" for p in page.evaluate("window.__violations")
                      + [e for e in errors if "404" not in e]]  # the 404 status itself is logged
            continue
        if path in built_site.redirects:
            # A redirect page leaves at once; held on it (see conftest.opened), it is checked too.
            errors.clear()
            with opened(page, nginx_url, path, built_site) as response:
                assert response is not None and "content-security-policy" in response.headers, \
                    f"{path}: served without a Content-Security-Policy"
                found += [f"{path}: {p}" for p in page.evaluate("window.__violations") + errors]
            continue
        found += _visit(page, errors, nginx_url + path)
    assert not found, "CSP violations or console errors:\n" + "\n".join(found)


def test_search_and_settings_work_under_the_csp(csp_page, nginx_url, built_site):
    """Search runs Pagefind's WebAssembly; the settings page saves and applies a theme."""
    page, errors = csp_page

    def searched(p):
        p.wait_for_function("() => { const s = document.getElementById('search-status');"
                            " return s && s.textContent && !s.textContent.includes('…'); }")
        status = p.inner_text("#search-status")
        assert "result" in status and "not available" not in status, status

    def saved(p):
        p.check("#theme-dark")
        p.click("button.settings__save")
        p.wait_for_function("() => document.getElementById('settings-status').textContent.includes('Saved')")
        assert p.evaluate("document.documentElement.dataset.theme") == "dark"
        p.evaluate("() => localStorage.clear()")

    found = _visit(page, errors, nginx_url + "/search/?q=inspection", searched)
    found += _visit(page, errors, nginx_url + "/settings/", saved)
    assert not found, "CSP violations or console errors:\n" + "\n".join(found)
