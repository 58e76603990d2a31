"""Every setting and every command is documented where users look for it."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.main import get_command

from newsdesk.cli.app import app
from newsdesk.config import setting_table

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
    table = setting_table()
    assert len(table) >= 44 and {"secret_key", "fetch_host_delay"} <= {s.name for s in table}
    for setting in table:
        assert setting.help, f"setting {setting.name} has no help text"
        assert f"`{setting.env}`" in README, f"{setting.env} not in README"


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
