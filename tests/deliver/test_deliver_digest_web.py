"""The admin digest preview in the browser and the one-click unsubscribe URL of a real digest
posted back to the real app: the next send skips the reader."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from digest_world import MAIL_FROM, SECRET, add_story, add_subscribers, reader
from fastapi.testclient import TestClient

from newsdesk.bootstrap import build_site, run_digest
from newsdesk.config import Settings
from newsdesk.domain.subscribers import SubscriberStatus
from newsdesk.store import SqlStore, open_store
from site_fixtures import ADMIN_AUTH, ADMIN_PASSWORD
from smtp_sink import SmtpSink

DAY = date(2026, 3, 2)
AUTH = ADMIN_AUTH


@pytest.fixture
def settings(tmp_path: Path, smtp_sink: SmtpSink) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        secret_key=SECRET,  # type: ignore[arg-type]
        admin_password=ADMIN_PASSWORD,  # type: ignore[arg-type]
        base_url="https://testserver",
        mail_from=MAIL_FROM,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
    )


@pytest.fixture
def seeded(settings: Settings) -> Iterator[SqlStore]:
    settings.store.data_dir.mkdir(parents=True)
    store = open_store(settings.store.sqlalchemy_url)
    add_story(
        store,
        title="Japan, Namibia sign <b>rare earths</b> deal",
        at=datetime(2026, 3, 2, 3, tzinfo=UTC),
        sectors=("rare-earths-commodities",),
        sources=2,
    )
    add_subscribers(
        store,
        [
            reader("ada@readers.example", ["rare-earths-commodities"]),
            reader("bob@readers.example", ["oil-gas"]),
        ],
    )
    yield store
    store.close()


def test_admin_preview_renders_the_digest_for_admins_only(
    settings: Settings, seeded: SqlStore
) -> None:
    client = TestClient(build_site(settings, seeded), base_url="https://testserver")
    url = "/admin/digest/preview?email=ada@readers.example&date=2026-03-02"
    assert client.get(url).status_code == 401
    page = client.get(url, auth=AUTH)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Japan, Namibia sign &lt;b&gt;rare earths&lt;/b&gt; deal" in page.text
    assert "In Rare Earths &amp; Commodities · 2 sources" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp
    text = client.get(url + "&format=text", auth=AUTH)
    assert text.text.startswith("Subject: Top Insights Today: Japan, Namibia sign")
    nothing = client.get(url.replace("ada", "bob"), auth=AUTH)
    assert nothing.status_code == 200 and "No digest for bob@readers.example" in nothing.text
    assert client.get(url.replace("ada", "nobody"), auth=AUTH).status_code == 404
    assert client.get(url.replace("2026-03-02", "yesterday"), auth=AUTH).status_code == 422
    assert seeded.outbox_entries(DAY) == {}


def test_one_click_unsubscribe_from_a_delivered_digest_stops_the_next_one(
    settings: Settings, seeded: SqlStore, smtp_sink: SmtpSink
) -> None:
    report = run_digest(settings, seeded, day=DAY)
    assert report.sent == 1
    (received,) = smtp_sink.wait_for(1)
    https_url = str(received.message["List-Unsubscribe"]).split(",")[0].strip().strip("<>")
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client = TestClient(build_site(settings, seeded), base_url="https://testserver")
    path = https_url.removeprefix("http://testserver")
    response = client.post(
        path,
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 200
    ada = seeded.get_subscriber_by_email("ada@readers.example")
    assert ada is not None and ada.status is SubscriberStatus.UNSUBSCRIBED
    add_story(
        seeded,
        title="Copper rallies",
        at=datetime(2026, 3, 2, 20, tzinfo=UTC),
        sectors=("rare-earths-commodities",),
    )
    assert run_digest(settings, seeded, day=date(2026, 3, 3)).sent == 0
    assert len(smtp_sink.messages) == 1
