"""An alert's private feed: its token is the credential, the owner's plan is checked on every
request, and a wrong or removed token is simply a 404."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from alert_world import JOGMEC, Owners, enriched_article
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsdesk.alerts.create import AlertRequest, create_alert
from newsdesk.alerts.percolate import percolate_new
from newsdesk.alerts.web import AlertsWebContext, build_feed_router
from newsdesk.domain.access import Plan
from newsdesk.domain.alerts import AlertKind
from newsdesk.store import SqlStore


def test_the_private_feed_lists_matches_while_the_owner_is_pro(store: SqlStore) -> None:
    owners = Owners(store)
    owners.add("pro@example.com")
    enriched_article(store, "seed", title="Seed", entities=(JOGMEC,))
    percolate_new(store)
    created = create_alert(
        store,
        owners,
        AlertRequest("pro@example.com", AlertKind.ENTITY, "org:jogmec"),
        sectors={},
        entity_name=lambda e: e,
        allow_hosts=(),
        now=datetime.now(UTC),
    )
    enriched_article(store, "a", title="JOGMEC <i>in</i> Namibia", entities=(JOGMEC,))
    percolate_new(store)
    app = FastAPI()
    context = AlertsWebContext(
        store, owners, "http://site.example", "newsdesk", lambda: datetime.now(UTC)
    )
    app.include_router(build_feed_router(context))
    client = TestClient(app)
    token = created.feed_token
    answer = client.get(f"/feeds/alerts/{token}.xml")
    assert answer.status_code == 200 and answer.headers["cache-control"] == "private, no-store"
    titles = [t.text for t in ET.fromstring(answer.content).iter("title")]
    # RSS readers treat titles as HTML: formats.feeds escapes them once more
    assert "JOGMEC &lt;i&gt;in&lt;/i&gt; Namibia" in titles and "Seed" not in titles
    assert (
        client.get(f"/feeds/alerts/{token}.json").json()["items"][0]["title"].startswith("JOGMEC")
    )
    wrong = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/feeds/alerts/{wrong}.xml").status_code == 404
    assert client.get("/feeds/alerts/nothing.xml").status_code == 404
    owners.set_plan(1, Plan.FREE)
    assert client.get(f"/feeds/alerts/{token}.xml").status_code == 403
    owners.set_plan(1, Plan.PRO)
    store.remove_alert(created.alert.id or 0, now=datetime.now(UTC))
    assert client.get(f"/feeds/alerts/{token}.xml").status_code == 404
