"""The subscriber repository on SQLite and PostgreSQL: pending sign-ups, single-use
confirmation, idempotent unsubscribe, imports that never re-subscribe, streaming."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.domain.subscribers import (
    ConsentAction,
    ConsentEvent,
    Subscriber,
    SubscriberStatus,
)
from newsdesk.store import SqlStore, subscribers_repo

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _pending(store: SqlStore, email: str = "reader@example.com", nonce: str = "n1") -> Subscriber:
    return store.add_or_get_pending(email, sectors=("energy",), entities=(), nonce=nonce, now=NOW)


def _confirm(store: SqlStore, subscriber_id: int, nonce: str) -> bool:
    return store.confirm_subscriber(
        subscriber_id,
        nonce,
        at=NOW,
        ip="192.0.2.1",
        form="confirm",
        policy_version="p1",
        terms_version="t1",
    )


def test_sign_up_creates_one_pending_subscriber_and_a_resign_up_replaces_the_nonce(
    store: SqlStore,
) -> None:
    first = _pending(store)
    again = store.add_or_get_pending(
        "reader@example.com", sectors=("mining",), entities=("e1",), nonce="n2", now=NOW
    )
    assert first.id == again.id
    stored = store.get_subscriber(first.id or 0)
    assert stored is not None
    assert (stored.status, stored.confirm_nonce, stored.sectors) == (
        SubscriberStatus.PENDING,
        "n2",
        ("mining",),
    )
    assert not _confirm(store, first.id or 0, "n1")  # the old link stopped working
    assert _confirm(store, first.id or 0, "n2")
    assert not _confirm(store, first.id or 0, "n2")  # single use
    active = store.get_subscriber_by_email("reader@example.com")
    assert active is not None
    assert (active.status, active.confirm_nonce) == (SubscriberStatus.ACTIVE, None)
    assert active.confirmed_at == NOW


def test_sign_up_of_an_active_subscriber_changes_nothing(store: SqlStore) -> None:
    subscriber = _pending(store)
    assert _confirm(store, subscriber.id or 0, "n1")
    again = store.add_or_get_pending(
        "reader@example.com", sectors=("mining",), entities=(), nonce="n9", now=NOW
    )
    assert (again.status, again.confirm_nonce, again.sectors) == (
        SubscriberStatus.ACTIVE,
        None,
        ("energy",),
    )


def test_unsubscribe_is_idempotent_and_recorded_once(store: SqlStore) -> None:
    subscriber = _pending(store)
    sid = subscriber.id or 0
    assert _confirm(store, sid, "n1")
    later = NOW + timedelta(days=1)
    assert store.unsubscribe(sid, at=later, ip="198.51.100.7", form="one-click")
    assert not store.unsubscribe(sid, at=later, ip="198.51.100.7", form="one-click")
    history = store.consent_history(sid)
    assert [e.action for e in history] == [ConsentAction.CONFIRMED, ConsentAction.WITHDRAWN]
    withdrawn = history[-1]
    assert (withdrawn.ip, withdrawn.form, withdrawn.at) == ("198.51.100.7", "one-click", later)
    assert list(store.iter_deliverable_subscribers()) == []


def test_only_a_new_confirmation_reactivates_an_unsubscribed_address(store: SqlStore) -> None:
    sid = _pending(store).id or 0
    assert _confirm(store, sid, "n1")
    assert store.unsubscribe(sid, at=NOW, ip=None, form="preferences")
    stored = store.get_subscriber(sid)
    assert stored is not None
    stored.status = SubscriberStatus.ACTIVE
    with pytest.raises(ValueError, match="double opt-in"):
        store.update_subscriber(stored)  # an admin edit cannot
    counts = store.import_subscribers([Subscriber(email="reader@example.com")], at=NOW)
    assert counts == {"added": 0, "existing": 0, "withdrawn": 1}
    still = store.get_subscriber(sid)
    assert still is not None and still.status is SubscriberStatus.UNSUBSCRIBED
    resigned = store.add_or_get_pending(
        "reader@example.com", sectors=("energy",), entities=(), nonce="n3", now=NOW
    )
    assert resigned.status is SubscriberStatus.UNSUBSCRIBED  # until the person confirms
    assert _confirm(store, sid, "n3")
    back = store.get_subscriber(sid)
    assert back is not None
    assert (back.status, back.unsubscribed_at) == (SubscriberStatus.ACTIVE, None)


def test_suppressed_address_cannot_be_confirmed_or_imported(store: SqlStore) -> None:
    sid = _pending(store).id or 0
    assert store.suppress_subscriber(sid, "550 5.1.1 no such user")
    assert not store.suppress_subscriber(sid, "again")
    assert not _confirm(store, sid, "n1")
    same = _pending(store, nonce="n4")
    assert (same.status, same.confirm_nonce) == (SubscriberStatus.SUPPRESSED, None)
    counts = store.import_subscribers([Subscriber(email="reader@example.com")], at=NOW)
    assert counts["withdrawn"] == 1


def test_import_adds_new_addresses_as_active_with_a_consent_record(store: SqlStore) -> None:
    rows = [
        Subscriber(email="a@example.com", sectors=("energy",), timezone="Europe/Berlin"),
        Subscriber(email="b@example.com", sectors=("mining",), delivery_time="06:30"),
    ]
    assert store.import_subscribers(rows, at=NOW) == {"added": 2, "existing": 0, "withdrawn": 0}
    assert store.import_subscribers(rows, at=NOW) == {"added": 0, "existing": 2, "withdrawn": 0}
    imported = store.get_subscriber_by_email("a@example.com")
    assert imported is not None
    assert (imported.status, imported.timezone) == (SubscriberStatus.ACTIVE, "Europe/Berlin")
    (event,) = store.consent_history(imported.id or 0)
    assert (event.action, event.form) == (ConsentAction.GIVEN, "import")


def test_deliverable_subscribers_stream_in_batches_and_skip_paused(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(subscribers_repo, "_BATCH", 7)
    rows = [Subscriber(email=f"s{i:04d}@example.com", sectors=("energy",)) for i in range(30)]
    store.import_subscribers(rows, at=NOW)
    paused = store.get_subscriber_by_email("s0005@example.com")
    assert paused is not None
    paused.paused = True
    store.update_subscriber(paused)
    emails = [s.email for s in store.iter_deliverable_subscribers()]
    assert len(emails) == 29
    assert "s0005@example.com" not in emails
    assert emails == sorted(emails)


def test_append_consent_keeps_every_field(store: SqlStore) -> None:
    sid = _pending(store).id or 0
    event = ConsentEvent(
        subscriber_id=sid,
        email="reader@example.com",
        action=ConsentAction.GIVEN,
        at=NOW,
        policy_version="2026-01",
        terms_version="2026-02",
        ip="2001:db8::1",
        form="home",
        detail={"sectors": ["energy"]},
    )
    saved = store.append_consent(event)
    assert saved.id is not None
    assert store.consent_history(sid) == [saved]
