"""`newsdesk classify`: sector labels for a JSONL batch of documents."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from newsdesk.cli.common import guarded, settings


def classify(
    input_path: Path = typer.Option(..., "--input", help='JSONL of {"id","title","text"} lines.'),
    output_path: Path | None = typer.Option(
        None, "--output", help='Where to write {"id","sectors":[{"id","score"}]} lines.'
    ),
    model_dir: Path | None = typer.Option(
        None, "--model", help="A trained model directory (default: settings, else zero-shot)."
    ),
) -> None:
    """Classify documents into taxonomy sectors (a label counts when score >= 0.5)."""
    from newsdesk.enrich import (
        ClassifyOptions,
        classify_jsonl,
        iter_lines,
        load_sector_model,
        load_taxonomy,
    )

    config = settings()
    chosen = model_dir or config.enrich.model_dir

    def run() -> None:
        taxonomy = load_taxonomy(config.enrich.taxonomy_path)
        model = load_sector_model(chosen) if chosen is not None else None
        lines = iter_lines(input_path)
        options = ClassifyOptions()
        if output_path is None:
            result = classify_jsonl(
                lines, sys.stdout, taxonomy=taxonomy, model=model, options=options
            )
        else:
            with output_path.open("w", encoding="utf-8") as out:
                result = classify_jsonl(lines, out, taxonomy=taxonomy, model=model, options=options)
        typer.echo(f"classified {result.documents} documents, {result.errors} errors", err=True)

    guarded(run)
