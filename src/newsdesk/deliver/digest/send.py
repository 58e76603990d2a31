"""DigestRun: claim, render and send each subscriber's digest for a date exactly once.

The outbox row (unique per subscriber and date) is the ledger. A row goes PENDING (claimed,
nothing handed to SMTP) → SENDING (compare-and-set just before the SMTP transaction) → SENT,
DEFERRED (4xx: retried with back-off until the next digest is due, then FAILED), FAILED (5xx:
the address is suppressed) or SKIPPED (nothing to send). A worker killed between SENDING and
the outcome leaves a SENDING row; the next run marks it UNCERTAIN and never re-sends it.
Rows left PENDING by a killed worker were never handed over and are sent by the next run.

Each sending thread has one SMTP connection and one ledger connection, and at most one row
SENDING: it records "SENT i" and "SENDING i+1" in one transaction (or "SENT i" alone when no
next job comes within IDLE_RECORD_SECONDS), so a kill -9 leaves at most one uncertain row per
thread, as before, at one ledger transaction per message instead of two.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Protocol

from newsdesk.deliver.digest.render import DigestRenderer, RenderedDigest, RenderOptions
from newsdesk.deliver.digest.schedule import (
    digest_window,
    due_subscribers,
    next_digest_instant,
    parse_delivery_time,
    send_instant,
)
from newsdesk.deliver.digest.selection import (
    CandidateStory,
    DayIndex,
    Interests,
    prominence,
    select_items,
)
from newsdesk.deliver.links import SubscriberLinks, links_for
from newsdesk.deliver.ports import (
    AnonymousRecipients,
    DigestLedger,
    DigestStore,
    RecipientViewers,
)
from newsdesk.domain.access import (
    DEFAULT_POLICY,
    AccessPolicy,
    ReadScope,
    Visibility,
    read_scope,
)
from newsdesk.domain.models import utcnow
from newsdesk.domain.signing import SigningKeys
from newsdesk.domain.subscribers import OutboxEntry, OutboxStatus, Subscriber
from newsdesk.formats.mail import WireMessage, WireMessageBuilder
from newsdesk.mail.smtp import SendOutcome, SendResult

log = logging.getLogger(__name__)

# Send instants for one date span UTC-12 … UTC+14, so the union of every subscriber's 24 h
# window for date D lies within [D 00:00 UTC - 48 h, D 00:00 UTC + 38 h).
CANDIDATE_SPAN = (timedelta(hours=-48), timedelta(hours=38))
# A worker records an accepted message as SENT together with its next SENDING step; with no
# next job within this many seconds it records the SENT alone, so rows never linger SENDING.
IDLE_RECORD_SECONDS = 0.05


class MessageSender(Protocol):
    def send(self, message: WireMessage) -> SendResult: ...


SenderFactory = Callable[[], AbstractContextManager[MessageSender]]


@dataclass(frozen=True)
class DigestOptions:
    base_url: str
    signing: SigningKeys
    site_name: str
    mail_from: str
    sector_names: Mapping[str, str] = field(default_factory=dict)
    max_stories: int = 5
    default_time: str = "07:00"
    workers: int = 1  # SMTP connections, one sending thread each
    send_rate: float = 0.0  # messages per second across workers; 0 = as fast as SMTP takes them
    batch_size: int = 500
    stale_sending_seconds: float = 300.0  # a SENDING row older than this lost its worker
    retry_first_seconds: float = 300.0
    retry_max_seconds: float = 2 * 3600.0
    policy: AccessPolicy = DEFAULT_POLICY  # each recipient gets what their plan may read


@dataclass
class DigestReport:
    sent: int = 0
    skipped: int = 0  # already handled for the date (sent, failed, given up) or left the list
    nothing_to_send: int = 0  # no stories in the subscriber's sectors: no email
    deferred: int = 0  # 4xx or waiting for the next retry
    failed: int = 0
    uncertain: int = 0  # a worker died mid-send; never re-sent automatically
    stopped: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, name: str, count: int = 1) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + count)

    def as_dict(self) -> dict[str, int | bool]:
        return {
            "sent": self.sent,
            "skipped": self.skipped,
            "nothing_to_send": self.nothing_to_send,
            "deferred": self.deferred,
            "failed": self.failed,
            "uncertain": self.uncertain,
            "stopped": self.stopped,
        }

    def line(self) -> str:
        text = ", ".join(
            f"{k.replace('_', ' ')} {v}" for k, v in self.as_dict().items() if k != "stopped"
        )
        return text + (" (stopped early)" if self.stopped else "")


@dataclass(frozen=True, slots=True)
class _Job:
    entry: OutboxEntry
    subscriber: Subscriber
    message: WireMessage
    subject: str


class DigestRun:
    """Sends digests through a store and SMTP senders; stop() finishes messages in flight."""

    def __init__(
        self,
        store: DigestStore,
        options: DigestOptions,
        sender_factory: SenderFactory,
        *,
        clock: Callable[[], datetime] = utcnow,
        stop_event: threading.Event | None = None,
        recipients: RecipientViewers | None = None,
    ) -> None:
        self._store = store
        self._recipients = recipients or AnonymousRecipients()
        self._options = options
        self._sender_factory = sender_factory
        self._clock = clock
        self._stop = stop_event or threading.Event()
        self._default_time = parse_delivery_time(options.default_time)
        # per date and per what a recipient may read (at most three kinds of reader)
        self._days: dict[tuple[date, frozenset[Visibility]], tuple[DayIndex, DigestRenderer]] = {}
        self._pace_lock = threading.Lock()
        self._next_slot = 0.0
        self._builder: WireMessageBuilder | None = None

    def stop(self) -> None:
        self._stop.set()

    # --- what to send -------------------------------------------------------------------

    def send_date(self, day: date) -> DigestReport:
        """Every deliverable subscriber's digest for day not handled yet, whatever the hour."""
        subscribers = self._store.iter_deliverable_subscribers()
        return self._run((subscriber, day) for subscriber in subscribers)

    def send_due(self) -> DigestReport:
        """Subscribers whose local delivery time has passed today (the minute scheduler)."""
        now = self._clock()
        pairs = due_subscribers(
            self._store.iter_deliverable_subscribers(), now, default=self._default_time
        )
        return self._run(pairs)

    def preview(self, subscriber: Subscriber, day: date) -> RenderedDigest | None:
        """The digest subscriber would get for day (None: nothing to send); sends nothing."""
        prepared = self._prepare(subscriber, day)
        return None if prepared is None else prepared[0]

    # --- the run ------------------------------------------------------------------------

    def _run(self, pairs: Iterable[tuple[Subscriber, date]]) -> DigestReport:
        report = DigestReport()
        self._days.clear()  # stories arrive between runs: each run reads the day afresh
        now = self._clock()
        older_than = now - timedelta(seconds=self._options.stale_sending_seconds)
        recovered = self._store.mark_stale_sending_uncertain(older_than=older_than, now=now)
        if recovered:
            log.warning("digest sends left uncertain by a stopped worker: %d", recovered)
        jobs: queue.Queue[_Job | None] = queue.Queue(maxsize=max(4, 4 * self._options.workers))
        errors: list[BaseException] = []
        workers = [
            threading.Thread(
                target=self._worker, args=(jobs, report, errors), name=f"digest-smtp-{n}"
            )
            for n in range(max(1, self._options.workers))
        ]
        for worker in workers:
            worker.start()
        try:
            for day, batch in _batches_by_date(pairs, self._options.batch_size):
                if self._stop.is_set() or errors:
                    break
                for job in self._jobs_for(day, batch, report):
                    while not self._stop.is_set() and not errors:
                        try:
                            jobs.put(job, timeout=0.2)
                            break
                        except queue.Full:
                            continue
                    if self._stop.is_set() or errors:
                        break
        finally:
            for _ in workers:
                jobs.put(None)
            for worker in workers:
                worker.join()
        report.stopped = self._stop.is_set()
        if errors:
            raise errors[0]
        return report

    def _jobs_for(self, day: date, batch: list[Subscriber], report: DigestReport) -> Iterator[_Job]:
        now = self._clock()
        ids = [s.id for s in batch if s.id is not None]
        entries = self._store.outbox_entries(day, ids)
        missing = [i for i in ids if i not in entries]
        if missing:
            entries.update(self._store.claim_digests(day, missing, now))
        empty: list[int] = []
        for subscriber in batch:
            entry = entries.get(subscriber.id or -1)
            if entry is None or entry.id is None:
                continue
            if not _claimable(entry, now, report):
                continue
            prepared = self._prepare(subscriber, day)
            if prepared is None:
                empty.append(entry.id)
                continue
            rendered, links = prepared
            if self._builder is None:  # a bad From address is a configuration error: raises
                self._builder = WireMessageBuilder(self._options.mail_from)
            try:
                message = self._builder.build(
                    recipient=subscriber.email,
                    subject=rendered.subject,
                    text=rendered.text,
                    html=rendered.html,
                    headers=links.list_unsubscribe_headers(),
                )
            except ValueError as error:  # an address no SMTP server would take
                self._store.skip_digests([entry.id], reason=f"unusable: {error}", now=now)
                report.add("failed")
                continue
            yield _Job(entry, subscriber, message, rendered.subject)
        if empty:
            self._store.skip_digests(empty, reason="nothing to send", now=self._clock())
            report.add("nothing_to_send", len(empty))

    def _prepare(
        self, subscriber: Subscriber, day: date
    ) -> tuple[RenderedDigest, SubscriberLinks] | None:
        viewer = self._recipients.viewer_for(subscriber, self._clock())
        scope = read_scope(viewer, self._clock(), self._options.policy)
        index, renderer = self._day(day, scope)
        send_at = send_instant(
            day, subscriber.delivery_time, subscriber.timezone, default=self._default_time
        )
        items = select_items(
            index,
            Interests(subscriber.sectors, subscriber.entities),
            max_stories=self._options.max_stories,
            window=digest_window(send_at),
        )
        if items is None or subscriber.id is None:
            return None
        links = links_for(  # at the current token version: older links stop working
            self._options.base_url,
            self._options.signing,
            subscriber.id,
            self._options.mail_from,
            version=subscriber.token_version,
        )
        rendered = renderer.render(
            items, day=day, preferences_url=links.preferences, unsubscribe_url=links.unsubscribe
        )
        return rendered, links

    def _day(self, day: date, scope: ReadScope) -> tuple[DayIndex, DigestRenderer]:
        """The day's stories as readers with this scope may read them, indexed and with
        their rendered blocks cached for every such recipient."""
        cached = self._days.get((day, scope.full))
        if cached is None:
            midnight = datetime.combine(day, clock_time(0), tzinfo=UTC)
            rows = self._store.digest_candidates(
                midnight + CANDIDATE_SPAN[0], midnight + CANDIDATE_SPAN[1], scope=scope
            )
            candidates = [
                CandidateStory(
                    story_id=row.story_id,
                    title=row.title,
                    summary=row.summary,
                    sectors=row.sectors,
                    source_count=row.source_count,
                    entity_ids=frozenset(entity_id for entity_id, _ in row.entities),
                    lead_url=row.lead_url,
                    score=prominence(row.source_count, row.article_count, row.best_sector_score),
                    last_seen_at=row.last_seen_at,
                )
                for row in rows
            ]
            names = {entity_id: name for row in rows for entity_id, name in row.entities}
            index = DayIndex.build(
                candidates, sector_names=self._options.sector_names, entity_names=names
            )
            renderer = DigestRenderer(
                RenderOptions(
                    base_url=self._options.base_url,
                    site_name=self._options.site_name,
                    sector_names=dict(self._options.sector_names),
                )
            )
            if len(self._days) > 9:  # a couple of dates × three scopes; keep memory flat
                self._days.clear()
            cached = self._days[(day, scope.full)] = (index, renderer)
        return cached

    # --- sending ------------------------------------------------------------------------

    def _worker(
        self, jobs: queue.Queue[_Job | None], report: DigestReport, errors: list[BaseException]
    ) -> None:
        accepted: int | None = None  # SMTP took it; recorded SENT with the next ledger step
        try:
            with self._sender_factory() as sender, self._store.digest_ledger() as ledger:
                while True:
                    try:
                        job = jobs.get(timeout=IDLE_RECORD_SECONDS)
                    except queue.Empty:
                        self._record_sent(ledger, accepted, report)
                        accepted = None
                        continue
                    if job is None:
                        break
                    if self._stop.is_set() or errors:
                        continue  # left PENDING: never handed over, the next run sends it
                    if self._options.send_rate > 0:  # no SENT row waits out a pause
                        self._record_sent(ledger, accepted, report)
                        accepted = None
                        self._pace()
                    accepted = self._send_one(sender, ledger, job, report, accepted)
                self._record_sent(ledger, accepted, report)
        except BaseException as error:  # surfaced by _run in the caller's thread
            errors.append(error)
            while jobs.get() is not None:
                pass

    def _pace(self) -> None:
        rate = self._options.send_rate
        if rate <= 0:
            return
        with self._pace_lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + 1.0 / rate
        if slot > now:
            time.sleep(slot - now)

    def _record_sent(
        self, ledger: DigestLedger, accepted: int | None, report: DigestReport
    ) -> None:
        if accepted is not None:
            ledger.advance(sent_id=accepted, start_id=None, now=self._clock())
            report.add("sent")

    def _send_one(
        self,
        sender: MessageSender,
        ledger: DigestLedger,
        job: _Job,
        report: DigestReport,
        accepted: int | None,
    ) -> int | None:
        """Sends job; returns its row id when SMTP accepted it and SENT is not recorded yet."""
        entry_id = job.entry.id
        assert entry_id is not None
        started = ledger.advance(
            sent_id=accepted,
            start_id=entry_id,
            message_id=job.message.message_id,
            subject=job.subject,
            now=self._clock(),
        )
        if accepted is not None:
            report.add("sent")
        if not started:
            # Another worker took it, or the subscriber left since the batch was read.
            self._store.skip_digests([entry_id], reason="no longer subscribed", now=self._clock())
            report.add("skipped")
            return None
        result = sender.send(job.message)
        now = self._clock()
        if result.outcome is SendOutcome.SENT:
            return entry_id
        if result.outcome is SendOutcome.REJECTED:
            detail = f"{result.code} {result.detail}".strip()
            self._store.finish_digest_send(entry_id, OutboxStatus.FAILED, now=now, error=detail)
            if job.subscriber.id is not None:
                self._store.suppress_subscriber(job.subscriber.id, f"hard bounce: {detail}")
            report.add("failed")
        else:
            self._defer(job, result, now, report)
        return None

    def _defer(self, job: _Job, result: SendResult, now: datetime, report: DigestReport) -> None:
        entry_id = job.entry.id
        assert entry_id is not None
        attempts = job.entry.attempts + 1
        delay = min(
            self._options.retry_first_seconds * 2 ** (attempts - 1), self._options.retry_max_seconds
        )
        retry_at = now + timedelta(seconds=delay)
        give_up_at = next_digest_instant(
            job.subscriber, job.entry.digest_date, default=self._default_time
        )
        detail = f"{result.code or ''} {result.detail}".strip()
        if retry_at >= give_up_at:
            error = f"gave up after {attempts} attempts (next digest due): {detail}"
            self._store.finish_digest_send(entry_id, OutboxStatus.FAILED, now=now, error=error)
            report.add("failed")
            return
        self._store.finish_digest_send(
            entry_id, OutboxStatus.DEFERRED, now=now, error=detail, next_attempt_at=retry_at
        )
        report.add("deferred")


def _claimable(entry: OutboxEntry, now: datetime, report: DigestReport) -> bool:
    """Whether this run may send the row; counts the ones it leaves alone."""
    if entry.status is OutboxStatus.PENDING:
        return True
    if entry.status is OutboxStatus.DEFERRED:
        if entry.next_attempt_at is None or entry.next_attempt_at <= now:
            return True
        report.add("deferred")
    elif entry.status is OutboxStatus.UNCERTAIN:
        report.add("uncertain")
    else:
        report.add("skipped")
    return False


def _batches_by_date(
    pairs: Iterable[tuple[Subscriber, date]], size: int
) -> Iterator[tuple[date, list[Subscriber]]]:
    """Groups of at most size subscribers sharing a digest date (memory stays flat)."""
    pending: dict[date, list[Subscriber]] = {}
    for subscriber, day in pairs:
        batch = pending.setdefault(day, [])
        batch.append(subscriber)
        if len(batch) >= size:
            yield day, pending.pop(day)
    for day, batch in pending.items():
        yield day, batch
