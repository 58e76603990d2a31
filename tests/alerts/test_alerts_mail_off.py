"""The way out of alert emails: each message (sent over real SMTP by `newsdesk run`'s pass)
carries RFC 8058 one-click List-Unsubscribe and a visible link in both parts; the link's page
never acts on GET, the POST works without cookies and only for that alert of that member,
stays the same when repeated, and is friendly about an alert removed since."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from alert_world import JOGMEC, Owners, enriched_article
from fastapi.testclient import TestClient

from newsdesk.alerts.create import AlertRequest, create_alert
from newsdesk.alerts.percolate import percolate_new
from newsdesk.bootstrap import build_site
from newsdesk.bootstrap.alerts import run_alerts
from newsdesk.config import Settings
from newsdesk.domain.alerts import AlertKind, DeliveryStatus, EmailMode
from newsdesk.domain.mail_off import ALERT_MAIL_OFF, MAX_AGE, REPORT_MAIL_OFF
from newsdesk.domain.signing import sign
from newsdesk.store import SqlStore, open_store
from site_fixtures import site_settings
from smtp_sink import SmtpSink


class World:
    def __init__(self, settings: Settings, store: SqlStore, sink: SmtpSink) -> None:
        self.settings, self.store, self.sink = settings, store, sink
        self.owners = Owners(store)
        self.pro = self.owners.add("pro@example.com")
        self.other = self.owners.add("other@example.com")
        enriched_article(store, "seed", title="Seed", entities=(JOGMEC,))
        percolate_new(store)
        self.alert = self.make(self.pro)
        self.others_alert = self.make(self.other)

    def make(self, member_id: int) -> int:
        email = self.owners.email_of(member_id)
        assert email is not None
        created = create_alert(
            self.store,
            self.owners,
            AlertRequest(email, AlertKind.ENTITY, "org:jogmec", email_mode=EmailMode.INSTANT),
            sectors={},
            entity_name=lambda e: e,
            allow_hosts=(),
            now=datetime.now(UTC),
        )
        assert created.alert.id is not None
        return created.alert.id

    def match(self, slug: str) -> None:
        enriched_article(self.store, slug, title=f"JOGMEC {slug}", entities=(JOGMEC,))
        run_alerts(self.settings, self.store)

    def email_mode(self, alert_id: int) -> EmailMode:
        alert = self.store.get_alert(alert_id)
        assert alert is not None
        return alert.email


@pytest.fixture
def world(tmp_path: Path, smtp_sink: SmtpSink) -> Iterator[World]:
    settings = site_settings(tmp_path, smtp_host=smtp_sink.host, smtp_port=smtp_sink.port)
    store = open_store(settings.store.sqlalchemy_url)
    try:
        yield World(settings, store, smtp_sink)
    finally:
        store.close()


def fresh_client(world: World) -> TestClient:
    """A browser (or mail client) with no cookie at all."""
    return TestClient(build_site(world.settings, world.store))


def off_link(world: World, address: str) -> str:
    """The one-click URL of the newest message to address: header, text and HTML agree."""
    received = world.sink.messages_to(address)[-1].message
    header = received["List-Unsubscribe"]
    found = re.fullmatch(r"<(https?://[^>]+)>", header)
    assert found, header
    url = found.group(1)
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = received.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = received.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert f"Stop the emails of this alert: {url}" in text
    assert f'href="{url.replace("&", "&amp;")}"' in html and "Stop the emails of this alert" in html
    parts = urlsplit(url)
    assert parts.path == "/unsubscribe/alert"
    return f"{parts.path}?{parts.query}"


def one_click(client: TestClient, link: str):  # type: ignore[no-untyped-def]
    return client.post(
        link,
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )


def test_the_alert_email_carries_one_click_and_the_post_turns_only_that_email_off(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world.match("first")
    link = off_link(world, "pro@example.com")
    with fresh_client(world) as client:
        page = client.get(link)
        assert page.status_code == 200 and "Stop these emails" in page.text
        assert page.headers["cache-control"] == "private, no-store"
        assert world.email_mode(world.alert) is EmailMode.INSTANT  # GET never acts
        done = one_click(client, link)
        assert done.status_code == 200 and "are off now" in done.text
        assert not client.cookies  # nothing asked for a session
    assert world.email_mode(world.alert) is EmailMode.OFF
    assert world.email_mode(world.others_alert) is EmailMode.INSTANT
    alert = world.store.get_alert(world.alert)
    assert alert is not None and alert.removed_at is None  # the alert itself stays
    world.sink.clear()
    world.match("second")
    assert [m.rcpt_tos for m in world.sink.messages] == [("other@example.com",)]
    # The credential reaches no log of the site or the sender; only the test's own SMTP server
    # (aiosmtpd's "mail.log") and HTTP client (httpx) log what they carry at DEBUG.
    harness = ("mail.log", "httpx", "httpcore")
    logged = [r.getMessage() for r in caplog.records if not r.name.startswith(harness)]
    assert logged and not [line for line in logged if link.split("token=", 1)[1] in line]


def test_a_repeated_post_answers_the_same_and_the_button_works_too(world: World) -> None:
    world.match("first")
    link = off_link(world, "pro@example.com")
    with fresh_client(world) as client:
        first = client.post(link)  # the page's button: an empty form
        again = one_click(client, link)
        page = client.get(link)
    assert first.status_code == again.status_code == 200
    assert "are off now" in first.text and "are off now" in again.text
    assert page.status_code == 200 and "are off" in page.text
    assert "Stop these emails" not in page.text


def test_pending_alert_emails_are_cancelled_when_turned_off(world: World) -> None:
    world.match("first")
    link = off_link(world, "pro@example.com")
    enriched_article(world.store, "waiting", title="JOGMEC waiting", entities=(JOGMEC,))
    percolate_new(world.store)
    with fresh_client(world) as client:
        assert one_click(client, link).status_code == 200
    statuses = {d.status for d in world.store.alert_deliveries_of(world.alert)}
    assert DeliveryStatus.PENDING not in statuses and DeliveryStatus.CANCELLED in statuses


def test_forged_expired_and_foreign_tokens_get_a_clear_400(world: World) -> None:
    world.match("first")
    link = off_link(world, "pro@example.com")
    token = link.split("token=", 1)[1]
    keys = world.settings.security.signing_keys
    past = time.time() - MAX_AGE - 60
    bad = {
        "forged": link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"),
        "empty": "/unsubscribe/alert",
        "garbage": "/unsubscribe/alert?token=not.a-token",
        "other member's alert": "/unsubscribe/alert?token="
        + sign(keys, ALERT_MAIL_OFF, {"m": world.pro, "a": world.others_alert}, max_age=MAX_AGE),
        "report namespace": "/unsubscribe/alert?token="
        + sign(keys, REPORT_MAIL_OFF, {"m": world.pro, "a": world.alert}, max_age=MAX_AGE),
        "expired": "/unsubscribe/alert?token="
        + sign(keys, ALERT_MAIL_OFF, {"m": world.pro, "a": world.alert}, max_age=1, now=past),
        "other key": "/unsubscribe/alert?token="
        + sign("another-key", ALERT_MAIL_OFF, {"m": world.pro, "a": world.alert}),
        # signed, but no row can have these ids: the database must never be asked (a 500)
        "alert id past 64 bits": "/unsubscribe/alert?token="
        + sign(keys, ALERT_MAIL_OFF, {"m": world.pro, "a": 2**63}),
        "member id past 32 bits": "/unsubscribe/alert?token="
        + sign(keys, ALERT_MAIL_OFF, {"m": 2**31, "a": world.alert}),
        "digest link": f"/unsubscribe?token={token}",
    }
    with fresh_client(world) as client:
        for name, url in bad.items():
            for answer in (client.get(url), one_click(client, url)):
                assert answer.status_code == 400, name
                if name != "digest link":
                    assert "This link is not valid" in answer.text, name
    assert world.email_mode(world.alert) is EmailMode.INSTANT
    assert world.email_mode(world.others_alert) is EmailMode.INSTANT


def test_a_removed_alert_gets_a_friendly_page(world: World) -> None:
    world.match("first")
    link = off_link(world, "pro@example.com")
    world.store.remove_alert(world.alert, now=datetime.now(UTC))
    with fresh_client(world) as client:
        page, posted = client.get(link), one_click(client, link)
    for answer in (page, posted):
        assert answer.status_code == 200 and "was removed" in answer.text
        assert "Stop these emails" not in answer.text


def test_the_page_names_a_webhook_only_when_the_alert_has_one(world: World) -> None:
    """Both pages said "The alert stays, with its private feed and webhook" of an alert with
    no webhook, which sent readers looking for a webhook they never set up."""
    world.match("first")
    link = off_link(world, "pro@example.com")
    with fresh_client(world) as client:
        asked = client.get(link)
        done = one_click(client, link)
    for answer in (asked, done):
        assert answer.status_code == 200
        assert "with its private feed." in answer.text and "webhook" not in answer.text
