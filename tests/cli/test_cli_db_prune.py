"""`newsdesk db prune [--dry-run]`: the retention settings applied now, counts per table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cli_support import Invoke

from newsdesk.domain.models import utcnow
from newsdesk.store import open_store
from retention_rows import PRUNED, Rows, seed


@pytest.fixture
def seeded(database_url: str, monkeypatch: pytest.MonkeyPatch, newsdesk: Invoke) -> str:
    # database_url first: the newsdesk fixture clears NEWSDESK_* (the test server's URL too)
    """One old and one young row of each pruned table, on SQLite or PostgreSQL."""
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", database_url)
    now = utcnow()
    store = open_store(database_url)
    try:
        rows = seed(store, now - timedelta(days=3000))
        for age in (400, 1):
            at = now - timedelta(days=age)
            rows.fetch(at)
            rows.webhook(at)
            rows.signin(at, at + timedelta(minutes=15), used_at=None)
            rows.session(at - timedelta(days=30), at)
            rows.lead(at)
    finally:
        store.close()
    return database_url


def _counts(url: str) -> dict[str, int]:
    store = open_store(url)
    try:
        return Rows(store, 0, 0, 0, utcnow()).counts(PRUNED)
    finally:
        store.close()


def test_dry_run_prints_what_would_go_and_deletes_nothing(seeded: str, newsdesk: Invoke) -> None:
    result = newsdesk("db", "prune", "--dry-run")
    assert result.exit_code == 0, result.output
    for table in PRUNED:
        assert f"{table}: would delete 1 (before " in result.output
    assert _counts(seeded) == dict.fromkeys(PRUNED, 2)


def test_prune_deletes_the_old_rows_and_says_how_many(seeded: str, newsdesk: Invoke) -> None:
    result = newsdesk("db", "prune")
    assert result.exit_code == 0, result.output
    for table in PRUNED:
        assert f"{table}: deleted 1 (before " in result.output
    assert "@example.com" not in result.output
    assert _counts(seeded) == dict.fromkeys(PRUNED, 1)
    again = newsdesk("db", "prune")
    assert "fetch_attempts: deleted 0" in again.output


def test_zero_days_keep_forever_and_say_so(
    seeded: str, newsdesk: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_RETENTION_LEADS_DAYS", "0")
    monkeypatch.setenv("NEWSDESK_RETENTION_EXPIRED_DAYS", "0")
    result = newsdesk("db", "prune")
    assert result.exit_code == 0, result.output
    assert "pro_leads: kept forever" in result.output
    assert "signin_requests: kept forever" in result.output
    assert "member_sessions: kept forever" in result.output
    assert _counts(seeded) == {
        "fetch_attempts": 1,
        "webhook_attempts": 1,
        "signin_requests": 2,
        "member_sessions": 2,
        "pro_leads": 2,
    }
