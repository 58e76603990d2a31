"""Schema migrations (Alembic, configured in code: no alembic.ini needed).

Alembic is imported inside the functions: it doubles the import time of the store, and
processes that open an already migrated database never need it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine

from newsdesk.domain import NewsdeskError
from newsdesk.store.engine import create_engine_for
from newsdesk.store.schema import metadata

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# Full-text search objects that SQLAlchemy metadata cannot declare: the FTS5 table and its
# shadow tables on SQLite (migration 0004), the table of stored tsvector documents and its GIN
# index on PostgreSQL (migration 0014; the expression index of 0004 before it).
SEARCH_OBJECT_NAMES = frozenset(
    {
        "articles_fts",
        "articles_fts_data",
        "articles_fts_idx",
        "articles_fts_docsize",
        "articles_fts_config",
        "ix_articles_fulltext",
        "article_search",
        "ix_article_search_document",
    }
)


# The job queue's tables (procrastinate's, on PostgreSQL) are set up by newsdesk.queue.
QUEUE_TABLE_PREFIXES = ("procrastinate_", "newsdesk_queue_schema")

# The content version (migration 0015): a one-row table on SQLite kept by triggers (the
# sequence of PostgreSQL is not compared by Alembic).
CONTENT_VERSION_OBJECT_NAMES = frozenset({"content_version"})


def _declared_in_schema(name: str | None, _type: str, _parent: object) -> bool:
    if name is not None and name.startswith(QUEUE_TABLE_PREFIXES):
        return False
    return name not in SEARCH_OBJECT_NAMES | CONTENT_VERSION_OBJECT_NAMES


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the packaged migrations, bound to a connection if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at url up to revision (creating every table on a fresh one)."""
    engine = create_engine_for(url)
    try:
        upgrade_engine(engine, revision)
    finally:
        engine.dispose()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Like upgrade, on an existing engine; all steps run in one transaction. A database
    migrated by a newer newsdesk (a revision these migrations do not know) is refused with
    a SchemaTooNewError and left as it is."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.util import CommandError

    with engine.begin() as connection:
        try:
            command.upgrade(alembic_config(connection), revision)
        except CommandError as error:
            current = MigrationContext.configure(connection).get_current_revision()
            if current is None or _is_known(current):
                raise
            raise SchemaTooNewError(
                f"the database is at schema revision {current}, newer than this newsdesk "
                f"knows (its newest is {head_revision()}): it was migrated by a newer "
                "version; upgrade newsdesk to use it (the database was not changed)"
            ) from error


class SchemaTooNewError(NewsdeskError):
    """The database's schema revision is not one of the packaged migrations."""


def _is_known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return any(script.revision == revision for script in scripts.walk_revisions())


def head_revision() -> str | None:
    """The newest revision the packaged migrations know."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(url: str) -> str | None:
    """The revision the database at url is at; None if it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def schema_differences(url: str) -> list[Any]:
    """Alembic's autogenerate diff between the database at url and schema.metadata.

    Empty after a full upgrade: a non-empty list means a migration is missing or wrong.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": _declared_in_schema}
            )
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def check_schema(url: str) -> None:
    """Raise RuntimeError if the migrated database does not match schema.metadata."""
    differences = schema_differences(url)
    if differences:
        lines = "\n".join(f"  {difference!r}" for difference in differences)
        raise RuntimeError(f"database schema differs from newsdesk.store.schema:\n{lines}")
