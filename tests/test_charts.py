"""A measure's chart as SVG: real text, no script or fixed size, the site's colours, ids of its
own, series told apart by dash and marker, and the target drawn and labelled."""

from __future__ import annotations

import re
from pathlib import Path
import xml.etree.ElementTree as ET

import pytest

from builder.render.charts import ChartSpec, draw

NS = {"svg": "http://www.w3.org/2000/svg"}
XLINK = "{http://www.w3.org/1999/xlink}href"


def _spec(chart_id="chart-plans-full", size="full", **changes) -> ChartSpec:
    values = dict(chart_id=chart_id, size=size, labels=("2022", "2023", "2024"), positions=(2022 * 12, 2023 * 12, 2024 * 12),
                  values=(38.0, 46.0, 63.0), comparison=(49.2, 50.3, 46.4), main_label="Example Council",
                  comparison_label="England", target=80.0, target_label="Target: 80% by March 2026", percent=True)
    values.update(changes)
    return ChartSpec(**values)


@pytest.fixture(scope="module")
def full() -> ET.Element:
    return ET.fromstring(draw(_spec()))


def _texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_text_is_kept_as_text(full):
    texts = _texts(full)
    for label in ("2022", "2023", "2024", "0%", "100%", "Target: 80% by March 2026", "Example Council", "England"):
        assert label in texts


def test_no_script_metadata_or_fixed_size(full):
    text = ET.tostring(full, encoding="unicode")
    tags = {element.tag.split("}")[-1] for element in full.iter()}
    assert not tags & {"script", "metadata", "foreignObject", "style", "title", "a", "image"}
    assert "on" not in {name[:2] for element in full.iter() for name in element.attrib}  # no event handlers
    assert "width" not in full.attrib and "height" not in full.attrib
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", full.get("viewBox"))
    assert "<!DOCTYPE" not in text and "<?xml" not in text


def _style(element) -> str:
    """What the element's presentation attributes and colour classes say, written as a style:
    class="chart-stroke-main" stroke-width="3" -> "stroke: var(--chart-main); stroke-width: 3"."""
    said = [f"{name}: {value}" for name, value in element.attrib.items() if name not in ("class", "d", "id", XLINK)]
    for name in (element.get("class") or "").split():
        if match := re.fullmatch(r"chart-(stroke|fill)-(\w+)", name):
            said.append(f"{match[1]}: var(--chart-{match[2]})")
    return "; ".join(said)


def test_colours_are_the_sites_custom_properties_and_no_style_attribute_is_left(full):
    # Every colour is one the site's CSS sets for light, dark, forced colours and print, through
    # a class: a Content Security Policy without 'unsafe-inline' blocks style attributes.
    assert not [element for element in full.iter() if element.get("style") is not None]
    styles = " ".join(_style(element) for element in full.iter())
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", styles), "a fixed colour is left in the chart"
    assert "font-family" not in styles  # the page's font
    for name in ("main", "comparison", "target", "text"):
        assert f"var(--chart-{name})" in styles
    css = (Path(__file__).resolve().parents[1] / "builder/theme/static/style.css").read_text(encoding="utf-8")
    for name in {n for e in full.iter() for n in (e.get("class") or "").split() if n.startswith("chart-")}:
        assert f".{name} {{" in css, f"style.css does not colour .{name}"


def _lines(root) -> dict[str, str]:
    """The style of each drawn line, by its colour's role."""
    found = {}
    for path in root.iter("{http://www.w3.org/2000/svg}path"):
        style = _style(path)
        match = re.search(r"stroke: var\(--chart-(main|comparison|target)\)", style)
        if match and "fill: none" in style:
            found[match[1]] = style
    return found


def test_series_differ_by_dash_and_marker_not_colour_alone(full):
    lines = _lines(full)
    dashes = {role: re.search(r"stroke-dasharray: ([^;]+)", style) for role, style in lines.items()}
    assert dashes["main"] is None  # solid
    assert dashes["comparison"] and dashes["target"]
    assert dashes["comparison"][1] != dashes["target"][1]
    markers = {}
    for use in full.iter("{http://www.w3.org/2000/svg}use"):
        style = _style(use)
        role = re.search(r"var\(--chart-(main|comparison)\)", style)
        if role:
            target = full.find(f".//*[@id='{use.get(XLINK)[1:]}']")
            markers[role[1]] = target.get("d")
    assert markers.get("main") and markers.get("comparison") and markers["main"] != markers["comparison"]


def test_ids_are_the_charts_own_so_two_charts_can_share_a_page(full):
    other = ET.fromstring(draw(_spec(chart_id="chart-other-full")))
    ids = [e.get("id") for e in full.iter() if e.get("id")]
    assert ids and all(i.startswith("chart-plans-full-") for i in ids)
    assert not set(ids) & {e.get("id") for e in other.iter() if e.get("id")}
    for element in full.iter():  # every reference points at an id that is there
        if element.get(XLINK):
            assert element.get(XLINK)[1:] in ids


def test_small_chart_has_no_text_and_the_same_lines():
    small = ET.fromstring(draw(_spec(chart_id="chart-plans-small", size="small")))
    assert _texts(small) == []
    assert set(_lines(small)) == {"main", "comparison", "target"}


def test_drawing_is_repeatable():
    # The build compares output bytes: the same figures must give the same chart.
    assert draw(_spec()) == draw(_spec())


def test_a_chart_without_comparison_or_target_draws_only_its_line():
    root = ET.fromstring(draw(_spec(comparison=(), target=None, target_label="")))
    assert set(_lines(root)) == {"main"}
    assert not any(t.startswith("Target") for t in _texts(root))


def test_figures_below_zero_are_inside_the_chart():
    root = ET.fromstring(draw(_spec(values=(-4.0, 2.0, -1.0), comparison=(), target=None, percent=False)))
    assert "-4" in " ".join(_texts(root)).replace("\u2212", "-")  # the axis reaches the lowest figure


def _legend_positions(root, labels) -> dict[str, tuple[float, float]]:
    return {"".join(t.itertext()): (float(t.get("x")), float(t.get("y")))
            for t in root.iter("{http://www.w3.org/2000/svg}text") if "".join(t.itertext()) in labels}


def test_a_long_name_puts_the_legend_one_above_the_other_so_nothing_is_cut_off():
    # Side by side, "Suffolk County Council" and "England" ran past the chart's right edge.
    labels = ("Suffolk County Council", "England")
    root = ET.fromstring(draw(_spec(main_label=labels[0])))
    width = float(root.get("viewBox").split()[2])
    (x1, y1), (x2, y2) = (_legend_positions(root, labels)[label] for label in labels)
    assert x1 == x2 and y2 > y1
    # 13 px text is at most about 8 px a character: the longer label ends inside the chart.
    assert x1 + 8 * len(labels[0]) < width
    short = _legend_positions(ET.fromstring(draw(_spec())), ("Example Council", "England"))
    assert short["Example Council"][1] == short["England"][1]  # short names stay side by side
