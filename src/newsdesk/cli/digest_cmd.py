"""`newsdesk digest`: send the day's digests now, or preview one subscriber's digest."""

from __future__ import annotations

from datetime import UTC, date, datetime

import typer

from newsdesk.cli.common import check_format, fail, guarded, opened_store, settings, to_json

app = typer.Typer(help="The daily Top Insights Today digest.", no_args_is_help=True)


def _day(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--date must be YYYY-MM-DD, got {value!r}")


@app.command("send")
def send(
    day: str | None = typer.Option(
        None, "--date", help="Digest date YYYY-MM-DD (default: today in UTC)."
    ),
    output_format: str = typer.Option("text", "--format", help="Report as text or json."),
) -> None:
    """Send every digest for the date that was not sent yet, whatever the hour."""
    from newsdesk.bootstrap import run_digest

    check_format(output_format, "text", "json")
    digest_date = _day(day)
    config = settings()
    with opened_store(config) as store:
        report = guarded(lambda: run_digest(config, store, day=digest_date))
    if output_format == "json":
        typer.echo(to_json({"date": digest_date.isoformat(), **report.as_dict()}))
    else:
        typer.echo(f"digest {digest_date.isoformat()}: {report.line()}")


@app.command("preview")
def preview(
    email: str = typer.Argument(..., help="The subscriber's email address."),
    day: str | None = typer.Option(
        None, "--date", help="Digest date YYYY-MM-DD (default: today in UTC)."
    ),
    output_format: str = typer.Option("html", "--format", help="html or text."),
) -> None:
    """Print the digest EMAIL would get for the date; sends nothing."""
    from newsdesk.bootstrap import digest_run

    if output_format not in {"html", "text"}:
        fail("--format must be html or text")
    digest_date = _day(day)
    config = settings()
    with opened_store(config, existing=True) as store:
        subscriber = guarded(
            lambda: (
                store.get_subscriber_by_email(email.strip())
                or store.get_subscriber_by_email(email.strip().lower())
            )
        )
        if subscriber is None:
            fail(f"no subscriber {email!r}")
        rendered = guarded(lambda: digest_run(config, store).preview(subscriber, digest_date))
    if rendered is None:
        typer.echo(
            f"no digest for {subscriber.email} on {digest_date.isoformat()}: nothing in their "
            "sectors or watched entities",
            err=True,
        )
        return
    if output_format == "text":
        typer.echo(f"Subject: {rendered.subject}\n\n{rendered.text}")
    else:
        typer.echo(rendered.html)
