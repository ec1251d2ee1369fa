import datetime as dt

import pytest

from builder.content.dates import DateProblem, PartialDate, parse_date


@pytest.mark.parametrize("text, expected", [
    ("2024-11-21", PartialDate(2024, 11, 21)),
    (dt.date(2024, 11, 21), PartialDate(2024, 11, 21)),
    ("2024-02-29", PartialDate(2024, 2, 29)),
])
def test_full_dates(text, expected):
    assert parse_date(text) == expected


def test_month_only_allowed_for_events():
    assert parse_date("2025-05", allow_month=True) == PartialDate(2025, 5)


def test_month_only_refused_where_a_day_is_needed():
    with pytest.raises(DateProblem) as problem:
        parse_date("2025-05")
    assert "needs a day" in str(problem.value)
    assert "2025-05-01" in problem.value.hint


def test_british_date_gets_a_concrete_suggestion():
    with pytest.raises(DateProblem) as problem:
        parse_date("31/02/2022")
    assert str(problem.value) == 'date "31/02/2022" is not a date'
    assert "2022-02-28" in problem.value.hint


def test_impossible_day_names_the_last_day():
    with pytest.raises(DateProblem) as problem:
        parse_date("2023-02-29")
    assert "February 2023 has 28 days" in str(problem.value)
    assert "2023-02-28" in problem.value.hint


@pytest.mark.parametrize("text", ["2022-13-01", "2022-13"])
def test_month_out_of_range(text):
    with pytest.raises(DateProblem):
        parse_date(text, allow_month=True)


def test_govuk_display_and_datetime_values():
    assert PartialDate(2024, 11, 21).display == "21 November 2024"
    assert PartialDate(2025, 5).display == "May 2025"
    assert PartialDate(2025, 5).iso == "2025-05"
    assert PartialDate(2024, 2).last_day == dt.date(2024, 2, 29)
    assert PartialDate(2024, 12).last_day == dt.date(2024, 12, 31)
