"""Mentions indexed by (entity_id, article_id) instead of entity_id alone.

The entity pages, their feeds and the trend charts ask "which articles name this entity":
with article_id in the index that is answered from the index alone, without reading one
mention row per article (80,000 of them for a country at 100,000 articles).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_entity_mentions_entity_id_article_id", "entity_mentions", ["entity_id", "article_id"]
    )
    op.drop_index("ix_entity_mentions_entity_id", table_name="entity_mentions")


def downgrade() -> None:
    op.create_index("ix_entity_mentions_entity_id", "entity_mentions", ["entity_id"])
    op.drop_index("ix_entity_mentions_entity_id_article_id", table_name="entity_mentions")
