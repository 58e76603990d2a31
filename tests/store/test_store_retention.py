"""Retention: the prune deletes exactly the rows older than the policy's cut-offs, in
batches, and nothing of the legal and idempotency records (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.bootstrap import prune_daily
from newsdesk.config import load_settings
from newsdesk.domain.leases import PeriodicRun
from newsdesk.domain.models import utcnow
from newsdesk.domain.retention import RetentionPolicy, cutoffs
from newsdesk.store import SqlStore
from retention_rows import KEPT, PRUNED, seed

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=3000)


def days(n: float) -> datetime:
    return NOW - timedelta(days=n)


def test_rows_older_than_the_cut_offs_go_and_younger_ones_stay(store: SqlStore) -> None:
    rows = seed(store, LONG_AGO)
    rows.kept_records(LONG_AGO)
    old_fetch, young_fetch = rows.fetch(days(91)), rows.fetch(days(89))
    rows.webhook(days(91))
    young_webhook = rows.webhook(days(89))
    rows.lead(days(366))
    young_lead = rows.lead(days(364))
    kept_before = rows.counts(KEPT)

    counts = store.prune_retained(cutoffs(RetentionPolicy(), NOW))

    assert counts == {
        "fetch_attempts": 1,
        "webhook_attempts": 1,
        "signin_requests": 0,
        "member_sessions": 0,
        "pro_leads": 1,
    }
    assert rows.ids("fetch_attempts") == [young_fetch] and old_fetch != young_fetch
    assert rows.ids("webhook_attempts") == [young_webhook]
    assert rows.ids("pro_leads") == [young_lead]
    assert rows.counts(KEPT) == kept_before  # consent, payments, articles, members untouched


def test_sign_in_requests_go_once_used_or_expired_long_enough_ago(store: SqlStore) -> None:
    rows = seed(store, LONG_AGO)
    used_long_ago = rows.signin(days(30), days(29), used_at=days(30))
    expired_long_ago = rows.signin(days(9), days(8), used_at=None)
    used_recently = rows.signin(days(6.5), days(6), used_at=days(6.5))
    expired_recently = rows.signin(days(6.5), days(6), used_at=None)
    pending = rows.signin(NOW - timedelta(minutes=5), NOW + timedelta(minutes=10), used_at=None)
    # Created long ago, used long ago, but an expiry still ahead: used is enough.
    used_before_long_expiry = rows.signin(days(20), NOW + timedelta(days=1), used_at=days(19))

    counts = store.prune_retained(cutoffs(RetentionPolicy(expired_days=7), NOW))

    assert counts["signin_requests"] == 3
    remaining = rows.ids("signin_requests")
    assert remaining == sorted([used_recently, expired_recently, pending])
    assert not {used_long_ago, expired_long_ago, used_before_long_expiry} & set(remaining)


def test_sessions_go_when_expired_long_enough_ago_and_live_ones_stay(store: SqlStore) -> None:
    rows = seed(store, LONG_AGO)
    rows.session(days(60), days(8))
    expired_recently = rows.session(days(40), days(6))
    live = rows.session(days(400), NOW + timedelta(days=20))  # old, but still signed in

    counts = store.prune_retained(cutoffs(RetentionPolicy(), NOW))

    assert counts["member_sessions"] == 1
    assert rows.ids("member_sessions") == sorted([expired_recently, live])


def test_zero_days_keep_every_kind_of_row_forever(store: SqlStore) -> None:
    rows = seed(store, LONG_AGO)
    rows.fetch(LONG_AGO)
    rows.webhook(LONG_AGO)
    rows.signin(LONG_AGO, LONG_AGO, used_at=LONG_AGO)
    rows.session(LONG_AGO, LONG_AGO)
    rows.lead(LONG_AGO)
    before = rows.counts(PRUNED)
    forever = RetentionPolicy(
        fetch_log_days=0, webhook_attempts_days=0, leads_days=0, expired_days=0
    )

    assert store.prune_retained(cutoffs(forever, NOW)) == dict.fromkeys(PRUNED, 0)
    assert rows.counts(PRUNED) == before == dict.fromkeys(PRUNED, 1)


def test_more_rows_than_a_batch_go_in_several_batches(store: SqlStore) -> None:
    rows = seed(store, LONG_AGO)
    old = [rows.fetch(days(100) - timedelta(seconds=n)) for n in range(7)]
    young = [rows.fetch(days(10)) for _ in range(2)]

    counts = store.prune_retained(cutoffs(RetentionPolicy(), NOW), batch_rows=3)

    assert counts["fetch_attempts"] == len(old) == 7  # 3 + 3 + 1
    assert rows.ids("fetch_attempts") == young


def test_a_batch_exactly_full_ends_with_an_empty_one(store: SqlStore) -> None:
    rows = seed(store, LONG_AGO)
    for _ in range(4):
        rows.lead(days(400))

    counts = store.prune_retained(cutoffs(RetentionPolicy(), NOW), batch_rows=2)

    assert counts["pro_leads"] == 4
    assert rows.ids("pro_leads") == []


def test_a_dry_run_counts_and_deletes_nothing(store: SqlStore) -> None:
    rows = seed(store, LONG_AGO)
    rows.fetch(days(100))
    rows.fetch(days(1))
    rows.lead(days(400))
    before = rows.counts(PRUNED)

    counts = store.prune_retained(cutoffs(RetentionPolicy(), NOW), dry_run=True)

    assert counts["fetch_attempts"] == 1 and counts["pro_leads"] == 1
    assert rows.counts(PRUNED) == before


def test_a_batch_size_below_one_is_refused(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="batch_rows"):
        store.prune_retained(cutoffs(RetentionPolicy(), NOW), batch_rows=0)


def test_the_daily_prune_runs_once_per_utc_day_and_logs_counts_only(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(retention_leads_days=365)
    rows = seed(store, LONG_AGO)
    rows.lead(days(400))
    caplog.set_level(logging.INFO, logger="newsdesk.retention")

    first = prune_daily(settings, store, now=NOW)
    assert first is not None and first.deleted["pro_leads"] == 1 and not first.partial
    late = rows.lead(days(400))  # arrives after the day's prune
    assert prune_daily(settings, store, now=NOW + timedelta(hours=11)) is None
    assert rows.ids("pro_leads") == [late]  # the same day: not pruned again
    tomorrow = prune_daily(settings, store, now=NOW + timedelta(hours=12, seconds=1))
    assert tomorrow is not None and tomorrow.deleted["pro_leads"] == 1
    assert rows.ids("pro_leads") == []
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "retention: deleted" in logged and "pro_leads 1" in logged
    assert "@example.com" not in logged and "Ada Reader" not in logged


def test_newsdesk_run_prunes_in_a_thread_once_for_the_day(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.bootstrap import services

    monkeypatch.setattr(services, "SERVICE_RETENTION_TICK_SECONDS", 0.01)
    settings = load_settings(retention_fetch_log_days=90)
    rows = seed(store, LONG_AGO)
    now = utcnow()
    rows.fetch(now - timedelta(days=100))
    claims: list[int] = []
    passes: list[int] = []
    real_claim, real_runs = store.claim_period, store.periodic_runs

    def counting_claim(job: str, period: int) -> bool:
        claimed = real_claim(job, period)
        claims.append(claimed)
        return claimed

    def counting_runs(job: str, *, since: int = 0) -> list[PeriodicRun]:
        passes.append(since)  # every pass reads the day's runs first
        return real_runs(job, since=since)

    monkeypatch.setattr(store, "claim_period", counting_claim)
    monkeypatch.setattr(store, "periodic_runs", counting_runs)
    stop = threading.Event()
    thread = threading.Thread(target=services._retention_schedule, args=(settings, store, stop))
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while len(passes) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert len(passes) >= 5  # passes kept coming …
    days_spanned = (utcnow().date() - now.date()).days + 1  # 2 if midnight passed meanwhile
    assert claims.count(True) == days_spanned  # … and one of them pruned, per UTC day
    assert rows.ids("fetch_attempts") == []
