"""The one feed writer: language and lead images in every format; HTML written as given."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import feedparser
import pytest

from newsdesk.formats.feeds import FeedItem, FeedMeta, write_feed

META = FeedMeta(
    title="Meridian",
    link="https://meridian.example/",
    feed_url="https://meridian.example/feed.xml",
    description="Metals and mining",
    language="de",
)
ITEM = FeedItem(
    id="urn:x:1",
    title="Kupferhütte wächst",
    link="https://meridian.example/a.html",
    summary="Mehr Kupfer.",
    content_html="<p>Mehr <b>Kupfer</b>.</p>",
    published=datetime(2026, 11, 20, 8, 30, tzinfo=UTC),
    image="https://meridian.example/images/a.svg",
)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_xml_feeds_carry_language_and_the_lead_image(kind: str) -> None:
    parsed = feedparser.parse(write_feed(kind, META, [ITEM]))  # type: ignore[arg-type]
    assert not parsed.bozo
    assert parsed.feed.language == "de"
    (entry,) = parsed.entries
    (enclosure,) = entry.enclosures
    assert enclosure.href == ITEM.image
    assert enclosure.type == "image/svg+xml"


def test_json_feed_carries_language_and_the_lead_image() -> None:
    document = json.loads(write_feed("json", META, [ITEM]))
    assert document["language"] == "de"
    assert document["items"][0]["image"] == ITEM.image


def test_content_html_is_written_as_given_the_caller_sanitizes() -> None:
    # The writer only strips what XML cannot carry; nh3 is the site's policy (publish.feeds).
    item = FeedItem(id="urn:x:2", title="t", link="https://x.example/", content_html="<b>x</b>\x00")
    document = json.loads(write_feed("json", META, [item]))
    assert document["items"][0]["content_html"] == "<b>x</b>"


def test_without_language_or_image_nothing_is_written_for_them() -> None:
    meta = FeedMeta(title="t", link="https://x.example/", feed_url="https://x.example/f")
    item = FeedItem(id="urn:x:3", title="t", link="https://x.example/a")
    rss = write_feed("rss", meta, [item])
    assert b"<language>" not in rss and b"enclosure" not in rss
    assert b"xml:lang" not in write_feed("atom", meta, [item])
