"""CLI tests run the real `newsdesk` app in-process against a fresh data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_support import Invoke
from typer.testing import CliRunner, Result

from newsdesk.cli.app import app


@pytest.fixture
def newsdesk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    for key in list(os.environ):
        if key.startswith("NEWSDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_FETCH_HOST_DELAY", "0")
    monkeypatch.setenv("NEWSDESK_LOG_LEVEL", "WARNING")
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke
