"""DigestRun against a real store (SQLite and PostgreSQL) and a real SMTP server (aiosmtpd):
exactly once, 4xx back-off, 5xx suppression, headers, hostile titles, crash leftovers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from digest_world import (
    BASE_URL,
    MAIL_FROM,
    SECRET,
    SECTOR_NAMES,
    add_story,
    add_subscribers,
    reader,
)

from newsdesk.deliver.digest import DigestOptions, DigestRun
from newsdesk.deliver.links import UNSUBSCRIBE_PURPOSE, LinkClaim, read_subscriber_token
from newsdesk.domain.signing import SigningKeys
from newsdesk.domain.subscribers import OutboxStatus, Subscriber, SubscriberStatus
from newsdesk.mail.smtp import SmtpOptions, SmtpSender
from newsdesk.store import SqlStore
from smtp_sink import SmtpSink

DAY = date(2026, 3, 2)
SEND_AT = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 07:00 UTC, the default delivery time
STORY_AT = SEND_AT - timedelta(hours=5)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def options(**changes: Any) -> DigestOptions:
    base = DigestOptions(
        base_url=BASE_URL,
        signing=SigningKeys(SECRET),
        site_name="Insights",
        mail_from=MAIL_FROM,
        sector_names=SECTOR_NAMES,
    )
    return replace(base, **changes)


def digest_run(store: Any, sink: SmtpSink, clock: Clock | None = None, **changes: Any) -> DigestRun:
    smtp = SmtpOptions(host=sink.host, port=sink.port, timeout=5)
    return DigestRun(
        store,
        options(**changes),
        lambda: SmtpSender(smtp),
        clock=clock or Clock(SEND_AT + timedelta(minutes=30)),
    )


@pytest.fixture
def world(store: SqlStore) -> list[Subscriber]:
    add_story(
        store,
        title="Japan, Namibia sign rare earths deal",
        at=STORY_AT,
        sources=3,
        summary="Japan and Namibia will explore for rare earths together. JOGMEC leads.",
        entities=[("org:jogmec", "JOGMEC")],
    )
    add_story(store, title="Lithium prices slide", at=STORY_AT + timedelta(hours=1))
    add_story(store, title="Refinery outage", at=STORY_AT, sectors=("energy",))
    return add_subscribers(
        store,
        [
            reader("ada@readers.example", ["mining"]),
            reader("bob@readers.example", ["power"], entities=["org:jogmec"]),
            reader("cyd@readers.example", ["power"]),  # nothing in power today
        ],
    )


def test_each_subscriber_gets_one_digest_and_a_second_run_sends_nothing(
    store: SqlStore, smtp_sink: SmtpSink, world: list[Subscriber]
) -> None:
    report = digest_run(store, smtp_sink).send_date(DAY)
    assert (report.sent, report.nothing_to_send, report.skipped) == (2, 1, 0)
    received = smtp_sink.wait_for(2)
    assert sorted(m.rcpt_tos for m in received) == [
        ("ada@readers.example",),
        ("bob@readers.example",),
    ]
    ada = smtp_sink.messages_to("ada@readers.example")[0].message
    assert ada["Subject"] == "Top Insights Today: Japan, Namibia sign rare earths deal and 1 more"
    bob = smtp_sink.messages_to("bob@readers.example")[0].message
    assert bob["Subject"] == "Top Insights Today: Japan, Namibia sign rare earths deal"
    bob_text = bob.get_body(preferencelist=("plain",))
    assert bob_text is not None and "Mentions JOGMEC, which you follow" in bob_text.get_content()

    again = digest_run(store, smtp_sink).send_date(DAY)
    assert (again.sent, again.skipped, again.deferred, again.failed) == (0, 3, 0, 0)
    assert len(smtp_sink.messages) == 2
    entries = store.outbox_entries(DAY)
    assert sorted(e.status for e in entries.values()) == sorted(
        [OutboxStatus.SENT, OutboxStatus.SENT, OutboxStatus.SKIPPED]
    )


def test_headers_one_click_unsubscribe_and_ledger_message_id(
    store: SqlStore, smtp_sink: SmtpSink, world: list[Subscriber]
) -> None:
    digest_run(store, smtp_sink).send_date(DAY)
    ada = world[0]
    message = smtp_sink.wait_for(2) and smtp_sink.messages_to(ada.email)[0].message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_url, mailto = [
        part.strip().strip("<>") for part in str(message["List-Unsubscribe"]).split(",")
    ]
    assert https_url.startswith(f"{BASE_URL}/unsubscribe?token=")
    assert mailto.startswith("mailto:insights@news.example?subject=unsubscribe%20")
    token = https_url.split("token=", 1)[1]
    stored = store.get_subscriber(ada.id or 0)
    assert stored is not None
    claim = read_subscriber_token(SECRET, UNSUBSCRIBE_PURPOSE, token)
    assert claim == LinkClaim(ada.id or 0, stored.token_version)  # the current link
    assert message["Date"] and message["Message-ID"]
    assert message.get_body(preferencelist=("plain",)) is not None
    html = message.get_body(preferencelist=("html",))
    assert html is not None and https_url in html.get_content()
    entry = store.outbox_entries(DAY)[ada.id or 0]
    assert entry.message_id == message["Message-ID"]
    assert entry.sent_at is not None and entry.attempts == 1


def test_hostile_story_title_cannot_inject_headers(store: SqlStore, smtp_sink: SmtpSink) -> None:
    add_story(
        store,
        title="Deal\r\nBcc: victim@evil.example\r\nX-Injected: yes =?utf-8?q?=0D=0AX-Two:_1?=",
        at=STORY_AT,
        sources=5,
    )
    (person,) = add_subscribers(store, [reader("ada@readers.example")])
    assert digest_run(store, smtp_sink).send_date(DAY).sent == 1
    (received,) = smtp_sink.wait_for(1)
    assert received.rcpt_tos == ("ada@readers.example",)
    headers = {name.lower() for name in received.message}
    assert not headers & {"bcc", "x-injected", "x-two"}
    header_block = received.data.split(b"\r\n\r\n", 1)[0]
    subject_lines = [line for line in header_block.split(b"\r\n") if b"Injected" in line]
    assert all(line.startswith((b"Subject:", b" ", b"\t")) for line in subject_lines)
    assert "\n" not in str(received.message["Subject"])
    del person


def test_4xx_is_deferred_with_back_off_then_retried(store: SqlStore, smtp_sink: SmtpSink) -> None:
    add_story(store, title="Lithium prices slide", at=STORY_AT)
    (person,) = add_subscribers(store, [reader("ada@readers.example")])
    smtp_sink.answer_data_with("451 4.3.0 try again later")
    clock = Clock(SEND_AT)
    report = digest_run(store, smtp_sink, clock).send_date(DAY)
    assert (report.sent, report.deferred) == (0, 1)
    entry = store.outbox_entries(DAY)[person.id or 0]
    assert entry.status is OutboxStatus.DEFERRED
    assert entry.next_attempt_at == SEND_AT + timedelta(seconds=300)
    assert entry.error is not None and entry.error.startswith("451")

    clock.now = SEND_AT + timedelta(seconds=200)  # not due yet: nothing happens
    report = digest_run(store, smtp_sink, clock).send_date(DAY)
    assert (report.sent, report.deferred) == (0, 1)
    assert smtp_sink.messages == []

    clock.now = SEND_AT + timedelta(seconds=301)
    report = digest_run(store, smtp_sink, clock).send_date(DAY)
    assert (report.sent, report.deferred) == (1, 0)
    assert len(smtp_sink.wait_for(1)) == 1
    entry = store.outbox_entries(DAY)[person.id or 0]
    assert (entry.status, entry.attempts) == (OutboxStatus.SENT, 2)


def test_4xx_until_the_next_digest_is_due_fails(store: SqlStore, smtp_sink: SmtpSink) -> None:
    add_story(store, title="Lithium prices slide", at=STORY_AT)
    (person,) = add_subscribers(store, [reader("ada@readers.example")])
    smtp_sink.answer_data_with("421 4.7.0 busy", times=10)
    clock = Clock(SEND_AT + timedelta(hours=1))  # next digest: 2026-03-03 07:00 UTC
    eight_hours = {"retry_first_seconds": 8 * 3600.0, "retry_max_seconds": 8 * 3600.0}
    statuses = []
    for _ in range(3):
        digest_run(store, smtp_sink, clock, **eight_hours).send_date(DAY)
        entry = store.outbox_entries(DAY)[person.id or 0]
        statuses.append(entry.status)
        clock.now += timedelta(hours=8)
    assert statuses == [OutboxStatus.DEFERRED, OutboxStatus.DEFERRED, OutboxStatus.FAILED]
    assert entry.error is not None and "gave up after 3 attempts" in entry.error
    assert smtp_sink.messages == []
    stored = store.get_subscriber(person.id or 0)
    assert stored is not None and stored.status is SubscriberStatus.ACTIVE  # 4xx: not a bounce


def test_5xx_fails_without_retry_and_suppresses_the_address(
    store: SqlStore, smtp_sink: SmtpSink
) -> None:
    add_story(store, title="Lithium prices slide", at=STORY_AT)
    people = add_subscribers(store, [reader("gone@readers.example"), reader("ada@readers.example")])
    smtp_sink.reject_recipient("gone@readers.example", "550 5.1.1 no such user")
    report = digest_run(store, smtp_sink).send_date(DAY)
    assert (report.sent, report.failed) == (1, 1)
    gone = store.get_subscriber(people[0].id or 0)
    assert gone is not None and gone.status is SubscriberStatus.SUPPRESSED
    assert gone.suppressed_reason is not None and "550" in gone.suppressed_reason
    assert store.outbox_entries(DAY)[people[0].id or 0].status is OutboxStatus.FAILED
    add_story(store, title="Copper rallies", at=SEND_AT + timedelta(hours=3))
    next_day = digest_run(store, smtp_sink, Clock(SEND_AT + timedelta(days=1))).send_date(
        DAY + timedelta(days=1)
    )
    assert (next_day.sent, next_day.failed) == (1, 0)
    smtp_sink.wait_for(2)
    assert [m.rcpt_tos for m in smtp_sink.messages] == [("ada@readers.example",)] * 2


class _StaleList:
    """The store, but the subscriber list is the one read before an unsubscribe."""

    def __init__(self, store: SqlStore, people: list[Subscriber]) -> None:
        self._store = store
        self._people = people

    def iter_deliverable_subscribers(self) -> Iterator[Subscriber]:
        return iter(self._people)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_an_unsubscribe_after_the_list_was_read_still_stops_the_send(
    store: SqlStore, smtp_sink: SmtpSink, world: list[Subscriber]
) -> None:
    ada = world[0]
    assert store.unsubscribe(ada.id or 0, at=SEND_AT, ip=None, form="one-click")
    report = digest_run(_StaleList(store, world), smtp_sink).send_date(DAY)
    assert report.sent == 1
    assert smtp_sink.messages_to(ada.email) == []
    assert store.outbox_entries(DAY)[ada.id or 0].status is OutboxStatus.SKIPPED


def test_a_send_left_in_flight_by_a_dead_worker_is_uncertain_and_never_resent(
    store: SqlStore, smtp_sink: SmtpSink, world: list[Subscriber]
) -> None:
    ada, bob, _ = world
    long_ago = SEND_AT - timedelta(hours=1)
    claimed = store.claim_digests(DAY, [ada.id or 0, bob.id or 0], long_ago)
    # ada's worker died after handing the message over; bob's before (still PENDING).
    assert store.start_digest_send(
        claimed[ada.id or 0].id or 0, message_id="<x@y>", subject="s", now=long_ago
    )
    report = digest_run(store, smtp_sink).send_date(DAY)
    assert (report.sent, report.uncertain, report.nothing_to_send) == (1, 1, 1)
    assert smtp_sink.messages_to(ada.email) == []
    assert len(smtp_sink.messages_to(bob.email)) == 1
    entry = store.outbox_entries(DAY)[ada.id or 0]
    assert entry.status is OutboxStatus.UNCERTAIN and entry.message_id == "<x@y>"
    assert digest_run(store, smtp_sink).send_date(DAY).uncertain == 1  # still recorded


def test_a_fresh_sending_row_is_left_to_its_live_worker(
    store: SqlStore, smtp_sink: SmtpSink, world: list[Subscriber]
) -> None:
    ada = world[0]
    now = SEND_AT + timedelta(minutes=30)
    entry = store.claim_digests(DAY, [ada.id or 0], now)[ada.id or 0]
    assert store.start_digest_send(entry.id or 0, message_id="<a@b>", subject="s", now=now)
    report = digest_run(store, smtp_sink, Clock(now + timedelta(seconds=5))).send_date(DAY)
    assert report.uncertain == 0 and report.skipped == 1
    assert store.outbox_entries(DAY)[ada.id or 0].status is OutboxStatus.SENDING


def test_two_runs_at_once_send_each_digest_once(store: SqlStore, smtp_sink: SmtpSink) -> None:
    add_story(store, title="Lithium prices slide", at=STORY_AT)
    people = add_subscribers(store, [reader(f"r{n}@readers.example") for n in range(40)])
    runs = [digest_run(store, smtp_sink, batch_size=7, workers=2) for _ in range(2)]
    reports: list[Any] = []
    threads = [threading.Thread(target=lambda r=r: reports.append(r.send_date(DAY))) for r in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in reports) == 40
    smtp_sink.wait_for(40)
    assert sorted(m.rcpt_tos[0] for m in smtp_sink.messages) == sorted(p.email for p in people)


def test_preview_renders_without_sending_and_none_when_nothing_matches(
    store: SqlStore, smtp_sink: SmtpSink, world: list[Subscriber]
) -> None:
    run = digest_run(store, smtp_sink)
    rendered = run.preview(world[0], DAY)
    assert rendered is not None and "Lithium prices slide" in rendered.html
    assert run.preview(world[2], DAY) is None
    assert smtp_sink.messages == [] and store.outbox_entries(DAY) == {}


def test_the_scheduler_sends_when_local_delivery_time_has_passed(
    store: SqlStore, smtp_sink: SmtpSink
) -> None:
    add_story(store, title="Lithium prices slide", at=SEND_AT - timedelta(hours=8))
    berlin, new_york = add_subscribers(
        store,
        [
            reader("berlin@readers.example", timezone="Europe/Berlin"),  # 07:00 = 06:00Z
            reader("ny@readers.example", timezone="America/New_York"),  # 07:00 = 12:00Z
        ],
    )
    clock = Clock(datetime(2026, 3, 2, 5, 59, tzinfo=UTC))
    run = digest_run(store, smtp_sink, clock)
    assert run.send_due().sent == 0
    clock.now = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert run.send_due().sent == 1
    assert run.send_due().sent == 0  # the next minute: already sent
    clock.now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    report = run.send_due()
    assert (report.sent, report.skipped) == (1, 1)
    smtp_sink.wait_for(2)
    assert [m.rcpt_tos[0] for m in smtp_sink.messages] == [berlin.email, new_york.email]


def test_an_unusable_address_fails_alone(store: SqlStore, smtp_sink: SmtpSink) -> None:
    add_story(store, title="Lithium prices slide", at=STORY_AT)
    broken, fine = add_subscribers(store, [reader("not-an-address"), reader("ada@readers.example")])
    report = digest_run(store, smtp_sink).send_date(DAY)
    assert (report.sent, report.failed) == (1, 1)
    entry = store.outbox_entries(DAY)[broken.id or 0]
    assert entry.status is OutboxStatus.SKIPPED
    assert entry.error is not None and entry.error.startswith("unusable")
    assert [m.rcpt_tos for m in smtp_sink.wait_for(1)] == [(fine.email,)]


class _StallingList:
    """The store, but the subscriber list stalls after the first subscriber until released."""

    def __init__(self, store: SqlStore, people: list[Subscriber]) -> None:
        self._store = store
        self._people = people
        self.release = threading.Event()

    def iter_deliverable_subscribers(self) -> Iterator[Subscriber]:
        yield self._people[0]
        assert self.release.wait(30)
        yield from self._people[1:]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_an_accepted_message_is_recorded_sent_while_the_next_job_is_still_coming(
    store: SqlStore, smtp_sink: SmtpSink, world: list[Subscriber]
) -> None:
    ada = world[0]
    stalling = _StallingList(store, world)
    run = digest_run(stalling, smtp_sink, batch_size=1)
    outcome: list[Any] = []
    runner = threading.Thread(target=lambda: outcome.append(run.send_date(DAY)))
    runner.start()
    try:
        smtp_sink.wait_for(1)
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        status = None
        while datetime.now(UTC) < deadline:
            status = store.outbox_entries(DAY)[ada.id or 0].status
            if status is OutboxStatus.SENT:
                break
            time.sleep(0.01)
        assert status is OutboxStatus.SENT  # not left SENDING until the list moves on
        assert runner.is_alive()
    finally:
        stalling.release.set()
        runner.join(30)
    assert outcome[0].sent == 2
