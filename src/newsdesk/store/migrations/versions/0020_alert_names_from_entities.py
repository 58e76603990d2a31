"""Alerts named by the first alert code after the entity ids they watch ("Entity:
org:jogmec", "New agreement involving country:jp, org:jogmec") are renamed after the entities'
names, as alerts made since are ("Entity: JOGMEC"). Only a name equal to the one that code
made is touched: a name the member typed is theirs. Sector names are not in the database
(the taxonomy file holds them); those old names are mapped where they are shown.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_LIMIT = 120

alerts = sa.table(
    "alerts",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("name", sa.Text()),
    sa.column("entity_ids", sa.JSON()),
    sa.column("fact_type", sa.String()),
    sa.column("fact_involving", sa.JSON()),
)
entities = sa.table("entities", sa.column("id", sa.Text()), sa.column("name", sa.Text()))


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):  # a JSON column read back as text by a bare table()
        value = json.loads(value)
    return [str(item) for item in value or ()]


def renamed(
    kind: str,
    name: str,
    *,
    entity_ids: list[str],
    fact_type: str | None,
    involving: list[str],
    names: dict[str, str],
) -> str | None:
    """The new automatic name of an alert whose stored name is the old automatic one, or None
    when the name is the member's own or an entity has no name to show."""
    if kind == "entity" and len(entity_ids) == 1 and name == f"Entity: {entity_ids[0]}":
        shown = names.get(entity_ids[0])
        return f"Entity: {shown}"[:NAME_LIMIT] if shown else None
    if kind == "fact" and involving and name == f"New {fact_type} involving {', '.join(involving)}":
        if not all(names.get(entity_id) for entity_id in involving):
            return None
        label = f"New {fact_type} involving {', '.join(names[i] for i in involving)}"
        return label[:NAME_LIMIT]
    return None


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            alerts.c.id,
            alerts.c.kind,
            alerts.c.name,
            alerts.c.entity_ids,
            alerts.c.fact_type,
            alerts.c.fact_involving,
        ).where(alerts.c.kind.in_(("entity", "fact")))
    ).all()
    wanted = {i for row in rows for i in (*_ids(row.entity_ids), *_ids(row.fact_involving))}
    names: dict[str, str] = {}
    for chunk in [sorted(wanted)[i : i + 500] for i in range(0, len(wanted), 500)]:
        found = connection.execute(
            sa.select(entities.c.id, entities.c.name).where(entities.c.id.in_(chunk))
        )
        names.update({row.id: row.name.strip() for row in found if row.name and row.name.strip()})
    for row in rows:
        new_name = renamed(
            row.kind,
            row.name,
            entity_ids=_ids(row.entity_ids),
            fact_type=row.fact_type,
            involving=_ids(row.fact_involving),
            names=names,
        )
        if new_name is not None and new_name != row.name:
            connection.execute(sa.update(alerts).where(alerts.c.id == row.id).values(name=new_name))


def downgrade() -> None:
    # Names only: the old automatic names are not worth restoring.
    pass
