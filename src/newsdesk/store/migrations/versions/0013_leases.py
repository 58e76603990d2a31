"""Shared by worker processes: poll generations (fencing), per-host politeness, the periods
a periodic job ran for.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "poll_leases",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name="fk_poll_leases_source_id_sources",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", name="pk_poll_leases"),
    )
    op.create_table(
        "host_leases",
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("next_allowed_at", UTC_DATETIME, nullable=False),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("host", name="pk_host_leases"),
    )
    op.create_table(
        "periodic_runs",
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("period", sa.BigInteger(), nullable=False),
        sa.Column("ran_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("job", "period", name="pk_periodic_runs"),
    )


def downgrade() -> None:
    op.drop_table("periodic_runs")
    op.drop_table("host_leases")
    op.drop_table("poll_leases")
