"""Crash safety across workers: a poll killed with SIGKILL is done again by another worker
after the heartbeat timeout without storing anything twice; a worker presumed dead that
wakes up cannot write; a digest run killed mid-send never sends a message twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from worker_rig import (
    Newsroom,
    Worker,
    add_feeds,
    queue_rows,
    wait_until,
    worker_env,
    workers,
)

from newsdesk.config import Settings
from newsdesk.domain.enrichment import Enrichment, SectorLabel
from newsdesk.domain.models import Article, Source
from newsdesk.domain.subscribers import OutboxStatus, Subscriber
from newsdesk.store import SqlStore
from newsdesk.workers.service import open_queue, queue_options
from smtp_sink import SmtpSink
from wall_clock import noon_zone

pytestmark = pytest.mark.postgres

STALLED = "2"  # seconds of silence after which a worker is presumed dead


def _poll_jobs(url: str) -> list[tuple[str, int]]:
    return queue_rows(
        url,
        "SELECT status::text, attempts FROM procrastinate_jobs "
        "WHERE task_name = 'poll_source' ORDER BY id",
    )


def _polls_settled(url: str) -> bool:
    return not queue_rows(
        url,
        "SELECT 1 FROM procrastinate_jobs WHERE task_name = 'poll_source' "
        "AND status IN ('todo', 'doing')",
    )


def test_kill_9_mid_poll_another_worker_finishes_the_source_without_duplicates(
    queue_url: str, queue_store: SqlStore, tmp_path: Path
) -> None:
    with Newsroom(hosts=1) as room:
        (host,) = room.hosts
        (source_id,) = add_feeds(queue_store, room.feeds(host, 1, 6))
        room.hold("/f0/a3.html")
        env = worker_env(
            queue_url,
            tmp_path / "data",
            NEWSDESK_FETCH_ALLOW_HOSTS=host,
            NEWSDESK_QUEUE_STALLED_SECONDS=STALLED,
        )
        first = Worker(env, tmp_path / "first.log")
        try:
            wait_until(room.arrived("/f0/a3.html").is_set, 60, "the poll to reach page 4")
            first.kill()
        finally:
            first.stop()
        stored_at_kill = queue_store.count_articles()
        room.release("/f0/a3.html")
        with workers(env, tmp_path, 1):
            wait_until(
                lambda: queue_store.count_articles() == 6 and _polls_settled(queue_url),
                60,
                "the source polled to the end by the second worker",
            )
            jobs = _poll_jobs(queue_url)
    assert stored_at_kill < 6
    assert jobs[0][0] == "failed"  # the killed worker's poll, failed after the heartbeat timeout
    assert jobs[-1][0] == "succeeded"
    articles = queue_store.list_articles()
    assert len({a.canonical_url for a in articles}) == len(articles) == 6
    assert len({a.story_id for a in articles}) == 6  # nothing stored twice, nor linked as a copy
    source = queue_store.get_source(source_id)
    assert source is not None
    assert source.consecutive_failures == 0
    assert source.last_success_at is not None


def test_a_worker_presumed_dead_cannot_write_when_it_wakes(
    queue_url: str, queue_store: SqlStore, tmp_path: Path
) -> None:
    with Newsroom(hosts=1) as room:
        (host,) = room.hosts
        (source_id,) = add_feeds(queue_store, room.feeds(host, 1, 6))
        room.hold("/f0/a3.html")
        env = worker_env(
            queue_url,
            tmp_path / "data",
            NEWSDESK_FETCH_ALLOW_HOSTS=host,
            NEWSDESK_QUEUE_STALLED_SECONDS=STALLED,
        )
        sleeper = Worker(env, tmp_path / "sleeper.log")
        try:
            wait_until(room.arrived("/f0/a3.html").is_set, 60, "the poll to reach page 4")
            sleeper.pause()  # alive, but silent: presumed dead after the heartbeat timeout
            room.release("/f0/a3.html")  # its answer waits in the sleeper's socket
            with workers(env, tmp_path, 1):
                wait_until(
                    lambda: queue_store.count_articles() == 6 and _polls_settled(queue_url),
                    60,
                    "the source polled to the end by the second worker",
                )
                after_takeover = queue_store.get_source(source_id)
                attempts = queue_store.recent_fetch_attempts(source_id, limit=100)
                sleeper.resume()
                wait_until(lambda: "superseded" in sleeper.log(), 30, "the late write refused")
        finally:
            sleeper.stop()
    # The sleeper's page 4 (and its rescheduling of the source) reached nothing but a refusal.
    assert queue_store.get_source(source_id) == after_takeover
    assert queue_store.recent_fetch_attempts(source_id, limit=100) == attempts
    assert queue_store.count_articles() == 6


def _story(store: SqlStore, at: datetime) -> None:
    source = store.add_source(Source(url="https://wire.example/feed.xml", name="Wire"))
    article = store.save_article(
        Article(
            source_id=source.id,
            url="https://wire.example/a/1",
            canonical_url="https://wire.example/a/1",
            title="Rare earths deal signed",
            text="Rare earths deal signed. A long enough body of text for the digest.",
            content_hash="hash-1",
            created_at=at,
        )
    )
    assert article.id is not None
    store.save_enrichment(
        Enrichment(
            article_id=article.id,
            version="test",
            summary="A deal.",
            sectors=(SectorLabel("mining", 0.9),),
        )
    )


def _defer(url: str, job: str) -> None:
    settings = Settings(database_url=url)

    async def defer() -> None:
        async with open_queue(settings, queue_options(settings)) as queue:
            await queue.defer(job)

    asyncio.run(defer())


def test_kill_9_mid_send_never_sends_a_digest_twice(
    queue_url: str, queue_store: SqlStore, tmp_path: Path, smtp_sink: SmtpSink
) -> None:
    # The workers read the wall clock: in a zone where it is noon, their today is the test's
    # today even when the test starts seconds before midnight UTC.
    zone, today, midnight = noon_zone(datetime.now(UTC))
    _story(queue_store, midnight - timedelta(hours=2))
    people = [
        Subscriber(
            email=f"r{n:02d}@readers.example",
            sectors=("mining",),
            delivery_time="00:00",
            timezone=zone,
        )
        for n in range(30)
    ]
    queue_store.import_subscribers(people, at=midnight - timedelta(days=1))
    env = worker_env(
        queue_url,
        tmp_path / "data",
        NEWSDESK_QUEUE_QUEUES="mail,schedule",
        NEWSDESK_QUEUE_STALLED_SECONDS=STALLED,
        NEWSDESK_SMTP_HOST="127.0.0.1",
        NEWSDESK_SMTP_PORT=str(smtp_sink.port),
        NEWSDESK_SMTP_POOL_SIZE="1",
        NEWSDESK_DIGEST_STALE_SENDING_SECONDS="0",
        NEWSDESK_SECRET_KEY="worker-test-secret-long-enough-to-serve",
    )
    smtp_sink.data_delay = 0.05  # a message in flight long enough to be killed in it
    first = Worker(env, tmp_path / "first.log")
    try:
        _defer(queue_url, "send_digests")
        smtp_sink.wait_for(5, timeout=60)
        first.kill()
    finally:
        first.stop()
    with workers(env, tmp_path, 1):
        wait_until(
            lambda: queue_rows(
                queue_url,
                "SELECT 1 FROM procrastinate_jobs WHERE task_name = 'send_digests' "
                "AND status = 'failed'",
            ),
            30,
            "the killed run failed after the heartbeat timeout",
        )
        _defer(queue_url, "send_digests")
        day = today
        wait_until(
            lambda: (
                set(queue_store.outbox_counts(day)) <= {OutboxStatus.SENT, OutboxStatus.UNCERTAIN}
                and sum(queue_store.outbox_counts(day).values()) == len(people)
            ),
            60,
            "every digest sent or recorded as uncertain",
        )
        counts = queue_store.outbox_counts(day)
    received = Counter(m.rcpt_tos[0] for m in smtp_sink.messages)
    assert max(received.values()) == 1, "somebody got the digest twice"
    assert counts.get(OutboxStatus.UNCERTAIN, 0) <= 1  # one SMTP connection: one in flight
    assert counts[OutboxStatus.SENT] >= len(people) - 1
    assert sum(received.values()) >= counts[OutboxStatus.SENT]
