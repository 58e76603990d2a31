"""Logging: structlog on top of stdlib logging, to stderr, secrets redacted by key name."""

from __future__ import annotations

import logging
import sys
from typing import Any

from newsdesk.config.groups import LogSettings

SECRET_KEYS = ("password", "secret", "token", "authorization", "cookie", "database_url")
QUIET_LIBRARIES = (
    "httpx",
    "httpcore",
    "trafilatura",
    "htmldate",
    "readability",
    "alembic",
    "procrastinate",  # a line per job at INFO; workers log their own summaries
)


def _redact_event(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in list(event):
        if any(marker in key.lower() for marker in SECRET_KEYS):
            event[key] = "********"
    return event


def configure_logging(settings: LogSettings) -> None:
    """Logs at settings.level to stderr, as console lines or JSON (settings.format)."""
    import structlog

    level = getattr(logging, settings.level)
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.format == "json"
        # Plain tracebacks: structlog's default (rich) prints every frame's local variables,
        # passwords and tokens included.
        else structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )
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
    for noisy in QUIET_LIBRARIES:
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
