"""`newsdesk alerts`: add, list and remove members' alerts; rotate a webhook's secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import typer

from newsdesk.cli.common import fail, guarded, opened_store, settings, to_json

app = typer.Typer(
    help="Members' alerts: saved searches, entities, sectors, facts.", no_args_is_help=True
)


@app.command("add")
def add(
    email: str = typer.Argument(..., help="The owner: an existing member's address."),
    query: str | None = typer.Option(
        None, "--query", help="A saved search: every word must match."
    ),
    entity: str | None = typer.Option(None, "--entity", help="An entity id to watch."),
    sector: str | None = typer.Option(None, "--sector", help="A sector id to watch."),
    fact: str | None = typer.Option(
        None, "--fact", help="A fact type: agreement, investment, quantity, policy."
    ),
    involving: list[str] = typer.Option(
        [], "--involving", help="With --fact: an entity id the fact must involve (repeatable)."
    ),
    in_sector: list[str] = typer.Option(
        [], "--in-sector", help="With --query: only articles in this sector (repeatable)."
    ),
    by_email: bool = typer.Option(False, "--email", help="Mail each match at once."),
    hourly: bool = typer.Option(
        False, "--hourly", help="With --email: one message an hour instead."
    ),
    webhook: str | None = typer.Option(
        None, "--webhook", help="POST each match here (Standard Webhooks)."
    ),
    slack: bool = typer.Option(
        False, "--slack", help="With --webhook: a Slack-compatible payload."
    ),
    name: str = typer.Option("", "--name", help="A name for the alert."),
) -> None:
    """Create an alert; prints its id, and for a webhook its signing secret on a line of its own."""
    from newsdesk.alerts.create import AlertRequest, create_alert
    from newsdesk.bootstrap.alerts import alert_owners
    from newsdesk.bootstrap.options import site_sectors
    from newsdesk.domain.alerts import AlertKind, EmailMode, PayloadFormat

    chosen = [
        (k, v)
        for k, v in (
            (AlertKind.QUERY, query),
            (AlertKind.ENTITY, entity),
            (AlertKind.SECTOR, sector),
            (AlertKind.FACT, fact),
        )
        if v is not None
    ]
    if len(chosen) != 1:
        fail("give exactly one of --query Q, --entity ID, --sector ID or --fact TYPE")
    kind, value = chosen[0]
    if involving and kind is not AlertKind.FACT:
        fail("--involving goes with --fact")
    if in_sector and kind is not AlertKind.QUERY:
        fail("--in-sector goes with --query")
    if hourly and not by_email:
        fail("--hourly goes with --email")
    if slack and not webhook:
        fail("--slack goes with --webhook")
    config = settings()
    mode = EmailMode.HOURLY if hourly else EmailMode.INSTANT if by_email else EmailMode.OFF
    request = AlertRequest(
        email=email,
        kind=kind,
        value=value or "",
        involving=tuple(involving),
        in_sectors=tuple(in_sector),
        name=name,
        email_mode=mode,
        webhook_url=webhook,
        payload=PayloadFormat.SLACK if slack else PayloadFormat.STANDARD,
    )
    sectors = {s.id: s.name for s in site_sectors(config)}
    with opened_store(config) as store:
        created = guarded(
            lambda: create_alert(
                store,
                alert_owners(store),
                request,
                sectors=sectors,
                entity_name=lambda entity_id: getattr(store.get_entity(entity_id), "name", None),
                allow_hosts=config.fetch.allow_hosts,
                now=datetime.now(UTC),
            )
        )
    typer.echo(created.alert.id)
    if created.webhook_secret:
        typer.echo(created.webhook_secret)
    feed = f"{config.site.base_url}/feeds/alerts/{created.feed_token}.xml"
    typer.echo(f"private feed: {feed}", err=True)


@app.command("list")
def list_alerts(
    output_format: str = typer.Option("table", "--format", help="table or jsonl."),
    removed: bool = typer.Option(False, "--removed", help="Include removed alerts."),
) -> None:
    """Every alert with its owner, what it watches and its channels (never secrets)."""
    from newsdesk.bootstrap.alerts import alert_owners

    if output_format not in {"table", "jsonl"}:
        fail("--format must be table or jsonl")
    config = settings()
    with opened_store(config, existing=True) as store:
        owners = guarded(lambda: alert_owners(store))
        rows = []
        for alert in store.list_alerts(active=not removed):
            endpoint = store.get_webhook_endpoint(alert.webhook_id) if alert.webhook_id else None
            rows.append(
                {
                    "id": alert.id,
                    "owner": owners.email_of(alert.member_id),
                    "kind": str(alert.kind),
                    "name": alert.name,
                    "query": alert.query,
                    "sectors": list(alert.sectors),
                    "entities": list(alert.entity_ids),
                    "fact": None
                    if alert.fact is None
                    else {"type": alert.fact.fact_type, "involving": list(alert.fact.involving)},
                    "email": str(alert.email),
                    "webhook": None
                    if endpoint is None
                    else {
                        "id": endpoint.id,
                        "url": endpoint.url,
                        "payload": str(endpoint.payload),
                        "enabled": endpoint.enabled,
                        "disabled_reason": endpoint.disabled_reason,
                    },
                    "created_at": alert.created_at,
                    "removed_at": alert.removed_at,
                }
            )
    for row in rows:
        if output_format == "jsonl":
            typer.echo(to_json(row))
        else:
            channels = ", ".join(
                c
                for c in (
                    f"email {row['email']}" if row["email"] != "off" else "",
                    "webhook" if row["webhook"] else "",
                    "feed",
                )
                if c
            )
            typer.echo(f"{row['id']:>5}  {row['owner'] or '-'}  {row['name']}  [{channels}]")


@app.command("remove")
def remove(alert_id: int = typer.Argument(..., help="The alert's id.")) -> None:
    """Stop an alert; its waiting deliveries are cancelled."""
    config = settings()
    with opened_store(config, existing=True) as store:
        if not guarded(lambda: store.remove_alert(alert_id, now=datetime.now(UTC))):
            fail(f"no active alert {alert_id}")
    typer.echo(f"alert {alert_id} removed", err=True)


@app.command("rotate-secret")
def rotate_secret(
    endpoint_id: int = typer.Argument(..., help="The webhook endpoint's id (alerts list)."),
    grace_hours: int = typer.Option(
        24, "--grace-hours", min=0, max=720, help="How long the old secret still signs."
    ),
) -> None:
    """A new whsec_ secret for a webhook endpoint, printed alone; deliveries carry both
    signatures until the grace period ends."""
    from newsdesk.alerts.payloads import new_secret

    config = settings()
    secret = new_secret()
    until = datetime.now(UTC) + timedelta(hours=grace_hours)
    with opened_store(config, existing=True) as store:
        if not guarded(
            lambda: store.rotate_webhook_secret(endpoint_id, secret=secret, previous_until=until)
        ):
            fail(f"no webhook endpoint {endpoint_id}")
    typer.echo(secret)
