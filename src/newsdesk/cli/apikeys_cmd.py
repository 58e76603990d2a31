"""`newsdesk apikeys …`: create and revoke members' read-only API keys."""

from __future__ import annotations

import typer

from newsdesk.cli.common import fail, guarded, opened_store, settings

app = typer.Typer(
    help="Members' API keys (read-only, Authorization: Bearer).", no_args_is_help=True
)


@app.command("create")
def create(
    email: str = typer.Argument(..., help="The member's email address."),
    name: str = typer.Option("", "--name", help="What the key is for (shown in lists)."),
) -> None:
    """Create a key for a member and print it alone on stdout: it is shown only this once
    (only its hash is stored; its prefix identifies it in lists and for revoking)."""
    from newsdesk.bootstrap import members_options
    from newsdesk.domain.models import utcnow
    from newsdesk.members.accounts import TooManyTokensError, create_api_key
    from newsdesk.text.emails import InvalidEmailError, normalise_email

    try:
        address = normalise_email(email)
    except InvalidEmailError:
        fail(f"not a valid email address: {email!r}")
    config = settings()
    with opened_store(config, existing=True) as store:  # a key needs a member already there
        member = store.member_by_email(address)
        if member is None:
            fail(f"no member {address} (add one with `newsdesk members add`)")
        try:
            created = guarded(
                lambda: create_api_key(
                    store, members_options(config), member, name or "CLI", now=utcnow()
                )
            )
        except TooManyTokensError as error:
            fail(str(error))
    typer.echo(f"created {created.token.prefix} for {address}", err=True)
    typer.echo(created.key)


@app.command("revoke")
def revoke(
    key_prefix: str = typer.Argument(..., help="The key's prefix as listed (ndk_…) or the key."),
) -> None:
    """Revoke a key: the next request made with it is refused."""
    from newsdesk.domain.models import utcnow
    from newsdesk.members.secrets import token_prefix

    prefix = token_prefix(key_prefix)
    if prefix is None or not prefix.startswith("ndk_"):
        fail("KEY_PREFIX must look like ndk_ followed by 8 letters or digits")
    config = settings()
    with opened_store(config, existing=True) as store:
        revoked = guarded(lambda: store.revoke_member_token(prefix, now=utcnow()))
    if revoked is None:
        fail(f"no live API key {prefix}")
    typer.echo(f"revoked {prefix}")
