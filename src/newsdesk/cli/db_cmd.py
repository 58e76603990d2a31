"""`newsdesk init` and `newsdesk db …`: create, migrate and prune the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from newsdesk.cli.common import guarded, opened_store, settings

if TYPE_CHECKING:
    from newsdesk.config import Settings

app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply every pending migration (safe to run at any time); on PostgreSQL also set up or
    migrate the job queue's tables (stop workers first when procrastinate was upgraded)."""
    from newsdesk.bootstrap import upgrade_database
    from newsdesk.config import redact_url

    config = settings()
    guarded(lambda: upgrade_database(config))
    typer.echo(f"database is up to date: {redact_url(config.store.sqlalchemy_url)}")
    _set_up_queue(config)


@app.command("prune")
def prune(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Count what would be deleted; delete nothing."
    ),
) -> None:
    """Delete the fetch log, webhook attempts, used or expired sign-in requests, expired
    sessions and Pro leads older than the NEWSDESK_RETENTION_* settings (0 keeps forever).
    `newsdesk run` and the workers do this once a day."""
    from newsdesk.bootstrap import retention_cutoffs
    from newsdesk.domain.retention import PRUNED_TABLES

    config = settings()
    limits = retention_cutoffs(config)
    with opened_store(config) as store:
        counts = guarded(lambda: store.prune_retained(limits, dry_run=dry_run))
    before = {
        "fetch_attempts": limits.fetch_log,
        "webhook_attempts": limits.webhook_attempts,
        "signin_requests": limits.expired,
        "member_sessions": limits.expired,
        "pro_leads": limits.leads,
    }
    verb = "would delete" if dry_run else "deleted"
    for table in PRUNED_TABLES:
        cutoff = before[table]
        if cutoff is None:
            typer.echo(f"{table}: kept forever")
        else:
            typer.echo(f"{table}: {verb} {counts[table]} (before {cutoff:%Y-%m-%d %H:%M} UTC)")


def _set_up_queue(config: Settings) -> None:
    """On PostgreSQL, the job queue's tables (set up or migrated) and a line saying so;
    nothing on SQLite (also when NEWSDESK_DATABASE_URL names a SQLite file)."""
    from newsdesk.workers.service import has_job_queue

    if not has_job_queue(config):
        return
    version = guarded(lambda: _queue_schema(config))
    if version is None:
        typer.echo("job queue not set up: `newsdesk worker` needs pip install 'newsdesk[postgres]'")
    else:
        typer.echo(f"job queue schema: procrastinate {version}")


def _queue_schema(config: Settings) -> str | None:
    import importlib.util

    from newsdesk.workers.service import apply_queue_schema

    if importlib.util.find_spec("procrastinate") is None:
        return None
    return apply_queue_schema(config)


def init() -> None:
    """Create a fresh instance: the data directory and a migrated database (on PostgreSQL
    with the job queue's tables, as `db upgrade` sets them up)."""
    from newsdesk.bootstrap import upgrade_database
    from newsdesk.config import redact_url

    config = settings()
    guarded(lambda: upgrade_database(config))
    store = config.store
    typer.echo(f"initialised newsdesk in {store.data_dir} ({redact_url(store.sqlalchemy_url)})")
    _set_up_queue(config)
