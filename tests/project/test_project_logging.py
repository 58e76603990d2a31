"""Secrets never reach the logs."""

from __future__ import annotations

import logging

import pytest
import structlog

from newsdesk.bootstrap import configure_logging
from newsdesk.config import Settings


def test_secret_fields_are_redacted_in_structured_and_stdlib_logs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(Settings(log_format="json").log)
    structlog.get_logger("t").warning(
        "connecting", database_url="postgresql://u:hunter2@db/x", smtp_password="pw-123"
    )
    logging.getLogger("newsdesk.test").warning(
        "login", extra={"password": "pw-456", "api_token": "tok-789"}
    )
    err = capsys.readouterr().err
    assert "connecting" in err
    for secret in ("hunter2", "pw-123"):
        assert secret not in err
    assert "********" in err


def test_console_format_is_used_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(log_format="console", log_level="INFO").log)
    structlog.get_logger("t").info("hello", source="https://example.org/feed")
    assert "hello" in capsys.readouterr().err


@pytest.mark.parametrize("log_format", ["console", "json"])
def test_a_logged_exception_shows_no_local_variables(
    capsys: pytest.CaptureFixture[str], log_format: str
) -> None:
    # The site logs every unhandled error with its traceback; the values in the failing
    # frames (a password, a token, an Authorization header) must not come with it.
    configure_logging(Settings(log_format=log_format).log)

    def check(password: str) -> None:
        raise RuntimeError("the check failed")

    secret = "-".join(["hunter2", "admin", "password"])  # not in the source lines shown
    try:
        check(secret)
    except RuntimeError:
        logging.getLogger("newsdesk.test").exception("unhandled error answering GET /admin")
    err = capsys.readouterr().err
    assert "the check failed" in err and "unhandled error answering GET /admin" in err
    assert "hunter2" not in err
