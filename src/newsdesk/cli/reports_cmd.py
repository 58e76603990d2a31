"""`newsdesk reports build`: a weekly sector briefing or an entity dossier as HTML or PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from newsdesk.cli.common import fail, guarded, opened_store, settings

app = typer.Typer(
    help="Sector briefings and entity dossiers, every claim cited.", no_args_is_help=True
)


def _day(value: str | None, option: str) -> date:
    if value is None:
        fail(f"{option} is required with --entity (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date as YYYY-MM-DD, got {value!r}")


@app.command("build")
def build(
    sector: str | None = typer.Option(None, "--sector", help="Sector id: a weekly briefing."),
    week: str | None = typer.Option(None, "--week", help="ISO week of the briefing: YYYY-Www."),
    entity: str | None = typer.Option(None, "--entity", help="Entity id: a dossier."),
    start: str | None = typer.Option(None, "--from", help="First day of the dossier."),
    end: str | None = typer.Option(None, "--to", help="Last day of the dossier."),
    output_format: str = typer.Option("html", "--format", help="html or pdf."),
    out: Path = typer.Option(..., "--out", help="File to write.", dir_okay=False),
) -> None:
    """Draft a report from the store (each statement cites its articles) and write it."""
    from newsdesk.bootstrap.reports import write_report
    from newsdesk.domain.reports import ReportScope, entity_scope, sector_scope

    if output_format not in {"html", "pdf"}:
        fail("--format must be html or pdf")
    if (sector is None) == (entity is None):
        fail("give either --sector ID --week YYYY-Www or --entity ID --from DAY --to DAY")
    scope: ReportScope
    try:
        if sector is not None:
            if week is None or start or end:
                fail("--sector takes --week YYYY-Www (and no --from/--to)")
            scope = sector_scope(sector, week)
        else:
            if week is not None:
                fail("--entity takes --from and --to, not --week")
            scope = entity_scope(str(entity), _day(start, "--from"), _day(end, "--to"))
    except ValueError as error:
        fail(str(error))
    config = settings()
    with opened_store(config) as store:
        written = guarded(
            lambda: write_report(
                config,
                store,
                scope,
                output_format="pdf" if output_format == "pdf" else "html",
                out=out,
            )
        )
    typer.echo(f"wrote {out} ({written} bytes)", err=True)
