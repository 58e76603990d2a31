"""Subscribers on SQLite and PostgreSQL: one per address whatever its case; the token
version of their links moves on unsubscribe, confirmation and suppression."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.domain.subscribers import Subscriber, SubscriberStatus
from newsdesk.store import SqlStore

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _pending(store: SqlStore, email: str, nonce: str = "n1") -> Subscriber:
    return store.add_or_get_pending(email, sectors=("energy",), entities=(), nonce=nonce, now=NOW)


def _confirm(store: SqlStore, subscriber_id: int, nonce: str) -> bool:
    return store.confirm_subscriber(
        subscriber_id,
        nonce,
        at=NOW,
        ip=None,
        form="confirm",
        policy_version="p",
        terms_version="t",
    )


def test_an_address_in_another_case_is_the_same_subscriber(store: SqlStore) -> None:
    alice = _pending(store, "alice@example.com")
    assert alice.id is not None and _confirm(store, alice.id, "n1")
    again = _pending(store, "ALICE@Example.com", nonce="n2")
    assert again.id == alice.id
    assert again.status is SubscriberStatus.ACTIVE  # no second, pending subscriber
    assert [s.email for s in store.iter_subscribers()] == ["alice@example.com"]
    found = store.get_subscriber_by_email(" Alice@EXAMPLE.com ")
    assert found is not None and found.id == alice.id


def test_a_suppressed_address_stays_suppressed_in_any_case(store: SqlStore) -> None:
    bounced = _pending(store, "bounce@example.com")
    assert bounced.id is not None
    store.suppress_subscriber(bounced.id, "550 no such user")
    again = _pending(store, "BOUNCE@example.com", nonce="n9")
    assert again.id == bounced.id and again.status is SubscriberStatus.SUPPRESSED
    assert not _confirm(store, bounced.id, "n9")


def test_imports_match_addresses_whatever_their_case(store: SqlStore) -> None:
    left = _pending(store, "left@example.com")
    assert left.id is not None
    store.unsubscribe(left.id, at=NOW, ip=None, form="unsubscribe-page")
    counts = store.import_subscribers(
        [Subscriber(email="LEFT@example.com"), Subscriber(email="New@Example.com")], at=NOW
    )
    assert counts == {"added": 1, "existing": 0, "withdrawn": 1}
    assert sorted(s.email for s in store.iter_subscribers()) == [
        "left@example.com",
        "new@example.com",
    ]


def test_the_token_version_moves_on_unsubscribe_confirmation_and_suppression(
    store: SqlStore,
) -> None:
    reader = _pending(store, "reader@example.com")
    assert reader.id is not None and reader.token_version == 0

    def version() -> int:
        stored = store.get_subscriber(reader.id or 0)
        assert stored is not None
        return stored.token_version

    assert _confirm(store, reader.id, "n1")
    confirmed = version()
    assert confirmed > 0
    assert store.unsubscribe(reader.id, at=NOW, ip=None, form="one-click")
    unsubscribed = version()
    assert unsubscribed > confirmed
    assert not store.unsubscribe(reader.id, at=NOW, ip=None, form="one-click")
    assert version() == unsubscribed  # nothing changed, nothing rotated
    _pending(store, "reader@example.com", nonce="n2")
    assert _confirm(store, reader.id, "n2")  # re-subscribed
    resubscribed = version()
    assert resubscribed > unsubscribed
    store.suppress_subscriber(reader.id, "complaint")
    assert version() > resubscribed
