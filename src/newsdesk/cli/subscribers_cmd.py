"""`newsdesk subscribers …`: list, import and remove digest subscribers."""

from __future__ import annotations

import csv
from pathlib import Path

import typer

from newsdesk.cli.common import fail, guarded, opened_store, settings, to_json

app = typer.Typer(help="Subscribers of the daily digest.", no_args_is_help=True)


@app.command("list")
def list_subscribers(
    status: str | None = typer.Option(
        None, "--status", help="pending, active, unsubscribed or suppressed."
    ),
    output_format: str = typer.Option("table", "--format", help="table or jsonl."),
) -> None:
    """Subscribers by id with status, sectors and delivery time."""
    from newsdesk.domain.subscribers import SubscriberStatus

    if output_format not in {"table", "jsonl"}:
        fail("--format must be table or jsonl")
    try:
        wanted = SubscriberStatus(status) if status else None
    except ValueError:
        fail("--status must be pending, active, unsubscribed or suppressed")
    config = settings()
    with opened_store(config, existing=True) as store:
        for s in store.iter_subscribers(wanted):
            if output_format == "jsonl":
                typer.echo(
                    to_json(
                        {
                            "id": s.id,
                            "email": s.email,
                            "status": str(s.status),
                            "sectors": s.sectors,
                            "entities": s.entities,
                            "delivery_time": s.delivery_time,
                            "timezone": s.timezone,
                            "paused": s.paused,
                            "confirmed_at": s.confirmed_at,
                        }
                    )
                )
            else:
                paused = " paused" if s.paused else ""
                typer.echo(
                    f"{s.id:>6} {s.email:<40} {s.status:<12} {s.delivery_time} "
                    f"{s.timezone}{paused} {','.join(s.sectors)}"
                )


@app.command("import")
def import_subscribers(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV with a header line."),
) -> None:
    """Add active subscribers from a CSV (email, sectors, entities, delivery_time, timezone,
    paused). Known addresses are left as they are: unsubscribed ones stay unsubscribed."""
    from newsdesk.deliver.subscriber_import import SubscriberImportProblem, read_subscriber_csv
    from newsdesk.domain.models import utcnow
    from newsdesk.enrich.sectors.taxonomy import load_taxonomy

    config = settings()
    taxonomy = guarded(lambda: load_taxonomy(config.enrich.taxonomy_path))
    known = tuple(sector.id for sector in taxonomy.sectors)
    problems: list[SubscriberImportProblem] = []
    with opened_store(config) as store, file.open(encoding="utf-8-sig", newline="") as lines:
        try:
            rows = read_subscriber_csv(lines, known_sectors=known, problems=problems)
            counts = guarded(lambda: store.import_subscribers(rows, at=utcnow(), form="import"))
        except (ValueError, UnicodeDecodeError, csv.Error) as error:
            fail(f"{file}: {error}")
    for problem in problems:
        typer.echo(f"{file}:{problem.line}: skipped: {problem.reason}", err=True)
    typer.echo(
        f"added {counts['added']}, already known {counts['existing']}, "
        f"not re-subscribed (unsubscribed or suppressed) {counts['withdrawn']}, "
        f"invalid {len(problems)}"
    )


@app.command("remove")
def remove(email: str = typer.Argument(..., help="The subscriber's email address.")) -> None:
    """Unsubscribe an address now (recorded as withdrawn by the operator). The address is
    kept as unsubscribed so that no import or admin edit can subscribe it again."""
    from newsdesk.deliver.subscriptions import SignupError, normalise_email
    from newsdesk.domain.models import utcnow

    try:
        address = normalise_email(email)
    except SignupError:
        fail(f"not a valid email address: {email!r}")
    config = settings()
    with opened_store(config, existing=True) as store:
        subscriber = store.get_subscriber_by_email(address)
        if subscriber is None or subscriber.id is None:
            fail(f"no subscriber {address}")
        changed = store.unsubscribe(subscriber.id, at=utcnow(), ip=None, form="cli")
    if changed:
        typer.echo(f"unsubscribed {address}")
    else:
        typer.echo(f"{address} was already {subscriber.status}")
