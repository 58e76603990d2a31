"""`newsdesk import PATH`: store pages from a folder of HTML files, a JSONL file or a WARC."""

from __future__ import annotations

from pathlib import Path

import typer

from newsdesk.cli.common import guarded, opened_store, settings, to_json


def import_files(
    path: Path = typer.Argument(..., exists=True, help="Folder of .html, .jsonl or .warc(.gz)."),
    output_format: str = typer.Option("text", "--format", help="Summary as text or json."),
) -> None:
    """Import pages from files through extraction and dedup, like fetched pages."""
    from newsdesk.bootstrap import dedup_options, enrich_articles, extract_options
    from newsdesk.pipeline.file_import import import_pages, import_source_for, pages_from_path

    config = settings()
    with opened_store(config) as store:
        source = guarded(lambda: import_source_for(store, path))
        summary = guarded(
            lambda: import_pages(
                store,
                source,
                pages_from_path(path),
                extract_options=extract_options(config),
                dedup_options=dedup_options(config),
            )
        )
        enriched = guarded(lambda: enrich_articles(store, config, summary.changed_ids))
    if output_format == "json":
        typer.echo(to_json({**summary.as_dict(), "enriched": enriched.articles}))
    else:
        typer.echo(f"{summary.line()}; {enriched.line()}")
        for error in summary.errors[:20]:
            typer.echo(f"  failed: {error}", err=True)
