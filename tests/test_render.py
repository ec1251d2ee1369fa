"""The published pages, checked as parsed HTML."""

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup

from builder.build import build
from tests.conftest import FIXTURES

TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("full") / "out"
    build(FIXTURES / "full", folder, use_cache=False, jobs=1, today=TODAY)
    return folder


def page(out, rel):
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def all_pages(out):
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if "pagefind" not in p.parts)


def test_every_page_has_lang_skip_link_landmarks_one_h1_and_no_skipped_levels(out):
    for rel in all_pages(out):
        doc = page(out, rel)
        assert doc.html["lang"] == "en-GB", rel
        if doc.find("meta", attrs={"http-equiv": "refresh"}):
            # An old address (aliases:): a standalone page shown for an instant (see test_aliases).
            assert doc.find("main") and len(doc.find_all("h1")) == 1 and doc.title.text.strip(), rel
            continue
        first_focusable = doc.body.find(["a", "button", "input", "select", "textarea"])
        assert first_focusable.get("href") == "#main" and "skip" in first_focusable.text.lower(), rel
        assert doc.find("main", id="main") is not None and doc.find("header") and doc.find("footer"), rel
        assert doc.find("nav", attrs={"aria-label": "Main"}) is not None, rel
        assert len(doc.find_all("h1")) == 1, rel
        levels = [int(h.name[1]) for h in doc.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1 or rel != "index.html"
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{rel}: heading level jumps from h{before} to h{after}"
        assert doc.title.text.strip(), rel


def test_letter_looks_like_a_letter(out):
    doc = page(out, "letters/2019-02-01-after-the-revisit/index.html")
    assert doc.find(class_="letter__salutation").text.strip() == "Dear families,"
    signature = doc.find(class_="letter__signature")
    assert signature.find(class_="letter__author").text == "Jane Example"
    assert signature.find(class_="letter__role").text == "Assistant Director for Inclusion"
    assert "Next update expected:" in doc.find(class_="next-update").text
    assert doc.find(class_="next-update").find("time")["datetime"] == "2019-05"
    attachment = doc.find(class_="attachment")
    assert attachment.a["href"] == "/updates/files/plan.pdf"
    assert re.fullmatch(r"PDF, \d+ (bytes|KB), 2 pages", attachment.find(class_="attachment__meta").text)
    assert "send@example.org" in doc.find(class_="attachment__request").text
    nav = doc.find("nav", class_="prev-next")
    assert nav.find("a", rel="next")["href"] == "/letters/2019-05-10-spring-letter/"
    assert nav.find("a", rel="prev") is None


def test_dates_are_time_elements_in_govuk_style(out):
    doc = page(out, "letters/2019-05-10-spring-letter/index.html")
    times = {t["datetime"]: t.text for t in doc.find_all("time")}
    assert times["2019-05-10"] == "10 May 2019" and times["2019-05-12"] == "12 May 2019"


def test_timeline_groups_by_year_with_upcoming_section(out):
    doc = page(out, "timeline/index.html")
    years = [s.h2.text for s in doc.find_all("section", class_="timeline-year")]
    assert years == ["2016", "2019"]
    upcoming = doc.find("section", class_="upcoming")
    assert "Next progress review" in upcoming.text and upcoming.find("time")["datetime"] == "2099-05"
    revisit = [li for li in doc.find_all("li", class_="timeline-event") if "Revisit by inspectors" in li.text][0]
    assert revisit.find("time")["datetime"] == "2019-01"
    assert "Ofsted, CQC" in revisit.text and "Sufficient progress in one area out of four" in revisit.text
    around = [a.text for a in revisit.find("details").find_all("a")]
    # "You said, we did" entries (content/feedback/) are placed on the timeline with the articles.
    assert around == ["After the revisit", "Revisit report published", "Finding help on the local offer website",
                      "Spring letter", "Letters about plans that are hard to read", "June progress update"]


def test_timeline_kind_filters_work_without_javascript(out):
    events_only = page(out, "timeline/show/events/index.html")
    assert events_only.find("details") is None
    letters = page(out, "timeline/show/letters/index.html")
    assert {a.text for d in letters.find_all("details") for a in d.find_all("a")} == {"After the revisit", "Spring letter"}
    current = letters.find("nav", class_="filters").find("a", attrs={"aria-current": "page"})
    assert current.text == "Events and letters"


def test_drafts_and_scheduled_items_are_left_out(out):
    assert not (out / "updates/2019-07-01-draft-update").exists()
    assert not (out / "letters/2099-01-01-future-letter").exists()
    assert (out / "timeline/2099-05-progress-review/index.html").exists()  # upcoming events are shown


def test_lists_are_newest_first_and_paginated(out):
    first = page(out, "letters/index.html")
    assert [a.text for a in first.select(".card__title a")] == ["Spring letter", "After the revisit"]
    tag = page(out, "tags/inspection/index.html")
    assert tag.find("nav", class_="pagination") is not None  # per_page = 2 in the fixture
    assert (out / "tags/inspection/page/2/index.html").exists()


def test_long_pages_get_contents_and_back_to_top(out):
    doc = page(out, "updates/2019-06-01-june-update/index.html")
    contents = doc.find("nav", class_="contents-list")
    targets = [a["href"] for a in contents.find_all("a")]
    assert targets == ["#plans", "#staff", "#next-steps"]
    for target in targets:
        assert doc.find(id=target[1:]) is not None
    assert doc.find("a", href="#top") is not None and doc.find(id="top") is not None


def test_questions_page_opens_each_answer_under_its_question(out):
    """questions: true turns each ## section into <details>, with the heading kept in <summary>."""
    doc = page(out, "faq/index.html")
    prose = doc.find(class_="prose")
    questions = prose.find_all("details", recursive=False)
    assert [d.summary.h2["id"] for d in questions] == [
        "what-is-send", "what-is-an-ehcp", "how-do-i-complain", "where-can-i-get-help"]
    assert all(d.summary.parent is d and d.summary is d.find() for d in questions)  # summary comes first
    assert not any(d.has_attr("open") for d in questions)  # closed until the reader opens one
    assert questions[0].find("p").text == "SEND means special educational needs and disabilities."
    assert questions[0].find("p").find_parent("summary") is None  # the answer is not in the button
    # The questions are their own list: no contents list and no "Back to top".
    assert doc.find("nav", class_="contents-list") is None and doc.find("a", href="#top") is None
    # Headings stay in the page outline.
    assert [h.text for h in doc.find_all("h2") if h.find_parent("details")][0] == "What is SEND?"


def test_front_matter_and_raw_html_are_escaped_or_removed(out):
    doc = page(out, "news/revisit-report/index.html")
    assert all(s.get("src", "").startswith("/assets/") for s in doc.find_all("script"))


def test_commitments_show_status_as_text(out):
    doc = page(out, "commitments/index.html")
    rows = {tr.th.text.strip(): tr for tr in doc.find("tbody").find_all("tr")}
    assert "Status not yet published" in rows["A clearer local offer"].text
    assert "In progress (as of 30 June 2020)" in rows["EHC plans finished on time"].text
    detail = page(out, "commitments/plans-on-time/index.html")
    assert [li.find("time")["datetime"] for li in detail.find(class_="status-history").find_all("li")] == ["2020-06-30", "2019-01"]
    reports = [a.text for a in detail.find(id="reports-heading").parent.find_all("a") if a.find_parent(class_="cards")]
    assert reports == ["After the revisit", "Revisit by inspectors"]


def test_home_shows_latest_and_what_happens_next(out):
    doc = page(out, "index.html")
    assert "June progress update" in doc.find("section", attrs={"aria-labelledby": "latest-heading"}).text
    assert "Next progress review" in doc.find("section", attrs={"aria-labelledby": "next-heading"}).text


def test_404_sitemap_and_robots(out):
    assert page(out, "404.html").h1.text == "Page not found"
    assert "Sitemap: https://example.org/sitemap.xml" in (out / "robots.txt").read_text()


def test_every_page_the_site_makes_itself_has_a_meta_description(out):
    made = ["index.html", "updates/index.html", "letters/index.html", "news/index.html", "timeline/index.html",
            "timeline/show/events/index.html", "tags/index.html", "tags/inspection/index.html",
            "commitments/index.html", "glossary/index.html", "accessibility/index.html", "search/index.html",
            "get-updates/index.html", "settings/index.html", "404.html"]
    descriptions = {}
    for rel in made:
        meta = page(out, rel).find("meta", attrs={"name": "description"})
        assert meta is not None and len(meta["content"]) > 30, rel
        descriptions[rel] = meta["content"]
    assert descriptions["index.html"].startswith("How Example County Council and its partners")
    assert "Inspection" in descriptions["tags/inspection/index.html"]
    # Pages made from files use their summary.
    faq = page(out, "faq/index.html").find("meta", attrs={"name": "description"})
    assert faq["content"] == "Answers to common questions."


def test_every_page_links_the_favicon(out):
    for rel in all_pages(out):
        icons = page(out, rel).find_all("link", rel="icon")
        assert [i["href"] for i in icons][1:] == ["/favicon.ico"] and icons[0]["type"] == "image/svg+xml", rel
    assert (out / "favicon.ico").is_file()
