"""Measures: reading the figures (front matter or CSV), periods, every bad input as a located
error, and the summary sentence in English and Welsh."""

from __future__ import annotations

import datetime as dt

import pytest

from builder.build import build
from builder.content.measures import Measure, Period, Point, Target, parse_period
from builder.content.dates import PartialDate
from builder.content.read import read_source
from builder.content.validate import PageInvalid, validate
from builder.errors import BuildFailed, ContentError
from builder.i18n import load_translations
from builder.render import measure_text
from tests.conftest import MINIMAL_CONFIG

MEASURE = """---
title: Plans on time
what: The share of new plans issued within 20 weeks
unit: percent
better: higher
comparison: England
target: {value: 80, date: 2026-03}
values:
  - {period: 2023, value: 46, comparison: 50.3}
  - {period: 2024, value: 63, comparison: 46.4}
---
Context.
"""

HEAD = """---
title: Plans on time
what: The share of new plans issued within 20 weeks
unit: percent
better: higher
"""


def _load(make_site, files: dict[str, str], rel: str = "content/measures/plans.md"):
    site = make_site(files)
    try:
        return validate(read_source(site, rel), "measure", site, "/")
    except PageInvalid as problem:
        return problem.errors
    except ContentError as problem:
        return [problem]


def test_figures_from_the_front_matter(make_site):
    page = _load(make_site, {"content/measures/plans.md": MEASURE})
    measure = page.measure
    assert [(p.period.text, p.value, p.comparison) for p in measure.points] == [("2023", 46.0, 50.3), ("2024", 63.0, 46.4)]
    assert (measure.unit, measure.better, measure.comparison) == ("percent", "higher", "England")
    assert measure.target == Target(80.0, PartialDate(2026, 3))
    assert measure.direction == "better"
    assert page.url == "/measures/plans/"


def test_figures_from_a_csv_beside_it_as_spreadsheets_save_them(make_site):
    # A byte-order mark, Windows line ends, a % sign, thousands commas, a blank last line.
    csv = "\ufeffPeriod,Value,Comparison\r\n2024-Q2,\"1,200\",\r\n2024-Q1,63%,50\r\n\r\n"
    page = _load(make_site, {"content/measures/plans.md": HEAD + "---\nText.\n", "content/measures/plans.csv": csv})
    assert [(p.period.text, p.value, p.comparison) for p in page.measure.points] == [("2024-Q1", 63.0, 50.0),
                                                                                   ("2024-Q2", 1200.0, None)]
    assert page.measure.data_file == "content/measures/plans.csv"


@pytest.mark.parametrize("text, period", [
    ("2024", Period(2024, 0, "year")), ("2024-Q3", Period(2024, 3, "quarter")), ("2024-q1", Period(2024, 1, "quarter")),
    ("2024-05", Period(2024, 5, "month")), ("2023/24", Period(2023, 0, "academic")), ("1999/00", Period(1999, 0, "academic")),
])
def test_the_four_forms_of_period(text, period):
    assert parse_period(text) == period
    assert parse_period(period.text) == period


@pytest.mark.parametrize("text", ["2024-13", "2024-Q5", "Q3 2024", "2023/25", "24", "May 2024", "2024-05-01", ""])
def test_periods_in_other_forms_are_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


# Each bad input: (files, the file the error names, its line, words the message must contain).
BAD = {
    "value not a number": ({"content/measures/plans.md": HEAD + "values:\n  - {period: 2023, value: 46}\n"
                            "  - {period: 2024, value: sixty}\n---\n"}, "content/measures/plans.md", 8, "not a number"),
    "comparison not a number": ({"content/measures/plans.md": HEAD + "values:\n  - period: 2023\n    value: 46\n"
                                 "    comparison: n/a\n---\n"}, "content/measures/plans.md", 7, "not a number"),
    "period in an unknown form": ({"content/measures/plans.md": HEAD + "values:\n  - {period: 2023, value: 46}\n"
                                   "  - {period: Spring 2024, value: 63}\n---\n"}, "content/measures/plans.md", 8,
                                  "not in a form we know"),
    "the same period twice": ({"content/measures/plans.md": HEAD + "values:\n  - {period: 2024-Q1, value: 46}\n"
                               "  - {period: 2024-Q2, value: 50}\n  - {period: 2024-q1, value: 63}\n---\n"},
                              "content/measures/plans.md", 9, "listed twice (also on line 7)"),
    "periods of two forms": ({"content/measures/plans.md": HEAD + "values:\n  - {period: 2023, value: 46}\n"
                              "  - {period: 2024-05, value: 63}\n---\n"}, "content/measures/plans.md", 8, "a month"),
    "an unknown field in a figure": ({"content/measures/plans.md": HEAD + "values:\n  - {period: 2023, value: 46}\n"
                                      "  - {period: 2024, vaule: 63, value: 60}\n---\n"}, "content/measures/plans.md", 8,
                                     'Did you mean "value"'),
    "CSV missing the value column": ({"content/measures/plans.md": HEAD + "---\n",
                                      "content/measures/plans.csv": "period,comparison\n2024,50\n"},
                                     "content/measures/plans.csv", 1, 'no "value" column'),
    "CSV value not a number": ({"content/measures/plans.md": HEAD + "---\n",
                                "content/measures/plans.csv": "period,value\n2023,40\n2024,unknown\n"},
                               "content/measures/plans.csv", 3, "not a number"),
    "CSV line with a cell missing": ({"content/measures/plans.md": HEAD + "---\n",
                                      "content/measures/plans.csv": "period,value,comparison\n2023,40,50\n2024,41\n"},
                                     "content/measures/plans.csv", 3, "2 cells"),
    "CSV same period twice": ({"content/measures/plans.md": HEAD + "---\n",
                               "content/measures/plans.csv": "period,value\n2023/24,40\n2023/24,41\n"},
                              "content/measures/plans.csv", 3, "listed twice"),
    "figures in both places": ({"content/measures/plans.md": HEAD + "values:\n  - {period: 2023, value: 46}\n---\n",
                                "content/measures/plans.csv": "period,value\n2023,40\n"},
                               "content/measures/plans.md", 6, "in values: and in content/measures/plans.csv"),
    "unknown unit": ({"content/measures/plans.md": HEAD.replace("unit: percent", "unit: percentage")
                      + "values:\n  - {period: 2023, value: 46}\n---\n"}, "content/measures/plans.md", 4, "unit"),
    "target not a number": ({"content/measures/plans.md": HEAD + "target: {value: most, date: 2026-03}\n"
                             "values:\n  - {period: 2023, value: 46}\n---\n"}, "content/measures/plans.md", 6,
                            '"target → value" must be a number, not "most"'),
    "unknown better": ({"content/measures/plans.md": HEAD.replace("better: higher", "better: up")
                        + "values:\n  - {period: 2023, value: 46}\n---\n"}, "content/measures/plans.md", 5, "better"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_each_bad_input_is_an_error_naming_the_file_and_line(make_site, name):
    files, path, line, words = BAD[name]
    errors = _load(make_site, files)
    assert isinstance(errors, list) and errors, "the bad input was accepted"
    assert any(e.path == path and e.line == line and words in e.message + e.hint for e in errors), \
        [str(e) for e in errors]
    assert all(e.hint for e in errors)  # each says how to fix it


def test_a_measure_with_no_figures_says_where_to_put_them(make_site):
    errors = _load(make_site, {"content/measures/plans.md": HEAD + "---\n"})
    assert [e.message for e in errors] == ["has no figures"]
    assert "content/measures/plans.csv" in errors[0].hint


EVENT = "---\ntitle: Inspection\ndate: 2023-11\nevent: inspection\n---\nText.\n"
COMMITMENT = "---\ntitle: Plans on time\nsource: 2023-11-inspection\nmeasures: [plans, plans-late]\n---\nText.\n"


def test_a_commitment_naming_a_measure_that_does_not_exist_is_an_error(make_site):
    site = make_site({"content/measures/plans.md": MEASURE, "content/timeline/2023-11-inspection.md": EVENT,
                      "content/commitments/on-time.md": COMMITMENT})
    with pytest.raises(BuildFailed) as failed:
        build(site, use_cache=False, today=dt.date(2025, 1, 1))
    [error] = failed.value.errors
    assert (error.path, error.line) == ("content/commitments/on-time.md", 4)
    assert '"plans-late", which is not a measure' in error.message and 'Did you mean "plans"' in error.message


# --- the summary sentence ---------------------------------------------------------------

def _measure(*points, unit="percent", better="higher", comparison="", target=None) -> Measure:
    return Measure("The share of plans issued within 20 weeks", unit, better,
                   tuple(Point(parse_period(p), v, c) for p, v, c in points), target, comparison=comparison)


ENGLISH, WELSH = load_translations("en-GB"), load_translations("cy")


def test_summary_in_english():
    measure = _measure(("2023", 46, 50.3), ("2024", 63, 46.4), comparison="England",
                       target=Target(80, PartialDate(2026, 3)))
    assert measure_text.summary(measure, ENGLISH, "en-GB") == (
        "The share of plans issued within 20 weeks was 63% in 2024, up from 46% in 2023. "
        "For England it was 46.4%. The target is 80% by March 2026.")


def test_summary_in_welsh():
    measure = _measure(("2023", 46, 50.3), ("2024", 63, 46.4), comparison="Lloegr",
                       target=Target(80, PartialDate(2026, 3)))
    assert measure_text.summary(measure, WELSH, "cy") == (
        "The share of plans issued within 20 weeks: 63% yn 2024, i fyny o 46% yn 2023. "
        "Ar gyfer Lloegr, roedd yn 46.4%. Y targed yw 80% erbyn Mawrth 2026.")


@pytest.mark.parametrize("points, unit, english, welsh", [
    ((("2024-05", 9, None), ("2024-06", 9, None)), "weeks",
     "was 9 weeks in June 2024, the same as in May 2024.", ": 9 wythnos ym Mehefin 2024, yr un fath ag ym Mai 2024."),
    ((("2024-Q2", 12, None), ("2024-Q3", 10.5, None)), "days",
     "was 10.5 days in July to September 2024, down from 12 days in April to June 2024.",
     ": 10.5 diwrnod yng Ngorffennaf–Medi 2024, i lawr o 12 diwrnod yn Ebrill–Mehefin 2024."),
    ((("2023/24", 1250, None),), "number", "was 1,250 in 2023/24.", ": 1,250 yn 2023/24."),
    ((("2024", 1, None),), "weeks", "was 1 week in 2024.", ": 1 wythnos yn 2024."),
])
def test_summary_for_each_unit_and_period(points, unit, english, welsh):
    measure = _measure(*points, unit=unit)
    assert measure_text.summary(measure, ENGLISH, "en-GB") == measure.what + " " + english
    assert measure_text.summary(measure, WELSH, "cy") == measure.what + welsh


@pytest.mark.parametrize("better, values, direction", [
    ("higher", (40, 50), "better"), ("higher", (50, 40), "worse"), ("lower", (50, 40), "better"),
    ("lower", (40, 50), "worse"), ("lower", (40, 40), "same"), ("higher", (40,), "same"),
])
def test_direction_follows_which_way_is_better(better, values, direction):
    measure = _measure(*((str(2020 + n), v, None) for n, v in enumerate(values)), better=better)
    assert measure.direction == direction


def test_check_and_moved_read_a_measures_csv_as_its_figures_not_as_a_page(make_site):
    from tests.conftest import run_cli

    site = make_site({"content/measures/plans.md": HEAD + "---\nText.\n", "content/measures/plans.csv": "period,value\n2024,63\n"})
    result = run_cli("check", site)
    assert result.returncode == 0 and "No problems found" in result.stdout, result.stdout + result.stderr
    from builder.commands.moved import _current_sources
    from builder.site.config import load_config

    assert [source.url for source in _current_sources(site, load_config(site))] == ["/measures/plans/"]
