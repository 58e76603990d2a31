"""Preference and unsubscribe links on both databases: they expire, they stop working once
replaced (by unsubscribing, re-subscribing, a bounce), and their pages show the address only
masked, so a forwarded digest gives neither the address nor lasting control."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.deliver.links import (
    PREFERENCES_MAX_AGE,
    PREFERENCES_PURPOSE,
    UNSUBSCRIBE_MAX_AGE,
    UNSUBSCRIBE_PURPOSE,
    SubscriberLinks,
    links_for,
)
from newsdesk.domain.signing import sign
from newsdesk.domain.subscribers import Subscriber, SubscriberStatus
from newsdesk.store import SqlStore

Build = Callable[..., tuple[Any, SqlStore, Settings]]
ADDRESS = "reader.name@energy-desk.example"
MASKED = "r•••@e•••.example"
DAY = 86400.0


@pytest.fixture
def site(empty_site: Build) -> tuple[TestClient, SqlStore, Settings]:
    app, store, settings = empty_site(base_url="https://insights.example")
    store.import_subscribers([Subscriber(email=ADDRESS, sectors=("oil-gas",))], at=_now())
    return TestClient(app, base_url="https://insights.example"), store, settings


def _now() -> Any:
    from newsdesk.domain.models import utcnow

    return utcnow()


def _reader(store: SqlStore) -> Subscriber:
    found = store.get_subscriber_by_email(ADDRESS)
    assert found is not None and found.id is not None
    return found


def _links(settings: Settings, subscriber: Subscriber, now: float | None = None) -> SubscriberLinks:
    return links_for(
        settings.site.base_url,
        settings.security.secret_key.get_secret_value(),
        subscriber.id or 0,
        settings.mail.sender,
        version=subscriber.token_version,
        now=now,
    )


def _token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_the_pages_show_the_address_masked(site: tuple[TestClient, SqlStore, Settings]) -> None:
    client, store, settings = site
    links = _links(settings, _reader(store))
    pages = [
        client.get(_path(links.preferences)),
        client.get(_path(links.unsubscribe)),
        client.post(_path(links.unsubscribe), content=b"List-Unsubscribe=One-Click"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert MASKED in page.text
        assert ADDRESS not in page.text and "reader.name" not in page.text
        assert "energy-desk" not in page.text


@pytest.mark.parametrize(
    ("kind", "age", "works"),
    [
        ("preferences", PREFERENCES_MAX_AGE - DAY, True),
        ("preferences", PREFERENCES_MAX_AGE + DAY, False),
        ("unsubscribe", UNSUBSCRIBE_MAX_AGE - DAY, True),
        ("unsubscribe", UNSUBSCRIBE_MAX_AGE + DAY, False),
    ],
)
def test_links_expire(
    site: tuple[TestClient, SqlStore, Settings], kind: str, age: float, works: bool
) -> None:
    client, store, settings = site
    links = _links(settings, _reader(store), now=time.time() - age)
    response = client.get(_path(getattr(links, kind)))
    assert response.status_code == (200 if works else 400)


@pytest.mark.parametrize("subscriber_id", [2**31, 2**63, 10**30, 0])
def test_a_signed_link_naming_no_possible_row_is_a_400(
    site: tuple[TestClient, SqlStore, Settings], subscriber_id: int
) -> None:
    """Such an id never names a subscriber; asked of the database it overflowed (a 500)."""
    client, _store, settings = site
    keys = settings.security.signing_keys
    for purpose, path in (
        (UNSUBSCRIBE_PURPOSE, "/unsubscribe"),
        (PREFERENCES_PURPOSE, "/preferences"),
    ):
        token = sign(keys, purpose, {"s": subscriber_id, "v": 1}, max_age=DAY)
        assert client.get(path, params={"token": token}).status_code == 400, path
    token = sign(keys, UNSUBSCRIBE_PURPOSE, {"s": subscriber_id, "v": 1}, max_age=DAY)
    answer = client.post(
        "/unsubscribe", params={"token": token}, content=b"List-Unsubscribe=One-Click"
    )
    assert answer.status_code == 400


def test_unsubscribing_revokes_the_links_and_a_repeated_one_click_still_says_done(
    site: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, settings = site
    old = _links(settings, _reader(store))
    assert client.get(_path(old.preferences)).status_code == 200
    done = client.post(_path(old.unsubscribe), content=b"List-Unsubscribe=One-Click")
    assert done.status_code == 200
    assert _reader(store).status is SubscriberStatus.UNSUBSCRIBED
    # The old preferences link only says so now: no form, and a posted one changes nothing.
    after = client.get(_path(old.preferences))
    assert "is unsubscribed" in after.text and "<form" not in after.text.split("<main")[1]
    form = {"token": _token(old.preferences), "sectors": ["oil-gas"], "delivery_time": "05:00"}
    client.post("/preferences", data={**form, "timezone": "UTC"})
    assert _reader(store).delivery_time == "07:00"
    again = client.post(_path(old.unsubscribe), content=b"List-Unsubscribe=One-Click")
    assert again.status_code == 200 and "unsubscribed" in again.text  # mail clients retry


def test_links_from_before_a_re_subscription_cannot_touch_the_new_one(
    site: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, settings = site
    old = _links(settings, _reader(store))
    client.post(_path(old.unsubscribe))
    reader = _reader(store)
    store.add_or_get_pending(ADDRESS, sectors=("oil-gas",), entities=(), nonce="n", now=_now())
    assert store.confirm_subscriber(
        reader.id or 0, "n", at=_now(), ip=None, form="confirm", policy_version="", terms_version=""
    )
    assert client.post(_path(old.unsubscribe)).status_code == 400
    assert client.get(_path(old.preferences)).status_code == 400
    assert _reader(store).status is SubscriberStatus.ACTIVE
    fresh = _links(settings, _reader(store))
    assert client.get(_path(fresh.preferences)).status_code == 200


def test_a_bounce_revokes_the_preferences_link(site: tuple[TestClient, SqlStore, Settings]) -> None:
    client, store, settings = site
    links = _links(settings, _reader(store))
    store.suppress_subscriber(_reader(store).id or 0, "550 mailbox unavailable")
    page = client.get(_path(links.preferences))
    assert "is unsubscribed" in page.text and 'name="sectors"' not in page.text


def test_links_made_before_link_versions_only_unsubscribe(
    site: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, settings = site
    secret = settings.security.secret_key.get_secret_value()
    reader = _reader(store)
    legacy_preferences = sign(secret, "preferences", {"s": reader.id})
    legacy_unsubscribe = sign(secret, UNSUBSCRIBE_PURPOSE, {"s": reader.id})
    assert client.get("/preferences", params={"token": legacy_preferences}).status_code == 400
    assert client.get("/unsubscribe", params={"token": legacy_unsubscribe}).status_code == 200
    done = client.post("/unsubscribe", params={"token": legacy_unsubscribe})
    assert done.status_code == 200
    assert _reader(store).status is SubscriberStatus.UNSUBSCRIBED
