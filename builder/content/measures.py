"""Measures: a figure the council reports over time (content/measures/NAME.md).

Front matter says what the figure is (validate.py's _MeasureSchema); the figures themselves
are a `values:` list in the front matter or a CSV file of the same name beside it
(NAME.csv: period,value,comparison), as councils' data teams export them. This module turns
either into an immutable Measure, or ContentErrors naming the file and the line of the
figure that is wrong. Pure apart from reading the measure's own file and its CSV.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from builder.content.dates import PartialDate
from builder.errors import ContentError, did_you_mean

UNITS = ("percent", "number", "weeks", "days")
BETTER = ("higher", "lower")
CSV_COLUMNS = ("period", "value", "comparison")
PERIOD_FORMS = ("a year (2024), a quarter (2024-Q3), a month (2024-05) or an academic year (2023/24)")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_ACADEMIC = re.compile(r"^(\d{4})/(\d{2})$")
PERIOD_NAMES = {"year": "a year", "quarter": "a quarter", "month": "a month", "academic": "an academic year"}


@dataclass(frozen=True, order=True)
class Period:
    year: int  # the calendar year, or the year an academic year starts
    part: int  # quarter 1-4, month 1-12, else 0
    form: str  # "year", "quarter", "month" or "academic"

    @property
    def text(self) -> str:
        """The period as written in the data: 2024, 2024-Q3, 2024-05, 2023/24."""
        if self.form == "quarter":
            return f"{self.year}-Q{self.part}"
        if self.form == "month":
            return f"{self.year}-{self.part:02d}"
        if self.form == "academic":
            return f"{self.year}/{(self.year + 1) % 100:02d}"
        return str(self.year)


@dataclass(frozen=True)
class Point:
    period: Period
    value: float
    comparison: float | None = None


@dataclass(frozen=True)
class Target:
    value: float
    date: PartialDate | None = None


@dataclass(frozen=True)
class Measure:
    what: str
    unit: str
    better: str
    points: tuple[Point, ...]  # oldest first
    target: Target | None = None
    source_name: str = ""
    source_url: str = ""
    comparison: str = ""  # what the comparison figures are, e.g. "England"
    example: bool = False  # some figures are made up to show the page: said plainly on it
    data_file: str = ""  # site-relative path of the CSV, when the figures come from one

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @property
    def previous(self) -> Point | None:
        return self.points[-2] if len(self.points) > 1 else None

    @property
    def direction(self) -> str:
        """"better", "worse" or "same", from the last two figures and which way is better."""
        if self.previous is None or self.latest.value == self.previous.value:
            return "same"
        rising = self.latest.value > self.previous.value
        return "better" if rising == (self.better == "higher") else "worse"


def parse_period(text: object) -> Period:
    """A period as written; ValueError (with the forms we accept) for anything else."""
    value = str(text).strip()
    if match := _YEAR.match(value):
        return Period(int(match[1]), 0, "year")
    if match := _QUARTER.match(value):
        return Period(int(match[1]), int(match[2]), "quarter")
    if match := _MONTH.match(value):
        return Period(int(match[1]), int(match[2]), "month")
    if (match := _ACADEMIC.match(value)) and int(match[2]) == (int(match[1]) + 1) % 100:
        return Period(int(match[1]), 0, "academic")
    raise ValueError(f'the period "{value}" is not in a form we know')


def parse_number(text: object, unit: str) -> float:
    """63, 46.4, "1,234", and "63%" for a percentage (as spreadsheets export them)."""
    if isinstance(text, bool):
        raise ValueError
    if isinstance(text, (int, float)):
        number = float(text)
    else:
        cleaned = str(text).strip().replace(",", "")
        if unit == "percent":
            cleaned = cleaned.removesuffix("%").strip()
        number = float(cleaned)  # ValueError for anything that is not a number
    if not math.isfinite(number):
        raise ValueError
    return number


@dataclass(frozen=True)
class _Row:
    period: object
    value: object
    comparison: object
    path: str
    line: int | None


def read_points(rows: list[_Row], unit: str) -> tuple[tuple[Point, ...], list[ContentError]]:
    """Rows as written -> points oldest first, or an error per row that is wrong."""
    errors, points, seen, form = [], [], {}, None
    for row in rows:
        try:
            period = parse_period(row.period)
        except ValueError as problem:
            errors.append(ContentError(row.path, str(problem), row.line, f"write the period as {PERIOD_FORMS}"))
            continue
        if form and period.form != form[0]:
            errors.append(ContentError(row.path, f'the period "{period.text}" is {PERIOD_NAMES[period.form]}, but the first '
                                       f"one (line {form[1]}) is {PERIOD_NAMES[form[0]]}", row.line,
                                       "use one kind of period for every figure of a measure"))
            continue
        form = form or (period.form, row.line)
        if period in seen:
            errors.append(ContentError(row.path, f'the period "{period.text}" is listed twice (also on line {seen[period]})',
                                       row.line, "keep one figure for each period: remove or correct one of them"))
            continue
        seen[period] = row.line
        value = _number(row, row.value, "value", unit, errors)
        comparison = None
        if row.comparison not in (None, ""):
            comparison = _number(row, row.comparison, "comparison", unit, errors)
        if value is not None:
            points.append(Point(period, value, comparison))
    return tuple(sorted(points, key=lambda p: p.period)), errors


def _number(row: _Row, text: object, name: str, unit: str, errors: list) -> float | None:
    if text in (None, ""):
        errors.append(ContentError(row.path, f'the {name} for "{row.period}" is missing', row.line,
                                   "write the figure as a number, like 63 or 46.4"))
        return None
    try:
        return parse_number(text, unit)
    except ValueError:
        hint = "write it as a number, like 63 or 46.4" + (", without the % sign or words" if unit == "percent" else
                                                          ", without units or words")
        errors.append(ContentError(row.path, f'the {name} "{text}" for "{row.period}" is not a number', row.line, hint))
        return None


def rows_from_front_matter(path: str, values: list, lines: list[int | None], values_line: int | None) -> tuple[list[_Row], list[ContentError]]:
    """The `values:` list: each item a set of fields period, value and (optional) comparison."""
    rows, errors = [], []
    for n, item in enumerate(values):
        line = lines[n] if n < len(lines) else values_line
        if not isinstance(item, dict):
            errors.append(ContentError(path, f"item {n + 1} of values is not a set of fields", line,
                                       "write each figure like - {period: 2024, value: 63}"))
            continue
        unknown = [key for key in item if key not in CSV_COLUMNS]
        for key in unknown:
            errors.append(ContentError(path, f'values (item {n + 1}) has an unknown field "{key}".'
                                       + did_you_mean(key, CSV_COLUMNS), line, "use only period, value and comparison"))
        if "period" not in item or "value" not in item:
            missing = "period" if "period" not in item else "value"
            errors.append(ContentError(path, f"values (item {n + 1}) has no {missing}", line,
                                       "write each figure like - {period: 2024, value: 63}"))
            continue
        rows.append(_Row(item["period"], item["value"], item.get("comparison"), path, line))
    return rows, errors


def rows_from_csv(rel: str, text: str) -> tuple[list[_Row], list[ContentError]]:
    """A CSV file whose first line names its columns: period, value and (optional) comparison."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        return [], [ContentError(rel, "the CSV file is empty", 1, "the first line must be: period,value,comparison")]
    names = [cell.strip().lower() for cell in header]
    errors = []
    for name in names:
        if name not in CSV_COLUMNS:
            errors.append(ContentError(rel, f'the column "{name}" is not one we know.' + did_you_mean(name, CSV_COLUMNS), 1,
                                       "name the columns on the first line: period,value,comparison"))
    for needed in ("period", "value"):
        if needed not in names:
            errors.append(ContentError(rel, f'the CSV file has no "{needed}" column', 1,
                                       "the first line must name the columns: period,value,comparison"))
    if errors:
        return [], errors
    rows = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, as spreadsheets leave at the end
        if len(cells) != len(names):
            errors.append(ContentError(rel, f"this line has {len(cells)} cells, but the first line names {len(names)} columns",
                                       line, "give every line a cell for each column, even an empty one: 2024,63,"))
            continue
        cell = dict(zip(names, (c.strip() for c in cells)))
        rows.append(_Row(cell["period"], cell["value"], cell.get("comparison"), rel, line))
    return rows, errors


def values_lines(text: str) -> tuple[list[int | None], int | None]:
    """The file line of each item of `values:` in a measure's front matter (for error messages),
    and the line of `values:` itself. Found from the YAML's own node positions."""
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), len(lines))
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return [], None
    for key, value in getattr(node, "value", ()) if isinstance(node, yaml.MappingNode) else ():
        if key.value == "values":
            items = value.value if isinstance(value, yaml.SequenceNode) else []
            return [item.start_mark.line + 2 for item in items], key.start_mark.line + 2
    return [], None


def data_file(rel: str, language_suffix: str = "") -> str:
    """content/measures/x.md (or its translation x.cy.md) -> content/measures/x.csv: a translation
    shares its original's figures."""
    path = PurePosixPath(rel)
    return str(path.with_name(path.name.removesuffix(".md").removesuffix(language_suffix) + ".csv"))


def read_measure(site_dir: Path, rel: str, data, field_line, language_suffix: str = "") -> tuple[Measure | None, list[ContentError]]:
    """data: the validated front matter (validate._MeasureSchema). field_line: name -> line."""
    csv_rel = data_file(rel, language_suffix)
    csv_path = site_dir / csv_rel
    has_csv = csv_path.is_file()
    values = [{**(item.model_extra or {}), "period": item.period, "value": item.value, "comparison": item.comparison}
              for item in data.values] or None
    if values is not None and has_csv:
        return None, [ContentError(rel, f"has figures in values: and in {csv_rel} as well", field_line("values"),
                                   f"keep the figures in one place: remove values: here, or remove {csv_rel}")]
    if values is None and not has_csv:
        return None, [ContentError(rel, "has no figures", None,
                                   f"add a values: list here, or save the figures as {csv_rel} (period,value,comparison)")]
    if has_csv:
        raw = csv_path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as problem:
            return None, [ContentError(csv_rel, "is not saved as UTF-8 text", raw[:problem.start].count(b"\n") + 1,
                                       "save it again from your spreadsheet as CSV UTF-8")]
        rows, errors = rows_from_csv(csv_rel, text.replace("\r\n", "\n").replace("\r", "\n"))
    else:
        lines, values_line = values_lines((site_dir / rel).read_text(encoding="utf-8-sig", errors="replace")
                                          .replace("\r\n", "\n"))
        rows, errors = rows_from_front_matter(rel, values, lines, values_line or field_line("values"))
    points, problems = read_points(rows, data.unit)
    errors += problems
    if not errors and not points:
        errors.append(ContentError(csv_rel if has_csv else rel, "has no figures", field_line("values") if not has_csv else 2,
                                   "add at least one figure: a period and its value"))
    if errors:
        return None, errors
    target = Target(float(data.target.value), data.target.date) if data.target else None
    source = data.source
    return Measure(data.what.strip(), data.unit, data.better, points, target, source.name if source else "",
                   source.url if source else "", data.comparison.strip(), data.example,
                   csv_rel if has_csv else ""), []
