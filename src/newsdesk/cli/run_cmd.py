"""`newsdesk run`: the long-running service (web server, ingestion and digest schedules)."""

from __future__ import annotations

import typer

from newsdesk.cli.common import guarded, listen_address, opened_store, settings


def run(
    host: str | None = typer.Option(None, "--host", help="Listen address (NEWSDESK_SERVE_HOST)."),
    port: int | None = typer.Option(
        None, "--port", min=0, max=65535, help="Listen port (NEWSDESK_SERVE_PORT; 0: any free one)."
    ),
) -> None:
    """Serve the site, ingest due sources and send digests when due, until SIGTERM or Ctrl-C."""
    from newsdesk.bootstrap import check_start, run_service

    config = settings()
    guarded(lambda: check_start(config))  # before the database is touched
    listen_host = host or config.serve.host
    listen_port = config.serve.port if port is None else port
    with opened_store(config) as store:
        typer.echo(
            f"newsdesk running; site at {listen_address(listen_host, listen_port)}", err=True
        )
        guarded(lambda: run_service(config, store, host=listen_host, port=listen_port))
    typer.echo("newsdesk stopped", err=True)
