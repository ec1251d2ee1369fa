"""A measure's chart, drawn at build time as static SVG by matplotlib's SVG backend.

matplotlib is mature, draws text as <text> (svg.fonttype "none"), and needs no browser or
JavaScript. It is imported only when a chart must be drawn (a second or so), so a site with
no measures, or whose charts are all in the build cache, never pays for it.

What matplotlib writes is then made fit for a page of ours (`clean`):
- colours become classes that the site's CSS colours with custom properties, so a chart
  follows light and dark mode, the display settings, forced colours and print (style.css:
  .chart); every other style becomes a presentation attribute, because a Content Security
  Policy without 'unsafe-inline' (deploy/nginx.conf) blocks style attributes;
- text takes the page's font; width and height go, the viewBox stays, so it fits 320 px;
- metadata, the DOCTYPE and the style block go, and every id is prefixed with the chart's
  own, so two charts on one page never share an id.
The series differ by dash and marker shape, not only by colour; the target is a dotted line
with its own label. Pure: a ChartSpec in, SVG text out (keys.chart_key caches it).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
VERSION = 2  # of the drawing code: part of every chart's cache key

# Stand-in colours matplotlib draws with, and the role each becomes: a class such as
# "chart-stroke-main", which style.css colours with the custom property --chart-main.
COLOURS = {"#010101": "main", "#020202": "comparison", "#030303": "target", "#040404": "text", "#050505": "grid"}


@dataclass(frozen=True)
class ChartSpec:
    chart_id: str  # unique on any page that shows it: every id in the SVG starts with it
    size: str  # "full" (axes, labels, legend) or "small" (a line beside a sentence, decorative)
    labels: tuple[str, ...]  # each period, as the axis shows it
    positions: tuple[int, ...]  # where each period falls in time, so a gap of years looks like one
    values: tuple[float, ...]
    comparison: tuple[float | None, ...] = ()
    main_label: str = ""
    comparison_label: str = ""
    target: float | None = None
    target_label: str = ""
    percent: bool = False
    axis_label: str = ""  # "Weeks", "Days": what the numbers on the side are


def draw(spec: ChartSpec) -> str:
    """The chart as SVG text, ready to put in a page; "" if matplotlib cannot draw these figures
    (the page still has its sentence and table, which carry the meaning)."""
    try:
        return _draw(spec)
    except (ValueError, OverflowError, ArithmeticError, RuntimeError):
        return ""


def _draw(spec: ChartSpec) -> str:
    import matplotlib

    matplotlib.use("svg", force=False)
    from matplotlib.figure import Figure

    small = spec.size == "small"
    params = {"svg.fonttype": "none", "svg.hashsalt": spec.chart_id, "font.size": 14,
              "axes.edgecolor": "#040404", "text.color": "#040404", "xtick.color": "#040404",
              "ytick.color": "#040404", "axes.labelcolor": "#040404", "axes.linewidth": 1}
    with matplotlib.rc_context(params):
        figure = Figure(figsize=(3.0, 0.9) if small else (5.0, 3.6), facecolor="none")
        axes = figure.add_subplot()
        axes.set_facecolor("none")
        positions = list(spec.positions)
        thick = 1.6 if small else 1  # a small chart is shown at half its size: its lines must stay solid
        axes.plot(positions, spec.values, color="#010101", linewidth=3 * thick, linestyle="-", marker="o",
                  markersize=5 if small else 8, label=spec.main_label, clip_on=False)
        compared = [(x, v) for x, v in zip(positions, spec.comparison) if v is not None]
        if compared:
            axes.plot([x for x, _ in compared], [v for _, v in compared], color="#020202", linewidth=2.5 * thick,
                      linestyle=(0, (6, 3)), marker="s", markersize=4 if small else 7,
                      label=spec.comparison_label, clip_on=False)
        shown = [*spec.values, *(v for _, v in compared), *([spec.target] if spec.target is not None else [])]
        top = max(shown) or 1
        if small:  # a glance at the trend: the figures' own range, so a change is visible
            low, high = min(shown), max(shown)
            pad = (high - low) * 0.12 or abs(high) * 0.1 or 1
            axes.set_ylim(low - pad, high + pad)
        else:  # from zero, so the size of a change is not exaggerated
            bottom = min(0, min(shown) * 1.15)  # below zero only for figures that are (a change, say)
            axes.set_ylim(bottom, 104 if spec.percent and 0 < top <= 100 else max(top * 1.15, 1))  # 104: a 100% target shows whole
        margin = max(0.3, (positions[-1] - positions[0]) * 0.04)
        axes.set_xlim(positions[0] - margin, positions[-1] + margin)
        if spec.target is not None:
            axes.axhline(spec.target, color="#030303", linewidth=2.5 * thick, linestyle=(0, (1.5, 3)))
            if not small:
                axes.annotate(spec.target_label, (positions[0], spec.target), xytext=(2, 5), textcoords="offset points",
                              color="#040404", fontsize=13, annotation_clip=False)
        if small:
            axes.set_axis_off()
            figure.subplots_adjust(0.03, 0.08, 0.97, 0.92)
        else:
            _axes(figure, axes, spec, positions, bool(compared))
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return clean(out.getvalue(), spec.chart_id)


def _axes(figure, axes, spec: ChartSpec, positions: list[int], compared: bool) -> None:
    from matplotlib import ticker  # imported with matplotlib itself, only when a chart is drawn

    # At most five period labels, none crowding the next (they must fit 320 px); the latest always.
    step, span, shown = max(1, -(-len(positions) // 5)), (positions[-1] - positions[0]) or 1, []
    for n in list(range(len(positions)))[::-1][::step]:
        if not shown or positions[shown[0]] - positions[n] >= span * 0.14:
            shown.insert(0, n)
    axes.set_xticks([positions[n] for n in shown], [spec.labels[n] for n in shown])
    axes.yaxis.set_major_locator(ticker.MaxNLocator(5))
    if spec.percent:
        axes.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g%%"))
    if spec.axis_label:
        axes.set_ylabel(spec.axis_label)
    axes.grid(axis="y", color="#050505", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    # Two long names ("Suffolk County Council", "England") side by side overrun the chart's
    # edge, and the SVG clips what lies beyond it: long names go one above the other.
    columns = 2 if len(spec.main_label or "") + len(spec.comparison_label or "") <= 24 else 1
    if compared or spec.main_label:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=columns if compared else 1, frameon=False,
                    handlelength=3, fontsize=13, labelcolor="#040404")
    figure.subplots_adjust(left=0.15, right=0.97, top=0.93, bottom=0.27 if columns == 2 or not compared else 0.33)


def _style_as_attributes(element, style: str) -> None:
    """stroke: #010101; stroke-width: 3 -> class="chart-stroke-main" stroke-width="3"."""
    classes = []
    for declaration in style.split(";"):
        name, _, value = (part.strip() for part in declaration.partition(":"))
        if not name or name == "font-family":  # the page's own font
            continue
        if value.lower() in COLOURS:
            classes.append(f"chart-{name}-{COLOURS[value.lower()]}")
        else:
            element.set(name, value)
    if classes:
        element.set("class", " ".join(classes))


def clean(svg: str, chart_id: str) -> str:
    """matplotlib's SVG made fit for an HTML page (see the module's docstring)."""
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(svg)
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.split("}")[-1]
            if tag in ("metadata", "style", "title", "script"):
                parent.remove(child)
    referenced = set()
    for element in root.iter():
        href = element.get(f"{{{XLINK}}}href") or element.get("href")
        if href and href.startswith("#"):
            referenced.add(href[1:])
        referenced.update(re.findall(r"url\(#([^)]+)\)", element.get("clip-path", "") + element.get("style", "")))
    for element in root.iter():
        identifier = element.attrib.pop("id", None)
        if identifier in referenced:
            element.set("id", f"{chart_id}-{identifier}")
        for name in (f"{{{XLINK}}}href", "href"):
            if (href := element.get(name)) and href.startswith("#"):
                element.set(name, f"#{chart_id}-{href[1:]}")
        if value := element.get("clip-path"):
            element.set("clip-path", re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{chart_id}-{m[1]})", value))
        if style := element.attrib.pop("style", None):
            _style_as_attributes(element, re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{chart_id}-{m[1]})", style))
    for parent in list(root.iter()):  # defs the removals above left empty
        for child in list(parent):
            if child.tag.split("}")[-1] == "defs" and not len(child):
                parent.remove(child)
    for name in ("width", "height", "version"):
        root.attrib.pop(name, None)
    root.set("class", "chart__svg")
    root.set("focusable", "false")
    text = ET.tostring(root, encoding="unicode")
    return re.sub(r">\s+<", "><", text)
