"""Atom feeds, iCalendar and sitemap are parsed back and checked."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from builder.content.dates import PartialDate
from builder.build import build
from tests.conftest import FIXTURES

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feeds") / "out"
    build(FIXTURES / "full", folder, use_cache=False, jobs=1, today=dt.date(2025, 6, 1))
    return folder


def test_atom_feed_has_required_elements_and_absolute_stable_ids(out):
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0] == "June progress update" and "Draft update" not in titles and "A letter from the future" not in titles
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("https://example.org/")
        assert entry.findtext(f"{ATOM}updated").endswith("T00:00:00Z")
        assert entry.find(f"{ATOM}content").get("type") == "html"
    assert feed.findtext(f"{ATOM}updated") == "2019-06-01T00:00:00Z"


def test_one_feed_per_kind_linked_from_list_pages(out):
    letters = ET.parse(out / "letters/feed.xml").getroot()
    assert {e.findtext(f"{ATOM}title") for e in letters.findall(f"{ATOM}entry")} == {"After the revisit", "Spring letter"}
    assert 'href="/letters/feed.xml"' in (out / "letters/index.html").read_text()


def test_calendar_lists_upcoming_events_and_is_valid(out):
    calendar = Calendar.from_ical((out / "calendar.ics").read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries == ["Next progress review (expected in May 2099, date to be confirmed)"]
    event = events[0]
    # Known only to the month: tentative, across the month, never a firm 1 May.
    assert event["STATUS"] == "TENTATIVE"
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (dt.date(2099, 5, 1), dt.date(2099, 6, 1))
    assert str(event["UID"]).endswith("@example.org") and event.get("DTSTAMP") is not None
    assert calendar["VERSION"] == "2.0" and calendar.get("PRODID")


def test_calendar_includes_expected_letters(tmp_path):
    from tests.conftest import write_site

    site = write_site(tmp_path / "s", {"content/letters/2025-05-01-a.md":
                                       "---\ntitle: A\ndate: 2025-05-01\nauthor: B\nnext_update: 2025-07\n---\nHi\n"})
    build(site, tmp_path / "o", use_cache=False, jobs=1, today=dt.date(2025, 6, 1))
    calendar = Calendar.from_ical((tmp_path / "o/calendar.ics").read_bytes())
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [
        "Next letter to families expected in July 2025 (date to be confirmed)"]


def test_sitemap_lists_pages_with_absolute_urls(out):
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = [u.findtext(f"{ns}loc") for u in ET.parse(out / "sitemap.xml").getroot()]
    assert "https://example.org/" in urls and "https://example.org/timeline/" in urls
    assert all(u.startswith("https://example.org/") for u in urls)
    assert not any("404" in u for u in urls)


def test_calendar_says_expected_once_in_whole_sentences():
    from builder.render.feeds import calendar_summary
    from builder.site.index import Expected

    month, day = PartialDate(2027, 5), PartialDate(2027, 5, 14)
    assert calendar_summary(Expected(month, "Progress review", "/timeline/x/", "event")) == \
        "Progress review (expected in May 2027, date to be confirmed)"
    assert calendar_summary(Expected(day, "Progress review", "/timeline/x/", "event")) == "Progress review"
    assert calendar_summary(Expected(month, "Next letter to families", "/letters/a/", "update")) == \
        "Next letter to families expected in May 2027 (date to be confirmed)"
    assert calendar_summary(Expected(day, "Next letter to families", "/letters/a/", "update")) == \
        "Next letter to families expected"


def test_example_site_calendar_never_says_expected_twice(tmp_path):
    from tests.conftest import ROOT

    build(ROOT, tmp_path / "o", use_cache=False, jobs=1, today=dt.date(2026, 11, 23))
    calendar = Calendar.from_ical((tmp_path / "o/calendar.ics").read_bytes())
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert summaries, "the example site has upcoming dates"
    for summary in summaries:
        assert summary.lower().count("expected") <= 1, summary


def test_a_known_day_is_a_firm_one_day_event(tmp_path):
    from tests.conftest import write_site

    site = write_site(tmp_path / "s", {"content/timeline/2099-05-14-review.md":
                                       "---\ntitle: Review\ndate: 2099-05-14\nevent: review\n---\nHi\n"})
    build(site, tmp_path / "o", use_cache=False, jobs=1, today=dt.date(2025, 6, 1))
    event = next(iter(Calendar.from_ical((tmp_path / "o/calendar.ics").read_bytes()).walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Review" and event.get("STATUS") is None
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (dt.date(2099, 5, 14), dt.date(2099, 5, 15))
