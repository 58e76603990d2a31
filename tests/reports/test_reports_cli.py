"""`newsdesk reports build`: the contract, its files and its errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from report_world import SECTOR, WEEK, build
from typer.testing import CliRunner, Result

from newsdesk.cli.app import app
from newsdesk.store import open_store

Invoke = Callable[..., Result]


@pytest.fixture
def newsdesk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    for key in list(os.environ):
        if key.startswith("NEWSDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_LOG_LEVEL", "WARNING")
    store = open_store(f"sqlite:///{tmp_path / 'data' / 'newsdesk.db'}")
    try:
        build(store)
    finally:
        store.close()
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


def test_a_sector_week_as_html_and_pdf(newsdesk: Invoke, tmp_path: Path) -> None:
    html = newsdesk(
        "reports",
        "build",
        "--sector",
        SECTOR,
        "--week",
        WEEK,
        "--format",
        "html",
        "--out",
        str(tmp_path / "w.html"),
    )
    assert html.exit_code == 0, html.output
    text = (tmp_path / "w.html").read_text()
    assert "Rare Earths" in text and 'id="ref-1"' in text
    pdf = newsdesk(
        "reports",
        "build",
        "--sector",
        SECTOR,
        "--week",
        WEEK,
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "w.pdf"),
    )
    assert pdf.exit_code == 0 and (tmp_path / "w.pdf").read_bytes().startswith(b"%PDF")


def test_an_entity_dossier(newsdesk: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "d.html"
    result = newsdesk(
        "reports",
        "build",
        "--entity",
        "org:jogmec",
        "--from",
        "2026-06-01",
        "--to",
        "2026-06-07",
        "--format",
        "html",
        "--out",
        str(out),
    )
    assert result.exit_code == 0 and "JOGMEC: dossier" in out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--sector", SECTOR), "--week"),
        (("--week", WEEK), "either --sector"),
        (("--sector", SECTOR, "--entity", "x", "--week", WEEK), "either --sector"),
        (("--sector", SECTOR, "--week", "2026-W60"), "not a week"),
        (("--sector", "nope", "--week", WEEK), "no sector 'nope'"),
        (("--entity", "org:nobody", "--from", "2026-01-01", "--to", "2026-01-02"), "no entity"),
        (("--entity", "org:jogmec", "--from", "2026-01-05", "--to", "2026-01-01"), "ends before"),
        (("--entity", "org:jogmec", "--from", "yesterday", "--to", "2026-01-01"), "YYYY-MM-DD"),
        (("--sector", SECTOR, "--week", WEEK, "--format", "docx"), "html or pdf"),
    ],
)
def test_bad_arguments_get_one_clear_line(
    newsdesk: Invoke, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = newsdesk("reports", "build", *args, "--out", str(tmp_path / "x"))
    assert result.exit_code != 0 and message in result.output
    assert not (tmp_path / "x").exists()
