"""The theme's files under fingerprinted names, linked with asset(), replaced by a site's own."""

import datetime as dt
import hashlib
import re

from bs4 import BeautifulSoup

from builder.build import build
from builder.render.assets import THEME_STATIC, fingerprinted, theme_assets
from tests.conftest import write_site

TODAY = dt.date(2025, 6, 1)


def test_names_carry_a_digest_of_the_bytes():
    data = b"body { color: black; }"
    assert fingerprinted("style.css", data) == f"style.{hashlib.sha256(data).hexdigest()[:8]}.css"
    assert fingerprinted("style.css", data) != fingerprinted("style.css", data + b" ")
    assert fingerprinted("settings-page.js", b"x").startswith("settings-page.")


def test_theme_assets_map_every_static_file(tmp_path):
    assets = theme_assets(tmp_path)
    theme_files = {p.name for p in THEME_STATIC.iterdir() if p.is_file()}
    assert set(assets.paths) == theme_files
    style = assets.paths["style.css"]
    assert re.fullmatch(r"assets/style\.[0-9a-f]{8}\.css", style)
    assert assets.url("/send/", "style.css") == "/send/" + style
    assert assets.paths["favicon.ico"] == "favicon.ico"  # browsers ask for it at the root
    files = assets.files()
    assert files[style] == THEME_STATIC / "style.css" and files["assets/style.css"] == THEME_STATIC / "style.css"
    assert files["favicon.ico"] == THEME_STATIC / "favicon.ico" and "assets/favicon.ico" not in files


def _links(out):
    doc = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    return ({link["rel"][0]: link["href"] for link in doc.find_all("link", href=True) if link["rel"][0] in ("stylesheet",)},
            [s["src"] for s in doc.find_all("script", src=True)], doc)


def test_pages_link_fingerprinted_files_that_exist(tmp_path):
    site = write_site(tmp_path / "site", {"content/pages/about.md": "---\ntitle: About\n---\nHi\n"})
    out = tmp_path / "out"
    build(site, out, use_cache=False, jobs=1, today=TODAY)
    links, scripts, doc = _links(out)
    for href in [links["stylesheet"], *scripts]:
        assert re.search(r"\.[0-9a-f]{8}\.(css|js)$", href), href
        assert (out / href.lstrip("/")).is_file(), href
    icons = {link["type"] if link.has_attr("type") else "ico": link["href"] for link in doc.find_all("link", rel="icon")}
    assert re.fullmatch(r"/assets/favicon\.[0-9a-f]{8}\.svg", icons["image/svg+xml"]) and icons["ico"] == "/favicon.ico"
    assert (out / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    svg = (out / icons["image/svg+xml"].lstrip("/")).read_text()
    assert svg.startswith("<svg") and "<title" in svg


def test_a_sites_own_style_sheet_replaces_the_theme_and_gets_its_own_name(tmp_path):
    css = "body { background: #fff; }\n"
    site = write_site(tmp_path / "site", {"content/pages/about.md": "---\ntitle: About\n---\nHi\n",
                                          "content/assets/style.css": css})
    out = tmp_path / "out"
    build(site, out, jobs=1, today=TODAY)
    href = _links(out)[0]["stylesheet"]
    assert href == "/assets/" + fingerprinted("style.css", css.encode())
    assert (out / href.lstrip("/")).read_text() == css and (out / "assets/style.css").read_text() == css
    # Editing it gives it a new name, and every page links the new name (an incremental build).
    (site / "content/assets/style.css").write_text(css + "p { margin: 0; }\n")
    build(site, out, jobs=1, today=TODAY)
    new_href = _links(out)[0]["stylesheet"]
    assert new_href != href and (out / new_href.lstrip("/")).is_file()
    assert not (out / href.lstrip("/")).exists()  # the old name is gone
    about = (out / "about/index.html").read_text(encoding="utf-8")
    assert new_href in about and href not in about
