"""The pure feed writers: valid RSS 2.0, Atom and JSON Feed 1.1; hostile values stay inert."""

import json
from datetime import UTC, datetime, timedelta, timezone

import feedparser
import pytest
from lxml import etree

from newsdesk.publish.feeds import FEED_MEDIA_TYPES, FeedItem, FeedMeta, render_feed

META = FeedMeta(
    title="Top insights", link="https://insights.example/", feed_url="https://insights.example/f"
)
WHEN = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
HOSTILE_TITLE = "Deal <script>alert(1)</script> ]]> done\r\nX-Injected: yes\x00\x1b"
HOSTILE_HTML = (
    '<p onclick="steal()">Body<script>alert(2)</script></p>'
    '<img src="x" onerror="alert(3)"><a href="javascript:alert(4)">link</a>'
    "<style>p{}</style> ]]> </script><iframe src=https://evil.example></iframe>"
)


def item(**overrides):
    values = {
        "id": "https://insights.example/articles/1",
        "title": "Pipeline approved",
        "link": "https://insights.example/articles/1",
        "summary": "Regulators approved the pipeline.",
        "content_html": "<p>Regulators <b>approved</b> the pipeline.</p>",
        "published": WHEN,
        "updated": WHEN + timedelta(hours=1),
        "authors": ("Ann Writer",),
        "categories": ("Oil & Gas",),
    }
    values.update(overrides)
    return FeedItem(**values)


def assert_no_live_markup(html):
    tree = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser())
    assert tree.xpath("//script|//iframe|//style|//object") == []
    assert tree.xpath("//@*[starts-with(name(), 'on')]") == []
    assert not [href for href in tree.xpath("//@href") if "javascript:" in href.lower()]


def parse(kind, body):
    if kind == "json":
        return json.loads(body)
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    etree.fromstring(body)  # well-formed XML by a strict parser too
    return parsed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_xml_feeds_round_trip_through_feedparser(kind):
    body = render_feed(kind, META, [item(), item(id="urn:x:2", title="Second", authors=())])
    parsed = parse(kind, body)
    assert parsed.version == ("rss20" if kind == "rss" else "atom10")
    assert parsed.feed.title == "Top insights"
    first = parsed.entries[0]
    assert first.title == "Pipeline approved"
    assert first.link == "https://insights.example/articles/1"
    assert first.id == "https://insights.example/articles/1"
    assert first.published_parsed[:5] == (2026, 11, 20, 8, 30)
    assert first.author == "Ann Writer"
    assert [tag.term for tag in first.tags] == ["Oil & Gas"]
    assert "<b>approved</b>" in first.content[0].value
    assert parsed.entries[1].title == "Second"


def test_json_feed_has_the_required_members():
    document = parse("json", render_feed("json", META, [item(), item(content_html=None)]))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "https://insights.example/f"
    first, second = document["items"]
    assert first["id"] == "https://insights.example/articles/1"
    assert first["date_published"] == "2026-11-20T08:30:00Z"
    assert first["date_modified"] == "2026-11-20T09:30:00Z"
    assert first["authors"] == [{"name": "Ann Writer"}]
    assert first["tags"] == ["Oil & Gas"]
    assert "content_text" not in first
    assert second["content_text"] == "Regulators approved the pipeline."


def test_times_in_other_zones_are_written_in_utc():
    later = datetime(2026, 11, 20, 10, 30, tzinfo=timezone(timedelta(hours=2)))
    document = json.loads(render_feed("json", META, [item(published=later, updated=None)]))
    assert document["items"][0]["date_published"] == "2026-11-20T08:30:00Z"


def test_atom_needs_and_gets_an_author_and_iri_ids():
    body = render_feed("atom", META, [item(id="42", authors=())])
    root = etree.fromstring(body)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:author/a:name", ns).text == "Top insights"
    assert root.find("a:entry/a:id", ns).text == "https://insights.example/42"


def test_empty_feeds_are_valid():
    for kind in ("rss", "atom"):
        assert parse(kind, render_feed(kind, META, [])).entries == []
    assert parse("json", render_feed("json", META, []))["items"] == []


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_hostile_values_stay_inert_in_xml_feeds(kind):
    hostile = item(
        title=HOSTILE_TITLE,
        summary='<img src=x onerror="alert(5)"> ]]> summary',
        content_html=HOSTILE_HTML,
        authors=("Eve <script>alert(6)</script>\r\nBcc: x",),
        categories=("</category><script>",),
    )
    body = render_feed(kind, META, [hostile])
    assert b"\x00" not in body and b"\x1b" not in body
    parsed = parse(kind, body)
    entry = parsed.entries[0]
    assert "\n" not in entry.title and "\r" not in entry.title
    # Whatever a reader renders as HTML has no live markup left; plain text may say anything.
    details = [entry.title_detail, entry.summary_detail, entry.content[0]]
    assert any(detail.type == "text/html" for detail in details)
    for detail in details:
        if detail.type == "text/html":
            assert_no_live_markup(detail.value)
    assert "\n" not in entry.author
    content = entry.content[0].value
    assert "Body" in content
    assert "onclick" not in content and "<iframe" not in content and "<style" not in content
    assert "javascript:" not in content


def test_hostile_values_stay_inert_in_json_feed():
    hostile = item(title=HOSTILE_TITLE, content_html=HOSTILE_HTML, summary="</script><b>x")
    body = render_feed("json", META, [hostile])
    assert b"<" not in body and b">" not in body  # even inlined in a page it cannot close a tag
    entry = json.loads(body)["items"][0]
    assert entry["title"] == "Deal <script>alert(1)</script> ]]> done X-Injected: yes"
    assert "<script" not in entry["content_html"]
    assert "onerror" not in entry["content_html"] and "javascript:" not in entry["content_html"]
    assert entry["summary"] == "</script><b>x"  # plain text by the spec, never HTML


def test_media_types_cover_every_kind():
    assert set(FEED_MEDIA_TYPES) == {"rss", "atom", "json"}
    assert FEED_MEDIA_TYPES["json"].startswith("application/feed+json")


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown feed kind"):
        render_feed("csv", META, [])  # type: ignore[arg-type]
