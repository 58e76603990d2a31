"""URL canonicalization: equivalent spellings meet, distinct pages stay apart, never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.dedup import canonicalize_url


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("HTTP://Example.COM/News", "http://example.com/News"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a/", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com//a///b", "https://example.com/a/b"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com/%7Euser/%41%62", "https://example.com/~user/Ab"),
        ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/a%2Fb", "https://example.com/a%2Fb"),
        ("https://BÜCHER.example/a", "https://xn--bcher-kva.example/a"),
        ("https://faß.de/a", "https://xn--fa-hia.de/a"),
        ("https://example.com./a", "https://example.com/a"),
        ("http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"),
        ("  https://example.com/a \n", "https://example.com/a"),
        ("https://example.com/dir/index.html", "https://example.com/dir/index.html"),
        (
            "https://example.com/a?utm_source=rss&utm_medium=feed&id=7&gclid=x&fbclid=y",
            "https://example.com/a?id=7",
        ),
        (
            "https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&ref=tw&ref_src=a&cmpid=4"
            "&_hsenc=5&_hsmi=6&UTM_Campaign=7",
            "https://example.com/a",
        ),
        ("https://example.com/a?b=2&a=1&a=0", "https://example.com/a?a=1&a=0&b=2"),
        ("https://example.com/a?q=%e2%82%ac&x=%41", "https://example.com/a?q=%E2%82%AC&x=A"),
        ("https://example.com/a?flag&b=", "https://example.com/a?b=&flag"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://user:pw@example.com/a", "https://user:pw@example.com/a"),
    ],
)
def test_canonical_spelling(spelling: str, canonical: str) -> None:
    assert canonicalize_url(spelling) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a url",
        "mailto:desk@example.com",
        "ftp://example.com/a/",
        "/relative/path/",
        "http:///nohost",
        "http://example.com:99999/",
        "http://example.com:port/",
        "http://[::1/",
    ],
)
def test_non_web_or_unparseable_input_is_returned_stripped(text: str) -> None:
    assert canonicalize_url(f"  {text}\t") == text


def test_distinct_pages_stay_distinct() -> None:
    urls = [
        "https://example.com/a",
        "https://example.com/A",
        "https://example.com/a?id=1",
        "https://example.com/a?id=2",
        "https://example.com/a/b",
        "https://example.com:8080/a",
        "http://example.com/a",
        "https://www.example.com/a",
    ]
    assert len({canonicalize_url(url) for url in urls}) == len(urls)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_idempotent_and_total_on_any_text(text: str) -> None:
    once = canonicalize_url(text)
    assert canonicalize_url(once) == once


# Whitespace is left out: it is stripped at the ends of the input but escaped inside it, so a
# trailing space before a fragment is (rightly) not the same URL as one at the very end.
_segment = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    max_size=8,
)
_host = st.sampled_from(
    [
        "Example.COM",
        "news.example.org.",
        "bücher.example",
        "127.0.0.1",
        "[::1]",
        "a..b",
        "xn--bcher-kva.example",
    ]
)


@st.composite
def web_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "HTTPS", "https"]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080", ":"]))
    path = "/".join(draw(st.lists(_segment, max_size=5)))
    params = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["id", "utm_source", "Page", "ref", "q", "fbclid", "%41"]),
                _segment,
            ),
            max_size=4,
        )
    )
    query = "&".join(f"{k}={v}" for k, v in params)
    fragment = draw(st.sampled_from(["", "#top", "#"]))
    return f"{scheme}://{draw(_host)}{port}/{path}{'?' + query if query else ''}{fragment}"


@settings(max_examples=200, deadline=None)
@given(web_urls())
def test_idempotent_on_web_urls(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once
    assert "#" not in once


@settings(max_examples=200, deadline=None)
@given(web_urls(), st.sampled_from(["utm_medium=x", "gclid=abc", "mc_eid=1"]))
def test_equivalent_spellings_meet(url: str, tracking: str) -> None:
    base = canonicalize_url(url)
    without_fragment = url.split("#", maxsplit=1)[0]
    joiner = "&" if "?" in without_fragment else "?"
    scheme, rest = without_fragment.split("://", 1)
    variants = [
        without_fragment + "#section",
        f"{without_fragment}{joiner}{tracking}",
        f"{scheme.upper()}://{rest}",
        "  " + url + "  ",
    ]
    for variant in variants:
        assert canonicalize_url(variant) == base, variant
