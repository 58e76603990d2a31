"""Subscribers are one per address whatever its case, and their links can be revoked.

Addresses become lower-case (newsdesk.text.emails.email_key). Where two or more rows have
the same address in different cases they are merged into one, the stricter state winning:
suppressed, then unsubscribed, then active, then pending (the oldest row among equals). The
others' consent events move to the survivor (append-only: nothing is lost, each event keeps the
spelling it was given under), their digest outbox rows too unless the survivor has one for that
date, and the rows go (their links stop working).

token_version: preference and unsubscribe links carry it; unsubscribing, confirming and
suppression raise it, so older links stop working.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Stricter first wins; an unknown status counts as the strictest.
STRICTNESS = {"suppressed": 4, "unsubscribed": 3, "active": 2, "pending": 1}


def upgrade() -> None:
    op.add_column(
        "subscribers",
        sa.Column("token_version", sa.Integer(), nullable=False, server_default="0"),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, email, status FROM subscribers")).all()
    groups: dict[str, list[sa.Row[tuple[int, str, str]]]] = defaultdict(list)
    for row in rows:
        groups[row.email.strip().lower()].append(row)
    for members in groups.values():
        if len(members) > 1:
            survivor = max(members, key=lambda row: (STRICTNESS.get(row.status, 5), -row.id))
            for row in members:
                if row.id != survivor.id:
                    _merge(connection, into=survivor.id, gone=row.id)
    connection.execute(
        sa.text(
            "UPDATE subscribers SET email = lower(trim(email)) WHERE email <> lower(trim(email))"
        )
    )


def _merge(connection: sa.Connection, *, into: int, gone: int) -> None:
    ids = {"into": into, "gone": gone}
    connection.execute(
        sa.text("UPDATE consent_events SET subscriber_id = :into WHERE subscriber_id = :gone"), ids
    )
    connection.execute(
        sa.text(
            "DELETE FROM digest_outbox WHERE subscriber_id = :gone AND digest_date IN "
            "(SELECT digest_date FROM digest_outbox WHERE subscriber_id = :into)"
        ),
        ids,
    )
    connection.execute(
        sa.text("UPDATE digest_outbox SET subscriber_id = :into WHERE subscriber_id = :gone"), ids
    )
    connection.execute(sa.text("DELETE FROM subscribers WHERE id = :gone"), ids)


def downgrade() -> None:
    # Merged rows and the original spellings are not restored.
    op.drop_column("subscribers", "token_version")
