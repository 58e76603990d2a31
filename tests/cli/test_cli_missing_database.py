"""Commands that only read (list, export, preview, status) or change rows that must already
exist say in one line that there is no database, and exit 1, instead of creating an empty
`newsdesk.db` where the operator mistyped NEWSDESK_DATA_DIR; init and the commands that fill
the database still create it."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import Invoke

from newsdesk.store import sqlite_file

NEEDS_A_DATABASE = [
    ("sources", "list"),
    ("sources", "export"),
    ("sources", "set", "1", "--visibility", "pro"),
    ("sources", "remove", "1"),
    ("subscribers", "list"),
    ("subscribers", "remove", "reader@example.com"),
    ("members", "list"),
    ("members", "revoke", "reader@example.com"),
    ("apikeys", "create", "reader@example.com"),
    ("apikeys", "revoke", "ndk_abcd1234"),
    ("articles", "list"),
    ("entities", "list"),
    ("facts", "list"),
    ("sectors", "corrections"),
    ("digest", "preview", "reader@example.com"),
    ("alerts", "list"),
    ("alerts", "remove", "1"),
    ("workers", "status"),
]


@pytest.mark.parametrize("command", NEEDS_A_DATABASE, ids=" ".join)
def test_without_a_database_the_command_says_so_and_creates_nothing(
    command: tuple[str, ...], newsdesk: Invoke, tmp_path: Path
) -> None:
    result = newsdesk(*command)
    database = tmp_path / "data" / "newsdesk.db"
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"error: no database at {database}: run `newsdesk init` first, or point "
        "NEWSDESK_DATA_DIR at your instance's data directory"
    ]
    assert not (tmp_path / "data").exists()


def test_a_database_url_naming_a_missing_file_names_that_setting(
    newsdesk: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "elsewhere" / "news.db"
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", f"sqlite:///{missing}")
    result = newsdesk("articles", "list")
    assert result.exit_code == 1
    assert "NEWSDESK_DATABASE_URL at your instance's database" in result.output
    assert not missing.parent.exists()


def test_after_init_the_same_commands_read_the_empty_database(newsdesk: Invoke) -> None:
    assert newsdesk("init").exit_code == 0
    listed = newsdesk("sources", "list")
    assert listed.exit_code == 0, listed.output
    assert "no sources yet" in listed.output
    assert newsdesk("workers", "status").exit_code == 0


def test_commands_that_fill_the_database_still_create_it(newsdesk: Invoke, tmp_path: Path) -> None:
    added = newsdesk("members", "add", "reader@example.com", "--plan", "pro")
    assert added.exit_code == 0, added.output
    assert (tmp_path / "data" / "newsdesk.db").is_file()


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:////srv/news/newsdesk.db", Path("/srv/news/newsdesk.db")),
        ("sqlite:///relative.db", Path("relative.db")),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("sqlite:///file:shared?mode=memory&uri=true", None),
        ("postgresql+psycopg://news@db.example/newsdesk", None),
    ],
)
def test_the_file_a_url_names(url: str, path: Path | None) -> None:
    assert sqlite_file(url) == path
