"""aliases: old addresses of a page lead to its new one, and can never take another page's."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from builder.build import build
from builder.errors import BuildFailed, FieldProblem
from builder.site.redirects import normalise_alias

TODAY = dt.date(2025, 6, 1)


def letter(title="New name", aliases="[/letters/old-name/]", extra=""):
    return f"---\ntitle: {title}\ndate: 2024-01-01\nauthor: A\nsummary: S.\naliases: {aliases}\n{extra}---\nHello.\n"


def build_ok(site, out):
    build(site, out, use_cache=False, jobs=1, today=TODAY)
    return out


def failure(site, tmp_path):
    with pytest.raises(BuildFailed) as caught:
        build(site, tmp_path / "out", use_cache=False, jobs=1, today=TODAY)
    return caught.value.errors


@pytest.mark.parametrize("written, normal", [
    ("/letters/old-name/", "/letters/old-name/"),
    ("/letters/old-name", "/letters/old-name/"),
    ("letters/old-name", "/letters/old-name/"),
    (" /letters//old-name/ ", "/letters/old-name/"),
    ("/send/old-page.html", "/send/old-page.html"),
])
def test_aliases_are_normalised(written, normal):
    assert normalise_alias(written) == normal


@pytest.mark.parametrize("written, words", [
    ("https://example.org/letters/old/", "full web address"),
    ("//example.org/letters/old/", "full web address"),
    ("/letters/../secret/", '".."'),
    ("/letters/old/?page=2", '"?" or "#"'),
    ("/letters/old name/", "spaces"),
    ("/files/plan.pdf", "a file, not a page"),
    ("/", "home page"),
    ("", "empty"),
])
def test_bad_aliases_are_refused_in_plain_english(written, words):
    with pytest.raises(FieldProblem) as caught:
        normalise_alias(written)
    assert words in str(caught.value) and caught.value.hint


def test_full_url_alias_is_a_located_build_error_with_the_path_to_write(make_site, tmp_path):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[https://example.org/letters/old/]")})
    [error] = failure(site, tmp_path)
    assert error.path == "content/letters/2024-01-01-new.md" and error.line == 6
    assert "full web address" in error.message and "aliases: [/letters/old/]" in error.hint


def test_each_alias_gets_an_accessible_redirect_page(make_site, tmp_path):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[/letters/old-name, /old.html]")})
    out = build_ok(site, tmp_path / "out")
    for rel in ("letters/old-name/index.html", "old.html"):
        doc = BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")
        assert doc.html["lang"] == "en-GB"
        assert doc.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/letters/2024-01-01-new/"
        assert doc.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert doc.find("link", rel="canonical")["href"] == "https://example.org/letters/2024-01-01-new/"
        assert doc.title.text.startswith("This page has moved to New name")
        assert doc.main.h1.text == "This page has moved"
        link = doc.main.find("a")
        assert link["href"] == "/letters/2024-01-01-new/" and link.text == "New name"
        assert "This page has moved to New name." in doc.main.p.get_text()


def test_redirects_file_and_not_in_sitemap_feeds_or_search(make_site, tmp_path):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[/letters/old-name/]")})
    out = build_ok(site, tmp_path / "out")
    lines = [line for line in (out / "_redirects").read_text().splitlines() if not line.startswith("#")]
    assert lines == ["/letters/old-name/ /letters/2024-01-01-new/ 301"]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(out / "sitemap.xml").findall(".//s:loc", ns)]
    assert "https://example.org/letters/2024-01-01-new/" in locs and not any("old-name" in u for u in locs)
    assert "old-name" not in (out / "feed.xml").read_text()
    import json

    entries = [json.loads(p.read_text()) for p in (out / "pagefind").rglob("pagefind-entry.json")]
    assert entries and sum(lang["page_count"] for e in entries for lang in e["languages"].values()) == 1


def test_a_site_without_aliases_has_no_redirects_file(make_site, tmp_path):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[]")})
    assert not (build_ok(site, tmp_path / "out") / "_redirects").exists()


def test_sub_folder_sites_put_the_folder_in_front(make_site, tmp_path):
    config = 'title = "T"\nbase_url = "https://example.org/send/"\n'
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[/letters/a/, /send/letters/b/]")}, config)
    out = build_ok(site, tmp_path / "out")
    assert "/send/letters/a/ /send/letters/2024-01-01-new/ 301" in (out / "_redirects").read_text()
    assert "/send/letters/b/ /send/letters/2024-01-01-new/ 301" in (out / "_redirects").read_text()
    doc = BeautifulSoup((out / "letters/a/index.html").read_text(), "html.parser")
    assert doc.find("link", rel="canonical")["href"] == "https://example.org/send/letters/2024-01-01-new/"
    assert doc.main.a["href"] == "/send/letters/2024-01-01-new/"


def test_alias_clashing_with_a_real_page_names_both_files(make_site, tmp_path):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[/letters/2023-01-01-other]"),
                      "content/letters/2023-01-01-other.md": letter(title="Other", aliases="[]")})
    [error] = failure(site, tmp_path)
    assert error.path == "content/letters/2024-01-01-new.md" and error.line == 6
    assert "content/letters/2023-01-01-other.md" in error.message


def test_alias_clashing_with_a_draft_page_is_also_an_error(make_site, tmp_path):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[/about/]"),
                      "content/pages/about.md": "---\ntitle: About\ndraft: true\n---\nText.\n"})
    [error] = failure(site, tmp_path)
    assert "content/pages/about.md" in error.message


@pytest.mark.parametrize("alias", ["/letters/", "/letters/page/2/", "/tags/ehcp/", "/timeline/show/events/",
                                   "/search/", "/assets/old/", "/index.html", "/404.html"])
def test_alias_taking_an_address_the_site_makes_is_an_error(make_site, tmp_path, alias):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases=f"[{alias}]")})
    [error] = failure(site, tmp_path)
    assert "an address the site makes itself" in error.message


def test_two_pages_with_the_same_alias_name_both_files(make_site, tmp_path):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[/letters/old/]"),
                      "content/letters/2024-02-01-newer.md": letter(title="Newer", aliases="[/letters/old]")})
    [error] = failure(site, tmp_path)
    assert error.path == "content/letters/2024-02-01-newer.md"
    assert "content/letters/2024-01-01-new.md" in error.message


def test_own_address_as_alias_is_an_error(make_site, tmp_path):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[/letters/2024-01-01-new/]")})
    [error] = failure(site, tmp_path)
    assert "its own address" in error.message


def test_drafts_aliases_make_no_redirect(make_site, tmp_path):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[/letters/old/]", extra="draft: true\n")})
    out = build_ok(site, tmp_path / "out")
    assert not (out / "letters/old/index.html").exists() and not (out / "_redirects").exists()


def test_incremental_rebuild_adds_and_removes_redirects(make_site, tmp_path):
    site = make_site({"content/letters/2024-01-01-new.md": letter(aliases="[/letters/old/]")})
    out = tmp_path / "out"
    build(site, out, jobs=1, today=TODAY)
    assert (out / "letters/old/index.html").exists()
    (site / "content/letters/2024-01-01-new.md").write_text(letter(aliases="[/letters/older/]"), encoding="utf-8")
    build(site, out, jobs=1, today=TODAY)
    assert (out / "letters/older/index.html").exists() and not (out / "letters/old/index.html").exists()
    assert "/letters/older/" in (out / "_redirects").read_text() and "/letters/old/ " not in (out / "_redirects").read_text()
