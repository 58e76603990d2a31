"""The site's charts: formats.charts' SVG, marked safe for the templates (it escapes every
label itself). Pure: values in, markup out."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from newsdesk.formats import charts
from newsdesk.formats.charts import ChartSeries, chart_id, nice_ceiling

__all__ = ["ChartSeries", "bar_chart", "chart_id", "line_chart", "nice_ceiling"]


def line_chart(
    series: Sequence[ChartSeries],
    x_labels: Sequence[str],
    *,
    title: str,
    description: str,
    key: str,
    width: int = 640,
    height: int = 240,
    totals: bool = True,
) -> Markup:
    svg = charts.line_chart(
        series,
        x_labels,
        title=title,
        description=description,
        key=key,
        width=width,
        height=height,
        totals=totals,
    )
    return Markup(svg)  # noqa: S704 - formats.charts escapes every label it writes


def bar_chart(
    values: Sequence[int],
    x_labels: Sequence[str],
    *,
    title: str,
    description: str,
    key: str,
    width: int = 640,
    height: int = 200,
) -> Markup:
    svg = charts.bar_chart(
        values, x_labels, title=title, description=description, key=key, width=width, height=height
    )
    return Markup(svg)  # noqa: S704 - formats.charts escapes every label it writes
