"""Feed formats parsed from fixture bytes, plus the full.atom golden file."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsdesk.domain import FeedEntry, SourceKind, SourceParseError
from newsdesk.sources import ParseOptions, parse_feed, parse_json_feed

DATA = Path(__file__).parent / "data"
OPTIONS = ParseOptions()


def load(name: str, base_url: str = "https://feeds.example/feed") -> Any:
    return parse_feed((DATA / name).read_bytes(), base_url=base_url, options=OPTIONS)


def entry_as_json(entry: FeedEntry) -> dict[str, Any]:
    record = dataclasses.asdict(entry)
    for key in ("published", "updated"):
        if record[key] is not None:
            record[key] = record[key].isoformat()
    record["authors"] = list(record["authors"])
    return record


def test_full_atom_matches_golden_file() -> None:
    parsed = load("full.atom", base_url="https://insights.example/atom.xml")
    expected = json.loads((DATA / "full.atom.expected.json").read_text("utf-8"))
    actual = {
        "kind": parsed.kind.value,
        "title": parsed.title,
        "link": parsed.link,
        "entries": [entry_as_json(e) for e in parsed.entries],
    }
    assert actual == expected


def test_rss_091_with_netscape_doctype() -> None:
    parsed = load("rss091.xml")
    assert parsed.kind is SourceKind.FEED
    assert parsed.title == "Old Wire"
    # The item without a link is skipped; ISO-8859-1 character references decode.
    assert [(e.url, e.title, e.summary, e.language) for e in parsed.entries] == [
        ("https://oldwire.example/cafe", "Café prices rise", "Coffee & tea cost more.", "en-gb")
    ]


def test_rss_10_rdf() -> None:
    (entry,) = load("rss10.rdf").entries
    assert entry.url == "https://rdf.example/a"
    assert entry.authors == ("Ana Ruiz",)
    assert entry.published == datetime(2024, 3, 1, 8, 30, tzinfo=UTC)
    assert entry.language == "es"


def test_rss_20_content_encoded_relative_links_and_images() -> None:
    parsed = load("rss20.xml", base_url="https://grid.example/feed.xml")
    assert parsed.title == "Energy & Grid Daily"
    battery, wind = parsed.entries  # the javascript: link is dropped
    assert battery.url == "https://grid.example/news/battery-storage"
    assert battery.guid == "grid-1001"
    assert battery.title == "Battery storage doubles"
    assert battery.published == datetime(2024, 1, 2, 15, 0, tzinfo=UTC)
    assert battery.updated is None
    assert battery.authors == ("Lee Chen",)
    assert battery.summary == "Short teaser."
    assert battery.content_html is not None
    assert "<em>battery</em>" in battery.content_html
    assert "Second paragraph" in battery.content_html
    assert battery.image == "https://cdn.grid.example/battery.jpg"
    assert wind.image == "https://cdn.grid.example/wind.png"
    assert wind.summary == "Offshore wind auction cleared at record low."
    assert wind.content_html is None


def test_atom_html_content_and_language() -> None:
    parsed = load("atom.xml")
    assert parsed.title == "Logistik Heute"
    (entry,) = parsed.entries
    assert entry.content_html == "<p>Der Hafen wird <b>erweitert</b>.</p>"
    assert entry.published == datetime(2024, 4, 4, 7, 0, tzinfo=UTC)
    assert entry.updated == datetime(2024, 4, 5, 7, 0, tzinfo=UTC)
    assert entry.language == "de"


def test_json_feed_11() -> None:
    parsed = load("feed.json", base_url="https://chips.example/feed.json")
    assert (parsed.title, parsed.link) == ("Chip Watch", "https://chips.example/")
    fab, external = parsed.entries
    assert fab.content_html == "<p>A new <b>fab</b> is coming.</p>"
    assert fab.updated == datetime(2024, 2, 10, 12, 30, tzinfo=UTC)
    assert fab.authors == ("Kim Park",)
    assert fab.image == "https://chips.example/fab.jpg"
    assert external.url == "https://other.example/story"
    assert external.guid == "42"
    assert external.content_html == "<p>Plain &lt;text&gt; only</p>"
    assert external.authors == ("Desk",)  # feed-level authors apply
    assert external.published == datetime(2024, 2, 11, tzinfo=UTC)


def test_json_feed_10_single_author() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1",
            "title": "Old JSON",
            "items": [{"id": "1", "url": "/a", "author": {"name": "Solo"}, "title": "A"}],
        }
    ).encode()
    (entry,) = parse_json_feed(body, base_url="https://j.example/", options=OPTIONS).entries
    assert (entry.url, entry.authors) == ("https://j.example/a", ("Solo",))


@pytest.mark.parametrize(
    "body",
    [b"{}", b'{"version": "1.0", "items": []}', b"[1, 2]", b"{not json", b"[" * 100_000],
)
def test_json_that_is_not_a_json_feed_is_refused(body: bytes) -> None:
    with pytest.raises(SourceParseError):
        parse_feed(body, base_url="https://j.example/", options=OPTIONS)


def test_max_entries_truncates() -> None:
    items = "".join(
        f"<item><title>t{i}</title><link>https://m.example/{i}</link></item>" for i in range(30)
    )
    body = f"<rss version='2.0'><channel><title>M</title>{items}</channel></rss>".encode()
    parsed = parse_feed(body, base_url="https://m.example/", options=ParseOptions(max_entries=7))
    assert [e.url for e in parsed.entries] == [f"https://m.example/{i}" for i in range(7)]


def test_empty_but_valid_feed_has_no_entries() -> None:
    body = b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>"
    parsed = parse_feed(body, base_url="https://q.example/", options=OPTIONS)
    assert (parsed.title, parsed.entries) == ("Quiet", ())


def test_document_over_the_size_cap_is_refused() -> None:
    body = b"<rss version='2.0'><channel>" + b" " * 2000 + b"</channel></rss>"
    with pytest.raises(SourceParseError, match="cap"):
        parse_feed(
            body, base_url="https://q.example/", options=ParseOptions(max_document_bytes=1000)
        )
