"""Migration 0010 on SQLite and PostgreSQL: addresses that differ only in case are merged
into one subscriber, the stricter state winning, without losing a consent event or breaking
the outbox; every address ends lower-cased."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from newsdesk.store import create_engine_for, open_store, upgrade

AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
# (id, email, status): Ada is active twice and was unsubscribed once in a third case; Bob
# bounced in one case and signed up again in another; Cy is pending and active.
ROWS = [
    (1, "ada@example.com", "active"),
    (2, "ADA@example.com", "active"),
    (3, "Ada@Example.COM", "unsubscribed"),
    (4, "Bob@example.com", "pending"),
    (5, "bob@EXAMPLE.com", "suppressed"),
    (6, "cy@example.com", "pending"),
    (7, "CY@example.com", "active"),
    (8, "Dee@Example.com", "active"),
]


def _seed(url: str) -> None:
    engine = create_engine_for(url)
    stamp = AT.replace(tzinfo=None) if url.startswith("sqlite") else AT
    with engine.begin() as connection:
        for subscriber_id, email, status in ROWS:
            connection.execute(
                text(
                    "INSERT INTO subscribers (id, email, status, sectors, entities, "
                    "delivery_time, timezone, paused, created_at) VALUES (:id, :email, :status, "
                    "'[]', '[]', '07:00', 'UTC', false, :at)"
                ),
                {"id": subscriber_id, "email": email, "status": status, "at": stamp},
            )
            for action in ("given", "confirmed"):
                connection.execute(
                    text(
                        "INSERT INTO consent_events (subscriber_id, email, action, at, "
                        "policy_version, terms_version, form, detail) VALUES (:id, :email, "
                        ":action, :at, '1', '1', 'home', '{}')"
                    ),
                    {"id": subscriber_id, "email": email, "action": action, "at": stamp},
                )
        # Ada's two active rows each got a digest on the 5th; the second also on the 6th.
        for subscriber_id, day in (
            (1, date(2026, 1, 5)),
            (2, date(2026, 1, 5)),
            (2, date(2026, 1, 6)),
        ):
            connection.execute(
                text(
                    "INSERT INTO digest_outbox (subscriber_id, digest_date, status, attempts, "
                    "created_at, updated_at) VALUES (:id, :day, 'sent', 1, :at, :at)"
                ),
                {"id": subscriber_id, "day": day, "at": stamp},
            )
    engine.dispose()


def test_case_duplicates_merge_into_the_strictest_and_lose_nothing(database_url: str) -> None:
    upgrade(database_url, "0009")
    _seed(database_url)
    upgrade(database_url)
    store = open_store(database_url, migrate=False)
    try:
        people = {s.email: s for s in store.iter_subscribers()}
        assert sorted(people) == [
            "ada@example.com",
            "bob@example.com",
            "cy@example.com",
            "dee@example.com",
        ]
        ada, bob, cy = (
            people["ada@example.com"],
            people["bob@example.com"],
            people["cy@example.com"],
        )
        # Unsubscribed beats active, suppressed beats pending, active beats pending.
        assert (ada.id, ada.status) == (3, "unsubscribed")
        assert (bob.id, bob.status) == (5, "suppressed")
        assert (cy.id, cy.status) == (7, "active")
        assert people["dee@example.com"].id == 8  # alone: only lower-cased
        # Every consent event is kept, moved to the survivor, in the spelling it was given in.
        history = store.consent_history(3)
        assert len(history) == 6
        assert {event.email for event in history} == {
            "ada@example.com",
            "ADA@example.com",
            "Ada@Example.COM",
        }
        assert len(store.consent_history(5)) == 4 and store.consent_history(4) == []
        # The outbox keeps one row per (subscriber, date): Ada's 5th once, her 6th moved.
        entries = store.outbox_entries(date(2026, 1, 5))
        assert set(entries) == {3}
        assert set(store.outbox_entries(date(2026, 1, 6))) == {3}
        assert all(s.token_version == 0 for s in people.values())
        # The merged address can never come back as a second subscriber.
        again = store.add_or_get_pending(
            "ADA@EXAMPLE.COM", sectors=("oil-gas",), entities=(), nonce="n", now=AT
        )
        assert again.id == 3
    finally:
        store.close()
