"""`newsdesk subscribers list|import|remove` in-process against a fresh data directory."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsdesk.cli.app import app
from newsdesk.domain.models import utcnow
from newsdesk.domain.subscribers import ConsentAction, SubscriberStatus
from newsdesk.store import open_store

Invoke = Callable[..., Result]

CSV = """email,sectors,timezone,delivery_time,paused
ada@example.com,oil-gas;mining-metals,Europe/London,06:45,false
Bob@Example.COM,,UTC,,
not-an-address,oil-gas,UTC,07:00,
carol@example.com,no-such-sector,UTC,07:00,
dan@example.com,oil-gas,Mars/Base,07:00,
erin@example.com,oil-gas,UTC,31:00,
ada@example.com,oil-gas,UTC,07:00,
"""


@pytest.fixture
def newsdesk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    for key in list(os.environ):
        if key.startswith("NEWSDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_LOG_LEVEL", "WARNING")
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def _store(tmp_path: Path) -> object:
    return open_store(f"sqlite:///{tmp_path / 'data' / 'newsdesk.db'}")


def test_import_adds_valid_rows_and_reports_invalid_ones(newsdesk: Invoke, tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text(CSV, encoding="utf-8")
    result = newsdesk("subscribers", "import", "list.csv")
    assert result.exit_code == 0, result.output
    assert "added 2, already known 0" in result.stdout
    assert "invalid 4" in result.stdout
    assert "list.csv:4: skipped" in result.stderr
    listed = newsdesk("subscribers", "list", "--format", "jsonl")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["email"], r["status"]) for r in rows] == [
        ("ada@example.com", "active"),
        ("bob@example.com", "active"),  # addresses are stored lower-cased
    ]
    assert rows[0]["sectors"] == ["oil-gas", "mining-metals"]
    assert (rows[0]["timezone"], rows[0]["delivery_time"]) == ("Europe/London", "06:45")
    assert len(rows[1]["sectors"]) == 9  # no sectors given: all of them


def test_csv_import_never_resubscribes_a_removed_address(newsdesk: Invoke, tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text(CSV, encoding="utf-8")
    newsdesk("subscribers", "import", "list.csv")
    removed = newsdesk("subscribers", "remove", "ada@example.com")
    assert removed.exit_code == 0
    assert "unsubscribed ada@example.com" in removed.stdout
    again = newsdesk("subscribers", "import", "list.csv")
    assert "added 0, already known 1" in again.stdout
    assert "not re-subscribed (unsubscribed or suppressed) 1" in again.stdout
    store = _store(tmp_path)
    try:
        ada = store.get_subscriber_by_email("ada@example.com")  # type: ignore[attr-defined]
        assert ada.status is SubscriberStatus.UNSUBSCRIBED
        actions = [e.action for e in store.consent_history(ada.id)]  # type: ignore[attr-defined]
        assert actions == [ConsentAction.GIVEN, ConsentAction.WITHDRAWN]
    finally:
        store.close()  # type: ignore[attr-defined]
    listed = newsdesk("subscribers", "list", "--status", "unsubscribed")
    assert "ada@example.com" in listed.stdout and "Bob@example.com" not in listed.stdout


def test_csv_import_does_not_activate_a_suppressed_address(
    newsdesk: Invoke, tmp_path: Path
) -> None:
    newsdesk("db", "upgrade")
    store = _store(tmp_path)
    try:
        pending = store.add_or_get_pending(  # type: ignore[attr-defined]
            "ada@example.com", sectors=("oil-gas",), entities=(), nonce="n", now=utcnow()
        )
        store.suppress_subscriber(pending.id, "550 hard bounce")  # type: ignore[attr-defined]
    finally:
        store.close()  # type: ignore[attr-defined]
    (tmp_path / "list.csv").write_text(CSV, encoding="utf-8")
    result = newsdesk("subscribers", "import", "list.csv")
    assert "added 1" in result.stdout
    listed = newsdesk("subscribers", "list", "--status", "suppressed")
    assert "ada@example.com" in listed.stdout


@pytest.mark.parametrize("content", ["name,address\nx,y@example.com\n", "\ufeff", ""])
def test_import_refuses_files_without_an_email_column(
    newsdesk: Invoke, tmp_path: Path, content: str
) -> None:
    (tmp_path / "bad.csv").write_text(content, encoding="utf-8")
    result = newsdesk("subscribers", "import", "bad.csv")
    assert result.exit_code == 1
    assert "'email' column" in result.stderr


def test_import_skips_rows_with_control_characters(newsdesk: Invoke, tmp_path: Path) -> None:
    (tmp_path / "nul.csv").write_text(
        'email\nx\x00y@example.com\n"a@example.com\r\nBcc: b@example.com"\n', encoding="utf-8"
    )
    result = newsdesk("subscribers", "import", "nul.csv")
    assert result.exit_code == 0, result.output
    assert "added 0" in result.stdout and "invalid 2" in result.stdout


def test_remove_unknown_address_fails(newsdesk: Invoke) -> None:
    newsdesk("db", "upgrade")
    result = newsdesk("subscribers", "remove", "nobody@example.com")
    assert result.exit_code == 1
    assert "no subscriber" in result.stderr
