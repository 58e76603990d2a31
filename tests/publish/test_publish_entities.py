"""GET /entities and /entities/{id}: listing, timeline, co-mentions, facts, hostile names."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from newsdesk.config import Settings
from newsdesk.domain.enrichment import Enrichment, EntityRecord, FactRecord, MentionRecord
from newsdesk.store import SqlStore
from site_viewers import as_viewer, use_test_viewers

LITHIUM = "commodity:lithium"


def shared_articles(store: SqlStore, a: str, b: str) -> int:
    with store.engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT COUNT(DISTINCT x.article_id) FROM entity_mentions x "
                    "JOIN entity_mentions y ON y.article_id = x.article_id "
                    "WHERE x.entity_id = :a AND y.entity_id = :b"
                ),
                {"a": a, "b": b},
            ).scalar_one()
        )


def test_entities_listing_is_most_mentioned_first(demo_client: TestClient) -> None:
    html = demo_client.get("/entities").text
    counts = [int(n) for n in re.findall(r"</a></td>\s*<td>[a-z]+</td>\s*<td>(\d+)</td>", html)]
    assert len(counts) > 10
    assert counts == sorted(counts, reverse=True)
    assert 'href="/entities/country:US"' in html


def test_entities_listing_filters_by_type(demo_client: TestClient) -> None:
    html = demo_client.get("/entities", params={"type": "commodity"}).text
    types = re.findall(r"</a></td>\s*<td>([a-z]+)</td>", html)
    assert types and set(types) == {"commodity"}
    assert demo_client.get("/entities", params={"type": "<script>"}).status_code == 400


def test_entity_page_shows_timeline_co_mentions_facts_and_chart(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, _ = writable_demo
    response = client.get(f"/entities/{LITHIUM}")
    assert response.status_code == 200
    html = response.text
    assert "<h1>lithium</h1>" in html.lower()
    timeline = re.findall(r'<li><time[^>]*>[^<]*</time> · <a href="/articles/(\d+)">', html)
    with store.engine.connect() as connection:
        naming = {
            row[0]
            for row in connection.execute(
                text("SELECT article_id FROM entity_mentions WHERE entity_id = :e"), {"e": LITHIUM}
            )
        }
    assert timeline and {int(i) for i in timeline} <= naming
    co = re.findall(
        r'<li><a href="/entities/([^"]+)">[^<]*</a> <span class="muted">\((\d+) article', html
    )
    assert co
    for entity_id, shown in co:
        assert int(shown) == shared_articles(store, LITHIUM, entity_id)
    assert 'role="img"' in html and "<svg" in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f"/feeds/entities/{LITHIUM}.atom" in html
    assert "Facts involving lithium" in html


def test_entity_timeline_pages_with_a_cursor(demo_client: TestClient) -> None:
    first = demo_client.get("/entities/country:US").text
    match = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert match
    second = demo_client.get(match.group(1)).text
    ids = lambda html: re.findall(r'· <a href="/articles/(\d+)">', html)  # noqa: E731
    assert ids(second) and not set(ids(second)) & set(ids(first))


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/entities/org:no-such-thing", 404),
        ("/entities/country:US?cursor=garbage!", 400),
        ("/entities/country:US?cursor=eyJ0IjoieCIsImlkIjoxfQ", 404),  # {"t":"x","id":1}
        ("/entities?page=0", 400),
    ],
)
def test_entity_pages_refuse_bad_input(demo_client: TestClient, path: str, status: int) -> None:
    assert demo_client.get(path).status_code == status


def test_hostile_entity_names_are_inert(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, _ = writable_demo
    evil = EntityRecord("org:evil", '<script>alert("e")</script>', "organisation", ("<b>x</b>",))
    store.save_enrichment(
        Enrichment(
            article_id=1,
            version="test",
            entities=(evil,),
            mentions=(MentionRecord("org:evil", "evil", 0, 4),),
            facts=(
                FactRecord(
                    "agreement:evil",
                    "agreement",
                    {"parties": ["org:evil"], "kind": "<img src=x onerror=alert(1)>"},
                    "<i>sentence</i>",
                ),
            ),
        )
    )
    use_test_viewers(client.app)
    pro = as_viewer("pro")  # the facts tracker shows facts of any age to Pro
    for path in ("/entities/org:evil", "/entities", f"/entities/{quote(LITHIUM)}"):
        html = client.get(path, headers=pro).text
        assert "<script>alert(" not in html and "<img src=x" not in html and "<b>x</b>" not in html
    html = client.get("/entities/org:evil", headers=pro).text
    assert "&lt;script&gt;alert(&#34;e&#34;)&lt;/script&gt;" in html.replace("&quot;", "&#34;")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_entity_page_links_to_its_dossier(demo_client: TestClient) -> None:
    """A Pro member could reach a dossier only by typing an entity id into /reports."""
    html = demo_client.get(f"/entities/{LITHIUM}").text
    match = re.search(r'href="(/reports/entities/[^"]+)"', html)
    assert match, "no dossier link"
    dossier = demo_client.get(match.group(1))
    assert dossier.status_code == 200
    assert "lithium" in dossier.text and "Entity dossier" in dossier.text
