"""`newsdesk import PATH`: store pages from a folder of HTML files, a JSONL file or a WARC, and
house pieces from Markdown (or HTML) files with front matter."""

from __future__ import annotations

from pathlib import Path

import typer

from newsdesk.cli.common import (
    check_format,
    guarded,
    opened_store,
    parse_visibility,
    settings,
    to_json,
)


def import_files(
    path: Path = typer.Argument(
        ...,
        exists=True,
        help="Folder of .html/.md files, a .jsonl or .warc(.gz) file, or one .md/.html piece.",
    ),
    output_format: str = typer.Option("text", "--format", help="Summary as text or json."),
    visibility: str | None = typer.Option(
        None,
        "--visibility",
        help="Who reads the imported articles in full: public, members or pro (house pieces: "
        "unless their front matter says; default: as the source says, public).",
    ),
) -> None:
    """Import pages from files through extraction and dedup, like fetched pages; Markdown and
    front-matter HTML files are house analysis, attributed to the site's own source."""
    from newsdesk.bootstrap import dedup_options, enrich_articles, extract_options, site_sectors
    from newsdesk.pipeline.file_import import import_pages, import_source_for, pages_from_path
    from newsdesk.pipeline.house import HouseWriter, house_files, import_house_files
    from newsdesk.pipeline.summary import IngestSummary
    from newsdesk.sources.house import HTML_SUFFIXES, is_house_file

    check_format(output_format, "text", "json")
    chosen = parse_visibility(visibility) if visibility is not None else None
    config = settings()
    pieces = house_files(path)
    pages = (
        any(
            p.suffix.lower() in (*HTML_SUFFIXES, ".xhtml") and not is_house_file(p)
            for p in path.rglob("*")
            if p.is_file()
        )
        if path.is_dir()
        else not pieces
    )
    summaries: list[IngestSummary] = []
    with opened_store(config) as store:
        if pieces:
            writer = guarded(
                lambda: HouseWriter(
                    store,
                    site_name=config.site.site_name,
                    sector_ids=[sector.id for sector in site_sectors(config)],
                    dedup_options=dedup_options(config),
                    default_preview=config.pro.preview_paragraphs,
                )
            )
            summaries.append(guarded(lambda: import_house_files(pieces, writer, visibility=chosen)))
        if pages:
            source = guarded(lambda: import_source_for(store, path))
            summaries.append(
                guarded(
                    lambda: import_pages(
                        store,
                        source,
                        pages_from_path(path),
                        extract_options=extract_options(config),
                        dedup_options=dedup_options(config),
                        visibility=chosen,
                    )
                )
            )
        summary = IngestSummary.combined(summaries)
        enriched = guarded(lambda: enrich_articles(store, config, summary.changed_ids))
    if output_format == "json":
        typer.echo(to_json({**summary.as_dict(), "enriched": enriched.articles}))
    else:
        typer.echo(f"{summary.line()}; {enriched.line()}")
        for error in summary.errors[:20]:
            typer.echo(f"  failed: {error}", err=True)
