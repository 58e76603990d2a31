"""The admin pages: back-off after wrong passwords (per client, shared by every process on
PostgreSQL), no weak password, HTTPS only off loopback, HSTS, same-origin posts, no-store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk.bootstrap import build_site
from newsdesk.config import Settings
from newsdesk.domain import Article
from newsdesk.publish.web import SiteOptions, create_app
from newsdesk.publish.web.security import ADMIN_PASSWORD_MIN_CHARS
from newsdesk.store import SqlStore, open_store
from newsdesk.store.ratelimit_repo import StoreRateLimiter
from site_fixtures import ADMIN_AUTH, site_settings

Build = Callable[..., tuple[Any, SqlStore, Settings]]
WRONG = ("admin", "not-the-password")
HTTPS = "https://insights.example"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clocked(empty_site: Build) -> tuple[Callable[..., TestClient], Clock]:
    """client(ip) -> a TestClient from that address, on an app whose limiter counts in the
    database (each backend; the memory limiter decides alike, tests/store) by a clock the
    test moves."""
    clock = Clock()
    _, store, settings = empty_site()
    app = build_site(settings, store, limiter=StoreRateLimiter(store.engine, clock=clock))

    def client(ip: str = "198.51.100.7") -> TestClient:
        return TestClient(app, client=(ip, 40000), raise_server_exceptions=False)

    return client, clock


def _fail(client: TestClient, times: int) -> list[int]:
    return [client.get("/admin/subscribers", auth=WRONG).status_code for _ in range(times)]


def test_wrong_passwords_earn_longer_and_longer_waits(
    clocked: tuple[Callable[..., TestClient], Clock],
) -> None:
    make, clock = clocked
    client = make()
    started = clock.now
    assert _fail(client, 5) == [401] * 5
    blocked = client.get("/admin/subscribers", auth=ADMIN_AUTH)
    assert blocked.status_code == 429  # even the right password waits
    assert 0 < int(blocked.headers["retry-after"]) <= 120
    # Keep guessing, each time as soon as allowed: a few a minute, then the hour's and the
    # day's allowance run out and the waits grow to match.
    failures, waits = 5, [int(blocked.headers["retry-after"])]
    while clock.now - started < 86400 and len(waits) < 200:
        clock.now += waits[-1]
        failures += _fail(client, 3).count(401)
        refused = client.get("/admin/subscribers", auth=ADMIN_AUTH)
        assert refused.status_code == 429
        waits.append(int(refused.headers["retry-after"]))
    # 50 a day; the sliding-window estimate lets a burst at a window's end be followed by
    # another at the next one's start, never more than twice the allowance in any 24 hours.
    assert 50 <= failures <= 100
    assert waits[0] <= 120 and max(waits[:10]) <= 120  # at first: a minute at most
    assert max(waits) > 3 * 3600  # then hours
    assert waits.index(max(waits)) > 10
    clock.now += waits[-1] + 86400
    assert client.get("/admin/subscribers", auth=ADMIN_AUTH).status_code == 200


def test_the_back_off_is_per_client_and_ipv6_clients_share_their_64(
    clocked: tuple[Callable[..., TestClient], Clock],
) -> None:
    make, _ = clocked
    _fail(make("2001:db8:7:7::1"), 5)
    assert make("2001:db8:7:7:ffff::2").get("/admin/subscribers").status_code == 429
    assert make("2001:db8:7:8::1").get("/admin/subscribers", auth=ADMIN_AUTH).status_code == 200
    assert make("203.0.113.5").get("/admin/subscribers", auth=ADMIN_AUTH).status_code == 200
    # Asking without credentials (a browser's first request) is not a failure.
    fresh = make("203.0.113.6")
    assert [fresh.get("/admin/subscribers").status_code for _ in range(8)] == [401] * 8
    assert fresh.get("/admin/subscribers", auth=ADMIN_AUTH).status_code == 200


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    """build(**settings) -> (app, store, settings) over one SQLite store, for the checks
    that involve no storage (transport, headers, start-up)."""
    data_dir = tmp_path_factory.mktemp("plain")
    store = open_store(f"sqlite:///{data_dir / 'newsdesk.db'}")

    def build(**overrides: object) -> tuple[Any, SqlStore, Settings]:
        settings = site_settings(data_dir, **overrides)
        return build_site(settings, store), store, settings

    yield build
    store.close()


@pytest.mark.parametrize("password", ["   ", "s3cret", "x" * (ADMIN_PASSWORD_MIN_CHARS - 1)])
def test_a_short_admin_password_refuses_to_start(plain_site: Build, password: str) -> None:
    _, store, _ = plain_site()
    with pytest.raises(ValueError, match=f"at least {ADMIN_PASSWORD_MIN_CHARS} characters"):
        create_app(store, SiteOptions(admin_password=password))
    create_app(store, SiteOptions(admin_password=None))  # off: fine
    create_app(store, SiteOptions(admin_password="x" * ADMIN_PASSWORD_MIN_CHARS))


@pytest.mark.parametrize(
    ("base_url", "client_url", "headers", "status"),
    [
        (HTTPS, "http://insights.example", {}, 403),
        (HTTPS, "https://insights.example", {}, 200),
        ("http://insights.example", "http://insights.example", {}, 403),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000", {}, 200),
        ("http://localhost:8000", "http://localhost:8000", {}, 200),
        # TLS ends at a listed proxy, which says so...
        (HTTPS, "http://insights.example", {"x-forwarded-proto": "https"}, 200),
    ],
)
def test_admin_needs_https_unless_the_site_is_on_loopback(
    plain_site: Build, base_url: str, client_url: str, headers: dict[str, str], status: int
) -> None:
    app, _, _ = plain_site(base_url=base_url, trusted_proxies="10.0.0.0/8")
    client = TestClient(app, base_url=client_url, client=("10.1.1.1", 1))
    response = client.get("/admin/subscribers", auth=ADMIN_AUTH, headers=headers)
    assert response.status_code == status
    if status == 403:
        assert "HTTPS" in response.text


def test_only_a_listed_proxy_can_vouch_for_https(plain_site: Build) -> None:
    app, _, _ = plain_site(base_url=HTTPS, trusted_proxies="10.0.0.0/8")
    direct = TestClient(app, base_url="http://insights.example", client=("203.0.113.9", 1))
    response = direct.get(
        "/admin/subscribers", auth=ADMIN_AUTH, headers={"x-forwarded-proto": "https"}
    )
    assert response.status_code == 403


def test_https_sites_send_hsts_and_others_do_not(plain_site: Build) -> None:
    secure, _, _ = plain_site(base_url=HTTPS)
    response = TestClient(secure, base_url=HTTPS).get("/healthz")
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    plain, _, _ = plain_site(base_url="http://127.0.0.1:8000")
    assert "strict-transport-security" not in TestClient(plain).get("/healthz").headers


@pytest.fixture
def admin_site(empty_site: Build) -> tuple[TestClient, int]:
    app, store, _ = empty_site(base_url=HTTPS)
    article = store.save_article(
        Article(
            source_id=None,
            url="https://a.example/1",
            canonical_url="https://a.example/1",
            title="Copper",
            text="Copper mines.",
        )
    )
    assert article.id is not None
    return TestClient(app, base_url=HTTPS, follow_redirects=False), article.id


def _form(client: TestClient, article_id: int) -> dict[str, str]:
    page = client.get(f"/admin/articles/{article_id}/sectors", auth=ADMIN_AUTH)
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return {"csrf_token": token, "sector": "oil-gas", "action": "save"}


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"origin": HTTPS, "sec-fetch-site": "same-origin"}, 303),
        ({}, 303),  # no browser headers: not a browser form; the form token decides
        ({"origin": "https://evil.example"}, 403),
        ({"origin": "null"}, 403),
        ({"sec-fetch-site": "cross-site"}, 403),
        ({"origin": HTTPS, "sec-fetch-site": "same-site"}, 403),
    ],
)
def test_admin_posts_must_come_from_this_site(
    admin_site: tuple[TestClient, int], headers: dict[str, str], status: int
) -> None:
    client, article_id = admin_site
    response = client.post(
        f"/admin/articles/{article_id}/sectors",
        data=_form(client, article_id),
        auth=ADMIN_AUTH,
        headers=headers,
    )
    assert response.status_code == status


def test_every_admin_answer_is_no_store(admin_site: tuple[TestClient, int]) -> None:
    client, article_id = admin_site
    answers = {
        "sectors page": client.get(f"/admin/articles/{article_id}/sectors", auth=ADMIN_AUTH),
        "subscribers": client.get("/admin/subscribers", auth=ADMIN_AUTH),
        "subscriber": client.get("/admin/subscribers/999", auth=ADMIN_AUTH),
        "preview": client.get("/admin/digest/preview?email=x@example.com", auth=ADMIN_AUTH),
        "login": client.get("/admin/subscribers"),
        "saved": client.post(
            f"/admin/articles/{article_id}/sectors",
            data=_form(client, article_id),
            auth=ADMIN_AUTH,
        ),
    }
    assert [r.status_code for r in answers.values()] == [200, 200, 404, 404, 401, 303]
    for name, response in answers.items():
        assert response.headers["cache-control"] == "no-store", name
    assert "no-store" not in client.get("/").headers.get("cache-control", "")
