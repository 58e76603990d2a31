"""The outbox's combined ledger step on SQLite and PostgreSQL: a worker records the message
SMTP accepted as SENT and claims its next row in one transaction, with the same
compare-and-set guarantees as the separate steps."""

from __future__ import annotations

from datetime import UTC, date, datetime

from digest_world import add_subscribers, reader

from newsdesk.domain.subscribers import OutboxStatus
from newsdesk.store import SqlStore

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _rows(store: SqlStore, count: int) -> list[int]:
    people = add_subscribers(store, [reader(f"r{n}@readers.example") for n in range(count)])
    claimed = store.claim_digests(DAY, [p.id or 0 for p in people], NOW)
    return [claimed[p.id or 0].id or 0 for p in people]


def _status(store: SqlStore) -> dict[int, OutboxStatus]:
    return {entry.id or 0: entry.status for entry in store.outbox_entries(DAY).values()}


def test_sent_and_next_sending_are_recorded_together(store: SqlStore) -> None:
    first, second = _rows(store, 2)
    assert store.advance_digest_sends(
        sent_id=None, start_id=first, message_id="<1@x>", subject="s", now=NOW
    )
    assert _status(store) == {first: OutboxStatus.SENDING, second: OutboxStatus.PENDING}
    assert store.advance_digest_sends(
        sent_id=first, start_id=second, message_id="<2@x>", subject="s", now=NOW
    )
    assert _status(store) == {first: OutboxStatus.SENT, second: OutboxStatus.SENDING}
    assert not store.advance_digest_sends(sent_id=second, start_id=None, now=NOW)
    assert _status(store) == {first: OutboxStatus.SENT, second: OutboxStatus.SENT}
    entries = {e.id: e for e in store.outbox_entries(DAY).values()}
    assert entries[first].message_id == "<1@x>" and entries[first].sent_at is not None
    assert entries[second].attempts == 1


def test_a_row_already_sending_or_sent_is_never_started_again(store: SqlStore) -> None:
    (row,) = _rows(store, 1)
    assert store.advance_digest_sends(sent_id=None, start_id=row, now=NOW)
    assert not store.advance_digest_sends(sent_id=None, start_id=row, now=NOW)
    assert not store.advance_digest_sends(sent_id=row, start_id=row, now=NOW)
    assert _status(store) == {row: OutboxStatus.SENT}


def test_the_sent_row_is_recorded_even_when_the_next_subscriber_left(store: SqlStore) -> None:
    first, second = _rows(store, 2)
    assert store.advance_digest_sends(sent_id=None, start_id=first, now=NOW)
    leaver = store.get_subscriber_by_email("r1@readers.example")
    assert leaver is not None and leaver.id is not None
    assert store.unsubscribe(leaver.id, at=NOW, ip=None, form="test")
    assert not store.advance_digest_sends(sent_id=first, start_id=second, now=NOW)
    assert _status(store) == {first: OutboxStatus.SENT, second: OutboxStatus.PENDING}


def test_a_workers_held_ledger_connection_sees_and_makes_the_same_steps(store: SqlStore) -> None:
    first, second = _rows(store, 2)
    with store.digest_ledger() as ledger:
        assert ledger.advance(sent_id=None, start_id=first, now=NOW)
        assert not store.start_digest_send(first, message_id="<x>", subject="s", now=NOW)
        assert ledger.advance(sent_id=first, start_id=second, now=NOW)
        assert _status(store) == {first: OutboxStatus.SENT, second: OutboxStatus.SENDING}
        assert not ledger.advance(sent_id=None, start_id=second, now=NOW)
