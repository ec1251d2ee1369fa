""""You said, we did" (content/feedback/): the schema's errors, the list newest first with one
page per topic, and each entry on its commitments' pages, the timeline, the feeds, the search
documents, the home page and in the editor."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from builder.build import build
from builder.content.read import parse_source
from builder.content.validate import PageInvalid, validate
from builder.errors import BuildFailed
from builder.render import admin
from builder.render.search import search_documents
from builder.site.config import load_config
from tests.conftest import MINIMAL_CONFIG

ATOM = "{http://www.w3.org/2005/Atom}"
NOWHERE = Path("/nonexistent")  # no attachments, so validation reads no file

EVENT = "---\ntitle: The revisit\ndate: 2019-01\nevent: revisit\n---\nInspectors came back.\n"
COMMITMENT = "---\ntitle: Plans on time\nsource: 2019-01-revisit\n---\nWe will finish plans on time.\n"
UPDATE = "---\ntitle: February update\ndate: 2022-02-01\ncommitments: [plans-on-time]\n---\nWhat we did.\n"


def entry(title="Letters that are hard to read", date="2022-03-01", said="Young people said our letters were hard to read.",
          came_from="survey", heard="2022-01", did="We rewrote them in plain English.", status="done",
          extra="commitments: [plans-on-time]\ntags: [ehcp]\n") -> str:
    return (f'---\ntitle: "{title}"\ndate: {date}\nyou_said: "{said}"\ncame_from: {came_from}\nheard: {heard}\n'
            f'we_did: "{did}"\nstatus: {status}\n{extra}---\nMore about it.\n')


SITE = {
    "content/timeline/2019-01-revisit.md": EVENT,
    "content/commitments/plans-on-time.md": COMMITMENT,
    "content/updates/2022-02-01-february.md": UPDATE,
    "content/feedback/2022-03-01-letters.md": entry(),
    "content/feedback/2022-05-10-phone.md": entry(
        "No one answered the phone", "2022-05-10", "Parents told a forum meeting they could not get through by phone.",
        "forum", "2022-04-12", "We are adding a call-back service.", "in progress",
        "commitments: [plans-on-time]\ntags: [contact, ehcp]\n"),
    "content/feedback/2022-04-20-transport.md": entry(
        "School transport", "2022-04-20", "Families complained that transport was booked late.", "complaint",
        "2022-02", "We will book transport before the summer holidays.", "planned", "tags: [transport]\n"),
}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    from tests.conftest import write_site

    site = write_site(tmp_path_factory.mktemp("feedback") / "site", SITE)
    build(site, use_cache=False, jobs=1)
    return site / "output"


def html(out, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "lxml")


def _errors(text: str, path="content/feedback/x.md"):
    with pytest.raises(PageInvalid) as problem:
        validate(parse_source(path, text), "feedback", NOWHERE, "/")
    return problem.value.errors


# --- the schema -----------------------------------------------------------------------------

def test_an_entry_is_validated_into_the_page_model():
    page = validate(parse_source("content/feedback/2022-03-01-letters.md", entry()), "feedback", NOWHERE, "/")
    assert page.url == "/you-said-we-did/2022-03-01-letters/"
    assert page.feedback.said == "Young people said our letters were hard to read."
    assert (page.feedback.came_from, page.feedback.heard.iso, page.feedback.status) == ("survey", "2022-01", "done")
    assert page.commitments == ("plans-on-time",) and page.tags == ("ehcp",)


@pytest.mark.parametrize("change, line, words", [
    (("status: done", "status: finished"), 8, ['"status" cannot be "finished"', "planned", "in progress", "done"]),
    (("came_from: survey", "came_from: surveys"), 5, ['"came_from" cannot be "surveys"', 'Did you mean "survey"?']),
    (("heard: 2022-01", "heard: last spring"), 6, ['"last spring" is not a date', "YYYY-MM"]),
    (('we_did: "We rewrote them in plain English."', 'we_did: "  "'), 7, ['"we_did" is empty']),
    (("heard: 2022-01", "heard: 2022-04"), 6, ["heard (April 2022) is after the entry's date (1 March 2022)"]),
    (("status: done", "status: done\nstauts: done"), 9, ['unknown field "stauts"', 'Did you mean "status"?']),
    (("status: done", "status: done\nyou_sayed: x"), 9, ['unknown field "you_sayed"', 'Did you mean "you_said"?']),
])
def test_each_bad_field_is_reported_with_its_line(change, line, words):
    errors = _errors(entry().replace(*change))
    assert len(errors) == 1
    assert errors[0].path == "content/feedback/x.md" and errors[0].line == line
    for word in words:
        assert word in errors[0].message + errors[0].hint


def test_missing_fields_are_each_reported_with_an_example_for_this_kind():
    errors = _errors("---\ntitle: Hi\ndate: 2022-01-01\n---\n")
    missing = {e.message for e in errors}
    assert missing == {f'the required field "{name}" is missing'
                       for name in ("you_said", "came_from", "heard", "we_did", "status")}
    hints = {e.message.split('"')[1]: e.hint for e in errors}
    assert hints["status"] == "add a line like status: done"  # one status, not a commitment's history


def test_a_commitment_that_does_not_exist_is_an_error_with_file_and_line(make_site):
    files = dict(SITE)
    files["content/feedback/2022-03-01-letters.md"] = entry(extra="tags: [ehcp]\ncommitments: [plans-on-tme]\n")
    with pytest.raises(BuildFailed) as failed:
        build(make_site(files), use_cache=False, jobs=1)
    [error] = failed.value.errors
    assert error.path == "content/feedback/2022-03-01-letters.md" and error.line == 10
    assert '"plans-on-tme", which is not a commitment' in error.message and 'Did you mean "plans-on-time"?' in error.message


def test_an_entry_dated_in_the_future_waits_for_its_day(make_site):
    files = dict(SITE)
    files["content/feedback/2099-01-01-later.md"] = entry("Later", "2099-01-01")
    site = make_site(files)
    report = build(site, use_cache=False, jobs=1)
    assert not (site / "output/you-said-we-did/2099-01-01-later").exists()
    assert report.next_scheduled.iso == "2099-01-01"


# --- the list and its topics ----------------------------------------------------------------

def _titles(doc) -> list[str]:
    return [h.a.text for h in doc.find("main").find_all(class_="card__title")]


def test_the_list_is_newest_first_and_says_why_it_is_published(out):
    doc = html(out, "you-said-we-did/index.html")
    assert doc.h1.text == "You said, we did"
    assert _titles(doc) == ["No one answered the phone", "School transport", "Letters that are hard to read"]
    assert "section 30(6) of the Children and Families Act 2014" in doc.find("main").text
    first = doc.find("main").find(class_="card")
    facts = dict(zip((dt.text for dt in first.find_all("dt")), (dd.text.strip() for dd in first.find_all("dd"))))
    assert facts == {"You said": "Parents told a forum meeting they could not get through by phone.",
                     "How we heard": "Parent carer or youth forum, 12 April 2022",
                     "We are doing": "We are adding a call-back service.", "Status": "In progress"}
    responses = [dt.text for dt in doc.find("main").find_all("dt") if dt.text.startswith("We")]
    assert responses == ["We are doing", "We will", "We did"]  # worded by status


def test_each_topic_has_its_own_page_linked_from_the_filters_without_javascript(out):
    doc = html(out, "you-said-we-did/index.html")
    links = {a.text: a["href"] for a in doc.find("nav", class_="filters").find_all("a")}
    assert links == {"Everything": "/you-said-we-did/", "Contact": "/you-said-we-did/topic/contact/",
                     "EHCP": "/you-said-we-did/topic/ehcp/", "Transport": "/you-said-we-did/topic/transport/"}
    ehcp = html(out, "you-said-we-did/topic/ehcp/index.html")
    assert _titles(ehcp) == ["No one answered the phone", "Letters that are hard to read"]
    assert ehcp.find("nav", class_="filters").find("a", attrs={"aria-current": "page"}).text == "EHCP"
    assert ehcp.h1.text == "You said, we did: EHCP"
    assert [a["href"] for a in ehcp.find("nav", class_="breadcrumbs").find_all("a")] == ["/", "/you-said-we-did/"]
    assert doc.find("nav", class_="filters").find("a", attrs={"aria-current": "page"}).text == "Everything"


def test_long_lists_are_split_into_pages(make_site):
    files = dict(SITE)
    for day in range(10, 16):
        files[f"content/feedback/2023-01-{day}-more.md"] = entry(f"More {day}", f"2023-01-{day}")
    site = make_site(files, MINIMAL_CONFIG + "per_page = 5\n")
    build(site, use_cache=False, jobs=1)
    second = html(site / "output", "you-said-we-did/topic/ehcp/page/2/index.html")
    assert _titles(second) == ["More 10", "No one answered the phone", "Letters that are hard to read"]


def test_an_entry_has_its_own_page(out):
    doc = html(out, "you-said-we-did/2022-04-20-transport/index.html")
    main = doc.find("main")
    assert main.h1.text == "School transport"
    assert [dt.text for dt in main.find("dl").find_all("dt")] == ["You said", "How we heard", "We will", "Status"]
    assert "Complaint, February 2022" in main.find("dl").text
    assert main.find(class_="status").text == "Planned"
    assert "More about it." in main.find(class_="prose").text
    assert [a.text for a in doc.find("nav", class_="breadcrumbs").find_all("a")] == ["Home", "You said, we did"]


# --- where else each entry appears ------------------------------------------------------------

def test_entries_appear_on_their_commitments_page_apart_from_its_updates(out):
    doc = html(out, "commitments/plans-on-time/index.html")
    heard = doc.find(id="feedback-heading").parent
    assert [h.a.text for h in heard.find_all(class_="card__title")] == ["No one answered the phone",
                                                                        "Letters that are hard to read"]
    assert "We rewrote them in plain English." in heard.text
    updates = doc.find(id="reports-heading").parent
    assert [a.text for a in updates.find_all("a")] == ["February update"]


def test_entries_appear_on_the_timeline_with_a_filter_of_their_own(out):
    everything = html(out, "timeline/index.html")
    around = [a.text for a in everything.find("details").find_all("a")]
    assert around == ["February update", "Letters that are hard to read", "School transport", "No one answered the phone"]
    only = html(out, "timeline/show/feedback/index.html")
    assert [a.text for a in only.find("details").find_all("a")] == ["Letters that are hard to read", "School transport",
                                                                     "No one answered the phone"]
    assert only.find("nav", class_="filters").find("a", attrs={"aria-current": "page"}).text == "Events and you said, we did"


def test_entries_are_in_the_feed_of_everything_and_their_own(out):
    for path in ("feed.xml", "you-said-we-did/feed.xml"):
        feed = ET.parse(out / path).getroot()
        found = {e.findtext(f"{ATOM}title"): e for e in feed.findall(f"{ATOM}entry")}
        phone = found["No one answered the phone"]
        assert phone.find(f"{ATOM}category").get("label") == "You said, we did"
        content = BeautifulSoup(phone.findtext(f"{ATOM}content"), "lxml")
        assert [h.text for h in content.find_all("h2")] == ["You said", "We are doing"]
        assert "could not get through by phone" in content.text and "Status: In progress" in content.text
        assert "How we heard: Parent carer or youth forum, 12 April 2022" in content.text
    own = ET.parse(out / "you-said-we-did/feed.xml").getroot()
    assert len(own.findall(f"{ATOM}entry")) == 3
    assert html(out, "you-said-we-did/index.html").find("link", type="application/atom+xml",
                                                        href="/you-said-we-did/feed.xml") is not None


def test_search_documents_hold_what_was_said_and_done(out):
    page = validate(parse_source("content/feedback/2022-03-01-letters.md", entry()), "feedback", NOWHERE, "/")
    [(url, document)] = search_documents([page], {page.source: "<p>More about it.</p>"}, "en-GB")
    doc = BeautifulSoup(document, "lxml")
    body = doc.find(attrs={"data-pagefind-body": True})
    assert url == "/you-said-we-did/2022-03-01-letters/"
    assert body.find(attrs={"data-pagefind-meta": "kind"}).text == "You said, we did"
    assert "Young people said our letters were hard to read." in body.text
    assert "We rewrote them in plain English." in body.text and "More about it." in body.text
    # The built site's Pagefind index holds the entry with its words: one gzipped fragment per page.
    fragments = [gzip.decompress(f.read_bytes()).decode() for f in (out / "pagefind").rglob("*.pf_fragment")]
    phone = [f for f in fragments if '"url":"/you-said-we-did/2022-05-10-phone/"' in f]
    assert len(phone) == 1 and "We are adding a call-back service." in phone[0]


def test_the_home_page_shows_the_latest_two(out):
    doc = html(out, "index.html")
    panel = doc.find(id="feedback-heading").parent
    assert [h.a.text for h in panel.find_all("h3")] == ["No one answered the phone", "School transport"]
    assert "We will: We will book transport before the summer holidays." in panel.text
    assert panel.find("a", href="/you-said-we-did/") is not None
    nav = {a.text: a["href"] for a in doc.find("nav", class_="site-nav").find_all("a")}
    assert nav["You said, we did"] == "/you-said-we-did/"


def test_the_home_page_has_no_panel_without_entries(make_site):
    site = make_site({k: v for k, v in SITE.items() if "feedback" not in k})
    build(site, use_cache=False, jobs=1)
    doc = html(site / "output", "index.html")
    assert doc.find(id="feedback-heading") is None
    assert _titles(html(site / "output", "you-said-we-did/index.html")) == []


def test_the_editor_has_a_generated_collection(make_site):
    config = load_config(make_site({}, MINIMAL_CONFIG + '\n[editor]\nbackend = "github"\nrepo = "council/send"\n'))
    collections = {c["name"]: c for c in yaml.safe_load(admin.config_yaml(config))["collections"]}
    feedback = collections["feedback"]
    assert feedback["folder"] == "content/feedback" and feedback["preview_path"] == "you-said-we-did/{{slug}}/"
    assert feedback["slug"].startswith("{{fields.date | date('YYYY-MM-DD')}}")
    fields = {f["name"]: f for f in feedback["fields"]}
    assert [f["name"] for f in feedback["fields"]][:6] == ["title", "date", "you_said", "came_from", "heard", "we_did"]
    assert fields["status"]["label"] == "Status" and fields["status"]["widget"] == "select"
    assert fields["status"]["options"] == ["planned", "in progress", "done"]
    assert fields["came_from"]["options"][:4] == ["survey", "forum", "complaint", "meeting"]
    assert fields["commitments"]["widget"] == "relation" and fields["you_said"]["widget"] == "text"
    assert all(fields[name]["required"] for name in ("you_said", "came_from", "heard", "we_did", "status"))
    # Commitments keep their history's label: the title is the feedback schema's own.
    assert {f["name"]: f for f in collections["commitments"]["fields"]}["status"]["label"] == "Status history"


def test_a_bilingual_entry_is_published_in_welsh_with_welsh_words(tmp_path):
    from tests.conftest import FIXTURES

    build(FIXTURES / "welsh", tmp_path / "out", use_cache=False, jobs=1)
    doc = html(tmp_path / "out", "cy/you-said-we-did/2024-09-02-idp-meetings/index.html")
    assert doc.html["lang"] == "cy" and doc.h1.text == "Cyfarfodydd am gynlluniau datblygu unigol"
    facts = [dt.text for dt in doc.find("main").find("dl").find_all("dt")]
    assert facts == ["Dywedoch chi", "Sut clywsom ni", "Gwnaethom ni", "Statws"]
    assert "Arolwg, " in doc.find("main").find("dl").text
    alternates = {link["hreflang"]: link["href"] for link in doc.find_all("link", rel="alternate", hreflang=True)}
    assert alternates["en-GB"] == "https://example.org/you-said-we-did/2024-09-02-idp-meetings/"
    listing = html(tmp_path / "out", "cy/you-said-we-did/index.html")
    assert listing.h1.text == "Dywedoch chi, gwnaethom ni" and "adran 30(6)" in listing.find("main").text
    commitment = html(tmp_path / "out", "cy/commitments/idps-on-time/index.html")
    assert commitment.find(id="feedback-heading").text == "Dywedoch chi, gwnaethom ni"
