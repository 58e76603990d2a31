"""formats.charts: pure SVG line and bar charts with escaped labels, accessible names and
focusable data points; publish.charts marks them safe for the templates."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from newsdesk.formats.charts import (
    CHAR_WIDTH,
    ChartSeries,
    bar_chart,
    chart_id,
    line_chart,
    nice_ceiling,
)
from newsdesk.publish import charts as site_charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def test_line_chart_is_accessible_well_formed_svg() -> None:
    svg = parse(
        line_chart(
            [ChartSeries("Mining", (1, 4, 2)), ChartSeries("Oil & gas", (0, 0, 8))],
            ["1 Jan", "8 Jan", "15 Jan"],
            title="Articles per sector",
            description="Three weeks.",
            key="sectors",
        )
    )
    assert svg.get("role") == "group"
    assert svg.get("aria-labelledby") == "chart-sectors-title chart-sectors-desc"
    assert svg.find(f"{SVG}title").text == "Articles per sector"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == "Three weeks."  # type: ignore[union-attr]
    lines = svg.findall(f"{SVG}polyline")
    assert len(lines) == 2 and lines[0].get("stroke") != lines[1].get("stroke")
    legend = [t.text for t in svg.findall(f"{SVG}text") if t.text and "(" in t.text]
    assert legend == ["Mining (7)", "Oil & gas (8)"]
    assert len(list(svg.iter(f"{SVG}circle"))) == 6


def test_points_scale_to_the_largest_value() -> None:
    svg = parse(
        line_chart(
            [ChartSeries("a", (0, 5, 10))], ["w1", "w2", "w3"], title="t", description="d", key="k"
        )
    )
    ys = [float(c.get("cy", "0")) for c in list(svg.iter(f"{SVG}circle"))]
    assert ys[0] > ys[1] > ys[2]  # larger counts are drawn higher
    assert ys[0] - ys[1] == pytest.approx(ys[1] - ys[2], abs=0.2)


def test_hostile_labels_are_escaped() -> None:
    evil = '<script>alert(1)</script>"\' onload="x'
    markup = str(
        line_chart(
            [ChartSeries(evil, (1, 2))], [evil, "w2"], title=evil, description=evil, key=evil
        )
    )
    assert "<script>" not in markup and 'onload="x' not in markup
    parse(markup)  # still well-formed XML
    bars = str(bar_chart([3, 1], [evil, "b"], title=evil, description=evil, key=evil))
    assert "<script>" not in bars
    parse(bars)


def test_bar_chart_draws_one_bar_per_value_with_titles() -> None:
    svg = parse(bar_chart([0, 3, 6], ["a", "b", "c"], title="t", description="d", key="e"))
    bars = list(svg.iter(f"{SVG}rect"))
    assert len(bars) == 3
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[0] == 0 and heights[2] == pytest.approx(2 * heights[1], abs=0.2)
    points = svg.findall(f"{SVG}g[@class='point']")
    assert [p.find(f"{SVG}title").text for p in points] == ["a: 0", "b: 3", "c: 6"]  # type: ignore[union-attr]
    assert [p.get("aria-label") for p in points] == ["a: 0", "b: 3", "c: 6"]
    assert all(p.get("tabindex") == "0" for p in points)  # values reachable by keyboard


def test_empty_data_still_renders() -> None:
    parse(line_chart([], [], title="t", description="d", key="k"))
    parse(bar_chart([], [], title="t", description="d", key="k"))
    parse(line_chart([ChartSeries("a", (0, 0))], ["x", "y"], title="t", description="d", key="k"))


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (240, 500)]
)
def test_nice_ceiling(value: int, ceiling: int) -> None:
    assert nice_ceiling(value) == ceiling


def test_chart_ids_are_attribute_safe() -> None:
    assert re.fullmatch(r"chart-[a-z0-9-]+", chart_id('entity-org:"x" <y>'))
    assert chart_id("") == "chart-x"


def test_every_line_is_distinct_past_the_palette() -> None:
    series = [ChartSeries(f"s{n}", (n, n + 1)) for n in range(10)]
    svg = parse(line_chart(series, ["a", "b"], title="t", description="d", key="k"))
    styles = {(p.get("stroke"), p.get("stroke-dasharray")) for p in svg.findall(f"{SVG}polyline")}
    assert len(styles) == 10


def test_values_are_drawn_for_print_when_asked() -> None:
    hidden = parse(bar_chart([2], ["a"], title="t", description="d", key="k"))
    shown = parse(bar_chart([2], ["a"], title="t", description="d", key="k", show_values=True))
    assert hidden.find(f"{SVG}g[@class='point']") is not None
    assert shown.find(f"{SVG}g[@class='point value-shown']") is not None


def test_the_site_marks_the_same_svg_safe() -> None:
    args = {"title": "t", "description": "<d>", "key": "k"}
    assert str(site_charts.bar_chart([1], ["<a>"], **args)) == bar_chart([1], ["<a>"], **args)


def test_legend_totals_can_be_left_out_for_shares() -> None:
    series = [ChartSeries("Oil", (10, 20))]
    with_totals = parse(line_chart(series, ["a", "b"], title="t", description="d", key="k"))
    shares = parse(
        line_chart(series, ["a", "b"], title="t", description="d", key="k", totals=False)
    )
    assert [t.text for t in with_totals.findall(f"{SVG}text") if t.text == "Oil (30)"]
    assert [t.text for t in shares.findall(f"{SVG}text") if t.text == "Oil"]


SECTOR_NAMES = [
    "Business & Politics",
    "Mining & Metals",
    "Sanctions & Regulation",
    "Aerospace & Defense",
    "Rare Earths & Commodities",
    "AI & Semiconductors",
    "ESG & Renewable Energy",
    "Oil & Gas",
    "EVs & Battery Technology",
]


@pytest.mark.parametrize("count", [2, 6, 9, 12])
def test_axis_labels_never_run_into_each_other(count: int) -> None:
    """The deal-flow chart's nine sector names, 14 characters in 63-unit slots, overlapped."""
    names = (SECTOR_NAMES * 2)[:count]
    svg = parse(bar_chart(list(range(count)), names, title="t", description="d", key="k"))
    labels = [
        t
        for t in svg.iter("{http://www.w3.org/2000/svg}text")
        if t.get("text-anchor") == "middle" and t.get("class") != "value"
    ]
    assert labels
    centres = [float(t.get("x")) for t in labels]
    widths = [len(t.text or "") * 11 * CHAR_WIDTH for t in labels]
    for i in range(len(labels) - 1):
        assert centres[i] + widths[i] / 2 < centres[i + 1] - widths[i + 1] / 2, (
            labels[i].text,
            labels[i + 1].text,
        )
    assert all(
        t.text == name or (t.text.endswith("…") and name.startswith(t.text[:-1]))
        for t, name in zip(labels, names[:: max(1, count // 6)], strict=True)
    )
