"""Alembic environment: runs on the connection that newsdesk.store.migrate hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from newsdesk.store.schema import metadata

# Any constant works; it only has to be the same for every newsdesk process.
POSTGRES_MIGRATION_LOCK = 7_246_153_001


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes upgrading at once: the second waits, then finds nothing to do.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_MIGRATION_LOCK}
            )
        context.run_migrations()


def main() -> None:
    if context.is_offline_mode():
        raise RuntimeError("offline (SQL script) migrations are not supported")
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through newsdesk.store.migrate.upgrade()")
    run_migrations(connection)


main()
