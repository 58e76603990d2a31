"""All wiring in one place: settings in, configured stages out. Plain functions, no globals."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from newsdesk.config import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from newsdesk.dedup import DedupOptions
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
        taxonomy_path=settings.sector_taxonomy_path, model_dir=settings.sector_model_dir
    )


def enrich_articles(store: Store, settings: Settings, article_ids: list[int]) -> EnrichSummary:
    """Enrich the given articles and any left pending (new version, or a crash mid-way)."""
    from newsdesk.pipeline.enrich import Enricher

    enricher = Enricher(store, enrich_options(settings))
    return enricher.run(sorted(set(article_ids) | set(enricher.pending())))


def site_options(settings: Settings) -> SiteOptions:
    from newsdesk.enrich.taxonomy import load_taxonomy
    from newsdesk.publish.web import SectorInfo, SiteOptions

    taxonomy = load_taxonomy(settings.sector_taxonomy_path)
    return SiteOptions(
        site_name=settings.site_name,
        base_url=settings.base_url.rstrip("/"),
        secret_key=settings.secret_key.get_secret_value(),
        admin_password=settings.admin_password.get_secret_value() or None,
        sectors=tuple(SectorInfo(s.id, s.name, s.description) for s in taxonomy.sectors),
    )


def build_site(settings: Settings, store: Store) -> FastAPI:
    """The web application: the site and API of publish.web plus the routers of deliver."""
    from newsdesk.publish.web import create_app

    return create_app(store, site_options(settings))


def serve_site(settings: Settings, store: Store, *, host: str, port: int) -> None:
    """Run the site with uvicorn until interrupted (Ctrl-C or SIGTERM shut it down cleanly)."""
    import uvicorn

    app = build_site(settings, store)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, proxy_headers=False
    )
    uvicorn.Server(config).run()
