"""The content version: one number that changes whenever anything a reading page shows changes.

Web processes keep rendered anonymous pages for a few seconds (publish/web/page_cache.py) and
read this number on every request, so an edit made through any process or command (ingest,
enrichment, an editor's correction, a story merge, a source's rights) is seen by every web
process on its next request. Database triggers keep it, so no write path can forget it.

SQLite: a one-row table ``content_version`` that row triggers increment (SQLite serialises
writers, so the increment costs no concurrency). PostgreSQL: the sequence
``content_version_seq``, advanced by deferred constraint triggers, so the bump happens at
commit (the moment the change becomes visible) and takes no row lock that concurrent writers
would queue on; the first trigger of a transaction advances it, the others see that and stop.
(A reader that reads the sequence in the instant between the bump and the commit becoming
visible may keep the old page under the new number: the page cache's time to live bounds that.)
Neither object is declared in schema.py (newsdesk.store.migrate ignores them by name).

Any later migration that rebuilds one of these tables on SQLite (batch_alter_table copies and
drops it) drops its triggers with it and must recreate them
(tests/store/test_store_content_version.py checks every table has them at head).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table a reading page, API answer or feed is read from (frozen here: a migration must
# not change when the code does).
TABLES = (
    "sources",
    "stories",
    "articles",
    "enrichments",
    "article_sectors",
    "entities",
    "entity_mentions",
    "facts",
    "fact_sources",
    "related_articles",
)
OPERATIONS = ("insert", "update", "delete")

POSTGRES_FUNCTION = """
CREATE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('newsdesk.content_bumped', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('newsdesk.content_bumped', 'yes', true);
    PERFORM nextval('content_version_seq');
    RETURN NULL;
END
$$
"""


SQLITE_BUMP = "UPDATE content_version SET version = version + 1 WHERE id = 1"


def _sqlite_trigger(table: str, operation: str) -> str:
    name = f"content_version_{table}_{operation}"
    return f"CREATE TRIGGER {name} AFTER {operation.upper()} ON {table} BEGIN {SQLITE_BUMP}; END"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE TABLE content_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)"
        )
        op.execute("INSERT INTO content_version (id, version) VALUES (1, 1)")
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(_sqlite_trigger(table, operation))
    elif dialect == "postgresql":
        op.execute("CREATE SEQUENCE content_version_seq")
        op.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER content_version_{table} "
                f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                "EXECUTE FUNCTION bump_content_version()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS content_version_{table}_{operation}")
        op.execute("DROP TABLE IF EXISTS content_version")
    elif dialect == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS content_version_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_content_version()")
        op.execute("DROP SEQUENCE IF EXISTS content_version_seq")
