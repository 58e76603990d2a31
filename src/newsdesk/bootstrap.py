"""All wiring in one place: settings in, configured stages out. Plain functions, no globals."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk.config import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date
    from threading import Event

    from fastapi import FastAPI

    from newsdesk.dedup import DedupOptions
    from newsdesk.deliver.digest import DigestOptions, DigestReport, DigestRun
    from newsdesk.deliver.smtp import SmtpOptions
    from newsdesk.deliver.subscriptions import SubscribeOptions
    from newsdesk.domain.ports import Store
    from newsdesk.extract import ExtractOptions
    from newsdesk.fetch import FetchOptions
    from newsdesk.pipeline.enrich import EnrichOptions, EnrichSummary
    from newsdesk.pipeline.ingest import IngestOptions
    from newsdesk.publish.web import SiteOptions
    from newsdesk.sources import ParseOptions
    from newsdesk.store import SqlStore

SECRET_KEYS = ("password", "secret", "token", "authorization", "cookie", "database_url")


def _redact_event(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in list(event):
        if any(marker in key.lower() for marker in SECRET_KEYS):
            event[key] = "********"
    return event


def configure_logging(settings: Settings) -> None:
    """structlog on top of stdlib logging, to stderr; secrets are redacted by key name."""
    import structlog

    level = getattr(logging, settings.log_level)
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact_event,
    ]
    structlog.configure(
        processors=[*processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
            foreign_pre_chain=processors,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Third-party libraries are chatty at INFO; their warnings still come through.
    for noisy in ("httpx", "httpcore", "trafilatura", "htmldate", "readability", "alembic"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def open_store(settings: Settings, *, migrate: bool = True) -> SqlStore:
    from newsdesk.store import open_store as _open

    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return _open(settings.sqlalchemy_url, migrate=migrate)


def upgrade_database(settings: Settings) -> None:
    from newsdesk.store import upgrade

    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.sqlalchemy_url)


def fetch_options(settings: Settings) -> FetchOptions:
    from newsdesk.fetch import FetchOptions

    return FetchOptions(
        user_agent=settings.user_agent,
        timeout=settings.fetch_timeout,
        max_bytes=settings.fetch_max_bytes,
        max_redirects=settings.fetch_max_redirects,
        retries=settings.fetch_retries,
        host_delay=settings.fetch_host_delay,
        concurrency=settings.fetch_concurrency,
        allow_hosts=settings.allow_hosts,
        respect_robots=settings.fetch_respect_robots,
    )


def extract_options(settings: Settings) -> ExtractOptions:
    from newsdesk.extract import ExtractOptions

    del settings  # extraction has no operator-facing settings yet
    return ExtractOptions()


def parse_options(settings: Settings) -> ParseOptions:
    from newsdesk.sources import ParseOptions

    del settings
    return ParseOptions()


def dedup_options(settings: Settings) -> DedupOptions:
    from newsdesk.dedup import DedupOptions

    del settings
    return DedupOptions()


def ingest_options(settings: Settings) -> IngestOptions:
    from newsdesk.pipeline.ingest import IngestOptions

    return IngestOptions(
        fetch=fetch_options(settings),
        extract=extract_options(settings),
        parse=parse_options(settings),
        dedup=dedup_options(settings),
        default_interval=settings.source_default_interval,
        workers=settings.ingest_workers,
    )


def enrich_options(settings: Settings) -> EnrichOptions:
    from newsdesk.pipeline.enrich import EnrichOptions

    return EnrichOptions(
        taxonomy_path=settings.sector_taxonomy_path,
        model_dir=settings.sector_model_dir,
        embeddings=settings.embeddings,
    )


def enrich_articles(store: Store, settings: Settings, article_ids: list[int]) -> EnrichSummary:
    """Enrich the given articles and any left pending (new version, or a crash mid-way)."""
    from newsdesk.pipeline.enrich import Enricher

    enricher = Enricher(store, enrich_options(settings))
    return enricher.run(sorted(set(article_ids) | set(enricher.pending())))


def site_options(settings: Settings) -> SiteOptions:
    from newsdesk.enrich.sectors.taxonomy import load_taxonomy
    from newsdesk.publish.web import SectorInfo, SiteOptions

    taxonomy = load_taxonomy(settings.sector_taxonomy_path)
    return SiteOptions(
        site_name=settings.site_name,
        base_url=settings.base_url.rstrip("/"),
        secret_key=settings.secret_key.get_secret_value(),
        admin_password=settings.admin_password.get_secret_value() or None,
        sectors=tuple(SectorInfo(s.id, s.name, s.description) for s in taxonomy.sectors),
    )


def build_site(settings: Settings, store: SqlStore) -> FastAPI:
    """The web application: the site and API of publish.web plus the routers of deliver."""
    from newsdesk.deliver.digest_web import build_admin_router as build_digest_admin_router
    from newsdesk.deliver.web import build_router
    from newsdesk.publish.web import create_app
    from newsdesk.publish.web.security import require_admin

    return create_app(
        store,
        site_options(settings),
        routers=[
            build_router(subscribe_options(settings), store, require_admin),
            build_digest_admin_router(digest_options(settings), store, require_admin),
        ],
        template_packages=["newsdesk.deliver.web"],
    )


def site_app_from_environment() -> FastAPI:
    """The site for one uvicorn worker process: settings from the environment, its own store."""
    settings = Settings()
    configure_logging(settings)
    return build_site(settings, open_store(settings, migrate=False))


def serve_site(
    settings: Settings, store: SqlStore, *, host: str, port: int, workers: int = 1
) -> None:
    """Run the site with uvicorn until interrupted (Ctrl-C or SIGTERM shut it down cleanly).

    With workers > 1 uvicorn starts that many processes; each builds the app with
    site_app_from_environment, as a store cannot be shared across processes.
    """
    import uvicorn

    if workers > 1:
        uvicorn.run(
            f"{__name__}:site_app_from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            proxy_headers=False,
        )
        return
    app = build_site(settings, store)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, proxy_headers=False
    )
    uvicorn.Server(config).run()


def smtp_options(settings: Settings) -> SmtpOptions:
    from newsdesk.deliver.smtp import SmtpOptions

    return SmtpOptions(
        host=settings.smtp_host,
        port=settings.smtp_port,
        user=settings.smtp_user,
        password=settings.smtp_password.get_secret_value(),
        tls=settings.smtp_tls,
        dkim_domain=settings.dkim_domain,
        dkim_selector=settings.dkim_selector,
        dkim_private_key=settings.dkim_key_path.read_bytes() if settings.dkim_key_path else None,
        drop_dir=mail_drop_dir(settings),
    )


def mail_drop_dir(settings: Settings) -> Path:
    """Where messages are written as .eml files when no SMTP host is configured."""
    return settings.data_dir / "mail"


def subscribe_options(settings: Settings) -> SubscribeOptions:
    from newsdesk.deliver.subscriptions import SubscribeOptions
    from newsdesk.enrich.sectors.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(settings.sector_taxonomy_path)
    return SubscribeOptions(
        base_url=settings.base_url.rstrip("/"),
        secret_key=settings.secret_key.get_secret_value(),
        mail_from=settings.mail_from,
        smtp=smtp_options(settings),
        sectors=tuple((sector.id, sector.name) for sector in taxonomy.sectors),
        policy_version=settings.policy_version,
        terms_version=settings.terms_version,
        rate_per_ip=settings.subscribe_rate_per_ip,
        rate_per_address=settings.subscribe_rate_per_address,
        unsubscribe_mailbox=settings.mail_unsubscribe_address,
    )


def digest_options(settings: Settings) -> DigestOptions:
    from newsdesk.deliver.digest import DigestOptions

    return DigestOptions(
        base_url=settings.base_url.rstrip("/"),
        secret_key=settings.secret_key.get_secret_value(),
        site_name=settings.site_name,
        mail_from=settings.mail_from,
        sector_names=_sector_names(settings),
        max_stories=settings.digest_max_stories,
        default_time=settings.digest_default_time,
        workers=settings.smtp_pool_size,
        send_rate=settings.digest_send_rate,
        stale_sending_seconds=settings.digest_stale_sending_seconds,
    )


def _sector_names(settings: Settings) -> dict[str, str]:
    from newsdesk.enrich.sectors.taxonomy import load_taxonomy

    return {s.id: s.name for s in load_taxonomy(settings.sector_taxonomy_path).sectors}


def digest_run(settings: Settings, store: Any, *, stop_event: Event | None = None) -> DigestRun:
    """A DigestRun over the store, sending through SMTP connections from settings."""
    from newsdesk.deliver.digest import DigestRun
    from newsdesk.deliver.outgoing import open_sender

    options = smtp_options(settings)
    return DigestRun(
        store, digest_options(settings), lambda: open_sender(options), stop_event=stop_event
    )


def run_digest(
    settings: Settings, store: Any, *, day: date, stop_event: Event | None = None
) -> DigestReport:
    """Send every digest for day not handled yet (`newsdesk digest send`)."""
    return digest_run(settings, store, stop_event=stop_event).send_date(day)


def run_service(settings: Settings, store: SqlStore, *, host: str, port: int) -> None:
    """`newsdesk run`: the web server, the ingestion schedule and the digest schedule.

    SIGTERM or SIGINT stops accepting work: the server closes, the digest sender finishes
    the message in flight and the call returns (ingestion stops between articles).
    """
    import threading

    import uvicorn

    stop = threading.Event()
    config = uvicorn.Config(
        build_site(settings, store),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
    )
    server = _service_server(config, stop)
    digests = threading.Thread(
        target=_digest_schedule, args=(settings, store, stop), name="digest-schedule"
    )
    # Ingestion writes one transaction per article, so it may die with the process.
    ingestion = threading.Thread(
        target=_ingest_schedule, args=(settings, store, stop), name="ingest", daemon=True
    )
    digests.start()
    ingestion.start()
    try:
        server.run()
    finally:
        stop.set()
        digests.join()


SERVICE_DIGEST_TICK_SECONDS = 60.0
SERVICE_INGEST_TICK_SECONDS = 30.0


def _digest_schedule(settings: Settings, store: Any, stop: Event) -> None:
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


def _ingest_schedule(settings: Settings, store: Store, stop: Event) -> None:
    import asyncio

    from newsdesk.pipeline.ingest import IngestRunner

    log = logging.getLogger("newsdesk.run.ingest")
    options = ingest_options(settings)
    while not stop.is_set():
        try:
            summary = asyncio.run(IngestRunner(store, options).run())
            if not stop.is_set():
                enrich_articles(store, settings, summary.changed_ids)
        except Exception:
            log.exception("ingestion pass failed")
        stop.wait(SERVICE_INGEST_TICK_SECONDS)


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
