"""Who may read what: a visibility on sources and articles, an explicit preview break on
articles, and the paragraph each derived item comes from, so previews can leave out what
comes after the break.

sources.visibility is public unless set; articles.visibility is NULL (as its source says)
unless a piece or an import sets it. entity_mentions.paragraph and fact_sources.paragraph,
enrichments.summary_reach and enrichments.lead are filled by enrichment (ENRICH_CODE_VERSION
3 re-enriches stored articles); until then a NULL paragraph counts as after the break.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN only (nullable or with a default): no table rebuild on SQLite, so 0004's
    # search triggers on articles stay as they are.
    op.add_column(
        "sources",
        sa.Column("visibility", sa.String(16), nullable=False, server_default="public"),
    )
    op.add_column("articles", sa.Column("visibility", sa.String(16), nullable=True))
    op.add_column("articles", sa.Column("preview_paragraphs", sa.Integer(), nullable=True))
    op.create_index("ix_articles_visibility", "articles", ["visibility"])
    op.add_column("enrichments", sa.Column("summary_reach", sa.Integer(), nullable=True))
    op.add_column("enrichments", sa.Column("lead", sa.Text(), nullable=False, server_default=""))
    op.add_column("entity_mentions", sa.Column("paragraph", sa.Integer(), nullable=True))
    op.add_column("fact_sources", sa.Column("paragraph", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table, column in (
        ("fact_sources", "paragraph"),
        ("entity_mentions", "paragraph"),
        ("enrichments", "lead"),
        ("enrichments", "summary_reach"),
    ):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
    op.drop_index("ix_articles_visibility", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("preview_paragraphs")
        batch.drop_column("visibility")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("visibility")
