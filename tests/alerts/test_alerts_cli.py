"""`newsdesk alerts add|list|remove|rotate-secret` with real members (`newsdesk members add`)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alert_world import JOGMEC, enriched_article, receiver
from typer.testing import CliRunner, Result

from newsdesk.cli.app import app
from newsdesk.store import open_store

Invoke = Callable[..., Result]


@pytest.fixture
def host() -> Iterator[str]:
    with receiver() as address:
        yield address


@pytest.fixture
def newsdesk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str) -> Invoke:
    for key in list(os.environ):
        if key.startswith("NEWSDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("NEWSDESK_FETCH_ALLOW_HOSTS", host)
    store = open_store(f"sqlite:///{tmp_path / 'data' / 'newsdesk.db'}")
    try:
        enriched_article(store, "seed", title="Seed", entities=(JOGMEC,))
    finally:
        store.close()
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


def test_add_prints_the_id_then_the_secret_and_list_shows_no_secret(
    newsdesk: Invoke, host: str
) -> None:
    assert newsdesk("members", "add", "pro@example.com", "--plan", "pro").exit_code == 0
    added = newsdesk(
        "alerts",
        "add",
        "pro@example.com",
        "--entity",
        "org:jogmec",
        "--email",
        "--webhook",
        f"http://{host}/hook",
    )
    assert added.exit_code == 0, added.output
    lines = added.stdout.splitlines()
    assert lines[0].isdigit() and lines[1].startswith("whsec_") and len(lines) == 2
    listed = newsdesk("alerts", "list", "--format", "jsonl")
    [row] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["id"] == int(lines[0]) and row["owner"] == "pro@example.com"
    assert row["kind"] == "entity" and row["email"] == "instant"
    assert row["webhook"]["url"] == f"http://{host}/hook" and lines[1] not in listed.stdout
    search = newsdesk("alerts", "add", "pro@example.com", "--query", "rare earths")
    assert search.exit_code == 0 and len(search.stdout.splitlines()) == 1
    rotated = newsdesk("alerts", "rotate-secret", str(row["webhook"]["id"]))
    assert rotated.stdout.strip().startswith("whsec_") and rotated.stdout.strip() != lines[1]
    assert newsdesk("alerts", "remove", lines[0]).exit_code == 0
    remaining = [
        json.loads(x) for x in newsdesk("alerts", "list", "--format", "jsonl").stdout.splitlines()
    ]
    assert [r["kind"] for r in remaining] == ["query"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nobody@example.com", "--entity", "org:jogmec"), "no member"),
        (("pro@example.com", "--entity", "org:nobody"), "no entity"),
        (("pro@example.com", "--sector", "nope"), "no sector"),
        (("pro@example.com", "--query", "x", "--entity", "org:jogmec"), "exactly one"),
        (("pro@example.com",), "exactly one"),
        (
            ("pro@example.com", "--entity", "org:jogmec", "--webhook", "http://10.1.2.3/x"),
            "refused",
        ),
        (
            ("pro@example.com", "--entity", "org:jogmec", "--webhook", "http://127.0.0.1:1/x"),
            "refused",
        ),
        (("pro@example.com", "--entity", "org:jogmec", "--webhook", "ftp://x.example/"), "refused"),
        (("pro@example.com", "--entity", "org:jogmec", "--hourly"), "--hourly goes with --email"),
        (("pro@example.com", "--fact", "rumour"), "fact type"),
    ],
)
def test_bad_alerts_get_one_clear_line(
    newsdesk: Invoke, args: tuple[str, ...], message: str
) -> None:
    newsdesk("members", "add", "pro@example.com", "--plan", "pro")
    result = newsdesk("alerts", "add", *args)
    assert result.exit_code != 0 and message in result.output
    assert newsdesk("alerts", "list", "--format", "jsonl").stdout == ""
