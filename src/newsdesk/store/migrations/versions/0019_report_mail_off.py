"""A member may turn the weekly report email off (the one-click link in every report email,
or the account page) and on again: members.report_mail_off_at, NULL while the email is on.
No existing column could hold it: the report email went to every Pro member with digest
sectors, and nothing else decided who gets it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable ADD COLUMN: no table rebuild on SQLite; every member keeps the email on.
    op.add_column(
        "members", sa.Column("report_mail_off_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("report_mail_off_at")
