"""HTML conformance of every built page (the Nu Html Checker, the W3C validator's engine) and
well-formed XML for the sitemap and every feed.

vnu starts a JVM, which is slow, so it runs once per session over every built site plus a
known-bad canary page (proof that errors are reported and read back)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import APT_HINT, NPM_HINT, ROOT, VNU_JAR, require

pytestmark = pytest.mark.vnu

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CANARY = '<!DOCTYPE html><html lang="en"><head></head><body><p>no title</p></body></html>'


def _message_path(message: dict) -> Path | None:
    url = message.get("url") or ""
    if not url.startswith("file:"):
        return None
    return Path(unquote(urlsplit(url).path)).resolve()


@pytest.fixture(scope="session")
def vnu_messages(built_sites, tmp_path_factory) -> list[dict]:
    java = shutil.which("java")
    require(java is not None, "java is missing: " + APT_HINT.format("default-jre-headless"))
    require(VNU_JAR.is_file(), f"{VNU_JAR.relative_to(ROOT)} is missing: {NPM_HINT}")
    canary_dir = tmp_path_factory.mktemp("vnu-canary")
    (canary_dir / "canary.html").write_text(CANARY, encoding="utf-8")
    command = [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html",
               str(canary_dir), *(str(site.output) for site in built_sites.values())]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, LC_ALL="C.UTF-8"))
    text = done.stderr + done.stdout  # vnu writes its JSON report to stderr
    try:  # skip anything the JVM printed first (e.g. "Picked up JAVA_TOOL_OPTIONS")
        report, _ = json.JSONDecoder().raw_decode(text, text.index('{"'))
    except ValueError:
        pytest.fail(f"vnu did not produce a JSON report (exit {done.returncode}):\n"
                    f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}", pytrace=False)
    messages = report.get("messages", [])
    canary = [m for m in messages if _message_path(m) == (canary_dir / "canary.html").resolve()]
    assert any("title" in m.get("message", "") for m in canary), \
        f"vnu did not report the missing <title> of the canary page: {canary or messages[:3]}"
    return [m for m in messages if m not in canary]


def test_every_page_is_valid_html(vnu_messages, built_site):
    output = built_site.output.resolve()
    mine, stray = [], []
    for message in vnu_messages:
        path = _message_path(message)
        if path is not None and output in path.parents:
            mine.append((path.relative_to(output).as_posix(), message))
        elif path is None:
            stray.append(message)   # e.g. a non-document error without a file
    lines = [f"- {rel}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))} "
             f"[{m.get('type')}{'/' + m['subType'] if m.get('subType') else ''}] {m.get('message')}"
             + (f"\n      {m['extract'].strip()!r}" if m.get("extract") else "")
             for rel, m in sorted(mine, key=lambda item: (item[0], item[1].get("lastLine", 0)))]
    assert not mine and not stray, (f"{built_site.name} site: {len(mine)} HTML error(s) from vnu:\n"
                                    + "\n".join(lines) + (f"\nother messages: {stray}" if stray else ""))


def test_sitemap_and_feeds_are_well_formed_xml(built_site):
    output = built_site.output
    xml_files = sorted(output.rglob("*.xml"))
    names = [p.relative_to(output).as_posix() for p in xml_files]
    assert "sitemap.xml" in names, f"{built_site.name}: no sitemap.xml in the output ({names})"
    assert "feed.xml" in names, f"{built_site.name}: no feed.xml in the output ({names})"
    problems = []
    roots = {}
    for path, name in zip(xml_files, names):
        try:
            roots[name] = ET.parse(path).getroot()
        except ET.ParseError as error:
            problems.append(f"- {name}: not well-formed XML: {error}")
    assert not problems, f"{built_site.name} site:\n" + "\n".join(problems)

    sitemaps = [name for name in names if name.rsplit("/", 1)[-1] == "sitemap.xml"]  # one per language
    for name in sitemaps:
        sitemap = roots[name]
        assert sitemap.tag == f"{SITEMAP}urlset", f"{name} root is {sitemap.tag}, not a sitemaps.org urlset"
        locs = [loc.text.strip() for loc in sitemap.iter(f"{SITEMAP}loc") if loc.text]
        assert locs, f"{name} lists no URLs"
        for loc in locs:
            parts = urlsplit(loc)
            if not (parts.scheme in ("http", "https") and parts.netloc):
                problems.append(f"- {name}: {loc!r} is not an absolute URL")
                continue
            rel = unquote(parts.path).lstrip("/")
            target = output / rel / "index.html" if rel == "" or rel.endswith("/") else output / rel
            if not target.is_file():
                problems.append(f"- {name}: {loc} has no page in the output ({target.relative_to(output)})")

    for name, root in roots.items():
        if name in sitemaps:
            continue
        if root.tag != f"{ATOM}feed":
            problems.append(f"- {name}: root element is {root.tag}, not an Atom feed")
            continue
        for required in ("id", "title", "updated"):
            if root.find(f"{ATOM}{required}") is None:
                problems.append(f"- {name}: the feed has no <{required}>")
        for entry in root.iter(f"{ATOM}entry"):
            missing = [tag for tag in ("id", "title", "updated") if entry.find(f"{ATOM}{tag}") is None]
            if missing:
                problems.append(f"- {name}: an entry lacks {missing}")
    assert not problems, f"{built_site.name} site:\n" + "\n".join(problems)
