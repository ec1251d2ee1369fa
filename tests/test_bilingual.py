"""Bilingual sites (builder/site/languages.py, builder/render/languages.py): the Welsh fixture
built, read back as parsed HTML, feeds and sitemaps; the errors a translation can cause."""

from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.build import build
from builder.errors import BuildFailed
from tests.conftest import FIXTURES, MINIMAL_CONFIG, write_site

WELSH = FIXTURES / "welsh"
TODAY = dt.date(2025, 1, 15)
HOST = "https://example.org"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bilingual") / "welsh"
    shutil.copytree(WELSH, root)
    build(root, today=TODAY)
    return root / "output"


def soup(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "html.parser")


def switch(page: BeautifulSoup):
    links = page.select(".language-switch a")
    assert len(links) == 1
    return links[0]


def test_translations_live_under_the_language_folder_with_the_same_paths(site):
    assert (site / "letters/2024-05-update/index.html").is_file()
    assert (site / "cy/letters/2024-05-update/index.html").is_file()
    assert (site / "cy/news/index.html").is_file() and (site / "cy/timeline/show/events/index.html").is_file()
    # Untranslated: English only. Translation files are never published as files of their own.
    assert (site / "school-transport/index.html").is_file()
    assert not (site / "cy/school-transport").exists()
    assert not list(site.rglob("*.cy.md")) and not list(site.rglob("glossary*.yml"))


@pytest.mark.parametrize("path, lang", [("index.html", "en-GB"), ("letters/2024-05-update/index.html", "en-GB"),
                                        ("cy/index.html", "cy"), ("cy/letters/2024-05-update/index.html", "cy"),
                                        ("cy/search/index.html", "cy"), ("cy/404.html", "cy")])
def test_every_page_says_its_language(site, path, lang):
    assert soup(site, path).html["lang"] == lang


def test_each_version_names_every_version_by_absolute_address(site):
    for path in ("letters/2024-05-update/index.html", "cy/letters/2024-05-update/index.html"):
        alternates = {link["hreflang"]: link["href"] for link in soup(site, path).select('link[rel="alternate"][hreflang]')}
        assert alternates == {"en-GB": f"{HOST}/letters/2024-05-update/", "cy": f"{HOST}/cy/letters/2024-05-update/",
                              "x-default": f"{HOST}/letters/2024-05-update/"}
    home = {link["hreflang"]: link["href"] for link in soup(site, "cy/timeline/index.html").select("link[hreflang]")}
    assert home["cy"] == f"{HOST}/cy/timeline/" and home["en-GB"] == f"{HOST}/timeline/"
    assert soup(site, "cy/letters/2024-05-update/index.html").select_one('link[rel="canonical"]')["href"] == \
        f"{HOST}/cy/letters/2024-05-update/"


def test_the_switch_goes_to_the_same_page_in_the_other_language(site):
    english = switch(soup(site, "letters/2024-05-update/index.html"))
    assert (english.get_text(), english["lang"], english["href"]) == ("Cymraeg", "cy", "/cy/letters/2024-05-update/")
    welsh = switch(soup(site, "cy/letters/2024-05-update/index.html"))
    assert welsh.get_text() == "English" and welsh["lang"].startswith("en") and welsh["href"] == "/letters/2024-05-update/"
    assert switch(soup(site, "cy/timeline/show/news/index.html"))["href"] == "/timeline/show/news/"
    for path in ("letters/2024-05-update/index.html", "cy/letters/2024-05-update/index.html"):
        assert soup(site, path).select(".language-switch__note") == []


def test_a_page_with_no_translation_sends_readers_home_and_says_so(site):
    page = soup(site, "school-transport/index.html")
    link = switch(page)
    assert link["href"] == "/cy/"
    note = page.select_one(".language-switch__note")
    assert note.get_text() == "Nid oes fersiwn Gymraeg o'r dudalen hon" and note["lang"] == "cy"
    assert page.select("link[hreflang]") == []  # one version: nothing to point at


def test_welsh_pages_use_welsh_words_dates_and_glossary(site):
    letter = soup(site, "cy/letters/2024-11-21-after-the-monitoring-visit/index.html")
    assert letter.select_one("time[datetime='2024-11-21']").get_text() == "21 Tachwedd 2024"
    assert "CDU" in {abbr.get_text() for abbr in letter.select("abbr")}
    assert letter.select_one(".skip-link").get_text() == "Neidio i'r prif gynnwys"
    nav = [a["href"] for a in letter.select(".site-nav a")]
    assert nav and all(href.startswith("/cy/") for href in nav)
    # The theme's files are shared: one copy at the site's root.
    assert letter.select_one('link[rel="stylesheet"]')["href"].startswith("/assets/")
    words = soup(site, "cy/glossary/index.html").get_text()
    assert "Fforwm Rhieni Enghraifft" in words


def test_lists_feeds_calendar_and_sitemap_are_per_language(site):
    letters = [a["href"] for a in soup(site, "cy/letters/index.html").select("main a[href*='/letters/']")]
    assert letters and all(href.startswith("/cy/letters/") for href in letters)
    english = [a["href"] for a in soup(site, "letters/index.html").select("main a[href*='/letters/']")]
    assert english and not any(href.startswith("/cy/") for href in english)
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "cy/feed.xml").getroot()
    links = [e.find(f"{atom}link").get("href") for e in feed.findall(f"{atom}entry")]
    assert links and all(link.startswith(f"{HOST}/cy/") for link in links)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "cy"
    assert (site / "cy/calendar.ics").read_text().startswith("BEGIN:VCALENDAR")
    sitemap = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    welsh = [loc.text for loc in ET.parse(site / "cy/sitemap.xml").getroot().iter(f"{sitemap}loc")]
    assert welsh and all(loc.startswith(f"{HOST}/cy/") for loc in welsh)
    main = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{sitemap}loc")]
    assert not any(loc.startswith(f"{HOST}/cy/") for loc in main)
    robots = (site / "robots.txt").read_text()
    assert f"Sitemap: {HOST}/sitemap.xml" in robots and f"Sitemap: {HOST}/cy/sitemap.xml" in robots
    assert not (site / "cy/robots.txt").exists()


def test_each_language_has_its_own_search_index(site):
    assert soup(site, "cy/search/index.html").select_one("#search")["data-bundle"] == "/cy/pagefind/"
    assert (site / "cy/pagefind/0/pagefind.js").is_file() and (site / "pagefind/0/pagefind.js").is_file()
    welsh = {p.name for p in (site / "cy/pagefind/0").rglob("*") if p.name.startswith("pagefind-entry")}
    assert welsh


def _bilingual(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_site(tmp_path / "site", files, MINIMAL_CONFIG + 'languages = ["en-GB", "cy"]\n')


NEWS = '---\ntitle: "{title}"\ndate: {date}\nsummary: "A letter."\n---\nHello.\n'


def test_a_translation_without_its_original_names_both_files(tmp_path):
    root = _bilingual(tmp_path, {"content/news/2024-05-update.cy.md": NEWS.format(title="Llythyr", date="2024-05-01")})
    with pytest.raises(BuildFailed) as failed:
        build(root, today=TODAY)
    [problem] = failed.value.errors
    assert problem.path == "content/news/2024-05-update.cy.md" and "content/news/2024-05-update.md" in problem.message
    assert problem.hint


def test_a_translation_whose_date_disagrees_names_both_files(tmp_path):
    root = _bilingual(tmp_path, {"content/news/x.md": NEWS.format(title="Letter", date="2024-05-01"),
                                 "content/news/x.cy.md": NEWS.format(title="Llythyr", date="2024-05-02")})
    with pytest.raises(BuildFailed) as failed:
        build(root, today=TODAY)
    [problem] = failed.value.errors
    assert problem.path == "content/news/x.cy.md" and "content/news/x.md" in problem.message
    assert "date" in problem.message and problem.line == 3 and "same" in problem.hint


def test_a_translation_whose_slug_disagrees_is_an_error(tmp_path):
    root = _bilingual(tmp_path, {"content/pages/help.md": '---\ntitle: "Help"\n---\nHi.\n',
                                 "content/pages/help.cy.md": '---\ntitle: "Help"\nslug: cymorth\n---\nHi.\n'})
    with pytest.raises(BuildFailed) as failed:
        build(root, today=TODAY)
    assert ["slug" in e.message and e.path == "content/pages/help.cy.md" for e in failed.value.errors] == [True]


def test_a_broken_welsh_commitment_is_one_error_not_one_per_page_naming_it(tmp_path):
    """The Welsh commitment's address is that of its original (plans), so the Welsh news that
    names it is not reported as naming a commitment that does not exist."""
    commitment = '---\ntitle: "{title}"\nsource: ofsted\nsummary: "S."\n{extra}---\nText.\n'
    news = '---\ntitle: "{title}"\ndate: 2024-05-01\nsummary: "S."\ncommitments: [plans]\n---\nHello.\n'
    event = '---\ntitle: "{title}"\ndate: 2023-03\nevent: inspection\nsummary: "S."\n---\nText.\n'
    root = _bilingual(tmp_path, {
        "content/timeline/ofsted.md": event.format(title="Inspection"), "content/timeline/ofsted.cy.md": event.format(title="Arolwg"),
        "content/commitments/plans.md": commitment.format(title="Plans", extra=""),
        "content/commitments/plans.cy.md": commitment.format(title="Cynlluniau", extra="status: [oops]\n"),
        "content/news/x.md": news.format(title="News"), "content/news/x.cy.md": news.format(title="Newyddion")})
    with pytest.raises(BuildFailed) as failed:
        build(root, today=TODAY)
    assert {e.path for e in failed.value.errors} == {"content/commitments/plans.cy.md"}


@pytest.mark.parametrize("setting, words", [
    ('languages = ["en-GB", "fr"]', ["fr", "cy, en-GB"]),
    ('language = "cy"\nlanguages = ["en-GB", "cy"]', ["language", "languages"]),
    ("languages = []", ["empty"]),
    ('languages = ["en-GB", "cy", "cy"]', ["twice"]),
])
def test_languages_in_site_toml_are_checked(tmp_path, setting, words):
    root = write_site(tmp_path / "site", {}, MINIMAL_CONFIG + setting + "\n")
    with pytest.raises(BuildFailed) as failed:
        build(root, today=TODAY)
    [problem] = failed.value.errors
    assert problem.path == "site.toml" and all(word in problem.message for word in words), problem.message
    assert problem.hint


def test_without_languages_a_cy_file_is_an_ordinary_page(tmp_path):
    root = write_site(tmp_path / "site", {"content/pages/help.cy.md": '---\ntitle: "Help"\n---\nHi.\n'})
    build(root, today=TODAY)
    assert not (root / "output/cy").exists()
    assert soup(root / "output", "index.html").select(".language-switch, link[hreflang]") == []


def test_check_warns_once_per_untranslated_page_per_language(tmp_path):
    from builder.commands.check import run_check

    root = tmp_path / "welsh"
    shutil.copytree(WELSH, root)
    warnings, failures = run_check(root)
    assert failures == []
    untranslated = [w for w in warnings if "no translation" in w.message]
    assert [(w.path, w.hint.endswith("content/pages/school-transport.cy.md")) for w in untranslated] == \
        [("content/pages/school-transport.md", True)]


def _tree(folder: Path) -> dict[str, bytes]:
    from tests.conftest import tree_bytes
    return tree_bytes(folder)


def test_editing_a_translation_rebuilds_the_same_as_a_clean_build(tmp_path):
    root = tmp_path / "welsh"
    shutil.copytree(WELSH, root)
    build(root, today=TODAY)
    letter = root / "content/letters/2024-05-update.cy.md"
    letter.write_text(letter.read_text(encoding="utf-8").replace('title: "', 'title: "Wedi newid: ', 1), encoding="utf-8")
    build(root, today=TODAY)
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("output", ".cache"))
    build(clean, today=TODAY)
    incremental, fresh = _tree(root / "output"), _tree(clean / "output")
    assert incremental.keys() == fresh.keys()
    assert [path for path in fresh if incremental[path] != fresh[path]] == []
    assert "Wedi newid: " in soup(root / "output", "cy/letters/index.html").get_text()
    assert "Wedi newid: " not in soup(root / "output", "letters/index.html").get_text()


def test_the_site_has_its_name_and_accessibility_notes_in_each_language(site):
    welsh, english = soup(site, "cy/index.html"), soup(site, "index.html")
    assert welsh.select_one(".site-header__title").get_text() == "Anghenion dysgu ychwanegol: ein cynnydd yn Sir Enghraifft"
    assert welsh.select_one(".site-header__org").get_text() == "Cyngor Sir Enghraifft"
    assert english.select_one(".site-header__title").get_text() == "Additional learning needs: our progress in Example County"
    assert "Saesneg yn unig" in soup(site, "cy/accessibility/index.html").get_text()
    assert "English only" in soup(site, "accessibility/index.html").get_text()


def test_translated_names_only_a_language_of_the_site(tmp_path):
    root = write_site(tmp_path / "site", {}, MINIMAL_CONFIG + 'languages = ["en-GB", "cy"]\n[translated.fr]\ntitle = "x"\n')
    with pytest.raises(BuildFailed) as failed:
        build(root, today=TODAY)
    assert ["[translated.fr]" in e.message for e in failed.value.errors] == [True]


def test_a_page_may_not_take_a_language_folder(tmp_path):
    root = _bilingual(tmp_path, {"content/pages/cy.md": '---\ntitle: "Cymraeg"\n---\nHi.\n'})
    with pytest.raises(BuildFailed) as failed:
        build(root, today=TODAY)
    assert [(e.path, "/cy/" in e.message) for e in failed.value.errors] == [("content/pages/cy.md", True)]
