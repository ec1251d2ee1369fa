"""Measures in the built site, read as a browser would: the measure page, /measures/, the CSV
download, the home page's two answers and the commitment pages. Charts are cached by what
they show."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from builder.build import build
from tests.test_measures import EVENT, MEASURE

COMMITMENT = """---
title: Plans on time
source: 2023-11-inspection
measures: [plans]
status:
  - {date: 2024-06, status: in progress}
---
Text.
"""
DONE = "---\ntitle: A new website\nsource: 2023-11-inspection\nstatus:\n  - {date: 2024-01, status: done}\n---\nDone.\n"
TODAY = dt.date(2025, 1, 1)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tests.conftest import write_site

    root = write_site(tmp_path_factory.mktemp("measures") / "site", {
        "content/measures/plans.md": MEASURE.replace("Context.", "Context.\n\nMore **context**."),
        "content/measures/waits.md": MEASURE.replace("title: Plans on time", "title: Waits").replace("unit: percent", "unit: weeks")
        .replace("better: higher", "better: lower").replace("comparison: England\n", "").replace("target: {value: 80, date: 2026-03}\n", ""),
        "content/timeline/2023-11-inspection.md": EVENT, "content/commitments/on-time.md": COMMITMENT,
        "content/commitments/website.md": DONE, "content/commitments/unknown.md": DONE.replace("status:\n  - {date: 2024-01, status: done}\n", ""),
    })
    build(root, today=TODAY)
    return root


def _page(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / "output" / path).read_text(encoding="utf-8"), "lxml")


def test_measure_page_has_chart_named_by_its_summary_table_and_download(site):
    page = _page(site, "measures/plans/index.html")
    svg = page.find("svg")
    assert svg["role"] == "img" and svg.get("focusable") == "false" and "width" not in svg.attrs
    summary = page.find(id=svg["aria-labelledby"])
    assert summary.get_text(" ", strip=True) == ("The share of new plans issued within 20 weeks was 63% in 2024, up from "
                                                "46% in 2023. For England it was 46.4%. The target is 80% by March 2026.")
    assert not page.find("script", src=lambda s: s and "chart" in s)
    assert not svg.find("script")
    rows = [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])] for row in page.select("table.measure-table tr")]
    assert rows == [["Period", "Figure", "England"], ["2024", "63%", "46.4%"], ["2023", "46%", "50.3%"]]
    assert page.select_one("table.measure-table caption").get_text(strip=True)
    link = page.find("a", href="/measures/plans/plans.csv")
    assert link and "CSV" in link.get_text()
    assert (site / "output/measures/plans/plans.csv").read_text() == "period,value,comparison\n2023,46,50.3\n2024,63,46.4\n"
    assert page.find("strong", string="context")  # the body is Markdown
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in page.select("dl.facts dt")}
    assert facts["Latest figure"] == "63% in 2024 ( Getting better )"
    assert facts["Target"] == "80% by March 2026"
    assert page.find("a", href="/commitments/on-time/")  # the commitments it shows


def test_measures_list_shows_each_with_a_decorative_small_chart_and_its_summary(site):
    page = _page(site, "measures/index.html")
    items = page.select("li.measure-item")
    assert [item.h2.a["href"] for item in items] == ["/measures/plans/", "/measures/waits/"]
    for item in items:
        assert item.find("svg")["aria-hidden"] == "true"
    assert "63 weeks in 2024, up from 46 weeks in 2023." in items[1].get_text(" ", strip=True)
    assert "Getting worse" in items[1].get_text()


def test_home_page_answers_is_it_getting_better_and_what_was_promised(site):
    page = _page(site, "index.html")
    better = page.find(id="better-heading").find_parent("section")
    lines = [li.get_text(" ", strip=True) for li in better.select("li")]
    assert lines == ["Plans on time : 63% in 2024 ( Getting better )", "Waits : 63 weeks in 2024 ( Getting worse )"]
    assert all(svg["aria-hidden"] == "true" for svg in better.find_all("svg"))
    promised = page.find(id="promised-heading").find_parent("section")
    assert [li.get_text(" ", strip=True) for li in promised.select("li")] == ["1 In progress", "1 Done",
                                                                             "1 Status not yet published"]
    assert promised.find("a", href="/commitments/")


def test_commitment_pages_show_their_measures(site):
    page = _page(site, "commitments/on-time/index.html")
    section = page.find(id="measures-heading").find_parent("section")
    svg = section.find("svg")
    assert section.find(id=svg["aria-labelledby"]).get_text(strip=True).startswith("The share of new plans")
    figure = svg.find_parent("figure")  # valid HTML: a figure's caption is its first or last child
    assert figure.find(True).name == "figcaption" and section.find("h3").find_next("figure") == figure
    table = _page(site, "commitments/index.html").select_one("table.commitments-table")
    row = table.find("a", href="/commitments/on-time/").find_parent("tr")
    assert row.find_all("td")[-1].get_text(" ", strip=True) == "Plans on time : 63% in 2024 ( Getting better )"
    assert "Measures" in [th.get_text(strip=True) for th in table.select("thead th")]


def test_ids_are_unique_on_every_page_with_charts(site):
    for path in ("index.html", "measures/index.html", "measures/plans/index.html", "commitments/on-time/index.html"):
        ids = [element["id"] for element in _page(site, path).find_all(id=True)]
        assert len(ids) == len(set(ids)), path


def test_charts_are_drawn_again_only_when_what_they_show_changes(make_site, monkeypatch):
    from builder.render import charts

    site = make_site({"content/measures/plans.md": MEASURE})
    build(site, today=TODAY)
    drawn = []
    real = charts.draw
    monkeypatch.setattr(charts, "draw", lambda spec: drawn.append(spec.chart_id) or real(spec))
    (site / "content/measures/plans.md").write_text(MEASURE.replace("Context.", "Other words."), encoding="utf-8")
    build(site, today=TODAY, jobs=1)
    assert drawn == []  # the text changed, not the figures
    (site / "content/measures/plans.md").write_text(MEASURE.replace("value: 63", "value: 64"), encoding="utf-8")
    build(site, today=TODAY, jobs=1)
    assert sorted(drawn) == ["chart-plans-full", "chart-plans-small"]
    assert "64%" in (site / "output/measures/plans/index.html").read_text()


def test_a_site_without_measures_has_no_measures_pages_and_never_imports_matplotlib(make_site):
    import subprocess
    import sys

    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nText.\n"})
    code = ("import sys, datetime; from builder.build import build; "
            f"build(__import__('pathlib').Path({str(site)!r}), today=datetime.date(2025, 1, 1)); "
            "print('matplotlib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.stdout.strip() == "False", result.stderr
    assert not (site / "output/measures").exists()


def test_editing_only_the_csv_rebuilds_the_measure(make_site):
    from tests.test_measures import HEAD

    site = make_site({"content/measures/plans.md": HEAD + "---\nText.\n", "content/measures/plans.csv": "period,value\n2024,63\n"})
    build(site, today=TODAY)
    assert not (site / "output/plans.csv").exists() and not (site / "output/measures/plans.csv").exists()
    (site / "content/measures/plans.csv").write_text("period,value\n2024,63\n2025,71\n", encoding="utf-8")
    build(site, today=TODAY)
    page = _page(site, "measures/plans/index.html")
    assert "was 71% in 2025, up from 63% in 2024." in page.find(id="summary-plans").get_text()
    assert (site / "output/measures/plans/plans.csv").read_text() == "period,value\n2024,63\n2025,71\n"


def test_the_welsh_fixture_has_its_measure_in_both_languages(tmp_path):
    from tests.conftest import FIXTURES

    build(FIXTURES / "welsh", tmp_path / "out", use_cache=False, today=TODAY)
    welsh = BeautifulSoup((tmp_path / "out/cy/measures/idps-on-time/index.html").read_text(encoding="utf-8"), "lxml")
    assert welsh.html["lang"] == "cy"
    svg = welsh.find("svg")
    assert welsh.find(id=svg["aria-labelledby"]).get_text(strip=True) == (
        "Cyfran y cynlluniau datblygu unigol (CDUau) newydd a gwblhawyd o fewn 12 wythnos: 71% yn 2023/24, i fyny o 48% "
        "yn 2022/23. Ar gyfer Cymru, roedd yn 58%. Y targed yw 90% erbyn Gorffennaf 2026.")
    assert "Targed: 90% erbyn Gorffennaf 2026" in [t.get_text() for t in svg.find_all("text")]
    assert welsh.find("link", rel="alternate", hreflang="en-GB")["href"].endswith("/measures/idps-on-time/")
    english = BeautifulSoup((tmp_path / "out/measures/idps-on-time/index.html").read_text(encoding="utf-8"), "lxml")
    assert "was 71% in 2023/24, up from 48% in 2022/23" in english.find(id="summary-idps-on-time").get_text()
    # Both versions read the one CSV file, and each offers it for download.
    assert (tmp_path / "out/cy/measures/idps-on-time/idps-on-time.csv").read_bytes() == \
        (tmp_path / "out/measures/idps-on-time/idps-on-time.csv").read_bytes()
    home = BeautifulSoup((tmp_path / "out/cy/index.html").read_text(encoding="utf-8"), "lxml")
    assert home.find(id="better-heading").get_text() == "Ydy pethau'n gwella?"


def test_a_measure_page_follows_the_commitments_that_name_it(make_site):
    site = make_site({"content/measures/plans.md": MEASURE, "content/timeline/2023-11-inspection.md": EVENT,
                      "content/commitments/on-time.md": COMMITMENT})
    build(site, today=TODAY)
    assert _page(site, "measures/plans/index.html").find("a", href="/commitments/on-time/")
    (site / "content/commitments/on-time.md").write_text(COMMITMENT.replace("measures: [plans]\n", ""), encoding="utf-8")
    build(site, today=TODAY)
    assert not _page(site, "measures/plans/index.html").find("a", href="/commitments/on-time/")


def test_main_menu_links_to_the_measures_where_families_look(site):
    """Families ask "is it getting better?": the main menu on every page answers with /measures/,
    marked as the current section on a measure's own page; the home page's panel links there too."""
    for path, current in (("index.html", None), ("measures/plans/index.html", "true"), ("measures/index.html", "page")):
        menu = _page(site, path).select_one("nav.site-nav")
        link = menu.find("a", href="/measures/")
        assert link is not None, f"{path}: no link to /measures/ in the main menu"
        assert link.get_text(strip=True) == "Is it getting better?"
        assert link.get("aria-current") == current, path
    home = _page(site, "index.html")
    assert home.select_one("section[aria-labelledby=better-heading] a[href='/measures/']")
    assert home.select_one(".section-links a[href='/measures/']")


def test_no_measures_link_on_a_site_without_measures(make_site):
    from tests.test_measures import EVENT

    root = make_site({"content/timeline/2023-11-inspection.md": EVENT})
    build(root, today=TODAY)
    home = BeautifulSoup((root / "output" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert not (root / "output" / "measures" / "index.html").exists()
    assert home.select_one("nav.site-nav a[href='/timeline/']")  # the menu is there, without a dead link
    assert not home.find("a", href="/measures/")
