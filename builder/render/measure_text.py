"""The words a measure's figures are told in: its values, periods and the one-sentence summary,
in the page's language ("63% of plans … in 2024, up from 46% in 2023. The target is 80% by
March 2026.").

Every sentence is a gettext message, so each language's catalogue words it (the Welsh puts the
figure after a colon, which needs no mutation of the description). The one thing a message
cannot do is Welsh's mutation after "yn" ("in"): "ym Mai 2024", "yng Ngorffennaf", so the
phrase "in <period>" is made here for Welsh. Pure: figures and a catalogue in, text out.
"""

from __future__ import annotations

from builder.content.dates import PartialDate
from builder.content.measures import Measure, Period
from builder.i18n import N_, format_date

DIRECTIONS = {"better": N_("Getting better"), "worse": N_("Getting worse"), "same": N_("No change")}
# Welsh "in" before each month, with the mutation it causes: ym Mai, yng Ngorffennaf, yn Nhachwedd.
_WELSH_IN = ("yn Ionawr", "yn Chwefror", "ym Mawrth", "yn Ebrill", "ym Mai", "ym Mehefin", "yng Ngorffennaf",
             "yn Awst", "ym Medi", "yn Hydref", "yn Nhachwedd", "yn Rhagfyr")
_WELSH_MONTHS = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi",
                 "Hydref", "Tachwedd", "Rhagfyr")
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")


def _welsh(language: str) -> bool:
    return language.lower().split("-")[0] == "cy"


def number(value: float) -> str:
    """46.4, 1,234, 63: up to two decimal places, as written (English and Welsh alike)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def value_text(value: float, unit: str, translations) -> str:
    """63%, 1,234, 18 weeks, 12 days (18 wythnos, 12 diwrnod)."""
    shown = number(value)
    if unit == "percent":
        return shown + "%"
    if unit == "weeks":
        return translations.ngettext("%(num)s week", "%(num)s weeks", _plural(value)) % {"num": shown}
    if unit == "days":
        return translations.ngettext("%(num)s day", "%(num)s days", _plural(value)) % {"num": shown}
    return shown


def _plural(value: float) -> int:
    return int(value) if float(value).is_integer() else 2  # "1.5 weeks": plural, as in speech


def period_text(period: Period, language: str) -> str:
    """2024, May 2024, July to September 2024 (Gorffennaf–Medi 2024), 2023/24."""
    if period.form == "month":
        return format_date(PartialDate(period.year, period.part), language)
    if period.form == "quarter":
        first, last = period.part * 3 - 3, period.part * 3 - 1
        if _welsh(language):
            return f"{_WELSH_MONTHS[first]}–{_WELSH_MONTHS[last]} {period.year}"
        return f"{_ENGLISH_MONTHS[first]} to {_ENGLISH_MONTHS[last]} {period.year}"
    return period.text


def short_period(period: Period, language: str) -> str:
    """A chart's axis label: 2024, May 2024, 2024 Q3 (2024 Ch3), 2023/24."""
    if period.form == "quarter":
        return f"{period.year} {'Ch' if _welsh(language) else 'Q'}{period.part}"
    if period.form == "month":
        names = _WELSH_MONTHS if _welsh(language) else _ENGLISH_MONTHS
        return f"{names[period.part - 1][:3]} {period.year}"
    return period.text


def in_period(period: Period, language: str, translations) -> str:
    """"in 2024", "in May 2024"; Welsh "yn 2024", "ym Mai 2024"."""
    if _welsh(language):
        if period.form in ("month", "quarter"):
            first = period.part - 1 if period.form == "month" else period.part * 3 - 3
            return _WELSH_IN[first] + period_text(period, language).removeprefix(_WELSH_MONTHS[first])
        return "yn " + period_text(period, language)
    return translations.gettext("in %(period)s") % {"period": period_text(period, language)}


def target_text(measure: Measure, translations, language: str) -> str:
    """"80% by March 2026", or "80%" when it has no date."""
    target = measure.target
    value = value_text(target.value, measure.unit, translations)
    if target.date is None:
        return value
    return translations.gettext("%(value)s by %(date)s") % {
        "value": value, "date": format_date(PartialDate(target.date.year, target.date.month), language)}


def summary(measure: Measure, translations, language: str) -> str:
    """The one sentence (or three) that says what the chart shows."""
    _ = translations.gettext
    latest, previous = measure.latest, measure.previous
    words = {"what": measure.what.rstrip(". "), "value": value_text(latest.value, measure.unit, translations),
             "when": in_period(latest.period, language, translations)}
    if previous is None:
        text = _("%(what)s was %(value)s %(when)s.") % words
    else:
        words.update(previous=value_text(previous.value, measure.unit, translations),
                     previous_when=in_period(previous.period, language, translations))
        if latest.value > previous.value:
            text = _("%(what)s was %(value)s %(when)s, up from %(previous)s %(previous_when)s.") % words
        elif latest.value < previous.value:
            text = _("%(what)s was %(value)s %(when)s, down from %(previous)s %(previous_when)s.") % words
        else:
            text = _("%(what)s was %(value)s %(when)s, the same as %(previous_when)s.") % words
    if measure.comparison and latest.comparison is not None:
        text += " " + _("For %(comparison)s it was %(value)s.") % {
            "comparison": measure.comparison, "value": value_text(latest.comparison, measure.unit, translations)}
    if measure.target:
        text += " " + _("The target is %(target)s.") % {"target": target_text(measure, translations, language)}
    return text


def latest_text(measure: Measure, translations, language: str) -> str:
    """One line for lists: "63% in 2024 (getting better)"."""
    latest = measure.latest
    return translations.gettext("%(value)s %(when)s") % {
        "value": value_text(latest.value, measure.unit, translations),
        "when": in_period(latest.period, language, translations)}


def direction_text(measure: Measure, translations) -> str:
    return translations.gettext(DIRECTIONS[measure.direction])
