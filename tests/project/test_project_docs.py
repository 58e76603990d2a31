"""Every setting and every command is documented where users look for it."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.main import get_command

from newsdesk.cli.app import app
from newsdesk.config import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_paths() -> list[str]:
    root = get_command(app)
    paths: list[str] = []
    assert isinstance(root, typer.core.TyperGroup)
    for name, command in root.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            paths.extend(f"{name} {sub}" for sub in command.commands)
        else:
            paths.append(name)
    return paths


def test_every_setting_has_help_and_is_in_the_readme() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no help text"
        assert f"NEWSDESK_{name.upper()}" in README, f"NEWSDESK_{name.upper()} not in README"


def test_every_command_is_in_the_readme() -> None:
    paths = _command_paths()
    assert "sources add" in paths
    for path in paths:
        assert f"newsdesk {path}" in README, f"`newsdesk {path}` not in README"


def test_readme_first_code_block_holds_exactly_two_commands() -> None:
    match = re.search(r"```[a-z]*\n(.*?)```", README, re.S)
    assert match is not None
    lines = [line for line in match.group(1).splitlines() if line.strip()]
    assert lines == ["./scripts/demo.sh", "./scripts/test.sh"]
    for line in lines:
        script = ROOT / line
        assert script.is_file() and script.stat().st_mode & 0o111, f"{line} is not executable"


def test_changelog_has_an_unreleased_section() -> None:
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
