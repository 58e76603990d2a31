"""`newsdesk digest send` and `newsdesk digest preview`, run in-process over a real database
and a real SMTP server."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from digest_world import BASE_URL, MAIL_FROM, SECRET, add_story, add_subscribers, reader
from typer.testing import CliRunner, Result

from newsdesk.cli.app import app
from newsdesk.store import open_store
from smtp_sink import SmtpSink


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_sink: SmtpSink) -> Path:
    for key in list(os.environ):
        if key.startswith("NEWSDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    env = {
        "NEWSDESK_DATA_DIR": str(tmp_path / "data"),
        "NEWSDESK_SMTP_HOST": smtp_sink.host,
        "NEWSDESK_SMTP_PORT": str(smtp_sink.port),
        "NEWSDESK_SECRET_KEY": SECRET,
        "NEWSDESK_BASE_URL": BASE_URL,
        "NEWSDESK_MAIL_FROM": MAIL_FROM,
        "NEWSDESK_LOG_LEVEL": "WARNING",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "data").mkdir()
    store = open_store(f"sqlite:///{tmp_path / 'data' / 'newsdesk.db'}")
    try:
        add_story(
            store,
            title="Japan, Namibia sign rare earths deal",
            at=datetime(2026, 3, 2, 3, tzinfo=UTC),
            sectors=("rare-earths-commodities",),
            sources=3,
            summary="Japan and Namibia will explore for rare earths. JOGMEC leads the work.",
        )
        add_subscribers(
            store,
            [
                reader("ada@readers.example", ["rare-earths-commodities"]),
                reader("bob@readers.example", ["oil-gas"]),
            ],
        )
    finally:
        store.close()
    return tmp_path / "data"


def newsdesk(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_digest_send_reports_and_a_second_send_sends_nothing(
    data_dir: Path, smtp_sink: SmtpSink
) -> None:
    first = newsdesk("digest", "send", "--date", "2026-03-02")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == (
        "digest 2026-03-02: sent 1, skipped 0, nothing to send 1, deferred 0, failed 0, uncertain 0"
    )
    assert [m.rcpt_tos for m in smtp_sink.wait_for(1)] == [("ada@readers.example",)]
    second = newsdesk("digest", "send", "--date", "2026-03-02", "--format", "json")
    assert json.loads(second.stdout) == {
        "date": "2026-03-02",
        "sent": 0,
        "skipped": 2,
        "nothing_to_send": 0,
        "deferred": 0,
        "failed": 0,
        "uncertain": 0,
        "stopped": False,
    }
    assert len(smtp_sink.messages) == 1


def test_digest_preview_prints_html_or_text_and_sends_nothing(
    data_dir: Path, smtp_sink: SmtpSink
) -> None:
    html = newsdesk("digest", "preview", "ada@readers.example", "--date", "2026-03-02")
    assert html.exit_code == 0
    assert html.stdout.startswith("<!DOCTYPE html>")
    assert "Japan, Namibia sign rare earths deal" in html.stdout
    text = newsdesk(
        "digest", "preview", "ADA@readers.example", "--date", "2026-03-02", "--format", "text"
    )
    assert text.stdout.startswith("Subject: Top Insights Today: Japan, Namibia sign rare earths")
    assert "In Rare Earths & Commodities · 3 sources" in text.stdout
    assert f"{BASE_URL}/unsubscribe?token=" in text.stdout
    nothing = newsdesk("digest", "preview", "bob@readers.example", "--date", "2026-03-02")
    assert nothing.exit_code == 0 and nothing.stdout == ""
    assert "no digest for bob@readers.example on 2026-03-02" in nothing.stderr
    assert smtp_sink.messages == []


def test_digest_commands_refuse_bad_input(data_dir: Path) -> None:
    unknown = newsdesk("digest", "preview", "nobody@readers.example")
    assert unknown.exit_code == 1 and "no subscriber" in unknown.stderr
    bad_date = newsdesk("digest", "send", "--date", "02/03/2026")
    assert bad_date.exit_code == 1 and "YYYY-MM-DD" in bad_date.stderr
    bad_format = newsdesk("digest", "preview", "ada@readers.example", "--format", "pdf")
    assert bad_format.exit_code == 1
