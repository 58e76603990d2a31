"""Retention: indexes on the instants `newsdesk db prune` deletes by, where none led with
them (fetch_attempts.started_at, signin_requests.created_at and pro_leads.created_at have
theirs).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_webhook_attempts_at", "webhook_attempts", ["at"])
    op.create_index("ix_member_sessions_expires_at", "member_sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_member_sessions_expires_at", table_name="member_sessions")
    op.drop_index("ix_webhook_attempts_at", table_name="webhook_attempts")
