"""The long-running and one-shot services: the store, enrichment, digests, `newsdesk run`."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from newsdesk.bootstrap.app import build_site, uvicorn_config
from newsdesk.bootstrap.checks import check_start
from newsdesk.bootstrap.options import (
    digest_options,
    enrich_options,
    ingest_options,
    site_sectors,
    smtp_options,
)
from newsdesk.config import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date
    from threading import Event

    from newsdesk.deliver.digest import DigestReport, DigestRun
    from newsdesk.domain.ports import Store
    from newsdesk.pipeline.enrich import EnrichSummary
    from newsdesk.store import SqlStore

SERVICE_DIGEST_TICK_SECONDS = 60.0
SERVICE_INGEST_TICK_SECONDS = 30.0
SERVICE_ALERTS_TICK_SECONDS = 10.0
SERVICE_RETENTION_TICK_SECONDS = 600.0  # prunes once per UTC day (periodic_runs)
SERVICE_RETENTION_CATCH_UP_SECONDS = 30.0  # after a run that stopped at its per-run limit


def open_store(settings: Settings, *, migrate: bool = True, existing: bool = False) -> SqlStore:
    """The configured store. ``existing``: for commands that only read, a SQLite file that is
    not there is an error rather than an empty database created for them."""
    from newsdesk.domain import NewsdeskError
    from newsdesk.store import open_store as _open
    from newsdesk.store import sqlite_file

    if existing:
        path = sqlite_file(settings.store.sqlalchemy_url)
        if path is not None and not path.exists():
            where = (
                "NEWSDESK_DATA_DIR at your instance's data directory"
                if settings.store.database_url is None
                else "NEWSDESK_DATABASE_URL at your instance's database"
            )
            raise NewsdeskError(
                f"no database at {path}: run `newsdesk init` first, or point {where}"
            )
    elif settings.store.database_url is None:
        make_data_dir(settings)
    return _open(settings.store.sqlalchemy_url, migrate=migrate)


def upgrade_database(settings: Settings) -> None:
    from newsdesk.store import upgrade

    if settings.store.database_url is None:
        make_data_dir(settings)
    upgrade(settings.store.sqlalchemy_url)


def make_data_dir(settings: Settings) -> None:
    """The data directory, created if missing; a file in its place is a clear error."""
    from newsdesk.domain import NewsdeskError

    data_dir = settings.store.data_dir
    if data_dir.exists() and not data_dir.is_dir():
        raise NewsdeskError(
            f"NEWSDESK_DATA_DIR {data_dir} is a file, not a directory: point it at your "
            "instance's data directory"
        )
    data_dir.mkdir(parents=True, exist_ok=True)


def enrich_articles(store: Store, settings: Settings, article_ids: list[int]) -> EnrichSummary:
    """Enrich the given articles and any left pending (new version, or a crash mid-way)."""
    from newsdesk.pipeline.enrich import Enricher

    enricher = Enricher(store, enrich_options(settings))
    return enricher.run(sorted(set(article_ids) | set(enricher.pending())))


def digest_run(
    settings: Settings, store: SqlStore, *, stop_event: Event | None = None
) -> DigestRun:
    """A DigestRun over the store, sending through SMTP connections from settings; each
    recipient reads what the member with the same address may read."""
    from newsdesk.deliver.digest import DigestRun
    from newsdesk.mail.outgoing import open_sender
    from newsdesk.members.viewer import MemberRecipients

    options = smtp_options(settings)
    return DigestRun(
        store,
        digest_options(settings, site_sectors(settings)),
        lambda: open_sender(options),
        stop_event=stop_event,
        recipients=MemberRecipients(store),
    )


def run_digest(
    settings: Settings, store: SqlStore, *, day: date, stop_event: Event | None = None
) -> DigestReport:
    """Send every digest for day not handled yet (`newsdesk digest send`)."""
    return digest_run(settings, store, stop_event=stop_event).send_date(day)


def run_service(settings: Settings, store: SqlStore, *, host: str, port: int) -> None:
    """`newsdesk run`: the web server, the ingestion schedule, the digest schedule, the
    alerts (percolation right after each enrichment pass, and deliveries every few seconds)
    and the daily retention prune.

    SIGTERM or SIGINT stops accepting work: the server closes, the digest sender finishes
    the message in flight and the call returns (ingestion stops between articles).
    """
    import threading

    check_start(settings)
    stop = threading.Event()
    server = _service_server(
        uvicorn_config(build_site(settings, store), host=host, port=port), stop
    )
    digests = threading.Thread(
        target=_digest_schedule, args=(settings, store, stop), name="digest-schedule"
    )
    # Ingestion commits at least every half second (what is uncommitted is fetched again next
    # run), so it may die with the process.
    ingestion = threading.Thread(
        target=_ingest_schedule, args=(settings, store, stop), name="ingest", daemon=True
    )
    alerts = threading.Thread(
        target=_alerts_schedule, args=(settings, store, stop), name="alerts-schedule"
    )
    # Each batch of deletes is its own transaction, so the prune may die with the process.
    retention = threading.Thread(
        target=_retention_schedule, args=(settings, store, stop), name="retention", daemon=True
    )
    digests.start()
    ingestion.start()
    alerts.start()
    retention.start()
    try:
        server.run()
    finally:
        stop.set()
        digests.join()
        alerts.join()


def _alerts_pass(settings: Settings, store: SqlStore, log: logging.Logger, stop: Event) -> None:
    from newsdesk.bootstrap.alerts import AlertsUnavailableError, run_alerts

    try:
        result = run_alerts(settings, store, stop_event=stop)
    except AlertsUnavailableError:
        return
    if result.busy():
        log.info("alerts: %s", result.line())


def _alerts_schedule(settings: Settings, store: SqlStore, stop: Event) -> None:
    """Webhook retries, hourly emails and anything enriched elsewhere (a worker, the CLI);
    and the report emails of the week reports.mailing.due_week names (last week from Monday
    06:00 UTC on), as the workers' send_reports job: a process that was down on Monday mails
    the week when it is back (the outbox sends each once). A set stop ends a pass after the
    message in flight."""
    from newsdesk.bootstrap.alerts import AlertsUnavailableError, send_reports
    from newsdesk.domain.models import utcnow
    from newsdesk.reports.mailing import due_week

    log = logging.getLogger("newsdesk.run.alerts")
    mailed = ""  # the week this process finished mailing (the outbox holds the truth)
    while not stop.is_set():
        try:
            _alerts_pass(settings, store, log, stop)
            week = due_week(utcnow())
            if mailed != week and not stop.is_set():
                sent = send_reports(settings, store, week=week, stop_event=stop)
                mailed = week
                if sent.sent or sent.failed:
                    log.info("%s", sent.line())
        except AlertsUnavailableError:
            pass
        except Exception:
            log.exception("alerts pass failed")
        stop.wait(SERVICE_ALERTS_TICK_SECONDS)


def _digest_schedule(settings: Settings, store: SqlStore, stop: Event) -> None:
    log = logging.getLogger("newsdesk.run.digest")
    run = digest_run(settings, store, stop_event=stop)
    while not stop.is_set():
        started = time.monotonic()
        try:
            report = run.send_due()
            if report.sent or report.deferred or report.failed:
                log.info("digests: %s", report.line())
        except Exception:
            log.exception("digest schedule pass failed")
        stop.wait(max(1.0, SERVICE_DIGEST_TICK_SECONDS - (time.monotonic() - started)))


def _ingest_schedule(settings: Settings, store: SqlStore, stop: Event) -> None:
    import asyncio

    from newsdesk.pipeline.ingest import IngestRunner

    log = logging.getLogger("newsdesk.run.ingest")
    options = ingest_options(settings)
    while not stop.is_set():
        try:
            summary = asyncio.run(IngestRunner(store, options).run())
            if not stop.is_set():
                enrich_articles(store, settings, summary.changed_ids)
                if summary.changed_ids:
                    _alerts_pass(settings, store, log, stop)  # new articles reach alerts at once
        except Exception:
            log.exception("ingestion pass failed")
        stop.wait(SERVICE_INGEST_TICK_SECONDS)


def _retention_schedule(settings: Settings, store: SqlStore, stop: Event) -> None:
    """The retention prune, once per UTC day (the first pass of a day claims it); a run that
    stopped at its per-run limit is continued a catch-up interval later."""
    from newsdesk.bootstrap.retention import prune_daily

    log = logging.getLogger("newsdesk.run.retention")
    while not stop.is_set():
        partial = False
        try:
            run = prune_daily(settings, store)
            partial = run is not None and run.partial
        except Exception:
            log.exception("retention prune failed")
        stop.wait(SERVICE_RETENTION_CATCH_UP_SECONDS if partial else SERVICE_RETENTION_TICK_SECONDS)


def _service_server(config: Any, stop: Event) -> Any:
    """uvicorn that also stops the schedules on SIGTERM/SIGINT, then returns normally (plain
    uvicorn re-raises the signal after its shutdown, which would end the process with it)."""
    import signal
    import threading
    from contextlib import contextmanager

    import uvicorn

    class ServiceServer(uvicorn.Server):
        @contextmanager
        def capture_signals(self) -> Iterator[None]:
            if threading.current_thread() is not threading.main_thread():
                yield
                return

            def handle(signum: int, frame: Any) -> None:
                stop.set()
                self.handle_exit(signum, frame)

            handled = (signal.SIGINT, signal.SIGTERM)
            original = {signum: signal.signal(signum, handle) for signum in handled}
            try:
                yield
            finally:
                for signum, handler in original.items():
                    signal.signal(signum, handler)

    return ServiceServer(config)
