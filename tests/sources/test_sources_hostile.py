"""Hostile input: entity bombs, XXE, external DTDs, broken bytes, oversized sitemaps, bombs.

Every case is either refused with SourceParseError or parsed safely; no file is read and
memory stays bounded.
"""

from __future__ import annotations

import gzip
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.domain import ParsedSource, SourceParseError
from newsdesk.sources import ParseOptions, parse_feed, parse_opml, parse_sitemap
from newsdesk.sources.normalize import parse_iso_datetime

OPTIONS = ParseOptions()
BASE = "https://hostile.example/feed"

Parser = Callable[[bytes], Any]
PARSERS: dict[str, Parser] = {
    "feed": lambda body: parse_feed(body, base_url=BASE, options=OPTIONS),
    "sitemap": lambda body: parse_sitemap(body, base_url=BASE, options=OPTIONS),
    "opml": parse_opml,
}
ROOTS = {"feed": "rss", "sitemap": "urlset", "opml": "opml"}

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE {root} [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<{root}><title>&lol9;</title></{root}>
"""


def quadratic_blowup(root: str) -> bytes:
    entity = "A" * 50_000
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY a "{entity}">]>'
        f"<{root}><title>{'&a;' * 50_000}</title></{root}>"
    ).encode()


files_opened: list[str] = []
_watching: list[bool] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _watching and event == "open" and args and isinstance(args[0], str | bytes | Path):
        files_opened.append(str(args[0]))


sys.addaudithook(_audit)


@pytest.fixture
def secret_file(tmp_path: Path) -> Iterator[Path]:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT-7731")
    files_opened.clear()
    _watching.append(True)
    yield secret
    _watching.clear()


def bounded_peak(call: Callable[[], object]) -> int:
    """Peak Python heap while call runs (it is expected to raise SourceParseError)."""
    tracemalloc.start()
    try:
        with pytest.raises(SourceParseError, match="DOCTYPE/entities refused"):
            call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", sorted(PARSERS))
def test_billion_laughs_refused_in_bounded_memory(kind: str) -> None:
    body = BILLION_LAUGHS.format(root=ROOTS[kind]).encode()
    assert bounded_peak(lambda: PARSERS[kind](body)) < 5 * 1024 * 1024


@pytest.mark.parametrize("kind", sorted(PARSERS))
def test_quadratic_blowup_refused_in_bounded_memory(kind: str) -> None:
    body = quadratic_blowup(ROOTS[kind])
    assert bounded_peak(lambda: PARSERS[kind](body)) < 20 * 1024 * 1024


@pytest.mark.parametrize("kind", sorted(PARSERS))
def test_xxe_to_local_file_is_refused_and_never_read(kind: str, secret_file: Path) -> None:
    root = ROOTS[kind]
    body = (
        f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>'
        f"<{root}><title>&xxe;</title><channel><title>&xxe;</title>"
        f"<item><link>https://x.example/&xxe;</link></item></channel></{root}>"
    ).encode()
    with pytest.raises(SourceParseError, match="DOCTYPE/entities refused") as refused:
        PARSERS[kind](body)
    assert "TOP-SECRET" not in str(refused.value)
    assert str(secret_file) not in files_opened


@pytest.mark.parametrize("kind", sorted(PARSERS))
def test_external_dtd_is_refused(kind: str, secret_file: Path) -> None:
    root = ROOTS[kind]
    body = f'<!DOCTYPE {root} SYSTEM "{secret_file.as_uri()}"><{root}/>'.encode()
    with pytest.raises(SourceParseError, match="DOCTYPE/entities refused"):
        PARSERS[kind](body)
    assert str(secret_file) not in files_opened


def test_allowed_netscape_doctype_is_dropped_not_loaded(secret_file: Path) -> None:
    body = (
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        f'"{secret_file.as_uri()}"><rss version="0.91"><channel><title>N</title>'
        "<item><title>t</title><link>https://n.example/1</link></item></channel></rss>"
    ).encode()
    parsed = parse_feed(body, base_url=BASE, options=OPTIONS)
    assert [e.url for e in parsed.entries] == ["https://n.example/1"]
    assert str(secret_file) not in files_opened


@pytest.mark.parametrize(
    "prolog",
    [
        "<!-- <rss> looks like a root but is a comment -->",
        '<?xml-stylesheet href="x.xsl"?>',
        "\n\n   ",
    ],
)
def test_doctype_hidden_after_comments_or_pis_is_still_refused(prolog: str) -> None:
    body = f'{prolog}<!doctype rss [<!ENTITY e "boom">]><rss version="2.0"/>'.encode()
    with pytest.raises(SourceParseError, match="DOCTYPE/entities refused"):
        parse_feed(body, base_url=BASE, options=OPTIONS)


def test_utf16_encoded_entity_bomb_is_refused() -> None:
    body = BILLION_LAUGHS.format(root="rss").replace('"1.0"?>', '"1.0" encoding="utf-16"?>')
    with pytest.raises(SourceParseError, match="DOCTYPE/entities refused"):
        parse_feed(body.encode("utf-16"), base_url=BASE, options=OPTIONS)


def test_sitemap_and_opml_refuse_even_a_bare_doctype() -> None:
    with pytest.raises(SourceParseError, match="DOCTYPE"):
        parse_sitemap(b"<!DOCTYPE urlset><urlset/>", base_url=BASE, options=OPTIONS)
    with pytest.raises(SourceParseError, match="DOCTYPE"):
        parse_opml(b"<!DOCTYPE opml><opml version='2.0'><body/></opml>")


def test_malformed_feed_that_feedparser_recovers_still_gives_entries() -> None:
    body = (
        b"<rss version='2.0'><channel><title>Broken</title>"
        b"<item><title>Kept & unescaped</title><link>https://b.example/1</link></item>"
        b"<item><title>Second<link>https://b.example/2</link></item>"
    )
    parsed = parse_feed(body, base_url=BASE, options=OPTIONS)
    assert "https://b.example/1" in [e.url for e in parsed.entries]


@pytest.mark.parametrize(
    "body",
    [b"", b"\x00\x01\x02garbage", b"<html><body>not a feed</body></html>", b"<<<>>>", b"<rss"],
)
def test_unparseable_feed_raises_source_parse_error(body: bytes) -> None:
    with pytest.raises(SourceParseError):
        parse_feed(body, base_url=BASE, options=OPTIONS)


@pytest.mark.parametrize("kind", ["sitemap", "opml"])
def test_malformed_xml_is_refused_by_strict_parsers(kind: str) -> None:
    root = ROOTS[kind]
    with pytest.raises(SourceParseError, match="malformed"):
        PARSERS[kind](f"<{root}><url><loc>https://x.example/</loc></url".encode())


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    body = (
        b"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>T</title>"
        b"<item><title>Caf\xe9 \xff\xfe news</title><link>https://u.example/1</link></item>"
        b"</channel></rss>"
    )
    (entry,) = parse_feed(body, base_url=BASE, options=OPTIONS).entries
    assert entry.title == "Caf\ufffd \ufffd\ufffd news"


def test_nul_bytes_are_stripped() -> None:
    body = (
        b"<rss version='2.0'><channel><title>N\x00UL</title>"
        b"<item><title>A\x00B</title><link>https://n.example/\x001</link>"
        b"<description>x\x00y</description></item></channel></rss>"
    )
    parsed = parse_feed(body, base_url=BASE, options=OPTIONS)
    (entry,) = parsed.entries
    assert (parsed.title, entry.title, entry.url, entry.summary) == (
        "NUL",
        "AB",
        "https://n.example/1",
        "xy",
    )


def test_nul_bytes_in_sitemap_and_invalid_utf8() -> None:
    body = b"<urlset><url><loc>https://s.example/\x00a\xff</loc></url></urlset>"
    (entry,) = parse_sitemap(body, base_url=BASE, options=OPTIONS).entries
    assert entry.url.startswith("https://s.example/a")


def test_sitemap_with_50001_urls_is_truncated_to_50000() -> None:
    urls = b"".join(b"<url><loc>https://big.example/%d</loc></url>" % i for i in range(50_001))
    body = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + urls + b"</urlset>"
    parsed = parse_sitemap(body, base_url="https://big.example/sitemap.xml", options=OPTIONS)
    assert len(parsed.entries) == 50_000
    assert parsed.entries[-1].url == "https://big.example/49999"


def test_gzip_bomb_sitemap_is_refused() -> None:
    inflated = b"<urlset>" + b" " * (OPTIONS.max_document_bytes + 1024) + b"</urlset>"
    bomb = gzip.compress(inflated, compresslevel=1)
    del inflated
    assert len(bomb) < 1024 * 1024
    with pytest.raises(SourceParseError, match="cap"):
        parse_sitemap(bomb, base_url=BASE, options=OPTIONS)


def test_corrupt_and_truncated_gzip_are_refused() -> None:
    good = gzip.compress(b"<urlset><url><loc>https://g.example/</loc></url></urlset>")
    with pytest.raises(SourceParseError, match="gzip"):
        parse_sitemap(good[:-12], base_url=BASE, options=OPTIONS)
    with pytest.raises(SourceParseError, match="gzip"):
        parse_sitemap(good[:10] + b"\x00" * 30, base_url=BASE, options=OPTIONS)


def test_sitemap_index_listing_itself_does_not_list_itself() -> None:
    url = "https://loop.example/sitemap_index.xml"
    body = (
        f"<sitemapindex><sitemap><loc>{url}</loc></sitemap>"
        f"<sitemap><loc>https://LOOP.example/sitemap_index.xml#top</loc></sitemap>"
        "<sitemap><loc>https://loop.example/news.xml</loc></sitemap></sitemapindex>"
    ).encode()
    parsed = parse_sitemap(body, base_url=url, options=OPTIONS)
    assert parsed.child_sitemaps == ("https://loop.example/news.xml",)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_parse_feed_raises_only_source_parse_error_on_random_bytes(body: bytes) -> None:
    try:
        parsed = parse_feed(body, base_url=BASE, options=OPTIONS)
    except SourceParseError:
        return
    assert isinstance(parsed, ParsedSource)


_XMLISH = st.lists(
    st.sampled_from(
        [
            "<rss version='2.0'>",
            "<channel>",
            "<item>",
            "</item>",
            "<title>",
            "</title>",
            "<link>",
            "https://h.example/x",
            "</link>",
            "&amp;",
            "&bogus;",
            "<![CDATA[",
            "]]>",
            "<!DOCTYPE rss>",
            "<!ENTITY e 'x'>",
            "<feed xmlns='http://www.w3.org/2005/Atom'>",
            "<entry>",
            "<content type='html'>",
            "\x00",
            "\udcff",
            "{",
            '"items": [',
            "é",
        ]
    ),
    max_size=40,
).map(lambda parts: "".join(parts).encode("utf-8", errors="surrogateescape"))


@settings(max_examples=300, deadline=None)
@given(_XMLISH)
def test_parse_feed_raises_only_source_parse_error_on_xmlish_bytes(body: bytes) -> None:
    try:
        parsed = parse_feed(body, base_url=BASE, options=OPTIONS)
    except SourceParseError:
        return
    assert all(e.url.startswith(("http://", "https://")) for e in parsed.entries)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=1024) | _XMLISH)
def test_sitemap_and_opml_raise_only_source_parse_error(body: bytes) -> None:
    for parse in (PARSERS["sitemap"], PARSERS["opml"]):
        try:
            parse(body)
        except SourceParseError:
            continue


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-06T10:00:00+02:00", datetime(2026, 12, 6, 8, tzinfo=UTC)),
        ("2026-12-06T10:00:00", datetime(2026, 12, 6, 10, tzinfo=UTC)),
        ("2026-12-06t10:00:00z", datetime(2026, 12, 6, 10, tzinfo=UTC)),
        ("9999-12-31T23:59:59-14:00", None),  # its UTC time lies past the calendar
        ("0001-01-01T00:00:00+14:00", None),
        ("2026-02-30", None),
        (" ", None),
        (20261206, None),
    ],
)
def test_iso_dates_read_as_utc_or_as_no_date(value: object, expected: datetime | None) -> None:
    assert parse_iso_datetime(value) == expected
