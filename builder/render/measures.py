"""Measures in the rendered site: their charts (a memoised build step), the helpers templates
call to show them, the /measures/ list, and each measure's CSV download.

- `add_charts` draws every chart the site shows (each measure's full chart and its small one,
  per language) through the build's memo, keyed by keys.chart_key: a chart is drawn again
  only when what it shows changed, and matplotlib is imported only then.
- `plan_measures` is the planner of the measures family (the list page; each measure's own
  page is planned with every other page).
- `measure_files` makes each measure's figures a CSV file beside its page.
"""

from __future__ import annotations

import csv
import io

from markupsafe import Markup

from builder.content.model import STATUSES
from builder.i18n import N_
from builder.render import measure_text as words
from builder.render.plan.common import Output

SIZES = ("full", "small")


def _measures(index) -> tuple:
    return index.kind("measure")


def chart_spec(page, size: str, translations, language: str, organisation: str):
    from builder.render.charts import ChartSpec

    _ = translations.gettext
    measure = page.measure
    target_label = ""
    if measure.target:
        target_label = _("Target: %(target)s") % {"target": words.target_text(measure, translations, language)}
    points = measure.points
    return ChartSpec(
        chart_id=f"chart-{page.slug}-{size}", size=size,
        labels=tuple(words.short_period(p.period, language) for p in points),
        positions=tuple(p.period.year * 12 + (p.period.part * 3 if p.period.form == "quarter" else p.period.part)
                        for p in points),
        values=tuple(p.value for p in points),
        comparison=tuple(p.comparison for p in points) if any(p.comparison is not None for p in points) else (),
        main_label=organisation or _("Our figures"), comparison_label=measure.comparison or _("Comparison"),
        target=measure.target.value if measure.target else None, target_label=target_label,
        percent=measure.unit == "percent",
        axis_label={"weeks": _("Weeks"), "days": _("Days")}.get(measure.unit, ""))


def add_charts(memo, indexes: dict, renderers: dict, jobs: int) -> None:
    """Draw (or reuse) every chart, and give each language's templates the helpers that show them."""
    from builder.incremental import keys
    from builder.parallel import fork_map

    items = []
    for language, index in indexes.items():
        translations = renderers[language].translations
        for page in _measures(index):
            for size in SIZES:
                spec = chart_spec(page, size, translations, language, index.config.organisation)
                items.append((f"{page.source}#{size}", keys.chart_key(spec), spec))

    def draw_all(specs: list) -> list:
        if not specs:
            return []
        import matplotlib.figure  # noqa: F401  once, before any fork, not in every worker

        from builder.render.charts import draw

        return fork_map(lambda n: draw(specs[n]), len(specs), jobs)

    charts = memo.map("chart", items, draw_all)
    for language, index in indexes.items():
        install(renderers[language].env, index, charts, renderers[language].translations, language)


def install(env, index, charts: dict, translations, language: str) -> None:
    """The helpers measure templates call (builder/theme/templates/measure*.html)."""
    index = env.globals.get("index", index)  # the one that records what templates look up

    def chart(page, size: str = "full", labelledby: str = "") -> Markup:
        svg = charts.get(f"{page.source}#{size}", "")
        if not svg:
            return Markup("")
        # The summary beside the chart carries its meaning: the chart is named by it, or is
        # decorative where the summary is already right next to it.
        label = f'role="img" aria-labelledby="{labelledby}"' if labelledby else 'aria-hidden="true"'
        # Its axis labels would only be noise in search results.
        return Markup(svg.replace("<svg ", f"<svg {label} data-pagefind-ignore ", 1))

    env.globals.update(
        measure_chart=chart,
        measure_summary=lambda page: words.summary(page.measure, translations, language),
        measure_latest=lambda page: words.latest_text(page.measure, translations, language),
        measure_direction=lambda page: words.direction_text(page.measure, translations),
        measure_value=lambda page, value: "" if value is None else words.value_text(value, page.measure.unit, translations),
        measure_period=lambda period: words.period_text(period, language),
        measure_target=lambda page: words.target_text(page.measure, translations, language),
        measures_of=lambda commitment: _measures_of(commitment, _measures(index)),
        commitments_measured_by=lambda page: [c for c in index.kind("commitment") if page.slug in c.measures],
        commitment_counts=lambda: commitment_counts(index),
    )


def _measures_of(commitment, measures) -> list:
    by_slug = {page.slug: page for page in measures}
    return [by_slug[slug] for slug in commitment.measures if slug in by_slug]


def commitment_counts(index) -> list[tuple[str, int]]:
    """(status, how many commitments have it now), in the order of progress; "" for none yet."""
    counts = {status: 0 for status in (*STATUSES, "")}
    for commitment in index.kind("commitment"):
        current = commitment.current_status
        counts[current.status if current else ""] += 1
    return [(status, count) for status, count in counts.items() if count]


def plan_measures(index, plan) -> list:
    """The /measures/ page, when the site has any measures."""
    _ = plan.gettext
    measures = _measures(index)
    if not measures:
        return []
    return [Output("measures/index.html", "measures.html", {
        "section": "measures", "page_title": _(TITLE),
        "description": _(DESCRIPTION), "breadcrumbs": [{"url": index.config.base_path, "label": _("Home")}]})]


TITLE = N_("Measures")
DESCRIPTION = N_("The figures that show whether support for children and young people with SEND is getting better.")


def measure_files(index) -> list[tuple[str, object, tuple]]:
    """Each measure's figures as CSV (period,value[,comparison]), beside its page: (path, make,
    arguments), as builder.render.feeds.machine_outputs gives them."""
    base = index.config.base_path.lstrip("/")
    return [(page.url.lstrip("/").removeprefix(base) + f"{page.slug}.csv", figures_csv, (page.measure,))
            for page in _measures(index)]


def figures_csv(measure) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    compared = any(p.comparison is not None for p in measure.points)
    writer.writerow(["period", "value", "comparison"] if compared else ["period", "value"])
    for point in measure.points:
        row = [point.period.text, words.number(point.value).replace(",", "")]
        if compared:
            row.append("" if point.comparison is None else words.number(point.comparison).replace(",", ""))
        writer.writerow(row)
    return out.getvalue()
