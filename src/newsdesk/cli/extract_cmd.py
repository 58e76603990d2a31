"""`newsdesk extract`: main text and metadata of one page, or of a JSONL batch."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from newsdesk.cli.common import check_format, fail, guarded, to_json


def extract(
    page: Path | None = typer.Argument(None, help="An HTML file to extract (or use --input)."),
    url: str | None = typer.Option(None, "--url", help="The page's URL, for links and metadata."),
    output_format: str = typer.Option("text", "--format", help="text or json (one page)."),
    input_path: Path | None = typer.Option(
        None, "--input", help='JSONL of {"id","url","html"} lines.'
    ),
    output_path: Path | None = typer.Option(
        None, "--output", help="Where to write result lines (default: standard output)."
    ),
) -> None:
    """Extract article text and metadata."""
    from newsdesk.extract import ExtractOptions, extract_jsonl, extract_page_file

    check_format(output_format, "text", "json")
    options = ExtractOptions()
    if input_path is not None:
        if page is not None:
            fail("give either PAGE or --input, not both")

        def run_batch() -> None:
            with input_path.open(encoding="utf-8", errors="replace") as lines:
                if output_path is None:
                    summary = extract_jsonl(lines, sys.stdout, options=options)
                else:
                    with output_path.open("w", encoding="utf-8") as out:
                        summary = extract_jsonl(lines, out, options=options)
            typer.echo(
                f"extracted {summary.extracted} of {summary.pages} pages, "
                f"{summary.errors} errors, {summary.seconds:.1f} s",
                err=True,
            )

        guarded(run_batch)
        return
    if page is None:
        fail("give an HTML file or --input pages.jsonl")
    result = guarded(lambda: extract_page_file(page, url=url, options=options))
    if output_format == "json":
        typer.echo(to_json(result))
    else:
        if result.get("title"):
            typer.echo(f"{result['title']}\n")
        typer.echo(result.get("text", ""))
