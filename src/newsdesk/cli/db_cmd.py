"""`newsdesk init` and `newsdesk db …`: create and migrate the database."""

from __future__ import annotations

import typer

from newsdesk.cli.common import guarded, settings

app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply every pending migration (safe to run at any time)."""
    from newsdesk.bootstrap import upgrade_database
    from newsdesk.config import redact_url

    config = settings()
    guarded(lambda: upgrade_database(config))
    typer.echo(f"database is up to date: {redact_url(config.store.sqlalchemy_url)}")


def init() -> None:
    """Create a fresh instance: the data directory and a migrated database."""
    from newsdesk.bootstrap import upgrade_database
    from newsdesk.config import redact_url

    config = settings()
    guarded(lambda: upgrade_database(config))
    store = config.store
    typer.echo(f"initialised newsdesk in {store.data_dir} ({redact_url(store.sqlalchemy_url)})")
