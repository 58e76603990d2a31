"""A member's own things: API keys, private feed tokens, the export of their data, and
deleting the account. The web pages and the CLI call these; nothing here knows HTTP."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from newsdesk.domain.members import EntitlementSource, Member, MemberToken, TokenKind
from newsdesk.members.options import MembersOptions
from newsdesk.members.ports import MemberStore
from newsdesk.members.secrets import (
    ALPHABET,
    PREFIX_CHARS,
    SECRET_CHARS,
    TOKEN_MARKS,
    digest,
    new_member_token,
    random_text,
)

READ_SCOPE = "read"
SECRET_FIELDS = frozenset({"id", "token_hash"})
MAX_NAME = 100
# Private feeds live under this path; the feed routes declare {feed_token} so the viewer
# resolver finds the member (members.viewer). e.g. /feeds/private/ndf_…/top.xml
PRIVATE_FEED_ROOT = "/feeds/private/{feed_token}"
PRIVATE_FEED_FORMATS = (("RSS", "top.xml"), ("Atom", "top.atom"), ("JSON Feed", "top.json"))


class TooManyTokensError(ValueError):
    """The member has as many live keys (or feed URLs) as allowed."""


@dataclass(frozen=True)
class NewApiKey:
    key: str  # shown once, never stored
    token: MemberToken


def clean_name(name: str | None, default: str) -> str:
    cleaned = " ".join((name or "").split())[:MAX_NAME]
    return "".join(ch for ch in cleaned if ch.isprintable()) or default


def create_api_key(
    store: MemberStore, options: MembersOptions, member: Member, name: str | None, *, now: datetime
) -> NewApiKey:
    """A new read-only key; the whole key is returned once and only its hash is kept."""
    if len(store.member_tokens(member.id, TokenKind.API_KEY)) >= options.max_api_keys:
        raise TooManyTokensError(f"at most {options.max_api_keys} API keys; revoke one first")
    key, prefix = new_member_token(TokenKind.API_KEY)
    token = store.add_member_token(
        member.id,
        TokenKind.API_KEY,
        prefix=prefix,
        token_hash=digest(key),
        name=clean_name(name, "API key"),
        scope=READ_SCOPE,
        now=now,
    )
    return NewApiKey(key=key, token=token)


def feed_token_for(key: str, prefix: str) -> str:
    """A feed token is derived from its prefix and the site's secret key, so the account page
    can show its URL again while the database keeps only a hash (a leaked database does not
    leak feed URLs). The stored hash, not the key, decides whether a URL works: a key change
    keeps every URL working, and the page shows it while the old key is still listed."""
    mac = hmac.new(
        hashlib.sha256(f"newsdesk:feed:{key}".encode()).digest(),
        prefix.encode("ascii"),
        hashlib.sha512,
    ).digest()
    number = int.from_bytes(mac, "big")
    chars = []
    for _ in range(SECRET_CHARS):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return prefix + "".join(chars)


def create_feed_token(
    store: MemberStore, options: MembersOptions, member: Member, name: str | None, *, now: datetime
) -> MemberToken:
    if len(store.member_tokens(member.id, TokenKind.FEED)) >= options.max_feed_tokens:
        raise TooManyTokensError(f"at most {options.max_feed_tokens} feed URLs; revoke one first")
    prefix = TOKEN_MARKS[TokenKind.FEED] + random_text(PREFIX_CHARS)
    return store.add_member_token(
        member.id,
        TokenKind.FEED,
        prefix=prefix,
        token_hash=digest(feed_token_for(options.signing.current, prefix)),
        name=clean_name(name, "Feed reader"),
        scope=READ_SCOPE,
        now=now,
    )


def private_feed_urls(options: MembersOptions, token: MemberToken) -> list[tuple[str, str]]:
    """(format name, URL) of a feed token's private feeds; none when no accepted key made it
    (it keeps working, but only its owner's reader knows the URL now)."""
    for key in options.signing.accepted:
        secret = feed_token_for(key, token.prefix)
        if digest(secret) == token.token_hash:
            root = PRIVATE_FEED_ROOT.format(feed_token=secret)
            return [(label, options.url(f"{root}/{name}")) for label, name in PRIVATE_FEED_FORMATS]
    return []


# A key or feed token is exported by its prefix: neither its row id nor the hash it is checked by.
TOKEN_DROP = frozenset({"id", "token_hash"})


def export_data(
    store: MemberStore, options: MembersOptions, member: Member, *, now: datetime
) -> dict[str, Any]:
    """Everything newsdesk keeps about the member, as JSON-ready data (secrets excluded:
    keys and tokens by prefix, sessions without their ids)."""
    plan = store.plan_of(member.id, now)
    subscriber = store.get_subscriber_by_email(member.email) if member.email else None
    digest_part: dict[str, Any] | None = None
    if subscriber is not None and subscriber.id is not None:
        digest_part = {
            "subscriber": _plain(asdict(subscriber), drop={"confirm_nonce"}),
            "consent_record": [
                _plain(asdict(event)) for event in store.consent_history(subscriber.id)
            ],
        }
    tokens = store.member_tokens(member.id)
    return {
        "exported_at": now.isoformat(),
        "site": options.site_name,
        "member": _plain(asdict(member)),
        "plan": _plain(asdict(plan)),
        "entitlement_records": [
            _plain(asdict(record)) for record in store.entitlement_records(member.id)
        ],
        "team_seats_given": [_plain(asdict(seat)) for seat in store.team_seats(member.id)],
        "team_seats_held": [_plain(asdict(seat)) for seat in store.seats_held(member.email or "")],
        "sessions": [
            _plain(asdict(session), drop={"id"})
            for session in store.member_sessions(member.id, now=now)
        ],
        "api_keys": [
            _plain(asdict(t), drop=TOKEN_DROP) for t in tokens if t.kind is TokenKind.API_KEY
        ],
        "feed_tokens": [
            _plain(asdict(t), drop=TOKEN_DROP) for t in tokens if t.kind is TokenKind.FEED
        ],
        "digest": digest_part,
        "payment_subscriptions": [
            _plain(asdict(state)) for state in store.payment_subscriptions_of(member.id)
        ],
        "alerts": [_plain(asdict(alert)) for alert in store.list_alerts(member_id=member.id)],
        "webhook_endpoints": [
            _plain(asdict(endpoint), drop={"secret", "previous_secret"})
            for endpoint in store.member_webhook_endpoints(member.id)
        ],
        "pro_leads": [
            _plain(asdict(lead)) for lead in store.leads_of(member.id, member.email or "")
        ],
    }


def _plain(values: dict[str, Any], drop: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    return {key: _json_value(value) for key, value in values.items() if key not in drop}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def delete_account(
    store: MemberStore, member: Member, *, ip: str | None, now: datetime, actor: str
) -> bool:
    """Delete the account now. Its sessions, API keys and feed tokens stop working at once;
    seats it gave or held end; the address is erased from the member row. The digest
    subscription of the same address is withdrawn (unsubscribed, recorded in the consent
    record, which is kept as the evidence of consent and of its withdrawal), and the
    entitlement records are kept without an address (who paid for what, and when)."""
    if not member.active:
        return False
    if member.email:
        subscriber = store.get_subscriber_by_email(member.email)
        if subscriber is not None and subscriber.id is not None:
            store.unsubscribe(subscriber.id, at=now, ip=ip, form="account-deleted")
    return store.delete_member(
        member.id, now=now, actor=actor, reason=f"account deleted ({EntitlementSource.ACCOUNT})"
    )
