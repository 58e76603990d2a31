"""What a periodic run did: when it finished and what it reported (the retention prune:
rows deleted per table, and whether it stopped at its per-run limit), for `newsdesk workers
status` and for the next run to continue a prune that stopped at the limit.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable ADD COLUMNs: no table rebuild on SQLite; the periods claimed so far simply
    # have no result.
    op.add_column(
        "periodic_runs", sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("periodic_runs", sa.Column("result", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("periodic_runs") as batch:
        batch.drop_column("result")
        batch.drop_column("finished_at")
