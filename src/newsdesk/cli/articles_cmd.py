"""`newsdesk articles …`: look at stored articles."""

from __future__ import annotations

import typer

from newsdesk.cli.common import check_format, opened_store, settings, to_json

app = typer.Typer(help="Stored articles.", no_args_is_help=True)

FIELDS = (
    "id",
    "url",
    "canonical_url",
    "title",
    "text",
    "authors",
    "published",
    "updated",
    "language",
    "site_name",
    "image",
    "source_id",
    "story_id",
    "content_hash",
    "revised_at",
)


@app.command("list")
def list_articles(
    source: int | None = typer.Option(None, "--source", help="Only articles of this source id."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N articles."),
    output_format: str = typer.Option("table", "--format", help="table or jsonl."),
) -> None:
    """List articles, newest first."""
    check_format(output_format, "table", "jsonl")
    config = settings()
    with opened_store(config, existing=True) as store:
        articles = store.list_articles(source_id=source, limit=limit)
        sectors = store.article_sectors([a.id for a in articles if a.id is not None])
    if output_format == "jsonl":
        for article in articles:
            record = {name: getattr(article, name) for name in FIELDS}
            record["sectors"] = [
                {"id": label.sector_id, "score": label.score, "by_editor": label.by_editor}
                for label in sectors.get(article.id or 0, [])
            ]
            typer.echo(to_json(record))
        return
    for article in articles:
        when = article.published.date().isoformat() if article.published else "          "
        typer.echo(f"{article.id:>6}  {when}  story {article.story_id!s:>5}  {article.title}")
