"""Topics' labels: from site.toml, from the glossary, or from the tag's words; translated; and
marked with lang where they are not in the page's language (WCAG 3.1.2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup

from builder.build import build
from builder.site.config import load_config
from builder.site.topics import topic_html, topic_label
from tests.conftest import FIXTURES, write_site

BILINGUAL = ('title = "T"\nbase_url = "https://example.org/"\nlanguages = ["en-GB", "cy"]\n'
             '[topics]\nfaq = "Questions and answers"\nnhs-england = "NHS England"\n'
             '[translated.cy.topics]\nfaq = "Cwestiynau ac atebion"\n')


def _config(tmp_path: Path, text: str = BILINGUAL):
    return load_config(write_site(tmp_path / "site", {}, text))


def test_a_label_the_site_gives_comes_first_in_each_language(tmp_path):
    config = _config(tmp_path)
    assert topic_label("faq", config, "en-GB") == ("Questions and answers", "")
    assert topic_label("faq", config, "cy") == ("Cwestiynau ac atebion", "")
    # Given only in English: on a Welsh page it is English, and says so.
    assert topic_label("nhs-england", config, "cy") == ("NHS England", "en-GB")
    assert str(topic_html("nhs-england", config, "cy")) == '<span lang="en-GB">NHS England</span>'


def test_otherwise_the_glossary_then_the_tag_s_words(tmp_path):
    config = _config(tmp_path, 'title = "T"\nbase_url = "https://example.org/"\n')
    glossary = {"NHS England": "…", "IDP": "individual development plan"}
    assert topic_label("nhs-england", config, "en-GB", glossary) == ("NHS England", "")
    assert topic_label("idp-reviews", config, "en-GB", glossary) == ("IDP reviews", "")
    assert topic_label("school-transport", config, "en-GB", glossary) == ("School transport", "")


def test_welsh_topics_page_is_in_welsh_with_lang_on_english_labels(tmp_path):
    out = tmp_path / "out"
    build(FIXTURES / "welsh", out, use_cache=False, jobs=1, today=dt.date(2025, 6, 1))
    doc = BeautifulSoup((out / "cy/tags/index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"]: a for a in doc.select(".tag-index a")}
    assert links["/cy/tags/idp/"].get_text() == "Cynlluniau datblygu unigol (CDUau)"
    assert links["/cy/tags/idp/"].find(attrs={"lang": True}) is None
    for link in links.values():  # no Welsh label: the English one, marked as English
        span = link.find("span", lang=True)
        assert span is None or span["lang"] == "en-GB"
    heading = BeautifulSoup((out / "tags/idp/index.html").read_text(encoding="utf-8"), "html.parser").h1
    assert heading.get_text() == "Topic: Individual development plans (IDPs)"
    page = BeautifulSoup((out / "cy/letters/2024-05-update/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Cynlluniau datblygu unigol (CDUau)" in page.find(class_="topics").get_text()
