"""Every command's --help reads as prose at a terminal's 80 columns: docstrings are wrapped at
the source's width, so a help renderer that kept their line breaks printed ragged lines, and
one that read square brackets as markup dropped `[ids]`."""

from __future__ import annotations

import re

import typer
from typer.testing import CliRunner

from newsdesk.cli.app import app


def _commands(command: object, path: list[str]) -> list[list[str]]:
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, [*path, name])
    return found


def _help(path: list[str]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.output


def _prose(text: str) -> str:
    return re.sub(r"[\s│]+", " ", text)


def test_every_command_has_help_that_fits_80_columns() -> None:
    paths = _commands(typer.main.get_command(app), [])
    assert len(paths) > 40
    for path in paths:
        output = _help(path)
        assert max(len(line) for line in output.splitlines()) <= 80, path


def test_help_text_is_reflowed_not_cut_at_the_sources_line_breaks() -> None:
    members = _help(["members"])
    assert "recorded as a change by the CLI" in _prose(members)
    # Without reflowing, the line broke after "as a change by" although 80 columns had room.
    assert not re.search(r"as a change by\s*│\s*\n", members)


def test_square_brackets_in_help_are_text() -> None:
    assert '"sectors":[ids]}' in _help(["sectors", "train"]).replace(" ", "").replace("│\n│", "")
