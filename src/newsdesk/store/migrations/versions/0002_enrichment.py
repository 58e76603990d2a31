"""Enrichment: summaries, sector labels, entities and mentions, facts, related articles.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _article_fk(table: str, column: str = "article_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["articles.id"], name=f"fk_{table}_{column}_articles", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "enrichments",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("enriched_at", UTC_DATETIME, nullable=False),
        _article_fk("enrichments"),
        sa.PrimaryKeyConstraint("article_id", name="pk_enrichments"),
    )

    op.create_table(
        "article_sectors",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("sector_id", sa.Text(), nullable=False),
        sa.Column("by_editor", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        _article_fk("article_sectors"),
        sa.PrimaryKeyConstraint("article_id", "sector_id", "by_editor", name="pk_article_sectors"),
    )
    op.create_index("ix_article_sectors_sector_id_score", "article_sectors", ["sector_id", "score"])

    op.create_table(
        "entities",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("first_seen_at", UTC_DATETIME, nullable=False),
        sa.Column("last_seen_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
    )

    op.create_table(
        "entity_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        _article_fk("entity_mentions"),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name="fk_entity_mentions_entity_id_entities",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_entity_mentions"),
    )
    op.create_index("ix_entity_mentions_article_id", "entity_mentions", ["article_id"])
    op.create_index("ix_entity_mentions_entity_id", "entity_mentions", ["entity_id"])

    op.create_table(
        "facts",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("first_seen_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_facts"),
    )
    op.create_index("ix_facts_type", "facts", ["type"])

    op.create_table(
        "fact_sources",
        sa.Column("fact_key", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fact_key"], ["facts.key"], name="fk_fact_sources_fact_key_facts", ondelete="CASCADE"
        ),
        _article_fk("fact_sources"),
        sa.PrimaryKeyConstraint("fact_key", "article_id", name="pk_fact_sources"),
    )
    op.create_index("ix_fact_sources_article_id", "fact_sources", ["article_id"])

    op.create_table(
        "related_articles",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("related_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _article_fk("related_articles"),
        _article_fk("related_articles", "related_id"),
        sa.PrimaryKeyConstraint("article_id", "related_id", name="pk_related_articles"),
    )
    op.create_index("ix_related_articles_related_id", "related_articles", ["related_id"])


def downgrade() -> None:
    op.drop_table("related_articles")
    op.drop_table("fact_sources")
    op.drop_table("facts")
    op.drop_table("entity_mentions")
    op.drop_table("entities")
    op.drop_table("article_sectors")
    op.drop_table("enrichments")
