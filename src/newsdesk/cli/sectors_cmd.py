"""`newsdesk sectors …`: the sector taxonomy and trained models."""

from __future__ import annotations

from pathlib import Path

import typer

from newsdesk.cli.common import guarded, settings

app = typer.Typer(help="Sector taxonomy and classifier models.", no_args_is_help=True)


@app.command("list")
def list_sectors() -> None:
    """The sectors of the taxonomy in use."""
    from newsdesk.enrich import load_taxonomy

    config = settings()
    taxonomy = guarded(lambda: load_taxonomy(config.sector_taxonomy_path))
    for sector in taxonomy.sectors:
        typer.echo(f"{sector.id:<26} {sector.name}")


@app.command("train")
def train(
    labels: Path = typer.Option(
        ...,
        "--labels",
        exists=True,
        dir_okay=False,
        help='JSONL of {"id","title","text","sectors":[ids]} lines.',
    ),
    out: Path = typer.Option(..., "--out", help="Directory to write the model to."),
) -> None:
    """Train a sector model from labelled examples (editor corrections included)."""
    from newsdesk.enrich import TrainOptions, load_taxonomy, train_from_jsonl

    config = settings()

    def run() -> None:
        taxonomy = load_taxonomy(config.sector_taxonomy_path)
        train_from_jsonl(labels, out, taxonomy=taxonomy, options=TrainOptions())

    guarded(run)
    typer.echo(f"model written to {out}; use it with --model {out} or NEWSDESK_SECTOR_MODEL_DIR")
