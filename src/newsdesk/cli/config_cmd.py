"""`newsdesk config …`: inspect settings."""

from __future__ import annotations

import typer

from newsdesk.cli.common import settings, to_json

app = typer.Typer(help="Inspect settings.", no_args_is_help=True)


@app.command("show")
def show(
    output_format: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """Print every setting with its value (secrets redacted) and what it does."""
    from newsdesk.config import setting_help

    values = settings().redacted()
    if output_format == "json":
        typer.echo(to_json(values))
        return
    helps = setting_help()
    width = max(len(name) for name in values)
    for name, value in values.items():
        env = f"NEWSDESK_{name.upper()}"
        typer.echo(f"{name.ljust(width)}  {value!s:<40}  {env}: {helps[name]}")
