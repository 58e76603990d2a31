"""SVG charts of counts: line and bar charts, written as strings. Pure and stdlib-only.

The site (``publish``), the reports (``reports``: HTML, PDF and email) and the trend pages
draw their charts here. Every label is escaped (it may be an entity name read from a feed).
A chart is a ``role="group"`` with a <title> and <desc>; each data point is a focusable
group with an ``aria-label`` and a <title> (the tooltip on hover), holding a value label
that the site's stylesheet shows on hover and focus (``show_values`` draws it always, for
print). Colours go through presentation attributes, which a Content-Security-Policy without
inline styles allows; nothing here needs a script.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# Okabe-Ito: tells apart for colour-blind readers, all >= 3:1 against white but the yellow,
# which is left out.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 28, 18, 28
LEGEND_ROW = 18
# Past the palette, lines repeat colours with a different dash, so every line stays distinct.
DASHES = ("none", "7 4", "2 3")
MAX_LABEL_CHARS = 14
LABEL_FONT_SIZE = 11
# A character's mean advance in the fonts charts are drawn in (DejaVu Sans, Helvetica, Arial),
# as a share of the font size, rounded up so that estimated labels never meet.
CHAR_WIDTH = 0.62
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


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _short(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    if len(label) <= limit:
        return label
    return label[: limit - 1].rstrip(" &,-–") + "…"


def label_chars(room: float, font_size: float = LABEL_FONT_SIZE) -> int:
    """How many characters of an axis label fit in ``room`` units (at least 3): nine sectors'
    names, 14 characters each in 63-unit slots, were drawn over one another."""
    return max(3, min(MAX_LABEL_CHARS, int(room / (font_size * CHAR_WIDTH))))


def _point(label: str, x: float, y: float, value: int, shape: str, *, show_values: bool) -> str:
    """A focusable data point: its shape, a tooltip and a value label."""
    name = _e(f"{label}: {value}")
    shown = " value-shown" if show_values else ""
    return (
        f'<g class="point{shown}" tabindex="0" role="img" aria-label="{name}">'
        f"<title>{name}</title>{shape}"
        f'<text class="value" x="{x:.1f}" y="{max(y - 6, 10):.1f}" font-size="11" '
        f'text-anchor="middle" fill="#24292f">{_e(value)}</text></g>'
    )


def line_chart(
    series: Sequence[ChartSeries],
    x_labels: Sequence[str],
    *,
    title: str,
    description: str,
    key: str,
    width: int = 640,
    height: int = 240,
    show_values: bool = False,
    totals: bool = True,
) -> str:
    """One line per series over the same x positions, with a legend below the plot (each
    label followed by the series' total unless totals is False, e.g. for shares)."""
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
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}" points="{points}"/>'
        )
        for i, value in enumerate(item.values):
            where = x_labels[i] if i < len(x_labels) else ""
            circle = f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="4" fill="{colour}"/>'
            parts.append(
                _point(
                    f"{item.label}, {where}",
                    x(i),
                    y(value),
                    value,
                    circle,
                    show_values=show_values,
                )
            )
        legend_y = height + LEGEND_ROW * index + 4
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{legend_y + 6}" x2="{MARGIN_LEFT + 20}" '
            f'y2="{legend_y + 6}" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"/>'
            f'<text x="{MARGIN_LEFT + 26}" y="{legend_y + 10}" font-size="12">'
            f"{_e(item.label)}{f' ({sum(item.values)})' if totals else ''}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    values: Sequence[int],
    x_labels: Sequence[str],
    *,
    title: str,
    description: str,
    key: str,
    width: int = 640,
    height: int = 200,
    show_values: bool = False,
) -> str:
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
        bar_top = MARGIN_TOP + plot_h - bar_h
        where = x_labels[index] if index < len(x_labels) else ""
        rect = (
            f'<rect x="{x(index) - slot * 0.35:.1f}" y="{bar_top:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{bar_h:.1f}" fill="{PALETTE[0]}"/>'
        )
        parts.append(_point(where, x(index), bar_top, value, rect, show_values=show_values))
    parts.append("</svg>")
    return "".join(parts)


def _frame(width: int, height: int, title: str, description: str, key: str) -> list[str]:
    ident = chart_id(key)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="group" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{_e(title)}</title><desc id="{ident}-desc">{_e(description)}'
        "</desc>"
    ]


def _axes(
    width: int,
    height: int,
    top: int,
    x_labels: Sequence[str],
    position: Callable[[int], float],
) -> list[str]:
    bottom = height - MARGIN_BOTTOM
    parts = [
        f'<g stroke="#57606a" stroke-width="1" aria-hidden="true">'
        f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{MARGIN_LEFT}" y2="{bottom}"/>'
        f'<line x1="{MARGIN_LEFT}" y1="{bottom}" x2="{width - MARGIN_RIGHT}" y2="{bottom}"/></g>'
    ]
    middle = MARGIN_TOP + (bottom - MARGIN_TOP) / 2
    for value, y in ((top, MARGIN_TOP), (top / 2, middle), (0, bottom)):
        parts.append(
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#57606a" aria-hidden="true">{value:g}</text>'
        )
    step = max(1, len(x_labels) // 6)
    spacing = position(step) - position(0) if len(x_labels) > step else width
    limit = label_chars(spacing - 6)
    parts.extend(
        f'<text x="{position(index):.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle" '
        f'fill="#57606a" aria-hidden="true">{_e(_short(x_labels[index], limit))}</text>'
        for index in range(0, len(x_labels), step)
    )
    return parts
