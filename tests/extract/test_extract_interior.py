"""Interior blocks the precision pass dropped go back into the body (interior.restore_interior,
ExtractOptions.restore_interior) when they read as article text, and only then."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml.html import fromstring

import newsdesk.extract.article as article_module
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.candidates import Candidate, CandidateName
from newsdesk.extract.interior import (
    MAX_GAP_BLOCKS,
    SourceBlock,
    restore_interior,
    restore_interior_blocks,
    restore_reason,
)

PARAGRAPHS = [
    f"The harbour board voted on Tuesday to fund pier number {n}, after residents of the "
    f"island asked for a second daily crossing in the winter months of the coming year."
    for n in range(6)
]


def never(_: str) -> bool:
    return False


def body_of(*texts: str, tag: str = "p") -> etree._Element:
    """A trafilatura XML body holding `texts` as blocks."""
    body = etree.Element("body")
    for text in texts:
        etree.SubElement(body, tag).text = text
    return body


def lines(body: etree._Element) -> list[str]:
    return [" ".join("".join(block.itertext()).split()) for block in body]


def page(inner: str) -> etree._Element:
    return fromstring(f"<html><body><main>{inner}</main></body></html>")


def paragraphs_with(between: str, *, left: int = 0, right: int = 1) -> str:
    return f"<p>{PARAGRAPHS[left]}</p>{between}<p>{PARAGRAPHS[right]}</p>"


def test_a_subheading_between_two_adjacent_kept_paragraphs_goes_back_in_order() -> None:
    tree = page(paragraphs_with("<h2>Why the pier matters</h2>"))
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    looked = restore_interior(tree, body, frozenset({"p", "head"}), is_furniture=never)
    assert lines(body) == [PARAGRAPHS[0], "Why the pier matters", PARAGRAPHS[1]]
    assert body[1].tag == "head" and body[1].get("rend") == "h2"
    assert looked == [("subheading between kept paragraphs", "Why the pier matters")]


def test_several_blocks_of_one_gap_keep_their_page_order() -> None:
    tree = page(paragraphs_with("<h3>First</h3><p>A short note on tides.</p><h3>Second</h3>"))
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    restore_interior(tree, body, frozenset({"p", "head"}), is_furniture=never)
    assert lines(body) == [
        PARAGRAPHS[0],
        "First",
        "A short note on tides.",
        "Second",
        PARAGRAPHS[1],
    ]


def test_the_count_of_inserted_blocks_says_whether_the_body_changed() -> None:
    # The extraction reads the body's text again only when a block went in.
    tree = page(paragraphs_with("<h2>Why the pier matters</h2>"))
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    looked, inserted = restore_interior_blocks(
        tree, body, frozenset({"p", "head"}), is_furniture=never
    )
    assert (len(looked), inserted) == (1, 1)
    tree = page(paragraphs_with("<h2>Why the pier matters</h2>"))
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    before = etree.tostring(body)
    looked, inserted = restore_interior_blocks(
        tree, body, frozenset({"p", "head"}), is_furniture=lambda _: True
    )
    assert (looked, inserted) == ([("reads as furniture", "Why the pier matters")], 0)
    assert etree.tostring(body) == before


def test_nothing_is_restored_before_the_first_or_after_the_last_kept_block() -> None:
    tree = page(
        "<h2>Before the body</h2>" + paragraphs_with("") + "<h2>After the body</h2><p>Footer</p>"
    )
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    assert restore_interior(tree, body, frozenset({"p", "head"}), is_furniture=never) == []
    assert lines(body) == [PARAGRAPHS[0], PARAGRAPHS[1]]


def test_nothing_is_restored_between_blocks_the_body_holds_in_another_order() -> None:
    tree = page(paragraphs_with("<h2>A heading between them</h2>"))
    body = body_of(PARAGRAPHS[1], PARAGRAPHS[0])
    assert restore_interior(tree, body, frozenset({"p", "head"}), is_furniture=never) == []
    assert lines(body) == [PARAGRAPHS[1], PARAGRAPHS[0]]


def test_empty_body_and_a_one_block_body_are_left_alone() -> None:
    tree = page(paragraphs_with("<h2>Why the pier matters</h2>"))
    empty = etree.Element("body")
    assert restore_interior(tree, empty, frozenset({"p"}), is_furniture=never) == []
    assert len(empty) == 0
    one = body_of(PARAGRAPHS[0])
    assert restore_interior(tree, one, frozenset({"p"}), is_furniture=never) == []
    assert lines(one) == [PARAGRAPHS[0]]
    assert restore_interior(page(""), body_of(*PARAGRAPHS[:2]), {"p"}, is_furniture=never) == []


def test_a_nav_list_between_paragraphs_stays_out() -> None:
    nav = "<nav><ul><li>Home</li><li>Politics</li></ul></nav>"
    links = '<ul><li><a href="/a">Other story about ferries</a></li></ul>'
    for between in (nav, links):
        tree = page(paragraphs_with(between))
        body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
        restore_interior(tree, body, frozenset({"p", "head"}), is_furniture=never)
        assert lines(body) == [PARAGRAPHS[0], PARAGRAPHS[1]], between


def test_boxed_blocks_stay_out_captions_cards_and_embeds() -> None:
    for between in (
        '<div class="wp-caption"><p>The old pier in 1950 / (C) Archive</p></div>',
        "<ul><li><article><h3>Another headline of the site</h3></article></li></ul>",
        '<blockquote class="fb-post"><p>Posted text from a social network</p></blockquote>',
        '<p class="author">By Jane Doe</p>',
        "<figure><p>A picture of the island</p></figure>",
    ):
        tree = page(paragraphs_with(between))
        body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
        restore_interior(tree, body, frozenset({"p", "head"}), is_furniture=never)
        assert lines(body) == [PARAGRAPHS[0], PARAGRAPHS[1]], between


def test_a_gap_too_big_to_be_a_dropped_subheading_stays_out() -> None:
    gap = "".join(f"<h3>Teaser {n}</h3>" for n in range(MAX_GAP_BLOCKS + 1))
    tree = page(paragraphs_with(gap))
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    assert restore_interior(tree, body, frozenset({"p", "head"}), is_furniture=never) == []


def test_furniture_repeats_and_scripts_stay_out() -> None:
    tree = page(
        paragraphs_with("<p>Quelle: THW</p>", right=1)
        + paragraphs_with("<p>Quelle: THW</p>", left=2, right=3)
    )
    body = body_of(*PARAGRAPHS[:4])
    restore_interior(tree, body, frozenset({"p"}), is_furniture=never)
    assert lines(body) == PARAGRAPHS[:4]
    tree = page(paragraphs_with("<p>Sign up for our newsletter</p>"))
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    restore_interior(tree, body, {"p"}, is_furniture=lambda text: "newsletter" in text)
    assert lines(body) == [PARAGRAPHS[0], PARAGRAPHS[1]]
    tree = page(paragraphs_with("<p><script>var x = 1;</script>Player</p>"))
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    restore_interior(tree, body, {"p"}, is_furniture=never)
    assert lines(body) == [PARAGRAPHS[0], PARAGRAPHS[1]]


def test_restore_reason_says_why() -> None:
    kept = frozenset({("kept", "line")})
    cases = [
        (SourceBlock("h2", "  "), False, "no words"),
        (SourceBlock("p", "Kept line"), False, "repeats a kept block"),
        (SourceBlock("p", "Home news", link_chars=9), False, "mostly link text"),
        (SourceBlock("h2", "x " * 100), False, "a heading too long to be a subheading"),
        (SourceBlock("p", "Foto: dpa", repeated=True), False, "repeated on the page"),
        (SourceBlock("p", "Nested", extra_nesting=1), False, "boxed apart"),
        (SourceBlock("h3", "Why it matters"), True, "subheading between kept paragraphs"),
        (SourceBlock("li", "Step one"), True, "li between kept paragraphs"),
    ]
    for block, restore, reason in cases:
        got = restore_reason(block, kept=kept, is_furniture=never)
        assert got[0] is restore and got[1].startswith(reason), (block, got)


def test_list_items_go_back_as_items_and_paragraphs_never_into_a_list() -> None:
    tree = page("<ul><li>Step one of three</li><li>Step two of three</li><li>Step three</li></ul>")
    body = etree.Element("body")
    listing = etree.SubElement(body, "list")
    for text in ("Step one of three", "Step three"):
        etree.SubElement(listing, "item").text = text
    restore_interior(tree, body, frozenset({"list", "item"}), is_furniture=never)
    assert [item.text for item in listing] == [
        "Step one of three",
        "Step two of three",
        "Step three",
    ]
    tree = page("<ul><li>Step one of three</li></ul><p>A paragraph</p><ul><li>Step three</li></ul>")
    body = etree.Element("body")
    listing = etree.SubElement(body, "list")
    for text in ("Step one of three", "Step three"):
        etree.SubElement(listing, "item").text = text
    restore_interior(tree, body, frozenset({"list", "item"}), is_furniture=never)
    assert [item.text for item in listing] == ["Step one of three", "Step three"]


def test_cyrillic_cjk_and_soft_hyphens() -> None:
    russian = [
        "Совет гавани во вторник проголосовал за новый причал, " * 3 + f"часть {n}."
        for n in range(2)
    ]
    chinese = [
        "港口委员会周二投票决定为新码头提供资金，岛上居民要求冬季增加渡轮。" * 2 + str(n)
        for n in range(2)
    ]
    for texts, heading in ((russian, "Почему это важно"), (chinese, "为什么重要")):
        tree = page(f"<p>{texts[0]}</p><h2>{heading}</h2><p>{texts[1]}</p>")
        body = body_of(*texts)
        restore_interior(tree, body, frozenset({"p", "head"}), is_furniture=never)
        assert lines(body) == [texts[0], heading, texts[1]]
    tree = page(paragraphs_with("<p>Von Mat\u00adthi\u00adas Lauerer</p>"))
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    restore_interior(tree, body, {"p"}, is_furniture=lambda text: text.startswith("Von Matthias"))
    assert lines(body) == [PARAGRAPHS[0], PARAGRAPHS[1]]


def test_deeply_nested_and_huge_pages_do_not_break_it() -> None:
    deep = "<div>" * 2000 + paragraphs_with("<h2>Deep heading</h2>") + "</div>" * 2000
    tree = page(deep)
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    restore_interior(tree, body, frozenset({"p", "head"}), is_furniture=never)
    # libxml2 stops nesting at its depth limit, so the heading may land in another box.
    assert lines(body) in (
        [PARAGRAPHS[0], "Deep heading", PARAGRAPHS[1]],
        [PARAGRAPHS[0], PARAGRAPHS[1]],
    )
    nested = "<ul>" + "<li>level<ul>" * 300 + "<li>leaf</li>" + "</ul></li>" * 300 + "</ul>"
    tree = page(paragraphs_with(nested))
    body = body_of(PARAGRAPHS[0], PARAGRAPHS[1])
    restore_interior(tree, body, frozenset({"p", "head"}), is_furniture=never)
    assert lines(body) == [PARAGRAPHS[0], PARAGRAPHS[1]]
    many = "".join(f"<p>Paragraph {n} of a very long page about ferries.</p>" for n in range(20000))
    tree = page(many)
    body = body_of(
        *(f"Paragraph {n} of a very long page about ferries." for n in range(0, 20000, 2))
    )
    restore_interior(tree, body, frozenset({"p"}), is_furniture=never)
    # Every other paragraph was dropped between two kept ones: all but the last come back.
    assert lines(body) == [
        f"Paragraph {n} of a very long page about ferries." for n in range(19999)
    ]


def test_the_pipeline_gives_a_dropped_subheading_back_only_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    html = (
        "<html><head><title>Ferries</title></head><body><article>"
        + "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:3])
        + "<h2>What the islanders want</h2>"
        + "".join(f"<p>{text}</p>" for text in PARAGRAPHS[3:])
        + "</article></body></html>"
    )

    def precision_without_headings(
        tree: object, name: CandidateName, *, url: str | None, include_tables: bool
    ) -> Candidate | None:
        if name is not CandidateName.PRECISION:
            return None
        return Candidate(name=name, body=body_of(*PARAGRAPHS), is_html=False)

    monkeypatch.setattr(article_module, "make_candidate", precision_without_headings)
    on = extract_article(html, url=None, options=ExtractOptions(with_html=True))
    off = extract_article(html, url=None, options=ExtractOptions(restore_interior=False))
    assert on.text.splitlines() == [*PARAGRAPHS[:3], "What the islanders want", *PARAGRAPHS[3:]]
    assert "<h2>What the islanders want</h2>" in on.html
    assert off.text.splitlines() == PARAGRAPHS
