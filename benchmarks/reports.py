"""Report build time over the 100,000-article data set (benchmarks/site_data.py builds it).

Times, in process, a weekly sector briefing for the busiest sector's newest full week and an
entity dossier (28 days) of the most named entity: the store's read, the drafting, the HTML
rendering and the PDF (WeasyPrint), each the median of --runs runs, with `uptime`'s load.

    .venv/bin/python benchmarks/site_data.py --out /tmp/newsdesk-site-100k
    .venv/bin/python benchmarks/reports.py --data /tmp/newsdesk-site-100k [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from analysis_pages import fill_empty_rollups

from newsdesk.domain.reports import ReportScope, entity_scope, iso_week_of, sector_scope
from newsdesk.enrich.sectors.taxonomy import load_taxonomy
from newsdesk.reports.build import ReportOptions, build_report
from newsdesk.reports.pdf import render_pdf
from newsdesk.reports.render import RenderOptions, render_html
from newsdesk.store import SqlStore, open_store

T = TypeVar("T")


def timed(runs: int, action: Callable[[], T]) -> tuple[float, T]:
    """Median seconds of runs calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    assert result is not None
    return statistics.median(times), result


def measure(
    store: SqlStore, scope: ReportScope, options: ReportOptions, runs: int, name: str
) -> None:
    render = RenderOptions(options.base_url, options.site_name)
    build_s, report = timed(runs, lambda: build_report(store, scope, options))
    html_s, html = timed(runs, lambda: render_html(report, render))
    pdf_s, pdf = timed(
        max(1, runs // 2), lambda: render_pdf(render_html(report, render, print_values=True))
    )
    cited = len(report.references)
    print(
        f"{name}: {report.articles} articles, {cited} cited; draft (read + draft) "
        f"{build_s * 1000:.0f} ms, + HTML {html_s * 1000:.0f} ms ({len(html) // 1024} KiB), "
        f"+ PDF {pdf_s * 1000:.0f} ms ({len(pdf) // 1024} KiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/newsdesk-site-100k"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    database = args.data / "newsdesk.db"
    if not database.is_file():
        raise SystemExit(
            f"no data set at {args.data}: run benchmarks/site_data.py --out {args.data}"
        )
    store = open_store(f"sqlite:///{database}")
    try:
        fill_empty_rollups(store)  # the sector choice and the dossier's entity read them
        sectors = {s.id: s.name for s in load_taxonomy(None).sectors}
        options = ReportOptions("http://127.0.0.1:8000", "newsdesk", sectors)
        newest = store.newest_published()
        assert newest is not None
        week = iso_week_of(newest - timedelta(weeks=1))  # the newest full week
        counts = {
            series.key: series.counts[-1]
            for series in store.sector_weekly_counts(
                list(sectors), weeks=2, end=newest - timedelta(weeks=1)
            )
        }
        sector = max(counts, key=lambda key: counts[key])
        entity = store.entity_listing(limit=1)[0].entity
        load = os.getloadavg()[0]
        print(f"{store.count_articles():,} articles; load {load:.1f} on {os.cpu_count()} cores")
        measure(
            store,
            sector_scope(sector, week),
            options,
            args.runs,
            f"sector briefing {sector} {week}",
        )
        scope = entity_scope(entity.id, newest.date() - timedelta(days=27), newest.date())
        measure(store, scope, options, args.runs, f"dossier {entity.id} (28 days)")
        print(f"load after: {os.getloadavg()[0]:.1f}")
    finally:
        store.close()


if __name__ == "__main__":
    main()
