"""Easy Read versions (builder/site/easyread.py, builder/render/easyread.py): NAME.easyread.md
beside a page is found, published at the page's address + easy-read/, laid out in rows of a
picture and its text, linked both ways and listed; its problems and `check`'s warnings name
the file and line. Read back as parsed HTML."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.build import build
from builder.commands.check import lint_source
from builder.commands.new import create_easy_read
from builder.content.discover import classify
from builder.errors import BuildFailed
from builder.site.config import load_config
from builder.site.languages import language_of, original_of, translation_name
from tests.conftest import FIXTURES, png_bytes, write_site

TODAY = dt.date(2025, 1, 15)
LETTER = """---
title: Our plans for the spring
date: 2024-03-01
author: Jane Example
summary: What we will do this spring.
---
We will open two new resource bases and review every plan that is late.
"""
EASY = """---
title: Our plans for the spring in Easy Read
summary: What we will do.
---
![A school building](files/school.png)

We will open 2 new classes.

They are for children who need more help.

![A calendar](files/calendar.png)

We will check every plan that is late.
"""
PAGE = """---
title: Contact us
slug: contact
summary: How to reach us.
---
Email us.
"""
PAGE_EASY = """---
title: How to talk to us
slug: contact
---
![A telephone](files/phone.png)

Phone us.
"""


def soup(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "html.parser")


def site_files(**extra: str | bytes) -> dict:
    files = {"content/letters/2024-03-01-spring.md": LETTER, "content/letters/2024-03-01-spring.easyread.md": EASY,
             "content/pages/contact-us.md": PAGE, "content/pages/contact-us.easyread.md": PAGE_EASY,
             "content/letters/files/school.png": png_bytes(), "content/letters/files/calendar.png": png_bytes(9, 7),
             "content/pages/files/phone.png": png_bytes(10, 8)}
    files.update(extra)
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_site(tmp_path_factory.mktemp("easyread") / "site", site_files())
    build(root, today=TODAY)
    return root / "output"


@pytest.fixture(scope="module")
def welsh(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("easyread-cy") / "welsh"
    shutil.copytree(FIXTURES / "welsh", root)
    build(root, today=TODAY)
    return root / "output"


def test_an_easyread_file_is_found_as_an_easy_read_page_in_its_language():
    config = load_config(FIXTURES / "welsh")
    assert classify("content/letters/x.easyread.md") == "easyread"
    assert classify("content/letters/x.cy.easyread.md") == "easyread"
    assert classify("content/letters/x.md") == "letter" and classify("content/x.easyread.md") == "stray-markdown"
    assert language_of("content/letters/x.cy.easyread.md", config) == "cy"
    assert language_of("content/letters/x.easyread.md", config) == "en-GB"
    # The Welsh Easy Read is a translation of the English Easy Read, as x.cy.md is of x.md.
    assert original_of("content/letters/x.cy.easyread.md", "cy") == "content/letters/x.easyread.md"
    assert translation_name("content/letters/x.easyread.md", "cy") == "content/letters/x.cy.easyread.md"


def test_it_is_published_at_its_pages_address_with_easy_read_after_it(site):
    assert (site / "letters/2024-03-01-spring/easy-read/index.html").is_file()
    # The page's slug: field gives both their address.
    assert (site / "contact/easy-read/index.html").is_file() and (site / "contact/index.html").is_file()
    assert not list(site.rglob("*.easyread*"))
    page = soup(site, "letters/2024-03-01-spring/easy-read/index.html")
    assert page.h1.get_text() == "Our plans for the spring in Easy Read"
    assert page.find("link", rel="canonical")["href"] == "https://example.org/letters/2024-03-01-spring/easy-read/"


def test_the_page_and_its_easy_read_version_link_to_each_other_before_the_text(site):
    standard = soup(site, "letters/2024-03-01-spring/index.html")
    link = standard.select_one("main .version-link a")
    assert link.get_text(strip=True) == "Easy Read version" and link["href"] == "/letters/2024-03-01-spring/easy-read/"
    assert link.find_next("h1") is not None  # above the heading: the first thing a reader sees
    back = soup(site, "letters/2024-03-01-spring/easy-read/index.html").select_one("main .version-link a")
    assert back.get_text(strip=True) == "Standard version" and back["href"] == "/letters/2024-03-01-spring/"
    assert soup(site, "contact/index.html").select_one(".version-link a")["href"] == "/contact/easy-read/"
    assert soup(site, "contact/easy-read/index.html").select_one(".version-link a")["href"] == "/contact/"


def test_a_page_without_an_easy_read_version_has_no_such_link(site):
    assert soup(site, "index.html").select(".version-link") == []
    assert soup(site, "letters/index.html").select(".version-link") == []


def test_the_easy_read_list_names_each_version_and_its_page(site):
    listing = soup(site, "easy-read/index.html")
    assert listing.h1.get_text() == "Easy Read"
    cards = listing.select("main .card")
    assert [card.h2.a["href"] for card in cards] == ["/contact/easy-read/", "/letters/2024-03-01-spring/easy-read/"]
    assert [card.select_one(".meta a")["href"] for card in cards] == ["/contact/", "/letters/2024-03-01-spring/"]
    # Every page's footer leads to it.
    assert soup(site, "news/index.html").select_one('footer a[href="/easy-read/"]').get_text() == "Easy Read"


def test_each_picture_and_the_text_after_it_make_one_row(site):
    body = soup(site, "letters/2024-03-01-spring/easy-read/index.html").select_one(".easy-read__body")
    rows = body.select(":scope > .easy-row")
    assert len(rows) == 2
    first, second = rows
    assert [child["class"] for child in first.find_all(recursive=False)] == [["easy-picture"], ["easy-text"]]
    assert first.select_one(".easy-picture img")["alt"] == "A school building"
    assert [p.get_text() for p in first.select(".easy-text p")] == ["We will open 2 new classes.",
                                                                     "They are for children who need more help."]
    assert second.select_one(".easy-picture img")["alt"] == "A calendar"
    assert [p.get_text() for p in second.select(".easy-text p")] == ["We will check every plan that is late."]


def test_a_standard_page_with_the_same_markdown_gets_no_rows(tmp_path):
    root = write_site(tmp_path / "s", site_files(**{"content/letters/2024-03-01-spring.md": LETTER.replace(
        "We will open", "![A school building](files/school.png)\n\nWe will open")}))
    build(root, today=TODAY)
    assert soup(root / "output", "letters/2024-03-01-spring/index.html").select(".easy-row") == []


def test_an_easy_read_version_is_held_back_with_its_draft_or_scheduled_page(tmp_path):
    scheduled = LETTER.replace("2024-03-01", "2099-03-01")
    root = write_site(tmp_path / "s", site_files(**{
        "content/letters/2024-03-01-spring.md": scheduled,
        "content/pages/contact-us.md": PAGE.replace("summary:", "draft: true\nsummary:")}))
    build(root, today=TODAY)
    output = root / "output"
    assert not (output / "letters/2024-03-01-spring").exists()
    assert not (output / "contact").exists()
    assert not (output / "easy-read").exists()


def test_an_easy_read_file_without_its_page_names_the_file_and_the_fix(tmp_path):
    files = site_files()
    del files["content/letters/2024-03-01-spring.md"]
    root = write_site(tmp_path / "s", files)
    with pytest.raises(BuildFailed) as failed:
        build(root, today=TODAY)
    [problem] = failed.value.errors
    assert problem.path == "content/letters/2024-03-01-spring.easyread.md"
    assert "content/letters/2024-03-01-spring.md" in problem.message and ".easyread" in problem.hint


def test_an_easy_read_file_with_another_slug_names_the_line(tmp_path):
    root = write_site(tmp_path / "s", site_files(**{
        "content/pages/contact-us.easyread.md": PAGE_EASY.replace("slug: contact", "slug: talk-to-us")}))
    with pytest.raises(BuildFailed) as failed:
        build(root, today=TODAY)
    [problem] = failed.value.errors
    assert problem.path == "content/pages/contact-us.easyread.md" and problem.line == 3
    assert "slug: contact" in problem.hint


def test_no_page_may_take_the_easy_read_lists_address(tmp_path):
    root = write_site(tmp_path / "s", site_files(**{"content/pages/easy-read.md": PAGE.replace("slug: contact\n", "")}))
    with pytest.raises(BuildFailed) as failed:
        build(root, today=TODAY)
    assert [p.path for p in failed.value.errors] == ["content/pages/easy-read.md"]


def test_the_welsh_easy_read_page_is_in_welsh_beside_its_welsh_page(welsh):
    path = "cy/letters/2024-11-21-after-the-monitoring-visit/easy-read/index.html"
    page = soup(welsh, path)
    assert page.html["lang"] == "cy"
    back = page.select_one("main .version-link a")
    assert back["href"] == "/cy/letters/2024-11-21-after-the-monitoring-visit/" and back.get_text() == "Fersiwn safonol"
    assert len(page.select(".easy-row")) == 3
    # Its language switch goes to the English Easy Read page, and the Welsh list lists it.
    assert page.select_one(".language-switch a")["href"] == "/letters/2024-11-21-after-the-monitoring-visit/easy-read/"
    listing = soup(welsh, "cy/easy-read/index.html")
    assert [a["href"] for a in listing.select("main .card h2 a")] == ["/" + path.removesuffix("index.html")]
    original = soup(welsh, "cy/letters/2024-11-21-after-the-monitoring-visit/index.html")
    assert original.select_one("main .version-link a").get_text() == "Fersiwn Hawdd ei Ddeall"


def test_check_warns_about_long_sentences_in_easy_read_with_file_and_line():
    text = EASY.replace("We will check every plan that is late.",
                        "We will check every plan that is late and write to every family about it soon.")
    warnings, failures = lint_source("content/letters/x.easyread.md", text, {})
    assert failures == []
    [warning] = warnings
    assert warning.line == 13 and "16 words (over 15)" in warning.message and "15 words or fewer" in warning.hint
    # The same sentence in a standard page is within its limit (30).
    assert lint_source("content/letters/x.md", LETTER.replace("We will open two new resource bases and review every "
                                                              "plan that is late.", text.split("\n")[-2]), {}) == ([], [])


def test_check_warns_about_pictures_described_by_nothing_with_file_and_line():
    text = EASY.replace("![A calendar]", "![calendar.png]").replace("![A school building]", "![Picture]")
    warnings, failures = lint_source("content/letters/x.easyread.md", text, {})
    assert failures == []
    assert [(w.line, w.message.split(",")[0]) for w in warnings] == [
        (5, 'the picture "files/school.png" has the text alternative "Picture"'),
        (11, 'the picture "files/calendar.png" has the text alternative "calendar.png"')]
    assert all("describe the picture" in w.hint for w in warnings)
    # A picture with no text alternative at all stops `check`, in Easy Read as everywhere.
    _, failures = lint_source("content/letters/x.easyread.md", EASY.replace("![A calendar]", "![]"), {})
    assert [(f.line, "no text alternative" in f.message) for f in failures] == [(11, True)]


def test_new_starts_an_easy_read_version_beside_its_page_with_its_title_and_slug(tmp_path):
    root = write_site(tmp_path / "s", site_files())
    (root / "content/pages/contact-us.easyread.md").unlink()
    made = create_easy_read(root, "content/pages/contact-us.md")
    assert made == root / "content/pages/contact-us.easyread.md"
    text = made.read_text(encoding="utf-8")
    assert 'title: "Contact us"' in text and "\nslug: contact " in text and "draft: true" in text
    text = text.replace("draft: true ", "draft: false")
    made.write_text(text, encoding="utf-8")
    build(root, today=TODAY)  # what it starts builds, and its instructions are not published
    page = soup(root / "output", "contact/easy-read/index.html")
    assert "15 words" not in page.get_text() and page.select_one(".version-link a")["href"] == "/contact/"


def test_the_editor_writes_easy_read_files_named_like_their_page():
    from builder.content.validate import SCHEMAS
    from builder.render.admin import cms_config

    config = load_config(FIXTURES / "full")
    collections = {c["name"]: c for c in cms_config(config, proxy_url="http://127.0.0.1:8081/api/v1")["collections"]}
    letters = collections["letters-easy-read"]
    # Decap adds "." + extension to the slug: 2022-07-01-open-letter.easyread.md beside its letter.
    assert letters["folder"] == "content/letters" and letters["extension"] == "easyread.md"
    assert letters["slug"] == "{{fields.slug}}" and letters["preview_path"] == "letters/{{slug}}/easy-read/"
    fields = {field["name"]: field for field in letters["fields"]}
    assert set(fields) == set(SCHEMAS["easyread"].model_fields) | {"body"}
    assert fields["slug"]["required"] is True and "without .md" in fields["slug"]["hint"]
    assert "15 words" in fields["body"]["hint"]
    assert collections["pages-easy-read"]["preview_path"] == "{{slug}}/easy-read/"
