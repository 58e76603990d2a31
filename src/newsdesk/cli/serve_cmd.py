"""`newsdesk serve`: the insights site, API and feeds over the configured database."""

from __future__ import annotations

import typer

from newsdesk.cli.common import guarded, listen_address, opened_store, settings


def serve(
    host: str | None = typer.Option(None, "--host", help="Listen address (NEWSDESK_SERVE_HOST)."),
    port: int | None = typer.Option(
        None, "--port", min=0, max=65535, help="Listen port (NEWSDESK_SERVE_PORT; 0: any free one)."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Worker processes (each with its own connections)."
    ),
) -> None:
    """Serve the site at http://HOST:PORT/ until Ctrl-C."""
    from newsdesk.bootstrap import check_start, serve_site

    config = settings()
    guarded(lambda: check_start(config))  # before the database is touched
    listen_host = host or config.serve.host
    listen_port = config.serve.port if port is None else port
    with opened_store(config) as store:
        typer.echo(f"newsdesk site at {listen_address(listen_host, listen_port)} (Ctrl-C to stop)")
        guarded(
            lambda: serve_site(config, store, host=listen_host, port=listen_port, workers=workers)
        )
