"""Migration 0020 on SQLite and PostgreSQL: alerts still carrying the first alert code's
automatic names (entity ids) are renamed after the entities' names; a name the member typed,
an entity without a name and every other kind of alert are left as they were."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import text

from newsdesk.store import create_engine_for, upgrade

AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
ENTITIES = [("org:jogmec", "JOGMEC"), ("country:jp", "Japan"), ("org:nameless", "  ")]
# (id, kind, stored name, entity_ids, fact_type, fact_involving, expected name after 0020)
ALERTS = [
    (1, "entity", "Entity: org:jogmec", ["org:jogmec"], None, [], "Entity: JOGMEC"),
    (2, "entity", "JOGMEC watch", ["org:jogmec"], None, [], "JOGMEC watch"),
    (3, "entity", "Entity: org:nameless", ["org:nameless"], None, [], "Entity: org:nameless"),
    (4, "entity", "Entity: org:gone", ["org:gone"], None, [], "Entity: org:gone"),
    (
        5,
        "fact",
        "New agreement involving country:jp, org:jogmec",
        [],
        "agreement",
        ["country:jp", "org:jogmec"],
        "New agreement involving Japan, JOGMEC",
    ),
    (6, "fact", "New agreement", [], "agreement", [], "New agreement"),
    (
        7,
        "fact",
        "New agreement involving country:jp, org:gone",
        [],
        "agreement",
        ["country:jp", "org:gone"],
        "New agreement involving country:jp, org:gone",
    ),
    (8, "sector", "Sector: oil-gas", [], None, [], "Sector: oil-gas"),
    (9, "query", "Entity: org:jogmec", [], None, [], "Entity: org:jogmec"),
]


def _seed(url: str) -> None:
    engine = create_engine_for(url)
    stamp = AT.replace(tzinfo=None) if url.startswith("sqlite") else AT
    with engine.begin() as connection:
        for entity_id, name in ENTITIES:
            connection.execute(
                text(
                    "INSERT INTO entities (id, name, type, aliases, first_seen_at, last_seen_at) "
                    "VALUES (:id, :name, 'org', '[]', :at, :at)"
                ),
                {"id": entity_id, "name": name, "at": stamp},
            )
        for alert_id, kind, name, entity_ids, fact_type, involving, _ in ALERTS:
            connection.execute(
                text(
                    "INSERT INTO alerts (id, member_id, kind, name, query, sectors, entity_ids, "
                    "fact_type, fact_involving, email_mode, feed_prefix, feed_hash, created_at) "
                    "VALUES (:id, 1, :kind, :name, '', '[]', :entities, :fact, :involving, "
                    "'off', :prefix, 'x', :at)"
                ),
                {
                    "id": alert_id,
                    "kind": kind,
                    "name": name,
                    "entities": json.dumps(entity_ids),
                    "fact": fact_type,
                    "involving": json.dumps(involving),
                    "prefix": f"nf_{alert_id}",
                    "at": stamp,
                },
            )
    engine.dispose()


def test_old_automatic_names_take_the_entities_names(database_url: str) -> None:
    upgrade(database_url, "0019")
    _seed(database_url)
    upgrade(database_url)
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            names = dict(connection.execute(text("SELECT id, name FROM alerts")).all())
    finally:
        engine.dispose()
    assert names == {alert_id: expected for alert_id, *_, expected in ALERTS}
