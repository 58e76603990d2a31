"""`newsdesk demo`: serve the demo publications on loopback and ingest them for real."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import typer

from newsdesk.cli.common import fail, guarded, opened_store, to_json


def demo(
    no_serve: bool = typer.Option(
        False, "--no-serve", help="Stop after ingestion and print the summary."
    ),
    port: int = typer.Option(
        8765, "--port", min=1, max=65535, help="Loopback port of the demo publications' server."
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
    real fetch path; then keep serving until Ctrl-C (unless --no-serve)."""
    from newsdesk.bootstrap import (
        configure_logging,
        enrich_articles,
        ingest_options,
        serve_site,
    )
    from newsdesk.config import Settings
    from newsdesk.demo import DemoSourceServer
    from newsdesk.domain import NewsdeskError, Source
    from newsdesk.pipeline.ingest import IngestRunner
    from newsdesk.pipeline.source_setup import register_source

    overrides: dict[str, object] = {
        "fetch_allow_hosts": f"127.0.0.1:{port}",
        "fetch_host_delay": 0.0,
        "base_url": f"http://127.0.0.1:{site_port}",
    }
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    config = Settings(**overrides)  # type: ignore[arg-type]
    configure_logging(config)
    try:
        server = DemoSourceServer(port=port)
        server.start()
    except OSError as error:
        fail(f"cannot start the demo source server on 127.0.0.1:{port}: {error.strerror}")
    try:
        with opened_store(config) as store:
            for name, url, kind in server.source_urls():
                if store.get_source_by_url(url) is None:
                    with contextlib.suppress(NewsdeskError):
                        register_source(store, Source(url=url, name=name, kind=kind))
            ids = [s.id for s in store.list_sources() if s.url.startswith(server.base_url)]
            runner = IngestRunner(store, ingest_options(config))
            summary = guarded(
                lambda: asyncio.run(runner.run(source_ids=[i for i in ids if i is not None]))
            )
            enriched = guarded(lambda: enrich_articles(store, config, summary.changed_ids))
            stories = [s for s in store.list_stories() if s.article_count > 1]
            total = store.count_articles()
        if output_format == "json":
            typer.echo(
                to_json(
                    {
                        **summary.as_dict(),
                        "articles": total,
                        "enriched": enriched.articles,
                        "multi_source_stories": len(stories),
                    }
                )
            )
        else:
            typer.echo(f"ingested the demo publications: {summary.line()}; {enriched.line()}")
            typer.echo(
                f"{total} articles stored; {len(stories)} stories re-reported by several "
                "publications:"
            )
            for story in stories:
                typer.echo(f"  - {story.title} ({story.article_count} articles)")
        if no_serve:
            return
        typer.echo(f"demo publications served at {server.base_url}/")
        typer.echo(f"newsdesk site at http://127.0.0.1:{site_port}/ (Ctrl-C to stop)")
        with opened_store(config) as store:
            guarded(lambda: serve_site(config, store, host="127.0.0.1", port=site_port))
        typer.echo("stopped")
    finally:
        server.stop()
