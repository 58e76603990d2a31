"""Roll-ups for the analysis pages: weekly_counts, entity_counts and fact_reports, filled.

/trends, /entities and the entity pages read these instead of aggregating every mention
and label per request; store/rollups.py keeps them in step with every write. Entities are
indexed by type for the type menu and filter of /entities.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from newsdesk.store.rollups import rebuild_rollups

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weekly_counts",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", "week", name="pk_weekly_counts"),
    )
    op.create_index("ix_weekly_counts_kind_week", "weekly_counts", ["kind", "week"])
    op.create_table(
        "entity_counts",
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name="fk_entity_counts_entity_id_entities",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entity_id", name="pk_entity_counts"),
    )
    op.create_index("ix_entity_counts_mentions", "entity_counts", ["mentions"])
    op.create_index("ix_entity_counts_articles", "entity_counts", ["articles"])
    op.create_index("ix_entities_type", "entities", ["type"])
    op.create_table(
        "fact_reports",
        sa.Column("fact_key", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("reported", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fact_key"],
            ["facts.key"],
            name="fk_fact_reports_fact_key_facts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_fact_reports_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("fact_key", name="pk_fact_reports"),
    )
    op.create_index("ix_fact_reports_reported_fact_key", "fact_reports", ["reported", "fact_key"])
    rebuild_rollups(op.get_bind())


def downgrade() -> None:
    op.drop_table("fact_reports")
    op.drop_index("ix_entities_type", table_name="entities")
    op.drop_table("entity_counts")
    op.drop_table("weekly_counts")
