"""`newsdesk enrich`, `newsdesk entities …` and `newsdesk facts …`: what enrichment found."""

from __future__ import annotations

import typer

from newsdesk.cli.common import check_format, fail, guarded, opened_store, settings, to_json

entities_app = typer.Typer(help="Canonical entities found in articles.", no_args_is_help=True)
facts_app = typer.Typer(help="Facts found in articles, with their sources.", no_args_is_help=True)


def enrich(
    everything: bool = typer.Option(
        False, "--all", help="Re-enrich every article (after a taxonomy or model change)."
    ),
) -> None:
    """Enrich articles not enriched yet under the current taxonomy and model."""
    from newsdesk.bootstrap import enrich_options
    from newsdesk.pipeline.enrich import Enricher

    config = settings()
    with opened_store(config) as store:
        enricher = guarded(lambda: Enricher(store, enrich_options(config)))
        ids = (
            [a.id for a in store.list_articles() if a.id is not None]
            if everything
            else enricher.pending()
        )
        summary = guarded(lambda: enricher.run(sorted(ids)))
    typer.echo(summary.line())
    for error in summary.errors[:20]:
        typer.echo(f"  failed: {error}", err=True)


@entities_app.command("list")
def list_entities(
    article: int | None = typer.Option(None, "--article", help="Only this article's entities."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N entities."),
    output_format: str = typer.Option("table", "--format", help="table or jsonl."),
) -> None:
    """Entities by how often they are mentioned."""
    check_format(output_format, "table", "jsonl")
    config = settings()
    with opened_store(config, existing=True) as store:
        found = store.list_entities(article_id=article, limit=limit)
    for item in found:
        entity = item.entity
        if output_format == "jsonl":
            typer.echo(
                to_json(
                    {
                        "id": entity.id,
                        "name": entity.name,
                        "type": entity.type,
                        "aliases": list(entity.aliases),
                        "mentions": item.mentions,
                        "articles": item.articles,
                    }
                )
            )
        else:
            typer.echo(f"{item.mentions:>5}  {entity.type:<13} {entity.name}  ({entity.id})")


@facts_app.command("list")
def list_facts(
    fact_type: str | None = typer.Option(
        None, "--type", help="agreement, investment, quantity or policy."
    ),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N facts."),
    output_format: str = typer.Option("table", "--format", help="table or jsonl."),
) -> None:
    """Facts, newest first, each with the articles that state it."""
    from newsdesk.enrich.facts.model import FACT_TYPES

    check_format(output_format, "table", "jsonl")
    if fact_type is not None and fact_type not in FACT_TYPES:
        fail(f"--type must be one of {', '.join(FACT_TYPES)}")
    config = settings()
    with opened_store(config, existing=True) as store:
        found = store.list_facts(fact_type=fact_type, limit=limit)
    for item in found:
        fact = item.fact
        if output_format == "jsonl":
            typer.echo(
                to_json(
                    {
                        "key": fact.key,
                        "type": fact.type,
                        **fact.data,
                        "sentence": fact.sentence,
                        "article_ids": list(item.article_ids),
                    }
                )
            )
        else:
            typer.echo(f"{fact.type:<11} {len(item.article_ids)} source(s)  {fact.sentence}")
