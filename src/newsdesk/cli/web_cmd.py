"""`newsdesk web`: the site, API and feeds only (the web role; workers do the rest)."""

from __future__ import annotations

import typer

from newsdesk.cli.common import guarded, listen_address, opened_store, settings


def web(
    host: str | None = typer.Option(None, "--host", help="Listen address (NEWSDESK_SERVE_HOST)."),
    port: int | None = typer.Option(
        None, "--port", min=0, max=65535, help="Listen port (NEWSDESK_SERVE_PORT; 0: any free one)."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Web processes (each with its own connections)."
    ),
) -> None:
    """Serve the site at http://HOST:PORT/ without schedules; run any number of these (on any
    number of machines) beside `newsdesk worker` processes on one PostgreSQL database."""
    from newsdesk.bootstrap import check_start, serve_site

    config = settings()
    guarded(lambda: check_start(config))  # before the database is touched
    listen_host = host or config.serve.host
    listen_port = config.serve.port if port is None else port
    with opened_store(config) as store:
        typer.echo(
            f"newsdesk web at {listen_address(listen_host, listen_port)} (Ctrl-C to stop)", err=True
        )
        guarded(
            lambda: serve_site(config, store, host=listen_host, port=listen_port, workers=workers)
        )
