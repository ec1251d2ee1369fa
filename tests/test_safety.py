"""Safety: what authors write cannot run script on readers' machines, and a build (or the dev
server) cannot read or write outside the site's own folders."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import MINIMAL_CONFIG, ROOT, png_bytes, run_cli, snapshot_tree, tree_bytes, write_site

# --- raw HTML in Markdown -------------------------------------------------------------------
# javascript: links are refused with their line (tests/test_limits.py), so none is here; the
# cleaner that would remove them is tested in tests/test_markdown_render.py.

RAW_BODY = """Intro <script>alert('inline')</script> text.

<script src="https://evil.example/x.js"></script>

<div onclick="alert(1)">Click me</div>

<p onmouseover="alert(2)" style="color:red">Hover</p>

<iframe src="https://evil.example/"></iframe>

<style>body { display: none }</style>

<img src="pic.png" alt="A picture" onerror="alert(5)">

<svg onload="alert(6)"><circle r="1"/></svg>

<form action="https://evil.example/"><input name="x"></form>

<object data="x.swf"></object><embed src="x.swf">

<meta http-equiv="refresh" content="0; url=https://evil.example/">

| Month | Plans |
|-------|-------|
| May   | 12    |

<abbr title="Education, Health and Care Plan">EHCP</abbr> plans.

<details><summary>More detail</summary>The hidden part.</details>

<table><caption>Raw table</caption><tr><th scope="col">A</th></tr><tr><td>1</td></tr></table>
"""

UPDATE_WITH_RAW = "---\ntitle: Raw HTML\ndate: 2022-01-01\nsummary: Raw.\n---\n" + RAW_BODY

EVIL_TITLE = '<img src=x onerror=alert(1)> "q" & </title><script>alert(2)</script>'


def _yaml_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _build(site: Path, *extra: str):
    result = run_cli("build", site, "--jobs", "1", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _theme_script(tag, base: str = "/") -> bool:
    return bool(tag.get("src")) and tag["src"].startswith(f"{base}assets/")


THEME_FORMS = ["header-search", "settings", "search__form"]  # the theme's own: search is in the header and on /search/


def assert_no_active_content(soup: BeautifulSoup, where: str) -> None:
    for script in soup.find_all("script"):
        assert _theme_script(script), f"{where}: unexpected script {script}"
    for tag in soup.find_all(True):
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert not handlers, f"{where}: event handler attributes {handlers} on {tag.name}"
        for name in ("href", "src", "action", "data", "formaction"):
            value = "".join(str(tag.get(name) or "").split()).lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:text/html")), f"{where}: {tag}"
    for name in ("iframe", "object", "embed", "style", "svg", "base", "input"):
        assert not [t for t in soup.find_all(name) if not t.find_parent("form", class_=THEME_FORMS)], \
            f"{where}: <{name}> survived"
    for form in soup.find_all("form"):  # the theme's own: search and display settings
        assert form.get("class") and set(form["class"]) & set(THEME_FORMS), f"{where}: {form}"
        assert not form.get("action") or form["action"].startswith("/"), f"{where}: {form}"
    assert not soup.find_all("meta", attrs={"http-equiv": True}), where


@pytest.fixture
def raw_site(make_site):
    return make_site({"content/updates/2022-01-01-raw.md": UPDATE_WITH_RAW, "content/updates/pic.png": png_bytes()})


def test_raw_html_is_sanitised(raw_site: Path):
    _build(raw_site)
    page = raw_site / "output/updates/2022-01-01-raw/index.html"
    soup = _soup(page)
    assert_no_active_content(soup, "page")
    prose = soup.find("main")
    assert "alert(" not in str(prose)
    assert "display: none" not in str(prose)
    # Harmless structure survives.
    assert prose.find("table") is not None and prose.find("td", string="12") is not None
    assert prose.find("caption", string="Raw table") is not None
    assert prose.find("th", attrs={"scope": "col"}) is not None
    abbr = prose.find("abbr", string="EHCP")
    assert abbr is not None and abbr["title"] == "Education, Health and Care Plan"
    details = prose.find("details")
    assert details is not None and details.find("summary").get_text() == "More detail"
    assert "The hidden part." in details.get_text()
    assert prose.find("div", string="Click me") is not None  # the element stays, its handler goes
    img = prose.find("img", alt="A picture")
    assert img is not None and img["src"] == "/updates/pic.png"


def test_sanitising_covers_every_built_page_and_the_feed(raw_site: Path):
    _build(raw_site)
    for page in sorted((raw_site / "output").rglob("*.html")):
        assert_no_active_content(_soup(page), page.name)
    for feed in (raw_site / "output").rglob("*.xml"):
        root = ET.parse(feed).getroot()
        for content in root.iter("{http://www.w3.org/2005/Atom}content"):
            html = BeautifulSoup(content.text or "", "html.parser")
            assert_no_active_content(html, f"{feed.name} entry")


def test_raw_html_kept_when_allowed(make_site):
    body = ('<div onclick="alert(1)">Click me</div>\n\n<iframe src="https://example.org/embed"></iframe>\n\n'
            '<script>var x = 1;</script>\n\n<details><summary>More</summary>Hidden.</details>\n\n'
            '<abbr title="Education, Health and Care Plan">EHCP</abbr>\n')
    site = make_site({"content/updates/2022-01-01-raw.md": "---\ntitle: Raw\ndate: 2022-01-01\n---\n" + body},
                     config=MINIMAL_CONFIG + "allow_raw_html = true\n")
    _build(site)
    prose = _soup(site / "output/updates/2022-01-01-raw/index.html").find("main")
    assert prose.find("iframe") is not None
    assert prose.find("div", attrs={"onclick": True}) is not None
    assert any(not _theme_script(s) for s in prose.find_all("script"))
    assert prose.find("details") is not None and prose.find("abbr") is not None


def test_front_matter_values_are_escaped_everywhere(make_site):
    page = (f"---\ntitle: {_yaml_quoted(EVIL_TITLE)}\ndate: 2022-01-01\nsummary: {_yaml_quoted(EVIL_TITLE)}\n"
            f"tags: [{_yaml_quoted('<b>tag</b>')}]\n---\nBody.\n")
    event = f"---\ntitle: {_yaml_quoted(EVIL_TITLE)}\ndate: 2019-01\nevent: review\noutcome: {_yaml_quoted(EVIL_TITLE)}\n---\n"
    letter = (f"---\ntitle: Letter\ndate: 2022-02-01\nauthor: {_yaml_quoted(EVIL_TITLE)}\n"
              f"role: {_yaml_quoted(EVIL_TITLE)}\n---\nHi\n")
    site = make_site({"content/updates/2022-01-01-evil.md": page, "content/timeline/2019-01-evil.md": event,
                      "content/letters/2022-02-01-letter.md": letter})
    _build(site)
    out = site / "output"
    article = _soup(out / "updates/2022-01-01-evil/index.html")
    assert article.find("h1").get_text(strip=True) == EVIL_TITLE
    assert article.title.get_text().startswith(EVIL_TITLE)
    description = article.find("meta", attrs={"name": "description"})
    assert description is not None and description["content"] == EVIL_TITLE
    listing = _soup(out / "updates/index.html")
    assert listing.find("a", string=EVIL_TITLE) is not None
    letter_page = _soup(out / "letters/2022-02-01-letter/index.html")
    assert EVIL_TITLE in letter_page.get_text()
    for html in sorted(out.rglob("*.html")):
        soup = _soup(html)
        assert_no_active_content(soup, str(html.relative_to(out)))
        assert not soup.find_all("b", string="tag"), html
    for feed in (out / "feed.xml", out / "updates/feed.xml"):
        root = ET.parse(feed).getroot()
        titles = [t.text for t in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert EVIL_TITLE in titles, feed
        assert b"<img src=x" not in feed.read_bytes()


def test_unsafe_slug_is_refused_and_nothing_is_written(make_site, tmp_path: Path):
    site = make_site({"content/updates/2022-01-01-a.md": "---\ntitle: A\ndate: 2022-01-01\nslug: ../../evil\n---\nHi\n"})
    result = run_cli("build", site, "--jobs", "1")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "content/updates/2022-01-01-a.md:4:" in result.stderr and "slug" in result.stderr
    assert not (site / "output").exists()
    assert not [p for p in tmp_path.rglob("*evil*")]


@pytest.mark.parametrize("slug", ["..", "a/../../b", "/etc", "a/b", "CAPS", "x\\..\\y"])
def test_other_unsafe_slugs_are_refused(make_site, slug: str):
    site = make_site({"content/pages/p.md": f"---\ntitle: P\nslug: {_yaml_quoted(slug)}\n---\nHi\n"})
    result = run_cli("build", site, "--jobs", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "content/pages/p.md:3:" in result.stderr and "slug" in result.stderr


def test_weird_tags_cannot_escape_the_tags_folder(make_site, tmp_path: Path):
    site = make_site({"content/updates/2022-01-01-a.md":
                      "---\ntitle: A\ndate: 2022-01-01\ntags: ['../../../escaped', '..', '/etc/x']\n---\nHi\n"})
    _build(site)
    tags = site / "output/tags"
    assert {p.name for p in tags.iterdir() if p.is_dir()} <= {"escaped", "etc-x"}
    assert not [p for p in tmp_path.rglob("escaped") if tags not in p.parents]


# --- symlinks -------------------------------------------------------------------------------

def test_symlinked_file_outside_the_site_is_refused(make_site, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\ndate: 2022-01-01\n---\nSECRET-TEXT\n")
    (outside / "passwords.txt").write_text("SECRET-TEXT\n")
    site = make_site({"content/updates/2022-01-01-a.md": "---\ntitle: A\ndate: 2022-01-01\n---\nHi\n"})
    _build(site)
    before = tree_bytes(site / "output")
    (site / "content/updates/secret.md").symlink_to(outside / "secret.md")
    (site / "content/passwords.txt").symlink_to(outside / "passwords.txt")
    result = run_cli("build", site, "--jobs", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "content/updates/secret.md" in result.stderr and "content/passwords.txt" in result.stderr
    assert "symlink" in result.stderr.lower() and "How to fix" in result.stderr
    assert tree_bytes(site / "output") == before
    assert not any(b"SECRET-TEXT" in data for data in tree_bytes(site / ".cache").values())


def test_symlinked_folder_outside_the_site_is_refused(make_site, tmp_path: Path):
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep/data.txt").write_text("SECRET-TEXT\n")
    site = make_site({"content/updates/2022-01-01-a.md": "---\ntitle: A\ndate: 2022-01-01\n---\nHi\n"})
    (site / "content/files").symlink_to(outside, target_is_directory=True)
    result = run_cli("build", site, "--jobs", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "content/files" in result.stderr and "symlink" in result.stderr.lower()
    assert not (site / "output").exists()


def test_symlink_to_a_site_file_outside_content_is_not_published(make_site):
    site = make_site({"content/updates/2022-01-01-a.md": "---\ntitle: A\ndate: 2022-01-01\n---\nHi\n"})
    (site / ".env").write_text("DEPLOY_TOKEN=SECRET-TEXT\n")
    (site / "content/env.txt").symlink_to(Path("..") / ".env")
    result = run_cli("build", site, "--jobs", "1")
    published = tree_bytes(site / "output") if (site / "output").exists() else {}
    assert not any(b"SECRET-TEXT" in data for data in published.values())
    assert result.returncode == 1 and "content/env.txt" in result.stderr


# --- nothing written outside output/ and .cache/ --------------------------------------------

def test_builds_write_only_output_and_cache(make_site, tmp_path: Path, monkeypatch):
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(temp))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "neighbour.txt").write_text("leave me alone\n")
    event = "---\ntitle: Review\ndate: 2019-01\nevent: review\n---\n## Findings\n\nText.\n"
    commitment = "---\ntitle: Plans\nsource: 2019-01-review\nstatus: [{date: 2022-01, status: done}]\n---\nDone.\n"
    update = ("---\ntitle: U\ndate: 2022-01-01\ntags: [a, b]\ncommitments: [plans]\n"
              "attachments: [{title: Plan, file: files/plan.pdf}]\n---\n"
              "See [the review](../timeline/2019-01-review.md#findings). EHCP.\n\n![A chart](files/chart.png)\n")
    site = make_site({
        "content/updates/2022-01-01-u.md": update,
        "content/updates/files/plan.pdf": b"%PDF-1.4\n%%EOF\n",
        "content/updates/files/chart.png": png_bytes(),
        "content/timeline/2019-01-review.md": event,
        "content/commitments/plans.md": commitment,
        "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
        "content/letters/2099-01-01-future.md": "---\ntitle: F\ndate: 2099-01-01\nauthor: A\n---\nLater.\n",
        "content/news/2022-01-02-draft.md": "---\ntitle: D\ndate: 2022-01-02\ndraft: true\n---\nDraft.\n",
        "content/glossary.yml": 'EHCP: "Education, Health and Care Plan"\n',
        "templates/README.txt": "site templates\n",
    })
    skip = {site / "output", site / ".cache"}
    before = snapshot_tree(tmp_path, skip)

    _build(site)
    _build(site)  # unchanged rebuild
    (site / "content/pages/about.md").write_text("---\ntitle: About us\n---\nChanged.\n")
    _build(site)  # incremental
    _build(site, "--drafts")
    _build(site, "--no-cache")
    _build(site, "--jobs", "4")
    assert run_cli("check", site).returncode == 0
    (site / "content/pages/about.md").write_text("---\ntitle: About us\ndate: 2022-02-30\n---\n")
    assert run_cli("build", site, "--jobs", "1").returncode == 1  # failed build
    (site / "content/pages/about.md").write_text("---\ntitle: About us\n---\nChanged.\n")
    (site / "content/pages/about.md").touch()

    after = snapshot_tree(tmp_path, skip)
    # The two edits above are the only intended change.
    before.pop("site/content/pages/about.md")
    after.pop("site/content/pages/about.md")
    assert after == before, {k: (before.get(k), after.get(k))
                             for k in set(before) | set(after) if before.get(k) != after.get(k)}


def test_two_clean_builds_are_byte_identical(make_site, tmp_path: Path):
    site = make_site({
        "content/updates/2022-01-01-u.md": "---\ntitle: U\ndate: 2022-01-01\ntags: [a]\n---\nText [x](../pages/about.md).\n",
        "content/updates/2022-03-01-v.md": "---\ntitle: V\ndate: 2022-03-01\n---\n## Part\n\nMore text.\n",
        "content/timeline/2019-01-review.md": "---\ntitle: Review\ndate: 2019-01\nevent: review\n---\nText.\n",
        "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
        "content/glossary.yml": 'EHCP: "Education, Health and Care Plan"\n',
    })
    _build(site, "--no-cache", "--output", str(tmp_path / "one"))
    time.sleep(1.1)  # a clock in the output would show up as a difference
    _build(site, "--no-cache", "--output", str(tmp_path / "two"), "--jobs", "2")
    one, two = tree_bytes(tmp_path / "one"), tree_bytes(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [p for p in one if one[p] != two[p]] == []


# --- the dev server -------------------------------------------------------------------------

def test_serve_listens_on_localhost_by_default():
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    assert "127.0.0.1" in result.stdout
    assert "0.0.0.0" not in result.stdout


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)  # the path is sent exactly as given
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


MARKER = "SITE-TOML-MARKER-4b1d"


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory):
    """One server for the module's server tests (starting one takes a build)."""
    tmp_path = tmp_path_factory.mktemp("serve")
    site = write_site(tmp_path / "site",
                      {"content/updates/2022-01-01-u.md": f"---\ntitle: U\ndate: 2022-01-01\n---\nHi {MARKER}-md\n"},
                      config=MINIMAL_CONFIG + f"# {MARKER}\n")
    port = _free_port()
    log = open(tmp_path / "serve.log", "wb")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(site), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail("the dev server stopped: " + (tmp_path / "serve.log").read_text(errors="replace"))
            try:
                status, _ = _get(port, "/", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the dev server did not answer within 60 s: "
                            + (tmp_path / "serve.log").read_text(errors="replace"))
            time.sleep(0.2)
        yield port
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if process.poll() is not None:
                break
            try:
                os.killpg(process.pid, sig)  # the group this test started (start_new_session)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                continue
        log.close()


TRAVERSALS = [
    "/../site.toml", "/%2e%2e/site.toml", "/%2E%2E/site.toml", "/..%2fsite.toml", "/%2e%2e%2fsite.toml",
    "/..%5csite.toml", "/updates/../../site.toml", "/updates/%2e%2e/%2e%2e/site.toml", "//../site.toml",
    "/../content/updates/2022-01-01-u.md", "/%2e%2e/content/updates/2022-01-01-u.md",
    "/%252e%252e/site.toml", "/.%2e/site.toml", "/..;/site.toml", "/../../../../etc/passwd",
]


def test_dev_server_serves_the_site(dev_server):
    status, body = _get(dev_server, "/")
    assert status == 200 and b"<html" in body
    status, body = _get(dev_server, "/updates/2022-01-01-u/")
    assert status == 200 and f"{MARKER}-md".encode() in body


@pytest.mark.parametrize("path", TRAVERSALS)
def test_dev_server_does_not_serve_files_outside_output(dev_server, path: str):
    try:
        status, body = _get(dev_server, path)
    except (http.client.HTTPException, ConnectionError):
        return  # refusing the request outright is fine
    assert MARKER.encode() not in body, f"{path} returned a source file ({status})"
    assert b"root:" not in body, f"{path} returned /etc/passwd ({status})"
    assert status in (400, 403, 404), f"{path} answered {status}"
