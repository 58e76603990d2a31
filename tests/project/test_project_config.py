"""Settings load from env and newsdesk.toml, and secrets never show."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli.app import app
from newsdesk.config import Settings
from newsdesk.queue import is_queue_database


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
    assert settings.fetch.host_delay == 2.5
    assert settings.log.level == "DEBUG"
    assert settings.fetch.retries == 1
    assert settings.fetch.timeout == 30.0


def test_toml_tables_per_group_and_flat_names_mean_the_same(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_env / "newsdesk.toml").write_text(
        'mail_from = "Desk <desk@example.org>"\n'
        '[fetch]\nhost_delay = 0.5\nallow_hosts = "Feeds.Example:8080, intranet"\n'
        '[smtp]\nhost = "mail.example"\ntls = "STARTTLS"\n'
        '[digest]\ndefault_time = "06:45"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSDESK_SMTP_HOST", "relay.example")
    settings = Settings()
    assert settings.fetch.host_delay == 0.5
    assert settings.fetch.allow_hosts == ("feeds.example:8080", "intranet")
    assert settings.smtp.host == "relay.example"  # the environment wins over the file
    assert settings.smtp.tls == "starttls"
    assert settings.digest.default_time == "06:45"
    assert settings.mail.sender == "Desk <desk@example.org>"
    shown = json.loads(CliRunner().invoke(app, ["config", "show", "--format", "json"]).output)
    assert shown["fetch_allow_hosts"] == "feeds.example:8080,intranet"
    assert shown["smtp_host"] == "relay.example" and shown["mail_from"] == "Desk <desk@example.org>"


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("NEWSDESK_FETCH_TIMEOUT", "300", "fetch_timeout (NEWSDESK_FETCH_TIMEOUT)"),
        ("NEWSDESK_DIGEST_DEFAULT_TIME", "25:00", "digest_default_time"),
        ("NEWSDESK_LOG_LEVEL", "chatty", "log_level"),
        ("NEWSDESK_SMTP_TLS", "ssl3", "smtp_tls"),
        ("NEWSDESK_EMBEDDINGS", "bert", "embeddings (NEWSDESK_EMBEDDINGS)"),
        ("NEWSDESK_FETCH_USER_AGENT", "curl/8", "fetch_user_agent"),
        ("NEWSDESK_BASE_URL", "javascript:alert(1)", "base_url (NEWSDESK_BASE_URL)"),
        ("NEWSDESK_BASE_URL", "news.example.com", "base_url (NEWSDESK_BASE_URL)"),
        ("NEWSDESK_BASE_URL", "https://exa mple.com", "base_url (NEWSDESK_BASE_URL)"),
        ("NEWSDESK_BASE_URL", "https://news.example.com:port", "base_url (NEWSDESK_BASE_URL)"),
        ("NEWSDESK_SMTP_PORT", "-1", "smtp_port (NEWSDESK_SMTP_PORT)"),
        ("NEWSDESK_SMTP_PORT", "70000", "smtp_port (NEWSDESK_SMTP_PORT)"),
    ],
)
def test_each_invalid_setting_is_named_by_its_variable(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, named: str
) -> None:
    monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["config", "show"])
    assert result.exit_code == 1
    assert named in result.output


@pytest.mark.parametrize(
    "value", ["https://news.example.com/", "http://127.0.0.1:8000", "https://example.org/news"]
)
def test_a_site_url_keeps_its_path_without_the_trailing_slash(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("NEWSDESK_BASE_URL", value)
    assert Settings().site.base_url == value.rstrip("/")


def test_invalid_setting_is_a_clear_error(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_FETCH_TIMEOUT", "300")
    result = CliRunner().invoke(app, ["config", "show"])
    assert result.exit_code == 1
    assert "fetch_timeout" in result.output


def test_config_show_redacts_secrets(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", "postgresql+psycopg://ann:hunter2@db/news")
    monkeypatch.setenv("NEWSDESK_SMTP_PASSWORD", "s3cr3t-smtp")
    monkeypatch.setenv("NEWSDESK_SECRET_KEY", "very-secret-key-value")
    monkeypatch.setenv("NEWSDESK_SECRET_KEYS_PREVIOUS", "old-key-one, old-key-two,")
    for args in (["config", "show"], ["config", "show", "--format", "json"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        for secret in ("hunter2", "s3cr3t-smtp", "very-secret-key-value", "old-key-"):
            assert secret not in result.output
    shown = json.loads(CliRunner().invoke(app, ["config", "show", "--format", "json"]).output)
    assert shown["database_url"] == "postgresql+psycopg://ann:********@db/news"
    assert shown["smtp_password"] == "********"
    assert shown["secret_keys_previous"] == "********,********"
    keys = Settings().security.signing_keys
    assert (keys.current, keys.previous) == (
        "very-secret-key-value",
        ("old-key-one", "old-key-two"),
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://ann:pw@db:5432/news", "postgresql+psycopg://ann:pw@db:5432/news"),
        ("POSTGRES://ann@db/news", "postgresql+psycopg://ann@db/news"),
        ("postgresql://ann@db/news", "postgresql+psycopg://ann@db/news"),
        ("postgres+psycopg://ann@db/news", "postgresql+psycopg://ann@db/news"),
        ("postgresql+psycopg://ann@db/news", "postgresql+psycopg://ann@db/news"),
        ("sqlite:////srv/postgres://x.db", "sqlite:////srv/postgres://x.db"),
        ("postgresfoo://db/news", "postgresfoo://db/news"),  # not ours to guess
    ],
)
def test_postgres_urls_as_hosts_hand_them_out_read_as_postgresql(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, given: str, expected: str
) -> None:
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", given)
    url = Settings().store.sqlalchemy_url
    assert url == expected
    assert is_queue_database(url) == expected.startswith("postgresql")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"fetch_host_delay = [\n", "is not valid TOML (Invalid value"),
        (b"\xc3\x28 = 1\n", "is not valid TOML ('utf-8' codec"),
    ],
)
def test_a_malformed_settings_file_is_one_line(
    clean_env: Path, content: bytes, problem: str
) -> None:
    (clean_env / "newsdesk.toml").write_bytes(content)
    result = CliRunner().invoke(app, ["config", "show"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    [line] = result.output.splitlines()
    assert line.startswith("error: settings file newsdesk.toml ")
    assert problem in line
    assert line.endswith("fix it, or point NEWSDESK_CONFIG at another file")


def test_demo_reports_invalid_settings_in_one_line(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_FETCH_TIMEOUT", "abc")
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--port", "0"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    [line] = result.output.splitlines()
    assert line.startswith("error: invalid settings: fetch_timeout (NEWSDESK_FETCH_TIMEOUT)")


def test_a_mistyped_setting_is_named_with_the_one_it_resembles(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_SMPT_HOST", "mail.example")
    monkeypatch.setenv("NEWSDESK_TEST_DATABASE_URL", "postgresql://x@127.0.0.1:1/t")  # a tool's
    monkeypatch.setenv("NEWSDESK_SOMETHING_ELSE", "1")  # like no setting: not guessed at
    result = CliRunner().invoke(app, ["config", "show", "--format", "json"])
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: NEWSDESK_SMPT_HOST is not a setting and is ignored; did you mean "
        "NEWSDESK_SMTP_HOST?"
    ]
