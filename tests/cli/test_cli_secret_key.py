"""`serve` and `run` refuse to start a public site whose links anyone could forge."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import Invoke
from pydantic import ValidationError

from newsdesk.bootstrap import (
    UnsafeSecretKeyError,
    is_loopback_url,
    require_safe_secret_key,
    site_app_from_environment,
)
from newsdesk.config import load_settings

PUBLIC = "https://insights.example.org"


@pytest.mark.parametrize("command", [["serve"], ["run"], ["serve", "--workers", "2"]])
@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "the default"),
        ("", "empty"),
        ("  ", "empty"),
        ("short", "5 characters long (at least 32)"),
        ("very-secret-key-value", "21 characters long (at least 32)"),
    ],
)
def test_public_site_with_the_default_or_an_empty_key_does_not_start(
    newsdesk: Invoke,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: list[str],
    key: str | None,
    problem: str,
) -> None:
    monkeypatch.setenv("NEWSDESK_BASE_URL", PUBLIC)
    if key is not None:
        monkeypatch.setenv("NEWSDESK_SECRET_KEY", key)
    result = newsdesk(*command, "--port", "1")
    assert result.exit_code == 1
    assert f"NEWSDESK_SECRET_KEY is {problem}" in result.output
    assert PUBLIC in result.output
    assert "export NEWSDESK_SECRET_KEY=" in result.output  # says how to set one
    assert "NEWSDESK_SECRET_KEYS_PREVIOUS" in result.output
    assert not (tmp_path / "data").exists(), "refused before the database was touched"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.8.9.10",
        "http://[::1]:8000/",
        "http://localhost:8000",
        "http://LOCALHOST",
        "http://site.localhost",
    ],
)
def test_loopback_site_may_use_the_default_key(url: str) -> None:
    assert is_loopback_url(url)
    require_safe_secret_key(load_settings(base_url=url))
    require_safe_secret_key(load_settings(base_url=url, secret_key=""))


@pytest.mark.parametrize(
    "url",
    [
        PUBLIC,
        "http://0.0.0.0:8000",
        "http://10.0.0.5",
        "http://[::ffff:8.8.8.8]",
        "http://127.0.0.1.nip.io",
        "http://localhost.example.com",
    ],
)
def test_anything_else_is_not_loopback(url: str) -> None:
    assert not is_loopback_url(url)
    with pytest.raises(UnsafeSecretKeyError):
        require_safe_secret_key(load_settings(base_url=url))


@pytest.mark.parametrize("url", ["not a url", "http://[::1"])
def test_a_malformed_site_url_is_not_loopback_and_not_a_setting(url: str) -> None:
    assert not is_loopback_url(url)
    with pytest.raises(ValidationError, match="base_url"):
        load_settings(base_url=url)


def test_a_real_key_may_serve_in_public() -> None:
    require_safe_secret_key(load_settings(base_url=PUBLIC, secret_key="k" * 43))


def test_each_worker_process_refuses_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_BASE_URL", PUBLIC)
    monkeypatch.delenv("NEWSDESK_SECRET_KEY", raising=False)
    with pytest.raises(UnsafeSecretKeyError):
        site_app_from_environment()
