"""`newsdesk members add|list|revoke|import` and `newsdesk apikeys create|revoke`, in-process,
on SQLite and PostgreSQL: the contracts of the issue, kept exactly."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsdesk.cli.app import app
from newsdesk.domain.access import Plan
from newsdesk.domain.members import EntitlementAction
from newsdesk.domain.models import utcnow
from newsdesk.store import open_store

Invoke = Callable[..., Result]


@pytest.fixture
def newsdesk(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    for key in list(os.environ):
        if key.startswith("NEWSDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", database_url)
    monkeypatch.setenv("NEWSDESK_LOG_LEVEL", "WARNING")
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def store(newsdesk, database_url):
    opened = open_store(database_url)
    yield opened
    opened.close()


def listed(newsdesk) -> list[dict]:
    result = newsdesk("members", "list", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_add_grants_a_plan_recorded_as_a_cli_change(newsdesk, store):
    last_day = (date.today() + timedelta(days=40)).isoformat()
    result = newsdesk("members", "add", "ann@example.com", "--plan", "pro", "--until", last_day)
    assert result.exit_code == 0, result.output
    (row,) = listed(newsdesk)
    assert (row["email"], row["plan"], row["source"]) == ("ann@example.com", "pro", "cli")
    assert row["until"].startswith((date.fromisoformat(last_day) + timedelta(days=1)).isoformat())
    records = store.entitlement_records(row["id"])
    assert [(r.action, r.source, r.actor) for r in records] == [
        (EntitlementAction.GRANT, "cli", "cli")
    ]


def test_add_a_team_with_seats_and_a_free_member(newsdesk):
    assert (
        newsdesk("members", "add", "owner@example.com", "--plan", "team", "--seats", "4").exit_code
        == 0
    )
    assert newsdesk("members", "add", "reader@example.com").exit_code == 0
    rows = {row["email"]: row for row in listed(newsdesk)}
    assert (rows["owner@example.com"]["plan"], rows["owner@example.com"]["seats"]) == ("team", 4)
    assert rows["reader@example.com"]["plan"] == "free"
    assert set(rows["reader@example.com"]) >= {
        "id",
        "email",
        "plan",
        "until",
        "seats",
        "source",
        "team_owner_id",
        "created_at",
        "last_signin_at",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "not a valid email address"),
        (["a@example.com", "--plan", "gold"], "plan must be free, pro or team"),
        (["a@example.com", "--plan", "pro", "--until", "31/12/2030"], "YYYY-MM-DD"),
        (["a@example.com", "--plan", "pro", "--until", "2001-01-01"], "today or later"),
        (["a@example.com", "--plan", "team"], "needs --seats"),
        (["a@example.com", "--plan", "team", "--seats", "0"], "between 1 and"),
        (["a@example.com", "--plan", "pro", "--seats", "3"], "team plan only"),
        (["a@example.com", "--until", "2099-01-01"], "no end date"),
    ],
)
def test_add_refuses_bad_input_with_a_clear_error(newsdesk, store, args, message):
    result = newsdesk("members", "add", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert listed(newsdesk) == []


def test_revoke_ends_the_plan_now(newsdesk, store):
    newsdesk("members", "add", "ann@example.com", "--plan", "pro")
    result = newsdesk("members", "revoke", "ann@example.com", "--reason", "refund")
    assert result.exit_code == 0, result.output
    (row,) = listed(newsdesk)
    assert row["plan"] == "free"
    assert store.entitlement_records(row["id"])[-1].reason == "refund"
    missing = newsdesk("members", "revoke", "bob@example.com")
    assert missing.exit_code == 1 and "no member bob@example.com" in missing.stderr


CSV = """email,plan,until,seats,reason
ann@example.com,pro,2099-06-30,,complimentary
team@example.com,team,,3,pilot
bad-address,pro,,,
cat@example.com,gold,,,
dan@example.com,pro,yesterday,,
"""


def test_import_grants_line_by_line_and_a_second_import_changes_nothing(newsdesk, tmp_path):
    grants = tmp_path / "grants.csv"
    grants.write_text(CSV, encoding="utf-8")
    first = newsdesk("members", "import", str(grants))
    assert first.exit_code == 0, first.output
    assert "granted 2, already imported 0, invalid 3" in first.stdout
    assert "grants.csv:4: skipped" in first.stderr
    again = newsdesk("members", "import", str(grants))
    assert "granted 0, already imported 2, invalid 3" in again.stdout
    rows = {row["email"]: row for row in listed(newsdesk)}
    assert rows["ann@example.com"]["plan"] == "pro" and rows["ann@example.com"]["source"] == "csv"
    assert rows["team@example.com"]["seats"] == 3
    assert set(rows) == {"ann@example.com", "team@example.com"}


def test_import_without_the_needed_columns_fails_clearly(newsdesk, tmp_path):
    grants = tmp_path / "grants.csv"
    grants.write_text("address,level\nann@example.com,pro\n", encoding="utf-8")
    result = newsdesk("members", "import", str(grants))
    assert result.exit_code == 1 and "email and plan" in result.stderr


def test_apikeys_create_prints_the_key_alone_and_revoke_takes_its_prefix(newsdesk, store):
    newsdesk("members", "add", "dev@example.com", "--plan", "pro")
    created = newsdesk("apikeys", "create", "dev@example.com", "--name", "ci")
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    assert created.stdout == key + "\n"
    assert key.startswith("ndk_") and len(key) == 44
    (token,) = store.member_tokens(listed(newsdesk)[0]["id"])
    assert (token.name, token.prefix, token.scope) == ("ci", key[:12], "read")
    assert key not in {token.prefix, token.name}
    revoked = newsdesk("apikeys", "revoke", key[:12])
    assert revoked.exit_code == 0, revoked.output
    assert store.member_tokens(token.member_id) == []
    again = newsdesk("apikeys", "revoke", key[:12])
    assert again.exit_code == 1 and "no live API key" in again.stderr


@pytest.mark.parametrize("prefix", ["nope", "ndf_AAAAAAAA", "ndk_AAA", ""])
def test_apikeys_revoke_refuses_what_is_not_a_key_prefix(newsdesk, prefix):
    result = newsdesk("apikeys", "revoke", prefix)
    assert result.exit_code == 1


def test_apikeys_create_needs_a_member(newsdesk, store):
    result = newsdesk("apikeys", "create", "stranger@example.com")
    assert result.exit_code == 1 and "no member stranger@example.com" in result.stderr
    assert result.stdout == ""


def test_list_shows_a_seat_holders_team_plan(newsdesk, store):
    newsdesk("members", "add", "owner@example.com", "--plan", "team", "--seats", "2")
    newsdesk("members", "add", "seat@example.com")
    owner = store.member_by_email("owner@example.com")
    store.add_team_seat(owner.id, "seat@example.com", now=utcnow(), actor="owner", limit=1)
    rows = {row["email"]: row for row in listed(newsdesk)}
    assert rows["seat@example.com"]["plan"] == "team"
    assert rows["seat@example.com"]["team_owner_id"] == owner.id
    assert store.plan_of(owner.id, datetime.now(UTC)).plan is Plan.TEAM
