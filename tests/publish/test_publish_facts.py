"""GET /facts: the facts tracker table, its filters, paging and hostile fact text."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.domain.enrichment import Enrichment, EntityRecord, FactRecord, MentionRecord
from newsdesk.store import SqlStore
from site_viewers import as_viewer, use_test_viewers

ROW = re.compile(
    r"<tr>\s*<td>(.*?)</td>\s*<td>([a-z]+)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", re.S
)


def rows(html: str) -> list[tuple[str, str, str, str]]:
    return ROW.findall(html.split("<tbody>", 1)[-1])


def test_facts_table_lists_every_type_newest_first(demo_client: TestClient) -> None:
    use_test_viewers(demo_client.app)
    html = demo_client.get("/facts", headers=as_viewer("pro")).text
    found = rows(html)
    assert len(found) > 5
    assert {kind for _, kind, _, _ in found} >= {"agreement", "quantity"}
    days = [re.search(r'datetime="([^"]+)"', cell).group(1) for cell, _, _, _ in found]  # type: ignore[union-attr]
    assert days == sorted(days, reverse=True)
    assert 'href="/facts.csv?' in html


@pytest.mark.parametrize("kind", ["agreement", "investment", "quantity", "policy"])
def test_type_filter_keeps_one_type(demo_client: TestClient, kind: str) -> None:
    found = rows(demo_client.get("/facts", params={"type": kind}).text)
    assert all(row_kind == kind for _, row_kind, _, _ in found)


def test_commodity_and_country_filters_match_the_facts_entities(demo_client: TestClient) -> None:
    lithium = rows(demo_client.get("/facts", params={"commodity": "commodity:lithium"}).text)
    assert lithium
    assert all('href="/entities/commodity:lithium"' in involved for _, _, _, involved in lithium)
    chinese = rows(demo_client.get("/facts", params={"country": "country:CN"}).text)
    assert chinese and all('href="/entities/country:CN"' in inv for _, _, _, inv in chinese)
    everything = rows(demo_client.get("/facts").text)
    assert len(chinese) < len(everything)


def test_party_filter_and_date_range(demo_client: TestClient) -> None:
    api = demo_client.get("/api/v1/facts", params={"limit": "100"}).json()["items"]
    days = sorted({item["first_report"]["published"][:10] for item in api})
    middle = days[len(days) // 2]
    ranged = rows(demo_client.get("/facts", params={"from": middle, "to": middle}).text)
    assert ranged
    for cell, _, _, _ in ranged:
        shown = re.search(r'datetime="(\d{4}-\d{2}-\d{2})', cell).group(1)  # type: ignore[union-attr]
        assert date.fromisoformat(shown) == date.fromisoformat(middle)
    party = next(e["id"] for item in api for e in item["entities"] if e["id"].startswith("org:"))
    involving = rows(demo_client.get("/facts", params={"party": party}).text)
    assert involving and all(f'href="/entities/{party}"' in inv for _, _, _, inv in involving)


@pytest.mark.parametrize(
    "params",
    [
        {"type": "deal'; DROP TABLE facts; --"},
        {"from": "2026-02-30"},
        {"to": "soon"},
        {"cursor": "%%%"},
        {"party": "x" * 500},
    ],
)
def test_bad_filters_are_400(demo_client: TestClient, params: dict[str, str]) -> None:
    assert demo_client.get("/facts", params=params).status_code == 400


def test_like_wildcards_in_filters_match_literally(demo_client: TestClient) -> None:
    for party in ("%", "_", "org:%", "\\"):
        assert rows(demo_client.get("/facts", params={"party": party}).text) == []


def test_hostile_fact_text_is_inert(writable_demo: tuple[TestClient, SqlStore, Settings]) -> None:
    client, store, _ = writable_demo
    evil = EntityRecord("org:evil-co", "<svg onload=alert(1)>", "organisation")
    store.save_enrichment(
        Enrichment(
            article_id=2,
            version="test",
            entities=(evil,),
            mentions=(MentionRecord("org:evil-co", "Evil", 0, 4),),
            facts=(
                FactRecord(
                    "policy:evil",
                    "policy",
                    {"action": "<script>alert(1)</script>", "by": ["org:evil-co"]},
                    '"><img src=x onerror=alert(2)>',
                ),
            ),
        )
    )
    use_test_viewers(client.app)
    html = client.get("/facts", params={"party": "org:evil-co"}, headers=as_viewer("pro")).text
    assert len(rows(html)) == 1
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;svg onload=alert(1)&gt;" in html


def test_a_fact_that_is_one_quotation_is_set_in_one_pair_of_quotes(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, _ = writable_demo
    store.save_enrichment(
        Enrichment(
            article_id=2,
            version="test",
            entities=(EntityRecord("org:quote-co", "Quote Co", "organisation"),),
            mentions=(MentionRecord("org:quote-co", "Quote Co", 0, 8),),
            facts=(
                FactRecord(
                    "quantity:quote",
                    "quantity",
                    {"value": 200000, "unit": "tonnes", "about": ["org:quote-co"]},
                    '"Quote Co makes 200,000 tonnes a year. The gap is enormous."',
                ),
            ),
        )
    )
    use_test_viewers(client.app)
    facts = client.get("/facts", params={"party": "org:quote-co"}, headers=as_viewer("pro")).text
    assert "“Quote Co makes 200,000 tonnes a year. The gap is enormous.”" in facts
    article = client.get("/articles/2", headers=as_viewer("pro")).text
    assert "<q>Quote Co makes 200,000 tonnes a year. The gap is enormous.</q>" in article
    assert "&#34;Quote Co" not in facts + article
