"""`newsdesk members …`: add members and grant plans, list them, revoke plans, import grants."""

from __future__ import annotations

from pathlib import Path

import typer

from newsdesk.cli.common import fail, guarded, opened_store, settings, to_json

app = typer.Typer(help="Members and their plans (free, pro, team).", no_args_is_help=True)


def _address(email: str) -> str:
    from newsdesk.text.emails import InvalidEmailError, normalise_email

    try:
        return normalise_email(email)
    except InvalidEmailError:
        fail(f"not a valid email address: {email!r}")


@app.command("add")
def add(
    email: str = typer.Argument(..., help="The member's email address."),
    plan: str = typer.Option("free", "--plan", help="free, pro or team."),
    until: str | None = typer.Option(
        None, "--until", help="Last day of the plan, YYYY-MM-DD (UTC); unset: no end."
    ),
    seats: int | None = typer.Option(
        None, "--seats", help="Team plan: people it covers, the owner included."
    ),
    reason: str = typer.Option("", "--reason", help="Why, kept in the entitlement record."),
) -> None:
    """Add a member (or find the existing one) and grant the plan, recorded as a change by
    the CLI. A later grant replaces this one; `members revoke` ends it."""
    from newsdesk.domain.members import EntitlementSource
    from newsdesk.domain.models import utcnow
    from newsdesk.members.plans import PlanChangeError, apply_change, describe, parse_change

    address = _address(email)
    now = utcnow()
    try:
        change = parse_change(plan, until, seats, now=now)
    except PlanChangeError as error:
        fail(str(error))
    config = settings()
    with opened_store(config) as store:
        member = guarded(lambda: store.ensure_member(address, now=now))
        guarded(
            lambda: apply_change(
                store,
                member,
                change,
                source=EntitlementSource.CLI,
                reason=reason or "newsdesk members add",
                actor="cli",
                now=now,
            )
        )
        state = store.plan_of(member.id, now)
    typer.echo(f"member {member.id} {address}: {describe(state)}")


@app.command("list")
def list_members(
    output_format: str = typer.Option("table", "--format", help="table or jsonl."),
) -> None:
    """Members by id with the plan in force now (team seats included)."""
    from newsdesk.domain.models import utcnow

    if output_format not in {"table", "jsonl"}:
        fail("--format must be table or jsonl")
    config = settings()
    now = utcnow()
    with opened_store(config, existing=True) as store:
        for member in store.iter_members():
            state = store.plan_of(member.id, now)
            if output_format == "jsonl":
                typer.echo(
                    to_json(
                        {
                            "id": member.id,
                            "email": member.email,
                            "plan": str(state.plan),
                            "until": state.until,
                            "seats": state.seats,
                            "source": state.source,
                            "team_owner_id": state.team_owner_id,
                            "created_at": member.created_at,
                            "last_signin_at": member.last_signin_at,
                        }
                    )
                )
            else:
                until = f" until {state.until:%Y-%m-%d}" if state.until else ""
                typer.echo(f"{member.id:>6} {member.email or '':<40} {state.plan}{until}")


@app.command("revoke")
def revoke(
    email: str = typer.Argument(..., help="The member's email address."),
    reason: str = typer.Option("", "--reason", help="Why, kept in the entitlement record."),
) -> None:
    """End every plan the member has now (back to free from the next request); a later
    grant or payment event can give one again."""
    from newsdesk.domain.members import EntitlementSource
    from newsdesk.domain.models import utcnow

    address = _address(email)
    now = utcnow()
    config = settings()
    with opened_store(config, existing=True) as store:
        member = store.member_by_email(address)
        if member is None:
            fail(f"no member {address}")
        guarded(
            lambda: store.revoke_plan(
                member.id,
                source=EntitlementSource.CLI,
                reason=reason or "newsdesk members revoke",
                actor="cli",
                now=now,
            )
        )
        state = store.plan_of(member.id, now)
    typer.echo(f"member {member.id} {address}: revoked; now {state.plan}")


@app.command("import")
def import_grants(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV with a header line."),
) -> None:
    """Grant plans from a CSV (email, plan, until, seats, reason); unknown addresses become
    members. Importing the same file again changes nothing."""
    from newsdesk.domain.models import utcnow
    from newsdesk.members.plans import PlanChangeError, import_grants

    config = settings()
    with opened_store(config) as store, file.open(encoding="utf-8-sig", newline="") as lines:
        try:
            report = guarded(lambda: import_grants(store, lines, actor="cli", now=utcnow()))
        except (PlanChangeError, UnicodeDecodeError) as error:
            fail(f"{file}: {error}")
    for problem in report.problems:
        typer.echo(f"{file}:{problem.line}: skipped: {problem.reason}", err=True)
    typer.echo(
        f"granted {report.granted}, already imported {report.unchanged}, "
        f"invalid {len(report.problems)}"
    )
