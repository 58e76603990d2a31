"""Server-rendered SVG charts of weekly counts. Pure: values in, markup out.

Every label is escaped (it may be an entity name read from a feed). Charts carry <title> and
<desc> for screen readers, and colours only through presentation attributes, which the site's
Content-Security-Policy (no inline styles) allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Okabe-Ito: tells apart for colour-blind readers, all >= 3:1 against white but the yellow,
# which is left out.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 12, 12, 28
LEGEND_ROW = 18
# Past the palette, lines repeat colours with a different dash, so every line stays distinct.
DASHES = ("none", "7 4", "2 3")
_NOT_ID = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True)
class ChartSeries:
    label: str
    values: tuple[int, ...]


def chart_id(value: str) -> str:
    """An id safe in an attribute and in aria-labelledby (no spaces, no markup)."""
    return "chart-" + (_NOT_ID.sub("-", value.lower()).strip("-") or "x")


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^n at or above value (at least 1)."""
    if value <= 1:
        return 1
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def line_chart(
    series: Sequence[ChartSeries],
    x_labels: Sequence[str],
    *,
    title: str,
    description: str,
    key: str,
    width: int = 640,
    height: int = 240,
) -> Markup:
    """One line per series over the same x positions, with a legend below the plot."""
    count = max(len(x_labels), 1)
    legend_height = LEGEND_ROW * len(series)
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    top = nice_ceiling(max((max(s.values, default=0) for s in series), default=0))

    def x(index: int) -> float:
        return MARGIN_LEFT + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y(value: int) -> float:
        return MARGIN_TOP + plot_h - plot_h * value / top

    parts = _frame(width, height + legend_height, title, description, key)
    parts += _axes(width, height, top, x_labels, x)
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[(index // len(PALETTE)) % len(DASHES)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(item.values))
        parts.append(
            Markup(
                '<polyline fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}" '
                'points="{}"/>'
            ).format(colour, dash, points)
        )
        for i, value in enumerate(item.values):
            week = x_labels[i] if i < len(x_labels) else ""
            parts.append(
                Markup(
                    '<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"><title>{}: {} ({})</title>'
                    "</circle>"
                ).format(x(i), y(value), colour, item.label, value, week)
            )
        legend_y = height + LEGEND_ROW * index + 4
        parts.append(
            Markup(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3" '
                'stroke-dasharray="{}"/><text x="{}" y="{}" font-size="12">{} ({})</text>'
            ).format(
                MARGIN_LEFT,
                legend_y + 6,
                MARGIN_LEFT + 20,
                legend_y + 6,
                colour,
                dash,
                MARGIN_LEFT + 26,
                legend_y + 10,
                item.label,
                sum(item.values),
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


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
    """One bar per x position."""
    count = max(len(values), 1)
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    top = nice_ceiling(max(values, default=0))
    slot = plot_w / count

    def x(index: int) -> float:
        return MARGIN_LEFT + slot * index + slot / 2

    parts = _frame(width, height, title, description, key)
    parts += _axes(width, height, top, x_labels, x)
    for index, value in enumerate(values):
        bar_h = plot_h * value / top
        week = x_labels[index] if index < len(x_labels) else ""
        parts.append(
            Markup(
                '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}">'
                "<title>{}: {}</title></rect>"
            ).format(
                x(index) - slot * 0.35,
                MARGIN_TOP + plot_h - bar_h,
                slot * 0.7,
                bar_h,
                PALETTE[0],
                week,
                value,
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _frame(width: int, height: int, title: str, description: str, key: str) -> list[Markup]:
    ident = chart_id(key)
    return [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" '
            'width="{w}" height="{h}" role="img" aria-labelledby="{i}-title {i}-desc">'
            '<title id="{i}-title">{t}</title><desc id="{i}-desc">{d}</desc>'
        ).format(w=width, h=height, i=ident, t=escape(title), d=escape(description))
    ]


def _axes(
    width: int,
    height: int,
    top: int,
    x_labels: Sequence[str],
    position: Callable[[int], float],
) -> list[Markup]:
    bottom = height - MARGIN_BOTTOM
    parts = [
        Markup(
            '<g stroke="#57606a" stroke-width="1">'
            '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}"/>'
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}"/></g>'
        ).format(l=MARGIN_LEFT, t=MARGIN_TOP, b=bottom, r=width - MARGIN_RIGHT)
    ]
    middle = MARGIN_TOP + (bottom - MARGIN_TOP) / 2
    for value, y in ((top, MARGIN_TOP), (top / 2, middle), (0, bottom)):
        shown = f"{value:g}"
        parts.append(
            Markup(
                '<text x="{}" y="{:.1f}" font-size="11" text-anchor="end" fill="#57606a">{}</text>'
            ).format(MARGIN_LEFT - 6, y + 4, shown)
        )
    step = max(1, len(x_labels) // 6)
    tick = Markup(
        '<text x="{:.1f}" y="{}" font-size="11" text-anchor="middle" fill="#57606a">{}</text>'
    )
    parts.extend(
        tick.format(position(index), bottom + 16, x_labels[index])
        for index in range(0, len(x_labels), step)
    )
    return parts
