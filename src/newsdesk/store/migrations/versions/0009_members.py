"""Members: accounts, append-only entitlement records, team seats, sign-in requests, sessions,
API keys and private feed tokens.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("last_signin_at", UTC_DATETIME, nullable=True),
        sa.Column("deleted_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_members"),
        sa.UniqueConstraint("email", name="uq_members_email"),
    )
    op.create_table(
        "entitlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("plan", sa.String(length=16), nullable=True),
        sa.Column("until", UTC_DATETIME, nullable=True),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("external_ref", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_entitlements_member_id_members"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_entitlements"),
        sa.UniqueConstraint("external_ref", name="uq_entitlements_external_ref"),
    )
    op.create_index("ix_entitlements_member_id_at", "entitlements", ["member_id", "at"])
    op.create_table(
        "team_seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("added_at", UTC_DATETIME, nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("removed_at", UTC_DATETIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name="fk_team_seats_owner_id_members"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_team_seats"),
    )
    op.create_index("ix_team_seats_owner_id_removed_at", "team_seats", ["owner_id", "removed_at"])
    op.create_index("ix_team_seats_email_removed_at", "team_seats", ["email", "removed_at"])
    op.create_table(
        "signin_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("attempt_hash", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.Column("used_at", UTC_DATETIME, nullable=True),
        sa.Column("failed_codes", sa.Integer(), nullable=False),
        sa.Column("next_path", sa.Text(), nullable=False),
        sa.Column("ip", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_signin_requests"),
        sa.UniqueConstraint("token_hash", name="uq_signin_requests_token_hash"),
        sa.UniqueConstraint("attempt_hash", name="uq_signin_requests_attempt_hash"),
    )
    op.create_index(
        "ix_signin_requests_email_created_at", "signin_requests", ["email", "created_at"]
    )
    op.create_index("ix_signin_requests_created_at", "signin_requests", ["created_at"])
    op.create_table(
        "member_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("last_seen_at", UTC_DATETIME, nullable=True),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.Column("user_agent", sa.Text(), nullable=False),
        sa.Column("ip", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name="fk_member_sessions_member_id_members",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_member_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_member_sessions_token_hash"),
    )
    op.create_index("ix_member_sessions_member_id", "member_sessions", ["member_id"])
    op.create_table(
        "member_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("last_used_at", UTC_DATETIME, nullable=True),
        sa.Column("revoked_at", UTC_DATETIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name="fk_member_tokens_member_id_members",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_member_tokens"),
        sa.UniqueConstraint("prefix", name="uq_member_tokens_prefix"),
    )
    op.create_index("ix_member_tokens_member_id_kind", "member_tokens", ["member_id", "kind"])


def downgrade() -> None:
    op.drop_table("member_tokens")
    op.drop_table("member_sessions")
    op.drop_table("signin_requests")
    op.drop_table("team_seats")
    op.drop_table("entitlements")
    op.drop_table("members")
