"""PostgreSQL search reads stored documents: one weighted tsvector per article in its own
narrow table (article_search), kept by a trigger and indexed with GIN, instead of an index over
an expression that every ranking had to recompute from the article's whole text.

The table is narrow on purpose: relevance is ranked by reading the newest matches' documents
(search_repo walks the index newest first), and these rows are a tenth of an article's.
Deleting an article deletes its document (foreign key, ON DELETE CASCADE).

SQLite is unchanged: its FTS5 table (migration 0004) already stores what it ranks.
Neither table is declared in schema.py (SEARCH_OBJECT_NAMES in newsdesk.store.migrate).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The document of migration 0004: the title weighs more than the text.
UPGRADE = [
    "CREATE TABLE article_search ("
    "article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE, "
    "document tsvector NOT NULL)",
    "INSERT INTO article_search (article_id, document) SELECT id, "
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, text), 'B') FROM articles",
    "CREATE INDEX ix_article_search_document ON article_search USING gin (document)",
    "CREATE FUNCTION article_search_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO article_search (article_id, document) VALUES (NEW.id, "
    "setweight(to_tsvector('english'::regconfig, NEW.title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, NEW.text), 'B')) "
    "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER article_search_after_insert AFTER INSERT ON articles "
    "FOR EACH ROW EXECUTE FUNCTION article_search_write()",
    "CREATE TRIGGER article_search_after_update AFTER UPDATE OF title, text ON articles "
    "FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title "
    "OR OLD.text IS DISTINCT FROM NEW.text) EXECUTE FUNCTION article_search_write()",
    "DROP INDEX IF EXISTS ix_articles_fulltext",
    "ANALYZE article_search",
]

DOWNGRADE = [
    "CREATE INDEX ix_articles_fulltext ON articles USING gin ("
    "(setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, text), 'B')))",
    "DROP TRIGGER IF EXISTS article_search_after_update ON articles",
    "DROP TRIGGER IF EXISTS article_search_after_insert ON articles",
    "DROP FUNCTION IF EXISTS article_search_write()",
    "DROP TABLE IF EXISTS article_search",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
