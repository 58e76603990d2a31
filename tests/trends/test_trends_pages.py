"""/trends/emerging, /trends/momentum, /trends/deals: pages, CSV, JSON and the feed, under the
site's CSP, with the trends window of the access policy."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from trends_world import SECRET, build, build_pro_pieces

from newsdesk.bootstrap import build_site
from newsdesk.domain.access import Plan, Viewer, ViewerKind
from newsdesk.publish.web.context import current_viewer
from newsdesk.publish.web.routes import trends_emerging
from newsdesk.store import open_store
from site_fixtures import site_settings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = site_settings(tmp_path)
    store = open_store(settings.store.sqlalchemy_url)
    build(store)
    trends_emerging._cache.clear()
    try:
        with TestClient(build_site(settings, store)) as test_client:
            yield test_client
    finally:
        store.close()


def no_inline_code(html: str) -> None:
    """What the CSP (script-src/style-src 'self') would block must not be needed."""
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and "<style" not in html and "javascript:" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_emerging_page_api_csv_and_feed_agree(client: TestClient) -> None:
    page = client.get("/trends/emerging")
    assert page.status_code == 200 and "Surge Metals" in page.text
    assert "&lt;b&gt;" in page.text and "<b>" not in page.text
    no_inline_code(page.text)
    api = client.get("/api/v1/trends/emerging").json()
    surge = next(e for e in api["entities"] if e["id"] == "org:surge")
    assert surge["recent_articles"] == 6 and surge["baseline_articles"] == 0
    assert len(surge["articles"]) == 5 and surge["score"] > 3
    rows = list(csv.reader(io.StringIO(client.get("/trends/emerging.csv").text)))
    assert rows[0][0] == "entity_id" and {r[0] for r in rows[1:]} == {
        e["id"] for e in api["entities"]
    }
    hostile = next(r for r in rows if r[0] == "org:hostile")
    assert hostile[1].startswith("'=")  # a formula cell is neutralised
    feed = ET.fromstring(client.get("/feeds/trends/emerging.xml").content)
    titles = [t.text or "" for t in feed.iter("title")]
    assert any(t.startswith("Surge Metals: 6 articles in 2 days") for t in titles)


def test_momentum_and_deals(client: TestClient) -> None:
    momentum = client.get("/api/v1/trends/momentum", params={"weeks": 4}).json()
    sectors = {s["id"]: s for s in momentum["sectors"]}
    last = sectors["mining-metals"]["weeks"][-1]
    assert 0 < last["share"] <= 1 and last["articles"] > 0
    page = client.get("/trends/momentum", params={"weeks": 4})
    assert page.status_code == 200 and "<svg" in page.text and 'tabindex="0"' in page.text
    no_inline_code(page.text)
    deals = client.get("/api/v1/trends/deals", params={"by": "country", "weeks": 4}).json()
    namibia = next(f for f in deals["flows"] if f["key"] == "country:NA")
    assert namibia["agreements"] == 1 and namibia["investments"] == 2
    assert {(a["currency"], a["total"]) for a in namibia["amounts"]} == {
        ("USD", 6500000.0),
        ("NAD", 120000000.0),
    }
    table = client.get("/trends/deals", params={"by": "country", "weeks": 4}).text
    assert "Invested (NAD)" in table and "Invested (USD)" in table
    no_inline_code(table)
    csv_rows = list(
        csv.reader(io.StringIO(client.get("/trends/deals.csv", params={"by": "country"}).text))
    )
    assert ["country:NA", "1", "2", "NAD", "120000000"] in csv_rows
    assert client.get("/trends/deals", params={"by": "planet"}).status_code == 400
    assert client.get("/api/v1/trends/momentum", params={"weeks": 5}).status_code == 400


def test_history_beyond_the_free_window_is_cut_without_pro(client: TestClient) -> None:
    asked = client.get("/api/v1/trends/momentum", params={"weeks": 52}).json()
    assert asked["weeks"] <= 5  # the free trends window is four weeks (and the week it ends in)
    page = client.get("/trends/deals", params={"weeks": 52})
    assert "Longer history is part of" in page.text


def test_pro_reads_the_whole_history_and_answers_vary_by_viewer(client: TestClient) -> None:
    """The routes ask the site's one viewer dependency: a Pro member (injected there, as the
    members' resolver would answer) gets every week asked for, privately."""
    app: Any = client.app
    app.dependency_overrides[current_viewer] = lambda: Viewer(ViewerKind.MEMBER, 1, Plan.PRO)
    try:
        pro = client.get("/api/v1/trends/momentum", params={"weeks": 52})
        assert pro.json()["weeks"] == 52
        assert "private" in pro.headers["cache-control"]
        page = client.get("/trends/deals", params={"weeks": 52})
        assert "Longer history is part of" not in page.text
        assert "private" in page.headers["cache-control"]
    finally:
        app.dependency_overrides.clear()
    anonymous = client.get("/trends/momentum.csv", params={"weeks": 52})
    # Anonymous answers may sit in a shared cache briefly, keyed apart from members' by Vary.
    assert anonymous.headers["cache-control"].startswith("public, max-age=0, s-maxage=")
    assert anonymous.headers["vary"] == "Cookie, Authorization"


@pytest.fixture
def pro_client(tmp_path: Path) -> Iterator[TestClient]:
    """The trends world plus Pro pieces naming an organisation, and stating a deal, only
    after their preview break."""
    settings = site_settings(tmp_path)
    store = open_store(settings.store.sqlalchemy_url)
    build(store)
    build_pro_pieces(store)
    trends_emerging._cache.clear()
    try:
        with TestClient(build_site(settings, store)) as test_client:
            yield test_client
    finally:
        store.close()


EMERGING = ("/trends/emerging", "/trends/emerging.csv", "/api/v1/trends/emerging")
DEALS = ("/trends/deals?by=country", "/trends/deals.csv?by=country", "/api/v1/trends/deals")


def test_trends_show_only_what_the_reader_may_read(pro_client: TestClient) -> None:
    """Emerging entities and deal flow come from article text: an organisation named only
    after the break of Pro pieces is no emerging entity, and their deal is in no total, for
    a reader without Pro (nor in the public feed); a Pro reader sees both, privately."""
    for path in (*EMERGING, *DEALS):
        response = pro_client.get(path)
        assert response.status_code == 200, path
        assert "Secret Holdings" not in response.text and SECRET.id not in response.text, path
        assert "EUR" not in response.text and "555" not in response.text, path
        assert "Surge Metals" in response.text or "NAD" in response.text, path
        assert response.headers["vary"] == "Cookie, Authorization", path
    for ext in ("xml", "atom", "json"):
        assert "Secret Holdings" not in pro_client.get(f"/feeds/trends/emerging.{ext}").text
    app: Any = pro_client.app
    app.dependency_overrides[current_viewer] = lambda: Viewer(ViewerKind.MEMBER, 1, Plan.PRO)
    try:
        for path in EMERGING:
            response = pro_client.get(path)
            assert "Secret Holdings" in response.text, path
            assert "private" in response.headers["cache-control"], path
        for path in DEALS:
            assert "EUR" in pro_client.get(path).text, path
        # The public feed is the same for everyone: what anonymous readers see.
        assert "Secret Holdings" not in pro_client.get("/feeds/trends/emerging.xml").text
    finally:
        app.dependency_overrides.clear()
