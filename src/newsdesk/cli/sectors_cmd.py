"""`newsdesk sectors …`: the sector taxonomy and trained models."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from newsdesk.cli.common import fail, guarded, opened_store, settings

if TYPE_CHECKING:
    from newsdesk.enrich import LabelledDoc
    from newsdesk.store import SqlStore

app = typer.Typer(help="Sector taxonomy and classifier models.", no_args_is_help=True)


@app.command("list")
def list_sectors() -> None:
    """The sectors of the taxonomy in use."""
    from newsdesk.enrich import load_taxonomy

    config = settings()
    taxonomy = guarded(lambda: load_taxonomy(config.enrich.taxonomy_path))
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
    with_corrections: bool = typer.Option(
        False,
        "--with-corrections",
        help="Add the editor corrections stored in the database (they win over the file).",
    ),
) -> None:
    """Train a sector model from labelled examples (and editor corrections)."""
    from newsdesk.enrich import TrainOptions, load_taxonomy, train_from_jsonl

    config = settings()
    corrections: list[LabelledDoc] = []
    if with_corrections:
        with opened_store(config) as store:
            corrections = guarded(lambda: _correction_examples(store))

    def run() -> None:
        taxonomy = load_taxonomy(config.enrich.taxonomy_path)
        train_from_jsonl(
            labels, out, taxonomy=taxonomy, options=TrainOptions(), corrections=corrections
        )

    guarded(run)
    if with_corrections:
        typer.echo(f"{len(corrections)} editor corrections included")
    typer.echo(f"model written to {out}; use it with --model {out} or NEWSDESK_SECTOR_MODEL_DIR")


@app.command("correct")
def correct(
    article_id: int = typer.Argument(..., help="The article to correct."),
    sector_ids: list[str] = typer.Argument(None, help="The sectors it belongs to."),
    no_sector: bool = typer.Option(False, "--none", help="It belongs to no sector."),
    withdraw: bool = typer.Option(
        False, "--withdraw", help="Drop the correction: the automatic labels count again."
    ),
) -> None:
    """Correct an article's sectors; the correction survives re-enrichment and trains models."""
    from newsdesk.enrich import load_taxonomy

    chosen = list(dict.fromkeys(sector_ids or []))
    if sum((bool(chosen), no_sector, withdraw)) != 1:
        fail("give sector ids, or --none, or --withdraw (exactly one of them)")
    config = settings()
    taxonomy = guarded(lambda: load_taxonomy(config.enrich.taxonomy_path))
    unknown = [s for s in chosen if s not in taxonomy.ids]
    if unknown:
        fail(f"unknown sectors {', '.join(unknown)}; see `newsdesk sectors list`")
    with opened_store(config, existing=True) as store:
        if no_sector:
            guarded(lambda: _checked(store.set_editor_no_sector, article_id))
        else:
            guarded(lambda: _checked(store.set_editor_sectors, article_id, chosen))
    if withdraw:
        typer.echo(f"article {article_id}: correction withdrawn")
    else:
        typer.echo(f"article {article_id}: {', '.join(chosen) or 'no sector'} (by editor)")


@app.command("corrections")
def corrections(
    out: Path | None = typer.Option(
        None, "--out", dir_okay=False, help="Write to this JSONL file instead of stdout."
    ),
) -> None:
    """Editor corrections as training lines {"id","title","text","sectors"} (id: article URL)."""
    from newsdesk.enrich import write_labelled

    config = settings()
    with opened_store(config, existing=True) as store:
        examples = guarded(lambda: _correction_examples(store))
    if out is None:
        write_labelled(sys.stdout, examples)
        return

    def write() -> int:
        with out.open("w", encoding="utf-8") as output:
            return write_labelled(output, examples)

    written = guarded(write)
    typer.echo(f"{written} corrections written to {out}")


def _correction_examples(store: SqlStore) -> list[LabelledDoc]:
    from newsdesk.enrich import LabelledDoc

    examples = []
    for article_id, sector_ids in sorted(store.editor_corrections().items()):
        article = store.get_article(article_id)
        if article is not None:
            examples.append(
                LabelledDoc(
                    id=article.canonical_url,
                    title=article.title,
                    text=article.text,
                    sectors=sector_ids,
                )
            )
    return examples


def _checked(action: Callable[..., None], *args: object) -> None:
    try:
        action(*args)
    except ValueError as error:  # an article id that does not exist
        fail(str(error))
