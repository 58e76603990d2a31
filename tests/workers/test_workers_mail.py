"""Weekly reports and alerts as worker jobs: one worker on the mail queue mails a Pro member
the due week's briefing (a Free member none) and an alert email for an article enriched
after the alert was set, over SMTP on loopback; each once, however often the jobs run. A
report run killed mid-send (kill -9) never mails anyone twice; an enrich pass that enriched
something queues the alerts job."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from worker_rig import Worker, queue_rows, wait_until, worker_env, workers

from newsdesk.alerts.create import AlertRequest, create_alert
from newsdesk.alerts.percolate import percolate_new
from newsdesk.bootstrap.alerts import alert_owners
from newsdesk.config import Settings
from newsdesk.domain.access import Plan
from newsdesk.domain.alerts import AlertKind, DeliveryStatus, EmailMode
from newsdesk.domain.enrichment import Enrichment, EntityRecord, MentionRecord, SectorLabel
from newsdesk.domain.models import Article
from newsdesk.domain.reports import parse_iso_week
from newsdesk.domain.subscribers import Subscriber
from newsdesk.reports.mailing import due_week
from newsdesk.store import SqlStore
from newsdesk.workers.context import WorkerContext
from newsdesk.workers.jobs.alerts import DELIVER_ALERTS
from newsdesk.workers.jobs.enrich import enrich
from newsdesk.workers.service import open_queue, queue_options
from smtp_sink import SmtpSink
from wall_clock import outside_the_week_boundary

pytestmark = pytest.mark.postgres

SECTOR = "rare-earths-commodities"
JOGMEC = EntityRecord("org:jogmec", "JOGMEC", "organisation")
PRO, FREE = "pro@readers.example", "free@readers.example"


def _enriched(store: SqlStore, slug: str, title: str, published: datetime) -> int:
    saved = store.save_article(
        Article(
            source_id=None,
            url=f"https://wire.example/{slug}",
            canonical_url=f"https://wire.example/{slug}",
            title=title,
            text=f"{title}. JOGMEC signed an exploration agreement for rare earths.",
            published=published,
            content_hash=f"hash-{slug}",
        )
    )
    assert saved.id is not None
    store.save_enrichment(
        Enrichment(
            article_id=saved.id,
            version="test",
            summary=title,
            entities=(JOGMEC,),
            mentions=(MentionRecord(JOGMEC.id, JOGMEC.name, 0, 6),),
            sectors=(SectorLabel(SECTOR, 0.9),),
        )
    )
    return saved.id


def _defer(url: str, *jobs: str) -> None:
    settings = Settings(database_url=url)

    async def defer() -> None:
        async with open_queue(settings, queue_options(settings)) as queue:
            for job in jobs:
                await queue.defer(job)

    asyncio.run(defer())


def _finished(url: str, job: str) -> int:
    rows = queue_rows(
        url,
        "SELECT count(*) FROM procrastinate_jobs WHERE task_name = %s AND status = 'succeeded'",
        job,
    )
    return int(rows[0][0])


def test_a_worker_mails_the_due_weekly_report_and_an_alert_once(
    queue_url: str, queue_store: SqlStore, tmp_path: Path, smtp_sink: SmtpSink
) -> None:
    now = outside_the_week_boundary()  # the worker reads the due week from the wall clock
    week = due_week(now)
    start, _ = parse_iso_week(week)
    _enriched(
        queue_store, "week", "JOGMEC and Namibia sign a rare earths deal", start + timedelta(days=2)
    )
    for address in (PRO, FREE):
        member = queue_store.ensure_member(address, now=now)
        if address == PRO:
            queue_store.grant_plan(
                member.id, Plan.PRO, until=None, source="manual", reason="t", actor="t", now=now
            )
    queue_store.import_subscribers(
        [Subscriber(email=a, sectors=(SECTOR,)) for a in (PRO, FREE)], at=now
    )
    owners = alert_owners(queue_store)
    percolate_new(queue_store)  # what was enriched before the alert is not news to it
    alert = create_alert(
        queue_store,
        owners,
        AlertRequest(PRO, AlertKind.ENTITY, JOGMEC.id, email_mode=EmailMode.INSTANT),
        sectors={},
        entity_name=lambda _e: _e,
        allow_hosts=(),
        now=now,
    ).alert
    assert alert.id is not None
    _enriched(queue_store, "new", "JOGMEC opens a Windhoek office", now)
    env = worker_env(
        queue_url,
        tmp_path / "data",
        NEWSDESK_QUEUE_QUEUES="mail",
        NEWSDESK_SMTP_HOST="127.0.0.1",
        NEWSDESK_SMTP_PORT=str(smtp_sink.port),
        NEWSDESK_SECRET_KEY="worker-test-secret-long-enough-to-serve",
    )
    report_subject = f"Your weekly briefings, {week}"
    alert_subject = "JOGMEC opens a Windhoek office"

    def subjects() -> Counter[tuple[str, str]]:
        return Counter(
            (m.rcpt_tos[0], str(m.message["Subject"]))
            for m in smtp_sink.messages
            if m.message["Subject"] == report_subject or alert_subject in m.message["Subject"]
        )

    with workers(env, tmp_path, 1):
        # the alerts job is deferred every 10 s by itself; the reports job once a minute:
        # queued here so the test need not wait for the minute
        _defer(queue_url, "send_reports")
        wait_until(lambda: len(subjects()) == 2, 60, "the report and the alert were mailed")
        runs = {job: _finished(queue_url, job) for job in ("send_reports", "deliver_alerts")}
        _defer(queue_url, "send_reports", "deliver_alerts")
        wait_until(
            lambda: all(_finished(queue_url, job) > runs[job] for job in runs),
            60,
            "both jobs ran again",
        )
    received = subjects()
    assert {to for to, _ in received} == {PRO}  # the Free member gets neither
    assert [s for _, s in received if s == report_subject] == [report_subject]
    assert set(received.values()) == {1}, f"something was mailed twice: {received}"
    pro = queue_store.member_by_email(PRO)
    assert pro is not None and queue_store.report_mail_status(pro.id, week) == "sent"
    assert {d.status for d in queue_store.alert_deliveries_of(alert.id)} == {DeliveryStatus.SENT}


def test_kill_9_mid_send_never_mails_a_weekly_report_twice(
    queue_url: str, queue_store: SqlStore, tmp_path: Path, smtp_sink: SmtpSink
) -> None:
    now = outside_the_week_boundary()  # the worker reads the due week from the wall clock
    week = due_week(now)
    start, _ = parse_iso_week(week)
    _enriched(queue_store, "week", "JOGMEC signs a rare earths deal", start + timedelta(days=2))
    people = [f"r{n:02d}@readers.example" for n in range(30)]
    members = []
    for address in people:
        member = queue_store.ensure_member(address, now=now)
        queue_store.grant_plan(
            member.id, Plan.PRO, until=None, source="manual", reason="t", actor="t", now=now
        )
        members.append(member.id)
    queue_store.import_subscribers([Subscriber(email=a, sectors=(SECTOR,)) for a in people], at=now)
    env = worker_env(
        queue_url,
        tmp_path / "data",
        NEWSDESK_QUEUE_QUEUES="mail,schedule",  # the tick fails the dead worker's job
        NEWSDESK_QUEUE_STALLED_SECONDS="2",
        NEWSDESK_SMTP_HOST="127.0.0.1",
        NEWSDESK_SMTP_PORT=str(smtp_sink.port),
        NEWSDESK_SMTP_POOL_SIZE="1",
        NEWSDESK_DIGEST_STALE_SENDING_SECONDS="0",  # the report outbox's too
        NEWSDESK_SECRET_KEY="worker-test-secret-long-enough-to-serve",
    )
    subject = f"Your weekly briefings, {week}"

    def reports() -> list[str]:
        return [m.rcpt_tos[0] for m in smtp_sink.messages if m.message["Subject"] == subject]

    # a message in flight long enough to be killed in it, and 2.5 s of mailing left after the
    # fifth, so the kill lands mid-run even on a loaded machine
    smtp_sink.data_delay = 0.1
    first = Worker(env, tmp_path / "first.log")
    try:
        _defer(queue_url, "send_reports")
        wait_until(lambda: len(reports()) >= 5, 60, "the first reports went out")
        first.kill()
        mailed_before_kill = len(reports())
    finally:
        first.stop()
    assert mailed_before_kill < len(people)  # the kill cut the run short

    def statuses() -> Counter[str | None]:
        return Counter(queue_store.report_mail_status(m, week) for m in members)

    with workers(env, tmp_path, 1):
        wait_until(
            lambda: queue_rows(
                queue_url,
                "SELECT 1 FROM procrastinate_jobs WHERE task_name = 'send_reports' "
                "AND status = 'failed'",
            ),
            30,
            "the killed run failed after the heartbeat timeout",
        )
        _defer(queue_url, "send_reports")
        wait_until(
            lambda: set(statuses()) <= {"sent", "uncertain"},
            60,
            "every report sent or recorded as uncertain",
        )
    counts = statuses()
    received = Counter(reports())
    assert max(received.values()) == 1, "somebody got the weekly report twice"
    assert counts["uncertain"] <= 1  # one SMTP connection: one message in flight
    assert counts["sent"] >= len(people) - 1
    assert sum(received.values()) >= counts["sent"]


class _Deferred:
    """The queue as the enrich job sees it: what it deferred."""

    def __init__(self) -> None:
        self.jobs: list[str] = []

    async def defer(self, job: str, args: object = None) -> bool:
        self.jobs.append(job)
        return True


def test_an_enrich_pass_that_enriched_something_queues_the_alerts_job(
    queue_url: str, queue_store: SqlStore, tmp_path: Path
) -> None:
    """So a new article reaches alerts at once, not at the next 10 s defer."""
    queue_store.save_article(
        Article(
            source_id=None,
            url="https://wire.example/fresh",
            canonical_url="https://wire.example/fresh",
            title="JOGMEC opens a Windhoek office",
            text="JOGMEC opens a Windhoek office. It will look for rare earths in Namibia.",
            content_hash="hash-fresh",
        )
    )
    settings = Settings(database_url=queue_url, data_dir=tmp_path, embeddings="off")
    deferred = _Deferred()
    context = WorkerContext(
        settings, queue_store, cast(Any, deferred), cast(Any, None), "test", threading.Event()
    )
    asyncio.run(enrich(context, {}))
    assert deferred.jobs == [DELIVER_ALERTS]
    asyncio.run(enrich(context, {}))  # nothing left to enrich: nothing new for alerts
    assert deferred.jobs == [DELIVER_ALERTS]
