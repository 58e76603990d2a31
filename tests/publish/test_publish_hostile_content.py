"""Hostile values from feeds stay inert in the HTML pages, the API and all three feed formats."""

from __future__ import annotations

import json
from datetime import timedelta

import feedparser
import pytest
from lxml import etree, html

from newsdesk.domain import Article, Source, utcnow
from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    RelatedLink,
    SectorLabel,
)

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TITLE = f"Pipeline deal {PAYLOAD} </script> ]]> \r\nX-Injected: 1"
AUTHOR = 'Eve "><script>alert(2)</script>'
SUMMARY = f"Summary {PAYLOAD} javascript:alert(3) </script><!-- ]]>"
BODY = (
    '<p onclick="steal()">First paragraph <a href="javascript:alert(4)">click</a></p>'
    '<script>alert(5)</script><p>Second <img src="x" onerror="alert(6)"></p>'
    '<iframe src="https://evil.example"></iframe><p>Third ]]></p>'
)
ENTITY = "Evil Corp <svg onload=alert(7)>"
SOURCE_NAME = "Evil Wire <script>alert(8)</script>"
# Script elements the site itself emits: its own file and the JSON-LD metadata.
OWN_SCRIPTS = {("/static/site.js", None), (None, "application/ld+json")}


@pytest.fixture
def hostile(writable_demo):
    client, store, _settings = writable_demo
    source = store.add_source(
        Source(url="https://evil.example/feed.xml", name=SOURCE_NAME, rights="full", weight=5.0)
    )
    now = utcnow()
    first, second = (
        store.save_article(
            Article(
                source_id=source.id,
                url=f"javascript:alert('{slug}')",
                canonical_url=f"https://evil.example/{slug}",
                title=f"{TITLE} {slug}",
                text=f"First paragraph {PAYLOAD}\n\nSecond paragraph\n\nThird",
                html=BODY,
                authors=(AUTHOR,),
                published=now - timedelta(minutes=5),
            )
        )
        for slug in ("first", "second")
    )
    for article, related in ((first, second), (second, first)):
        store.save_enrichment(
            Enrichment(
                article_id=article.id,
                version="test",
                summary=SUMMARY,
                sectors=(SectorLabel("oil-gas", 0.95, "test"),),
                entities=(EntityRecord(id="org:evil<x>", name=ENTITY, type="organisation"),),
                mentions=(MentionRecord(entity_id="org:evil<x>", text="Evil", start=0, end=4),),
                facts=(
                    FactRecord(
                        key=f"policy|evil|{article.id}",
                        type="policy",
                        data={"what": PAYLOAD},
                        sentence=f"Sentence {PAYLOAD}",
                    ),
                ),
                related=(RelatedLink(article_id=related.id, score=0.9, reason=f"also {PAYLOAD}"),),
            )
        )
    source.consecutive_failures = 3
    source.last_error = f"HTTP 500 {PAYLOAD}"
    store.update_source(source)
    return client, first, second


def assert_inert_html(page: str) -> None:
    tree = html.fromstring(page)
    scripts = {(s.get("src"), s.get("type")) for s in tree.iter("script")}
    assert scripts <= OWN_SCRIPTS, scripts
    assert not tree.xpath("//iframe|//object|//embed|//svg|//style")
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith("javascript:"), (element.tag, value)
    for ld in tree.xpath('//script[@type="application/ld+json"]'):
        json.loads(ld.text)  # still valid JSON: the payload could not close the element


def test_pages_keep_hostile_values_inert(hostile):
    client, first, second = hostile
    pages = {
        "/": client.get("/"),
        "/sectors/oil-gas": client.get("/sectors/oil-gas"),
        f"/articles/{first.id}": client.get(f"/articles/{first.id}"),
        f"/articles/{second.id}": client.get(f"/articles/{second.id}"),
        f"/stories/{first.story_id}": client.get(f"/stories/{first.story_id}"),
        "/stories": client.get("/stories"),
        "/sources": client.get("/sources"),
    }
    for path, response in pages.items():
        assert response.status_code == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert_inert_html(response.text)
    # The hostile values are shown, as text.
    home = pages["/"].text
    assert "Pipeline deal &lt;script&gt;" in home
    article = pages[f"/articles/{first.id}"].text
    for shown in ("Evil Corp &lt;svg onload=alert(7)&gt;", "Eve &#34;&gt;&lt;script&gt;", "Third"):
        assert shown in article
    assert "also &lt;script&gt;" in pages[f"/articles/{second.id}"].text
    assert "HTTP 500 &lt;script&gt;" in pages["/sources"].text


def test_json_ld_carries_the_title_without_closing_its_script(hostile):
    client, first, _ = hostile
    tree = html.fromstring(client.get(f"/articles/{first.id}").text)
    (ld,) = tree.xpath('//script[@type="application/ld+json"]')
    assert "</script" not in ld.text.lower()
    data = json.loads(ld.text)
    assert data["headline"] == f"{TITLE} first"
    assert data["author"] == [{"@type": "Person", "name": AUTHOR}]


def test_javascript_url_of_the_original_is_not_linked(hostile):
    client, first, _ = hostile
    tree = html.fromstring(client.get(f"/articles/{first.id}").text)
    assert not tree.xpath('//a[contains(@href, "javascript")]')
    assert not tree.xpath('//*[contains(@class, "read-at")]')


def test_api_html_fields_are_sanitized_and_text_fields_plain(hostile):
    client, first, _ = hostile
    body = client.get(f"/api/v1/articles/{first.id}").json()
    assert body["rights"] == "full"
    assert_inert_html(f"<div>{body['body_html']}</div>")
    assert "First paragraph" in body["body_html"] and "Third" in body["body_html"]
    assert body["title"] == f"{TITLE} first"  # plain text, for the client to escape
    assert body["entities"][0]["name"] == ENTITY
    listed = client.get("/api/v1/articles?limit=100").json()
    assert any(item["id"] == first.id for item in listed["items"])
    assert client.get("/api/v1/articles/1").headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/feeds/top", "/feeds/sectors/oil-gas"])
@pytest.mark.parametrize("ext", ["xml", "atom"])
def test_xml_feeds_stay_valid_and_inert(hostile, path, ext):
    client, first, _ = hostile
    response = client.get(f"{path}.{ext}")
    assert response.status_code == 200
    etree.fromstring(response.content)  # well-formed despite ]]>, CR/LF and control chars
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    entries = [e for e in parsed.entries if e.link.endswith(f"/articles/{first.id}")]
    assert entries, [e.link for e in parsed.entries]
    entry = entries[0]
    assert "\n" not in entry.title and "\r" not in entry.title
    for detail in (entry.title_detail, entry.summary_detail):
        if detail.type == "text/html":
            assert_inert_html(f"<div>{detail.value}</div>")
            assert "<script" not in detail.value.lower()


@pytest.mark.parametrize("path", ["/feeds/top.json", "/feeds/sectors/oil-gas.json"])
def test_json_feeds_stay_inert(hostile, path):
    client, first, _ = hostile
    response = client.get(path)
    assert b"<" not in response.content  # cannot close a tag even if inlined in a page
    items = [i for i in response.json()["items"] if i["url"].endswith(f"/articles/{first.id}")]
    assert items
    assert items[0]["title"].startswith("Pipeline deal <script>")  # plain text by the spec
    assert "content_html" not in items[0]  # feeds never carry bodies
