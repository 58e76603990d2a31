"""`newsdesk config …`: inspect settings."""

from __future__ import annotations

import typer

from newsdesk.cli.common import check_format, settings, to_json

app = typer.Typer(help="Inspect settings.", no_args_is_help=True)


@app.command("show")
def show(
    output_format: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """Print every setting with its value (secrets redacted) and what it does."""
    from newsdesk.config import setting_table

    check_format(output_format, "table", "json")
    values = settings().redacted()
    if output_format == "json":
        typer.echo(to_json(values))
        return
    table = setting_table()
    width = max(len(setting.name) for setting in table)
    for setting in table:
        value = values[setting.name]
        place = f"[{setting.group}] {setting.field}"
        typer.echo(
            f"{setting.name.ljust(width)}  {value!s:<40}  {setting.env} ({place}): {setting.help}"
        )
