"""A block's text is read in one C call (lxml's text serialiser) by the cleanup, the interior
restore, the recall guard's paragraph count and the related-link targets; it must stay what
joining `itertext()` (or `text_content()`) gave, on every hostile block."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml.html import fromstring

from newsdesk.extract.candidates import paragraph_chars
from newsdesk.extract.cleanup import TRAFILATURA_BLOCKS, body_blocks
from newsdesk.extract.interior import SOURCE_BLOCKS, source_blocks
from newsdesk.extract.links import link_targets


def by_itertext(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


HOSTILE_HTML = [
    "<p>before<!-- a comment -->after</p>",
    "<p>a<?php echo 1 ?>b</p>",
    "<p>code <script>var x = '<b>';</script> and <style>p {}</style> style</p>",
    "<p>one <b>two <i>three</i> four</b> five</p>tail after the paragraph",
    "<p>non\u00a0breaking\u2009thin\u3000ideographic\tspaces\n\nand lines</p>",
    "<p>Mat\u00adthi\u00adas with soft hyphens and \u200bzero width</p>",
    "<p>&lt;escaped&gt; &amp; entities &eacute;</p>",
    "<p>漢字とかな、日本語の段落。</p>",
    "<p>   </p>",
    "<p></p>",
    "<p><br><br></p>",
    "<p><template>inert</template>shown<noscript>fallback</noscript></p>",
    "<ul><li>outer<ul><li>inner one</li><li>inner <a href='/x'>two</a></li></ul>tail</li></ul>",
    "<blockquote><p>quoted</p>attribution</blockquote>",
    "<pre>  keep\n  indented\n</pre>",
    "<h2>Sub<span>heading</span></h2><h3></h3><h4>last</h4>",
]


@pytest.mark.parametrize("snippet", HOSTILE_HTML)
def test_source_blocks_read_what_itertext_reads(snippet: str) -> None:
    tree = fromstring(f"<html><body><div>{snippet}</div></body></html>")
    leaves = [
        element
        for element in tree.iter(*SOURCE_BLOCKS)
        if not any(True for _ in element.iterdescendants(*SOURCE_BLOCKS))
    ]
    expected = [(element, by_itertext(element)) for element in leaves if by_itertext(element)]
    got = source_blocks(tree)
    assert [text for _, text in got] == [text for _, text in expected]
    assert all(a is b for (a, _), (b, _) in zip(got, expected, strict=True))


def test_a_block_holding_a_block_is_read_through_its_parts() -> None:
    tree = fromstring("<div><ul><li>outer<ul><li>inner</li></ul></li></ul><p>para</p></div>")
    assert [text for _, text in source_blocks(tree)] == ["inner", "para"]


HOSTILE_XML = [
    "<p>plain</p>",
    "<p>one <hi rend='#b'>two</hi> three<lb/>four</p>",
    "<p>a<!-- comment -->b<?pi data?>c</p>",
    "<p>\u00a0spaced\u2003out\u00a0</p>",
    "<list><item>first</item><item>second <ref target='/x'>link</ref></item></list>",
    "<quote>said<p>inside</p></quote>",
    "<p/>",
]


@pytest.mark.parametrize("snippet", HOSTILE_XML)
def test_body_blocks_read_what_itertext_reads(snippet: str) -> None:
    body = etree.fromstring(f"<body>{snippet}<p>tail block</p>after</body>")
    got = body_blocks(body, TRAFILATURA_BLOCKS)
    assert got
    assert [text for _, text in got] == [by_itertext(block) for block, _ in got]


def by_text_content(element: etree._Element) -> str:
    return str(element.text_content())


@pytest.mark.parametrize("snippet", HOSTILE_HTML)
def test_paragraph_chars_count_what_text_content_reads(snippet: str) -> None:
    tree = fromstring(f"<html><body><div>{snippet}<p>x <b>y</b></p>tail</div></body></html>")
    expected = sum(len(" ".join(by_text_content(p).split())) for p in tree.iter("p"))
    assert paragraph_chars(tree) == expected


@pytest.mark.parametrize("snippet", HOSTILE_HTML)
def test_link_targets_read_what_text_content_reads(snippet: str) -> None:
    # Each hostile block inside a link, and a link inside each block.
    links = f"<a href='/a'>{snippet} and three more words</a>" + snippet.replace(
        "<p>", "<p><a href='/b'>linked <i>words</i> in<!-- c --> a&amp;block</a> ", 1
    )
    tree = fromstring(f"<html><body><div>{links}</div></body></html>")
    expected: dict[str, list[str]] = {}
    for anchor in tree.iter("a"):
        words = by_text_content(anchor).casefold().split()
        if 3 <= len(words) <= 30:
            expected.setdefault(" ".join(words), []).append(anchor.get("href") or "")
    assert link_targets(tree) == {text: tuple(hrefs) for text, hrefs in expected.items()}
    assert link_targets(tree)
