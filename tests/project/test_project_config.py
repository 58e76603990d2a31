"""Settings load from env and newsdesk.toml, and secrets never show."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli.app import app
from newsdesk.config import Settings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for key in list(os.environ):
        if key.startswith("NEWSDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_env_overrides_toml_which_overrides_defaults(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_env / "newsdesk.toml").write_text(
        'fetch_host_delay = 2.5\nlog_level = "debug"\nfetch_retries = 4\n', encoding="utf-8"
    )
    monkeypatch.setenv("NEWSDESK_FETCH_RETRIES", "1")
    settings = Settings()
    assert settings.fetch_host_delay == 2.5
    assert settings.log_level == "DEBUG"
    assert settings.fetch_retries == 1
    assert settings.fetch_timeout == 30.0


def test_invalid_setting_is_a_clear_error(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_FETCH_TIMEOUT", "300")
    result = CliRunner().invoke(app, ["config", "show"])
    assert result.exit_code == 1
    assert "fetch_timeout" in result.output


def test_config_show_redacts_secrets(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", "postgresql+psycopg://ann:hunter2@db/news")
    monkeypatch.setenv("NEWSDESK_SMTP_PASSWORD", "s3cr3t-smtp")
    monkeypatch.setenv("NEWSDESK_SECRET_KEY", "very-secret-key-value")
    for args in (["config", "show"], ["config", "show", "--format", "json"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        for secret in ("hunter2", "s3cr3t-smtp", "very-secret-key-value"):
            assert secret not in result.output
    shown = json.loads(CliRunner().invoke(app, ["config", "show", "--format", "json"]).output)
    assert shown["database_url"] == "postgresql+psycopg://ann:********@db/news"
    assert shown["smtp_password"] == "********"
