"""`newsdesk serve` and `newsdesk run` refuse to start with an admin password too short to
resist guessing: checked by bootstrap.check_start, with the signing key, for every way the
site starts (the key's own tests: test_cli_secret_key.py)."""

from __future__ import annotations

import pytest
from cli_support import Invoke

from newsdesk.bootstrap import UnsafeAdminPasswordError, check_start, site_app_from_environment
from newsdesk.bootstrap.checks import start_warnings
from newsdesk.config import load_settings


@pytest.mark.parametrize("command", ["serve", "run"])
@pytest.mark.parametrize("password", ["   ", "short-pw"])
def test_a_short_admin_password_stops_serve_and_run_with_a_clear_error(
    newsdesk: Invoke, monkeypatch: pytest.MonkeyPatch, command: str, password: str
) -> None:
    monkeypatch.setenv("NEWSDESK_ADMIN_PASSWORD", password)
    result = newsdesk(command, "--port", "1")  # never listened on: refused before
    assert result.exit_code == 1
    assert "refusing to start" in result.output
    assert "NEWSDESK_ADMIN_PASSWORD must be at least 12 characters" in result.output
    assert "short-pw" not in result.output  # the password itself is not echoed


def test_every_worker_process_checks_too(newsdesk: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_ADMIN_PASSWORD", "short-pw")
    with pytest.raises(UnsafeAdminPasswordError, match="at least 12 characters"):
        site_app_from_environment()


def test_good_settings_start() -> None:
    check_start(load_settings(admin_password=""))
    check_start(load_settings(admin_password="a-long-enough-password"))


def test_a_public_site_without_a_privacy_policy_starts_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    public = {"base_url": "https://insights.example", "secret_key": "k" * 40}
    with caplog.at_level("WARNING", logger="newsdesk.start"):
        check_start(load_settings(**public))
    assert [r.getMessage() for r in caplog.records if "NEWSDESK_PRIVACY_URL" in r.getMessage()]
    assert start_warnings(load_settings(**public, privacy_url="https://insights.example/p")) == []
    assert start_warnings(load_settings(**public, privacy_url="/privacy")) == []
    assert start_warnings(load_settings(base_url="http://127.0.0.1:8000")) == []
