"""A data directory or database the CLI cannot use: one line saying what is wrong, exit 1, no
traceback, and the database left byte for byte as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cli_support import Invoke
from typer.testing import Result


def _one_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    [line] = result.output.splitlines()
    assert line.startswith("error: ")
    return line


@pytest.mark.parametrize(
    "command", [("init",), ("db", "upgrade"), ("sources", "list")], ids=" ".join
)
def test_a_database_from_a_newer_newsdesk_is_refused_and_left_alone(
    command: tuple[str, ...], newsdesk: Invoke, tmp_path: Path
) -> None:
    assert newsdesk("init").exit_code == 0
    database = tmp_path / "data" / "newsdesk.db"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = database.read_bytes()
    line = _one_error(newsdesk(*command))
    assert "schema revision 9999, newer than this newsdesk knows" in line
    assert "upgrade newsdesk" in line
    assert database.read_bytes() == before


def test_a_corrupt_database_is_one_line_and_left_alone(newsdesk: Invoke, tmp_path: Path) -> None:
    database = tmp_path / "data" / "newsdesk.db"
    database.parent.mkdir()
    garbage = bytes(range(256)) * 32
    database.write_bytes(garbage)
    for command in (("init",), ("sources", "list"), ("members", "add", "a@example.com")):
        assert "file is not a database" in _one_error(newsdesk(*command))
    assert database.read_bytes() == garbage


@pytest.mark.parametrize("url", ["abc", "mysql://user@host/db", "http://example.com/"])
def test_a_database_url_newsdesk_cannot_open_names_the_setting(
    url: str, newsdesk: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", url)
    line = _one_error(newsdesk("sources", "list"))
    assert "NEWSDESK_DATABASE_URL" in line
    assert "sqlite:///PATH or postgresql://USER@HOST/DB" in line


@pytest.mark.parametrize("command", [("init",), ("members", "add", "a@example.com")], ids=" ".join)
def test_a_data_dir_that_is_a_file_says_so(
    command: tuple[str, ...], newsdesk: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_dir = tmp_path / "notes.txt"
    not_a_dir.write_text("keep me")
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(not_a_dir))
    assert _one_error(newsdesk(*command)) == (
        f"error: NEWSDESK_DATA_DIR {not_a_dir} is a file, not a directory: point it at "
        "your instance's data directory"
    )
    assert not_a_dir.read_text() == "keep me"


def test_a_closed_postgresql_port_is_one_line(
    newsdesk: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("psycopg")
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", "postgresql://user:secret@127.0.0.1:1/news")
    line = _one_error(newsdesk("sources", "list"))
    assert "Connection refused" in line
    assert "secret" not in line


def test_a_database_another_process_is_writing_to_says_it_is_locked(
    newsdesk: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert newsdesk("init").exit_code == 0
    monkeypatch.setattr("newsdesk.store.engine.SQLITE_BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(tmp_path / "data" / "newsdesk.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        line = _one_error(newsdesk("members", "add", "a@example.com"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert line.startswith("error: database is locked: another process has held a write")
    listed = newsdesk("members", "list")
    assert listed.exit_code == 0
    assert listed.output == ""
