"""The retention cut-offs: days before now, 0 keeps forever, negative days refused."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from newsdesk.bootstrap import retention_policy
from newsdesk.cli.app import app
from newsdesk.config import load_settings
from newsdesk.domain.retention import RetentionPolicy, cutoffs, prune_line

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_each_cut_off_is_its_days_before_now() -> None:
    limits = cutoffs(
        RetentionPolicy(
            fetch_log_days=90, webhook_attempts_days=30, leads_days=365, expired_days=7
        ),
        NOW,
    )
    assert limits.fetch_log == NOW - timedelta(days=90)
    assert limits.webhook_attempts == NOW - timedelta(days=30)
    assert limits.leads == NOW - timedelta(days=365)
    assert limits.expired == NOW - timedelta(days=7)


def test_zero_days_keep_forever_each_on_its_own() -> None:
    limits = cutoffs(RetentionPolicy(fetch_log_days=0, expired_days=0), NOW)
    assert limits.fetch_log is None and limits.expired is None
    assert limits.webhook_attempts == NOW - timedelta(days=90)
    assert limits.leads == NOW - timedelta(days=365)


def test_negative_days_are_refused_by_the_policy() -> None:
    with pytest.raises(ValueError, match="leads_days"):
        RetentionPolicy(leads_days=-1)


def test_the_settings_reach_the_policy() -> None:
    policy = retention_policy(load_settings(retention_fetch_log_days=14, retention_leads_days=0))
    assert policy == RetentionPolicy(fetch_log_days=14, leads_days=0)


@pytest.mark.parametrize(
    "name",
    ["fetch_log_days", "webhook_attempts_days", "leads_days", "expired_days"],
)
def test_negative_days_are_a_settings_error_naming_the_variable(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in [key for key in os.environ if key.startswith("NEWSDESK_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError):
        load_settings(**{f"retention_{name}": -1})
    monkeypatch.setenv(f"NEWSDESK_RETENTION_{name.upper()}", "-3")
    result = CliRunner().invoke(app, ["db", "prune", "--dry-run"])
    assert result.exit_code == 1
    assert f"retention_{name}" in result.output
    assert not (tmp_path / "newsdesk-data").exists()  # refused before the database is touched


def test_the_log_line_holds_counts_per_table_only() -> None:
    line = prune_line({"fetch_attempts": 3, "pro_leads": 1})
    assert line == (
        "retention: deleted fetch_attempts 3, webhook_attempts 0, signin_requests 0, "
        "member_sessions 0, pro_leads 1"
    )
    assert prune_line({}, dry_run=True).startswith("retention: would delete")
