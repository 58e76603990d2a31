"""The `newsdesk` command. Command modules import the heavy stages only when they run."""

from __future__ import annotations

import typer

from newsdesk.cli import (
    alerts_cmd,
    apikeys_cmd,
    articles_cmd,
    classify_cmd,
    config_cmd,
    db_cmd,
    demo_cmd,
    digest_cmd,
    enrich_cmd,
    extract_cmd,
    import_cmd,
    ingest_cmd,
    members_cmd,
    reports_cmd,
    run_cmd,
    sectors_cmd,
    serve_cmd,
    sources_cmd,
    subscribers_cmd,
    web_cmd,
    worker_cmd,
)

app = typer.Typer(
    rich_markup_mode="markdown",
    name="newsdesk",
    help="newsdesk: a self-hosted industry-insights engine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(sources_cmd.app, name="sources")
app.add_typer(subscribers_cmd.app, name="subscribers")
app.add_typer(members_cmd.app, name="members")
app.add_typer(apikeys_cmd.app, name="apikeys")
app.add_typer(articles_cmd.app, name="articles")
app.add_typer(db_cmd.app, name="db")
app.add_typer(config_cmd.app, name="config")
app.add_typer(sectors_cmd.app, name="sectors")
app.add_typer(enrich_cmd.entities_app, name="entities")
app.add_typer(enrich_cmd.facts_app, name="facts")
app.command("init")(db_cmd.init)
app.command("ingest")(ingest_cmd.ingest)
app.command("enrich")(enrich_cmd.enrich)
app.command("extract")(extract_cmd.extract)
app.command("classify")(classify_cmd.classify)
app.command("import")(import_cmd.import_files)
app.command("demo")(demo_cmd.demo)
app.command("serve")(serve_cmd.serve)
app.add_typer(digest_cmd.app, name="digest")
app.add_typer(reports_cmd.app, name="reports")
app.add_typer(alerts_cmd.app, name="alerts")
app.command("run")(run_cmd.run)
app.command("web")(web_cmd.web)
app.command("worker")(worker_cmd.worker)
app.add_typer(worker_cmd.app, name="workers")


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        from newsdesk import __version__

        typer.echo(__version__)
        raise typer.Exit


def main() -> None:
    app()
