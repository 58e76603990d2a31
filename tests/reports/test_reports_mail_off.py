"""The way out of the weekly report email: each message (sent over real SMTP by `newsdesk
run`'s path) carries RFC 8058 one-click List-Unsubscribe and a visible link in both parts;
the link's page never acts on GET, the POST works without cookies, turns off that member's
email only, answers the same when repeated, and the next run leaves that member out."""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from report_world import SECTOR, WEEK, World

from newsdesk.bootstrap import build_site
from newsdesk.bootstrap.alerts import report_recipients, send_reports
from newsdesk.config import Settings
from newsdesk.domain.access import Plan
from newsdesk.domain.mail_off import ALERT_MAIL_OFF, MAX_AGE, REPORT_MAIL_OFF
from newsdesk.domain.signing import sign
from newsdesk.domain.subscribers import Subscriber
from newsdesk.store import SqlStore
from site_fixtures import site_settings
from smtp_sink import SmtpSink

BASE = "https://insights.example"
READERS = ("pro@example.com", "other@example.com")


@pytest.fixture
def mailed(
    store: SqlStore, world: World, tmp_path: Path, smtp_sink: SmtpSink
) -> tuple[Settings, dict[str, int]]:
    """Two Pro members with digest sectors, each sent this week's report over SMTP."""
    now = datetime.now(UTC)
    ids = {}
    for address in READERS:
        member = store.ensure_member(address, now=now)
        store.grant_plan(
            member.id, Plan.PRO, until=None, source="manual", reason="t", actor="t", now=now
        )
        ids[address] = member.id
    store.import_subscribers([Subscriber(email=a, sectors=(SECTOR,)) for a in READERS], at=now)
    settings = site_settings(
        tmp_path, base_url=BASE, smtp_host=smtp_sink.host, smtp_port=smtp_sink.port
    )
    assert send_reports(settings, store, week=WEEK).sent == 2
    smtp_sink.wait_for(2)
    return settings, ids


def off_link(sink: SmtpSink, address: str) -> str:
    """The one-click URL of the report to address: header, text and HTML parts agree."""
    [received] = sink.messages_to(address)
    message = received.message
    found = re.fullmatch(r"<(https://insights\.example/[^>]+)>", message["List-Unsubscribe"])
    assert found, message["List-Unsubscribe"]
    url = found.group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    text = text.replace("\r\n", "\n")
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert f"Stop the weekly report email:\n{url}\n" in text
    assert f'<a href="{url.replace("&", "&amp;")}">Stop the weekly report email</a>' in html
    parts = urlsplit(url)
    assert parts.path == "/unsubscribe/weekly-report"
    return f"{parts.path}?{parts.query}"


def client_for(settings: Settings, store: SqlStore) -> TestClient:
    """A mail client or browser with no cookie at all."""
    return TestClient(build_site(settings, store), base_url=BASE)


def one_click(client: TestClient, link: str):  # type: ignore[no-untyped-def]
    return client.post(
        link,
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )


def off_since(store: SqlStore, member_id: int) -> datetime | None:
    member = store.get_member(member_id)
    assert member is not None
    return member.report_mail_off_at


def test_one_click_turns_off_only_that_members_report_email(
    store: SqlStore,
    mailed: tuple[Settings, dict[str, int]],
    smtp_sink: SmtpSink,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    settings, ids = mailed
    link = off_link(smtp_sink, "pro@example.com")
    off_link(smtp_sink, "other@example.com")
    with client_for(settings, store) as client:
        page = client.get(link)
        assert page.status_code == 200 and "Stop the weekly report email</button>" in page.text
        assert "no-store" in page.headers["cache-control"]
        assert off_since(store, ids["pro@example.com"]) is None  # GET never acts
        done = one_click(client, link)
        assert done.status_code == 200 and "is off now" in done.text
        first = off_since(store, ids["pro@example.com"])
        assert first is not None
        again = one_click(client, link)
        assert again.status_code == 200 and again.text == done.text
        assert off_since(store, ids["pro@example.com"]) == first  # the first time is kept
        assert client.post(link).status_code == 200  # the page's button: an empty form
        assert not client.cookies
    assert off_since(store, ids["other@example.com"]) is None
    listed = [r.email for r in report_recipients(store).report_recipients()]
    assert listed == ["other@example.com"]
    # The credential reaches no log of the site or the sender; only the test's own SMTP server
    # (aiosmtpd's "mail.log") and HTTP client (httpx) log what they carry at DEBUG.
    harness = ("mail.log", "httpx", "httpcore")
    logged = [r.getMessage() for r in caplog.records if not r.name.startswith(harness)]
    assert logged and not [line for line in logged if link.split("token=", 1)[1] in line]


def test_bad_tokens_get_a_clear_400_and_change_nothing(
    store: SqlStore, mailed: tuple[Settings, dict[str, int]], smtp_sink: SmtpSink
) -> None:
    settings, ids = mailed
    link = off_link(smtp_sink, "pro@example.com")
    keys = settings.security.signing_keys
    pro = ids["pro@example.com"]
    path = "/unsubscribe/weekly-report?token="
    bad = {
        "forged": link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"),
        "empty": "/unsubscribe/weekly-report",
        "garbage": path + "a.b",
        "alert namespace": path + sign(keys, ALERT_MAIL_OFF, {"m": pro, "a": 1}, max_age=MAX_AGE),
        "expired": path
        + sign(keys, REPORT_MAIL_OFF, {"m": pro}, max_age=1, now=time.time() - MAX_AGE),
        "another key": path + sign("another-secret", REPORT_MAIL_OFF, {"m": pro}),
        "not a member id": path + sign(keys, REPORT_MAIL_OFF, {"m": str(pro)}),
        # signed, but no row can have these ids: the database must never be asked (a 500)
        "id past 64 bits": path + sign(keys, REPORT_MAIL_OFF, {"m": 2**63}),
        "id past 32 bits": path + sign(keys, REPORT_MAIL_OFF, {"m": 2**31}),
        "id zero": path + sign(keys, REPORT_MAIL_OFF, {"m": 0}),
    }
    with client_for(settings, store) as client:
        for name, url in bad.items():
            for answer in (client.get(url), one_click(client, url)):
                assert answer.status_code == 400, name
                assert "This link is not valid" in answer.text, name
    assert off_since(store, pro) is None


def test_a_deleted_account_gets_a_friendly_page(
    store: SqlStore, mailed: tuple[Settings, dict[str, int]], smtp_sink: SmtpSink
) -> None:
    settings, ids = mailed
    link = off_link(smtp_sink, "pro@example.com")
    store.delete_member(ids["pro@example.com"], now=datetime.now(UTC), actor="t", reason="t")
    with client_for(settings, store) as client:
        for answer in (client.get(link), one_click(client, link)):
            assert answer.status_code == 200 and "This account was deleted" in answer.text
