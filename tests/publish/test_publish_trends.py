"""GET /trends and /api/v1/trends: weekly counts per sector and entity, charts and tables."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from newsdesk.config import Settings
from newsdesk.domain.enrichment import Enrichment, EntityRecord, MentionRecord
from newsdesk.domain.models import Article
from newsdesk.store import SqlStore
from site_viewers import as_viewer, use_test_viewers


def test_trends_page_draws_two_accessible_charts_with_tables(demo_client: TestClient) -> None:
    response = demo_client.get("/trends")
    assert response.status_code == 200
    html = response.text
    charts = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(charts) == 2
    for chart in charts:
        svg = ET.fromstring(chart)
        assert svg.get("role") == "group" and svg.get("aria-labelledby")
        points = svg.findall(".//{http://www.w3.org/2000/svg}g[@tabindex='0']")
        assert points and all(point.get("aria-label") for point in points)
    assert html.count("<details>") == 2 and '<th scope="row"' in html
    assert 'href="/entities/country:US"' in html


def test_api_counts_match_the_database(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, _ = writable_demo
    use_test_viewers(client.app)
    body = client.get(
        "/api/v1/trends", params={"weeks": "8", "entity": "country:US"}, headers=as_viewer("pro")
    ).json()
    us = body["entities"][0]
    assert us["id"] == "country:US" and len(us["counts"]) == 8
    weeks = [date.fromisoformat(c["week"]) for c in us["counts"]]
    assert all(w.weekday() == 0 for w in weeks)
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(weeks))
    with store.engine.connect() as connection:
        stamps = connection.execute(
            text(
                "SELECT DISTINCT a.id, a.published FROM articles a JOIN entity_mentions m "
                "ON m.article_id = a.id WHERE m.entity_id = 'country:US'"
            )
        ).all()
    expected = dict.fromkeys(weeks, 0)
    for _, published in stamps:
        day = date.fromisoformat(str(published)[:10])
        monday = day - timedelta(days=day.weekday())
        if monday in expected:
            expected[monday] += 1
    assert [c["articles"] for c in us["counts"]] == [expected[w] for w in weeks]
    assert us["total"] == sum(expected.values()) > 0
    sector_ids = {s["id"] for s in body["sectors"]}
    assert "mining-metals" in sector_ids


def test_sector_counts_follow_editor_corrections(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, _ = writable_demo

    def total(sector: str) -> int:
        sectors = client.get("/api/v1/trends", params={"weeks": "52"}).json()["sectors"]
        return next(s["total"] for s in sectors if s["id"] == sector)

    before = total("aerospace-defense")
    newest = client.get("/api/v1/search", params={"q": "china", "sort": "date"}).json()
    article_id = newest["items"][0]["id"]
    labels = store.article_sectors([article_id])[article_id]
    assert all(label.sector_id != "aerospace-defense" for label in labels)
    store.set_editor_sectors(article_id, ["aerospace-defense"])
    assert total("aerospace-defense") == before + 1


def test_default_entities_are_the_most_named(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, _ = writable_demo
    top = client.get("/api/v1/trends").json()["entities"]
    assert 0 < len(top) <= 6
    totals = [series["total"] for series in top]
    assert totals == sorted(totals, reverse=True)
    # An article of this week: the demo's ids follow its concurrent ingest, so a fixed id
    # may name an article older than the anonymous reader's four-week window.
    recent = next(store.recent_articles(datetime.now(UTC) - timedelta(days=7), newest=1))
    assert recent.id is not None
    store.save_enrichment(
        Enrichment(
            article_id=recent.id,
            version="t",
            entities=(EntityRecord("org:x", "<b>X & co</b>", "organisation"),),
            mentions=(MentionRecord("org:x", "X", 0, 1),),
        )
    )
    series = client.get("/api/v1/trends", params={"entity": "org:x"}).json()["entities"]
    assert series[0]["label"] == "<b>X & co</b>" and series[0]["total"] == 1
    html = client.get("/trends").text
    assert "<b>X" not in html


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/trends?weeks=5", 400),
        ("/trends?weeks=many", 422),
        ("/api/v1/trends?weeks=1000000", 400),
        ("/api/v1/trends?" + "&".join(f"entity=org:{n}" for n in range(21)), 400),
    ],
)
def test_bad_trend_parameters_are_refused(demo_client: TestClient, path: str, status: int) -> None:
    assert demo_client.get(path).status_code == status


def test_an_article_dated_ahead_does_not_move_the_charts_past_today(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    # A feed's (or an editor's) date of 9999-12-31: the series used to end in year 9999, with
    # empty weeks on every chart, and /trends/momentum overflowed the calendar (500).
    client, store, _ = writable_demo
    store.save_article(
        Article(
            source_id=None,
            url="https://x.example/ahead",
            canonical_url="https://x.example/ahead",
            title="Dated ahead",
            text="A piece whose feed dated it ahead.",
            published=datetime(9999, 12, 31, tzinfo=UTC),
            content_hash="ahead",
        )
    )
    for path in ("/trends", "/trends/momentum", "/trends/deals", "/trends/emerging"):
        assert client.get(path).status_code == 200, path
    weeks = client.get("/api/v1/trends").json()["sectors"][0]["counts"]
    assert date.fromisoformat(weeks[-1]["week"]) <= datetime.now(UTC).date()


def test_links_and_forms_of_a_cut_window_ask_for_a_period_the_site_offers(
    demo_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A free reader whose window holds fewer weeks than asked (the newest article in last
    week, as on a Monday before the first story) reads "the last 3 weeks", but the period
    form, the grouping form and the CSV/JSON links carry the period asked for: 3 is not a
    period the site offers, and a link with weeks=3 answered 400."""
    from newsdesk.publish.web import reader as reader_module
    from newsdesk.publish.web.routes._analysis import TREND_WEEKS

    newest = demo_client.get("/api/v1/articles", params={"limit": "1"}).json()["items"][0]
    later = datetime.fromisoformat(str(newest["published"])) + timedelta(days=8)
    monkeypatch.setattr(reader_module, "utcnow", lambda: later)
    for path in ("/trends", "/trends/momentum", "/trends/deals?by=country"):
        html = demo_client.get(path).text
        assert "Pro</a>" in html  # the window was cut
        carried = re.findall(r'weeks=(\d+)|name="weeks" value="(\d+)"', html)
        carried += re.findall(r'<option value="(\d+)" selected>\d+ weeks', html)
        offered = [int("".join(match)) for match in carried]
        assert offered and all(weeks in TREND_WEEKS for weeks in offered), (path, offered)
        for link in re.findall(r'href="(/(?:trends|api/v1/trends)/[^"]*weeks=[^"]*)"', html):
            assert demo_client.get(link.replace("&amp;", "&")).status_code == 200, link
