"""The database URLs operators write: `postgres://`, as Heroku, Render, Fly and libpq hand them
out, runs newsdesk on PostgreSQL like `postgresql+psycopg://` (SQLAlchemy alone refuses the
scheme), and `newsdesk init` there sets up the job queue as `db upgrade` does; a SQLite file
named by NEWSDESK_DATABASE_URL has no job queue and needs none."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import Invoke


@pytest.mark.postgres
def test_init_and_commands_run_on_a_postgres_scheme_url(
    postgres_url: str, newsdesk: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    scheme, _, rest = postgres_url.partition("://")
    assert scheme.startswith("postgresql")
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", f"postgres://{rest}")
    initialised = newsdesk("init")
    assert initialised.exit_code == 0, initialised.output
    assert "postgresql+psycopg://" in initialised.output
    assert "job queue schema: procrastinate" in initialised.output
    added = newsdesk("members", "add", "reader@example.com", "--plan", "pro")
    assert added.exit_code == 0, added.output
    listed = newsdesk("members", "list")
    assert listed.exit_code == 0, listed.output
    assert "reader@example.com" in listed.output
    status = newsdesk("workers", "status")
    assert status.exit_code == 0, status.output


@pytest.mark.parametrize("command", [("init",), ("db", "upgrade")], ids=" ".join)
def test_a_sqlite_database_url_is_set_up_without_a_job_queue(
    command: tuple[str, ...], newsdesk: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "elsewhere" / "news.db"
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", f"sqlite:///{database}")
    result = newsdesk(*command)
    assert result.exit_code == 0, result.output
    assert database.is_file()
    assert "job queue" not in result.output
