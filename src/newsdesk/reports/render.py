"""A drafted report as a standalone HTML document (a file, the PDF's source, an email) and as
plain text. Jinja2 autoescapes every value; the charts come from formats.charts, which escapes
its labels. Pure apart from reading the package's own templates and stylesheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from textwrap import fill

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from newsdesk.formats import charts
from newsdesk.formats.disposition import ascii_filename
from newsdesk.reports.model import Chart, Report, Span

TEXT_WIDTH = 76


@dataclass(frozen=True)
class RenderOptions:
    base_url: str  # the site, for links to its article and entity pages
    site_name: str


def chart_svg(chart: Chart, *, show_values: bool = False) -> Markup:
    """The chart as SVG (formats.charts escapes every label)."""
    if chart.kind == "bar" and len(chart.series) == 1:
        svg = charts.bar_chart(
            chart.series[0][1],
            chart.labels,
            title=chart.title,
            description=chart.description,
            key=chart.key,
            show_values=show_values,
        )
    else:
        svg = charts.line_chart(
            [charts.ChartSeries(name, values) for name, values in chart.series],
            chart.labels,
            title=chart.title,
            description=chart.description,
            key=chart.key,
            show_values=show_values,
        )
    return Markup(svg)  # noqa: S704 - formats.charts escapes every label it writes


def link_makers(base_url: str) -> dict[str, Callable[[object], str]]:
    from urllib.parse import quote

    root = base_url.rstrip("/")
    return {
        "article_url": lambda article_id: f"{root}/articles/{int(str(article_id))}",
        "entity_url": lambda entity_id: f"{root}/entities/{quote(str(entity_id), safe=':')}",
    }


@cache
def stylesheet(name: str = "report.css") -> str:
    """A stylesheet of the package: report.css, or report_mail.css (the email's, after it)."""
    return (resources.files("newsdesk.reports") / "assets" / name).read_text("utf-8")


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("newsdesk.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def render_html(
    report: Report,
    options: RenderOptions,
    *,
    now: datetime | None = None,
    print_values: bool = False,
) -> str:
    """The report as one self-contained HTML document (stylesheet and charts inline)."""
    generated = (now or datetime.now(UTC)).astimezone(UTC)
    return (
        environment()
        .get_template("report_document.html")
        .render(
            report=report,
            stylesheet=Markup(stylesheet()),  # noqa: S704 - the package's own file
            site_name=options.site_name,
            generated=f"{generated:%-d %b %Y, %H:%M} UTC",
            chart_svg=lambda chart: chart_svg(chart, show_values=print_values),
            **link_makers(options.base_url),
        )
    )


def _plain(spans: tuple[Span, ...]) -> str:
    return "".join(span.text for span in spans)


def _marks(numbers: tuple[int, ...]) -> str:
    # No-break spaces inside, so a list of marks is never split over two lines (_item).
    return "[" + ",\u00a0".join(str(n) for n in numbers) + "]" if numbers else ""


def _item(text: str, indent: str = "  ") -> str:
    """A list item of the text part, wrapped with its continuation lines indented under it."""
    wrapped = fill(
        text, TEXT_WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    return wrapped.replace("\u00a0", " ")


def render_text(report: Report, options: RenderOptions) -> str:
    """The report as plain text: claims and table rows with [n] markers, then the sources."""
    article_url = link_makers(options.base_url)["article_url"]
    lines = [report.title, report.period, ""]
    for section in report.sections:
        if section.id == "charts":
            continue
        lines += [section.title.upper(), ""]
        if section.notice:
            lines += [section.notice, ""]
        for claim in section.claims:
            lines.append(_item(f"- {_plain(claim.spans)} {_marks(claim.citations)}"))
        if section.claims:
            lines.append("")
        for table in section.tables:
            lines.append(table.caption + ":")
            for row in table.rows:
                cells = [
                    f"{column}: {_plain(cell)}"
                    for column, cell in zip(table.columns, row.cells, strict=True)
                    if cell
                ]
                lines.append(_item(f"- {'; '.join(cells)} {_marks(row.citations)}"))
            lines.append("")
    lines += ["SOURCES", ""]
    for ref in report.references:
        source = ref.source_name or "unknown source"
        lines.append(_item(f"[{ref.number}] {ref.title} ({source})", indent="    "))
        lines.append(f"    {article_url(ref.article_id)}")
    return "\n".join(lines).rstrip() + "\n"


def download_names(report: Report, extension: str) -> tuple[str, str]:
    """The file name a download of the report gets, and its ASCII fallback.

    A sector briefing is named by its week; an entity dossier by the entity's name and its whole
    range of days (a dossier can span any days, so its first day alone named neither). The ASCII
    name takes the entity's id where its name folds to nothing (another script)."""
    if report.kind == "entity":
        span = f"{report.first_day.isoformat()}-to-{report.last_day.isoformat()}"
        label = ascii_filename(report.label, default="") or ascii_filename(report.key)
        return f"dossier-{report.label}-{span}.{extension}", f"dossier-{label}-{span}.{extension}"
    name = f"{report.kind}-{report.key}-{report.week or report.first_day.isoformat()}.{extension}"
    return name, name
