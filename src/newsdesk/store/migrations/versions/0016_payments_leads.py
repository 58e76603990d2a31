"""Payments and Pro leads: provider events recorded once (idempotent webhook), customers linked
to members, each subscription's newest state; the Pro page's lead form.

Reserved as 0015 this session; the content version landed as 0015 first, so it is 0016.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "payment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("created", UTC_DATETIME, nullable=False),
        sa.Column("received_at", UTC_DATETIME, nullable=False),
        sa.Column("outcome", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_payment_events"),
        sa.UniqueConstraint("provider", "event_id", name="uq_payment_events_provider_event_id"),
    )
    op.create_index("ix_payment_events_received_at", "payment_events", ["received_at"])
    op.create_table(
        "payment_customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.String(length=255), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_payment_customers_member_id_members"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payment_customers"),
        sa.UniqueConstraint(
            "provider", "customer_id", name="uq_payment_customers_provider_customer_id"
        ),
    )
    op.create_index("ix_payment_customers_member_id", "payment_customers", ["member_id"])
    op.create_table(
        "payment_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("subscription_id", sa.String(length=255), nullable=False),
        sa.Column("customer_id", sa.String(length=255), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("period_end", UTC_DATETIME, nullable=True),
        sa.Column("cancel_at_period_end", sa.Boolean(), nullable=False),
        sa.Column("past_due_since", UTC_DATETIME, nullable=True),
        sa.Column("observed_at", UTC_DATETIME, nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_payment_subscriptions_member_id_members"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payment_subscriptions"),
        sa.UniqueConstraint(
            "provider",
            "subscription_id",
            name="uq_payment_subscriptions_provider_subscription_id",
        ),
    )
    op.create_index("ix_payment_subscriptions_member_id", "payment_subscriptions", ["member_id"])
    op.create_index(
        "ix_payment_subscriptions_customer_id", "payment_subscriptions", ["customer_id"]
    )
    op.create_table(
        "pro_leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("company", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("mail_status", sa.String(length=16), nullable=False),
        sa.Column("mailed_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_pro_leads"),
    )
    op.create_index("ix_pro_leads_created_at", "pro_leads", ["created_at"])


def downgrade() -> None:
    op.drop_table("pro_leads")
    op.drop_table("payment_subscriptions")
    op.drop_table("payment_customers")
    op.drop_table("payment_events")
