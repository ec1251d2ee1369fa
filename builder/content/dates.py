"""Dates as comms staff write them, and as GOV.UK displays them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from builder.content.limits import FIRST_YEAR, LAST_YEAR
from builder.errors import FieldProblem

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]

_FULL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date that may be known only to the month (timeline events, next updates)."""

    year: int
    month: int
    day: int | None = None

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day:
            return self.first_day
        following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def iso(self) -> str:
        """The value for <time datetime>: valid HTML for both precisions."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def display(self) -> str:
        """GOV.UK style: 21 November 2024, or May 2025."""
        month = MONTHS[self.month - 1]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day or 0)

    def __repr__(self) -> str:
        # The same text as the generated one, several times faster: the keys of the sitemap
        # and calendar hold a date for every page and are made on every rebuild.
        return f"PartialDate(year={self.year!r}, month={self.month!r}, day={self.day!r})"


class DateProblem(FieldProblem):
    """A value that is not a date, with a suggestion of how to write it."""


def parse_date(value: object, allow_month: bool = False) -> PartialDate:
    """Parse YYYY-MM-DD (or YYYY-MM when allowed). Raises DateProblem with a fix."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        _check_year(value.isoformat(), value.year)
        return PartialDate(value.year, value.month, value.day)
    text = str(value).strip()
    shape = "YYYY-MM-DD" + (" or YYYY-MM" if allow_month else "")
    full = _FULL.match(text)
    if full:
        year, month, day = (int(part) for part in full.groups())
        _check_year(text, year)
        _check_real(text, year, month, day)
        return PartialDate(year, month, day)
    month_only = _MONTH.match(text)
    if month_only:
        year, month = (int(part) for part in month_only.groups())
        _check_year(text, year)
        if not 1 <= month <= 12:
            raise DateProblem(f'"{text}" has no month {month}', f"months go from 01 to 12; write it as {shape}")
        if allow_month:
            return PartialDate(year, month)
        raise DateProblem(f'date "{text}" needs a day', f"write it as {year:04d}-{month:02d}-01 (YYYY-MM-DD)")
    raise DateProblem(f'date "{text}" is not a date', _suggest(text, shape))


def _check_year(text: str, year: int) -> None:
    # Far outside the years a progress site reports on, a date is a typing slip, and the
    # calendar arithmetic of the timeline and feeds overflows at year 9999 (docs/content-limits.md).
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateProblem(f'date "{text}" is outside the years {FIRST_YEAR} to {LAST_YEAR}',
                          "check the year: it may have a digit too many or too few")


def _check_real(text: str, year: int, month: int, day: int) -> None:
    try:
        dt.date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            raise DateProblem(f'date "{text}" has no month {month}', "months go from 01 to 12; write it as YYYY-MM-DD") from None
        last = PartialDate(year, month).last_day
        raise DateProblem(
            f'date "{text}" does not exist: {MONTHS[month - 1]} {year} has {last.day} days',
            f"check the day; the last day of that month is {last.isoformat()}",
        ) from None


def _suggest(text: str, shape: str) -> str:
    """Turn a British day-first date like 31/02/2022 into a concrete suggestion."""
    match = re.match(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$", text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        if 1 <= month <= 12:
            last = PartialDate(year, month).last_day.day
            return f"write it as {year:04d}-{month:02d}-{min(max(day, 1), last):02d} ({shape})"
    return f"write it as {shape}, for example 2024-11-21"
