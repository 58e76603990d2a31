"""Sign-ups behind a reverse proxy: each visitor is limited and recorded as themselves (the
proxy's X-Forwarded-For, believed only from listed proxies), IPv6 visitors by their /64, and
the limits hold across web processes sharing the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from newsdesk.bootstrap import rate_limiter
from newsdesk.config import Settings
from newsdesk.domain.ratelimit import MemoryRateLimiter
from newsdesk.store import SqlStore
from newsdesk.store.ratelimit_repo import StoreRateLimiter
from smtp_sink import SmtpSink

Build = Callable[..., tuple[Any, SqlStore, Settings]]
PROXY = "10.0.0.2"


def _site(build: Build, sink: SmtpSink, **overrides: object) -> tuple[Any, SqlStore]:
    app, store, _ = build(
        smtp_host=sink.host,
        smtp_port=sink.port,
        trusted_proxies="10.0.0.0/8",
        subscribe_rate_per_ip=2,
        **overrides,
    )
    return app, store


def _sign_up(app: Any, peer: str, email: str, forwarded_for: str | None = None) -> int:
    client = TestClient(app, client=(peer, 5555))
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    body = {"email": email, "sectors": ["oil-gas"], "consent": True}
    return client.post("/api/v1/subscribe", json=body, headers=headers).status_code


def _consent_ip(store: SqlStore, email: str) -> str | None:
    subscriber = store.get_subscriber_by_email(email)
    assert subscriber is not None and subscriber.id is not None
    (given,) = store.consent_history(subscriber.id)
    return given.ip


def test_visitors_behind_a_listed_proxy_are_limited_and_recorded_each_as_themselves(
    empty_site: Build, smtp_sink: SmtpSink
) -> None:
    app, store = _site(empty_site, smtp_sink)
    ada, bob = "198.51.100.10", "203.0.113.20"
    assert [_sign_up(app, PROXY, f"a{n}@example.com", ada) for n in range(3)] == [202, 202, 429]
    assert _sign_up(app, PROXY, "b0@example.com", f"6.6.6.6, {bob}") == 202
    assert _consent_ip(store, "a0@example.com") == ada
    assert _consent_ip(store, "b0@example.com") == bob  # not the address the client claimed


def test_a_direct_visitor_cannot_choose_an_address_by_header(
    empty_site: Build, smtp_sink: SmtpSink
) -> None:
    app, store = _site(empty_site, smtp_sink)
    mallory = "192.0.2.66"
    codes = [_sign_up(app, mallory, f"m{n}@example.com", f"198.51.100.{n}") for n in range(3)]
    assert codes == [202, 202, 429]
    assert _consent_ip(store, "m0@example.com") == mallory


def test_ipv6_visitors_share_a_limit_within_their_64(
    empty_site: Build, smtp_sink: SmtpSink
) -> None:
    app, store = _site(empty_site, smtp_sink)
    rotating = ["2001:db8:5:5::1", "2001:db8:5:5:1::2", "2001:db8:5:5:ffff:ffff:ffff:3"]
    codes = [_sign_up(app, ip, f"v{n}@example.com") for n, ip in enumerate(rotating)]
    assert codes == [202, 202, 429]
    assert _sign_up(app, "2001:db8:5:6::1", "w@example.com") == 202  # the next /64
    assert _consent_ip(store, "v1@example.com") == "2001:db8:5:5:1::2"  # full address kept


def test_two_web_processes_on_one_database_share_the_limits(
    empty_site: Build, smtp_sink: SmtpSink
) -> None:
    first, _ = _site(empty_site, smtp_sink, rate_limit_backend="database")
    second, _ = _site(empty_site, smtp_sink, rate_limit_backend="database")
    visitor = "198.51.100.44"
    assert _sign_up(first, visitor, "p1@example.com") == 202
    assert _sign_up(second, visitor, "p2@example.com") == 202
    assert _sign_up(first, visitor, "p3@example.com") == 429
    assert _sign_up(second, visitor, "p4@example.com") == 429


def test_auto_counts_in_the_database_on_postgresql_and_in_memory_on_sqlite(
    empty_site: Build,
) -> None:
    _, store, settings = empty_site()
    chosen = rate_limiter(settings, store)
    if store.engine.dialect.name == "postgresql":
        assert isinstance(chosen, StoreRateLimiter)
    else:
        assert isinstance(chosen, MemoryRateLimiter)
    _, _, forced = empty_site(rate_limit_backend="database")
    assert isinstance(rate_limiter(forced, store), StoreRateLimiter)
