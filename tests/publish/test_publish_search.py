"""GET /search over the demo corpus: highlighted hits, filters, hostile queries and content."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.domain.models import Article
from newsdesk.store import SqlStore

HIT_LINK = re.compile(r'<h3><a href="/articles/(\d+)">')


def hit_ids(html: str) -> list[int]:
    return [int(n) for n in HIT_LINK.findall(html)]


def test_search_shows_marked_hits_and_keeps_the_query(demo_client: TestClient) -> None:
    response = demo_client.get("/search", params={"q": "lithium"})
    assert response.status_code == 200
    html = response.text
    assert hit_ids(html)
    assert re.search(r"<mark>lithium</mark>", html, re.IGNORECASE)
    assert (
        'id="site-search" type="search" name="q" placeholder="Search insights" value="lithium"'
        in html
    )
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert "/feeds/search.atom?q=lithium" in html


def test_sector_filter_keeps_only_that_sectors_articles(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, _ = writable_demo
    everything = hit_ids(client.get("/search", params={"q": "china"}).text)
    mining = hit_ids(client.get("/search", params={"q": "china", "sector": "mining-metals"}).text)
    labels = store.article_sectors(everything + mining)

    def is_mining(article_id: int) -> bool:
        return any(label.sector_id == "mining-metals" for label in labels[article_id])

    assert mining and all(is_mining(i) for i in mining)
    assert not all(is_mining(i) for i in everything)


def test_date_sort_is_newest_first(writable_demo: tuple[TestClient, SqlStore, Settings]) -> None:
    client, store, _ = writable_demo
    ids = hit_ids(client.get("/search", params={"q": "china", "sort": "date"}).text)
    dates = [store.get_article(i).published for i in ids]  # type: ignore[union-attr]
    assert len(ids) > 2 and dates == sorted(dates, reverse=True)  # type: ignore[type-var]


def test_next_page_link_continues_the_results(demo_client: TestClient) -> None:
    first = demo_client.get("/search", params={"q": "china"}).text
    match = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert match, "china matches more than one page of the demo corpus"
    second = demo_client.get(match.group(1).replace("&amp;", "&")).text
    assert hit_ids(second) and not set(hit_ids(second)) & set(hit_ids(first))


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "lithium*",
        "NEAR(lithium china",
        "lithium OR",
        "OR",
        "((lithium",
        "lithium ) ) AND NOT (",
        "'; DROP TABLE articles; --",
        '"><script>alert(1)</script>',
    ],
)
def test_hostile_queries_answer_normally(demo_client: TestClient, query: str) -> None:
    response = demo_client.get("/search", params={"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert demo_client.get("/healthz").json()["articles"] > 0


def test_ten_kilobyte_query_is_cut_with_a_notice(demo_client: TestClient) -> None:
    response = demo_client.get("/search", params={"q": "lithium " * 1250})
    assert response.status_code == 200
    assert "cut to its first 500 characters" in response.text
    assert hit_ids(response.text)


def test_empty_query_asks_for_words(demo_client: TestClient) -> None:
    response = demo_client.get("/search", params={"q": ""})
    assert response.status_code == 200
    assert "Type one or more words to search for." in response.text
    assert not hit_ids(response.text)


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"q": "lithium", "sort": "title; DROP TABLE articles"}, "sort must be one of"),
        ({"q": "lithium", "sector": "no-such-sector"}, "unknown sector"),
        ({"q": "lithium", "from": "yesterday"}, "from must be a date"),
        ({"q": "lithium", "cursor": "not-a-cursor!"}, "invalid cursor"),
    ],
)
def test_bad_parameters_are_refused_with_400(
    demo_client: TestClient, params: dict[str, str], detail: str
) -> None:
    response = demo_client.get("/search", params=params)
    assert response.status_code == 400
    assert f"<p>{detail}" in response.text


def test_hostile_article_text_is_inert_in_results(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, _ = writable_demo
    store.save_article(
        Article(
            source_id=None,
            url="https://evil.example/x",
            canonical_url="https://evil.example/x",
            title='<img src=x onerror="alert(1)"> Zirconium shock',
            text="Zirconium <script>alert(2)</script> prices & <b>bold</b> moves.",
            content_hash="evil",
        )
    )
    html = client.get("/search", params={"q": "zirconium"}).text
    assert (
        "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; <mark>Zirconium</mark> shock"
        in html.replace("&quot;", "&#34;")
    )
    assert "<script>alert(2)" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_empty_form_fields_mean_no_filter(demo_client: TestClient) -> None:
    params = {"q": "lithium", "sector": "", "source": "", "from": "", "to": "", "sort": ""}
    response = demo_client.get("/search", params=params)
    assert response.status_code == 200
    assert hit_ids(response.text) == hit_ids(demo_client.get("/search?q=lithium").text)
    assert demo_client.get("/search", params={"q": "x", "source": "²"}).status_code == 400
