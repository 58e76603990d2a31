"""Reports: their options from the settings, and a report written to a file (`newsdesk reports
build`). The site's report pages are wired in bootstrap.app."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from newsdesk.bootstrap.options import site_sectors
from newsdesk.config import Settings

if TYPE_CHECKING:
    from newsdesk.domain.reports import ReportScope
    from newsdesk.publish.web import SectorInfo
    from newsdesk.reports.build import ReportOptions
    from newsdesk.reports.ports import ReportStore
    from newsdesk.reports.web.pdf_renders import PdfRenders


def report_options(
    settings: Settings, sectors: tuple[SectorInfo, ...] | None = None
) -> ReportOptions:
    from newsdesk.reports.build import ReportOptions

    known = sectors if sectors is not None else site_sectors(settings)
    return ReportOptions(
        base_url=settings.site.base_url,
        site_name=settings.site.site_name,
        sector_names={sector.id: sector.name for sector in known},
    )


def report_pdfs(settings: Settings) -> PdfRenders:
    """The site's report PDFs: kept on disk under the data directory, rendered a few at once."""
    from newsdesk.reports.pdf_cache import PdfCache
    from newsdesk.reports.web.pdf_renders import PdfRenders

    site = settings.site
    cache = PdfCache(
        settings.store.data_dir / "cache" / "report-pdfs",
        site.report_pdf_cache_megabytes * 1024 * 1024,
    )
    return PdfRenders(cache, site.report_pdf_renders, site.report_pdf_wait_seconds)


def write_report(
    settings: Settings,
    store: ReportStore,
    scope: ReportScope,
    *,
    output_format: Literal["html", "pdf"],
    out: Path,
) -> int:
    """Draft the report of scope and write it to out; returns the bytes written. The operator
    reads everything: no access policy applies to the command line."""
    from newsdesk.reports.build import build_report
    from newsdesk.reports.render import RenderOptions, render_html

    options = report_options(settings)
    report = build_report(store, scope, options)
    render = RenderOptions(base_url=options.base_url, site_name=options.site_name)
    if output_format == "pdf":
        from newsdesk.reports.pdf import render_pdf

        payload = render_pdf(render_html(report, render, print_values=True))
    else:
        payload = render_html(report, render).encode("utf-8")
    partial = out.with_name(f".{out.name}.partial")
    partial.write_bytes(payload)
    partial.replace(out)
    return len(payload)
