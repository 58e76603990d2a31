"""`newsdesk demo`: serve the demo publications on loopback and ingest them for real."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shlex
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from newsdesk.cli.common import check_format, fail, guarded, opened_store, settings, to_json

if TYPE_CHECKING:
    from newsdesk.config import Settings
    from newsdesk.demo import DemoSourceServer


def demo(
    no_serve: bool = typer.Option(
        False, "--no-serve", help="Stop after ingestion and print the summary."
    ),
    port: int = typer.Option(
        8765,
        "--port",
        min=0,
        max=65535,
        help="Loopback port of the demo publications' server (0: any free port).",
    ),
    site_port: int = typer.Option(
        8000, "--site-port", min=1, max=65535, help="Port the demo site is served on."
    ),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Where the demo instance lives (default: NEWSDESK_DATA_DIR)."
    ),
    output_format: str = typer.Option("text", "--format", help="Summary as text or json."),
) -> None:
    """Start the demo publications on 127.0.0.1, register them and ingest them through the
    real fetch path; then keep serving until Ctrl-C (unless --no-serve).

    Articles count as seen when they were published, so the instance looks as if it had been
    running: today's digest has stories whatever the hour. With no SMTP server configured,
    mail is written to files in the data dir and listed at /admin/mail."""
    from newsdesk.bootstrap import serve_site
    from newsdesk.demo import DemoSourceServer

    check_format(output_format, "text", "json")
    try:
        server = DemoSourceServer(port=port)
        server.start()
    except OSError as error:
        fail(f"cannot start the demo source server on 127.0.0.1:{port}: {error.strerror}")
    try:
        overrides: dict[str, object] = {
            "fetch_allow_hosts": server.base_url.removeprefix("http://"),  # the port it has
            "fetch_host_delay": 0.0,
            "base_url": f"http://127.0.0.1:{site_port}",
        }
        if data_dir is not None:
            overrides["data_dir"] = data_dir
        config = settings(**overrides)
        if not config.site.admin_password.get_secret_value():
            # The admin pages (outgoing mail among them) need a password: a fresh one per demo.
            config = settings(**overrides, admin_password=secrets.token_urlsafe(12))
        report = _ingest(config, server)
        if output_format == "json":
            typer.echo(to_json({k: v for k, v in report.items() if k != "summary_line"}))
        else:
            _print_summary(report)
        if no_serve:
            return
        typer.echo(f"demo publications served at {server.base_url}/")
        _print_where_mail_goes(config, f"http://127.0.0.1:{site_port}")
        typer.echo(f"today's digest to confirmed subscribers: {_digest_command(config)}")
        typer.echo(f"newsdesk site at http://127.0.0.1:{site_port}/ (Ctrl-C to stop)")
        with opened_store(config) as store:
            guarded(lambda: serve_site(config, store, host="127.0.0.1", port=site_port))
        typer.echo("stopped")
    finally:
        server.stop()


def _ingest(config: Settings, server: DemoSourceServer) -> dict[str, Any]:
    """Register the demo publications and ingest them as a backfill (seen when published)."""
    from newsdesk.bootstrap import enrich_articles, ingest_options
    from newsdesk.domain import NewsdeskError, Source
    from newsdesk.pipeline.ingest import IngestRunner
    from newsdesk.pipeline.source_setup import register_source

    with opened_store(config) as store:
        for name, url, kind in server.source_urls():
            if store.get_source_by_url(url) is None:
                with contextlib.suppress(NewsdeskError):
                    register_source(store, Source(url=url, name=name, kind=kind))
        ids = [s.id for s in store.list_sources() if s.url.startswith(server.base_url)]
        runner = IngestRunner(store, replace(ingest_options(config), seen_at_publication=True))
        summary = guarded(
            lambda: asyncio.run(runner.run(source_ids=[i for i in ids if i is not None]))
        )
        enriched = guarded(lambda: enrich_articles(store, config, summary.changed_ids))
        stories = [s for s in store.list_stories() if s.article_count > 1]
        return {
            **summary.as_dict(),
            "articles": store.count_articles(),
            "enriched": enriched.articles,
            "multi_source_stories": len(stories),
            "summary_line": f"{summary.line()}; {enriched.line()}",
            "stories": [(story.title, story.article_count) for story in stories],
        }


def _print_summary(report: dict[str, Any]) -> None:
    typer.echo(f"ingested the demo publications: {report['summary_line']}")
    typer.echo(
        f"{report['articles']} articles stored; {report['multi_source_stories']} stories "
        "re-reported by several publications:"
    )
    for title, count in report["stories"]:
        typer.echo(f"  - {title} ({count} articles)")


def _digest_command(config: Settings) -> str:
    """`newsdesk digest send` as it must be typed in another shell to reach this instance: the
    demo's own --site-port and --data-dir exist only in this process, so a plain command would
    write its links to the default URL (another port) or read another data dir."""
    from newsdesk.config import load_settings

    plain = load_settings()
    env = []
    if plain.site.base_url != config.site.base_url:
        env.append(f"NEWSDESK_BASE_URL={shlex.quote(config.site.base_url)}")
    data_dir = config.store.data_dir.resolve()
    if plain.store.data_dir.resolve() != data_dir:
        env.append(f"NEWSDESK_DATA_DIR={shlex.quote(str(data_dir))}")
    invoked = sys.argv[0]
    program = "newsdesk"
    if os.path.basename(invoked) == "newsdesk" and os.sep in invoked:
        program = shlex.quote(os.path.abspath(invoked))  # e.g. the clone's .venv/bin/newsdesk
    return " ".join([*env, program, "digest", "send"])


def _print_where_mail_goes(config: Settings, site: str) -> None:
    from newsdesk.bootstrap import mail_drop_dir

    if config.smtp.host:
        typer.echo(f"mail goes to the SMTP server {config.smtp.host}:{config.smtp.port}")
    else:
        typer.echo(
            "mail: no SMTP server configured (NEWSDESK_SMTP_HOST), so each message is written "
            f"to {mail_drop_dir(config).resolve()}/ as an .eml file"
        )
    password = config.site.admin_password.get_secret_value()
    typer.echo(f"admin pages: {site}/admin/mail (user admin, password {password})")
