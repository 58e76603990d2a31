"""A gap between two kept paragraphs that is long only because of boxes inside it (a photo
gallery's captions, an embedded video teaser's heading) is read run by run
(interior.split_boxed_gap, ExtractOptions.interior_boxed_gaps): the running text between the
boxes goes back, the boxes stay out; a gap of running text over the limits stays out."""

from __future__ import annotations

import time

from lxml import etree
from lxml.html import fromstring

from newsdesk.extract import ExtractOptions
from newsdesk.extract.interior import (
    MAX_BOXED_GAP_BLOCKS,
    MAX_GAP_BLOCKS,
    MAX_GAP_CHARS,
    restore_interior_blocks,
    split_boxed_gap,
)

KEPT = [
    "The ferry company said on Monday that the winter timetable would add a second crossing.",
    "Passengers will be able to book the new crossing from the first week of November.",
]
INTERIOR = [
    "The first crossing leaves the harbour at seven in the morning, as it does now.",
    "The second one leaves at four in the afternoon and returns after dark.",
    "Fares stay the same for residents, the company said in its statement.",
    "Visitors will pay two euros more on the afternoon crossing than before.",
]
TAGS = frozenset({"p", "head"})


def never(_: str) -> bool:
    return False


def gallery(captions: int) -> str:
    slides = "".join(
        f"<figure><img src='s{n}.jpg'><figcaption><p>Boats in the harbour, photo {n} of the"
        f" series</p><p>Agency</p></figcaption></figure>"
        for n in range(captions)
    )
    return f"<div class='carousel'><header><h2>The harbour in pictures</h2></header>{slides}</div>"


def body_of(*texts: str) -> etree._Element:
    body = etree.Element("body")
    for text in texts:
        etree.SubElement(body, "p").text = text
    return body


def lines(body: etree._Element) -> list[str]:
    return [" ".join("".join(block.itertext()).split()) for block in body]


def page(inner: str) -> etree._Element:
    return fromstring(f"<html><body><main>{inner}</main></body></html>")


def paragraphs(*texts: str) -> str:
    return "".join(f"<div class='para'><p>{text}</p></div>" for text in texts)


def test_running_text_on_both_sides_of_a_gallery_goes_back_in_page_order() -> None:
    tree = page(
        paragraphs(KEPT[0], INTERIOR[0], INTERIOR[1])
        + gallery(12)
        + paragraphs(INTERIOR[2], INTERIOR[3], KEPT[1])
    )
    body = body_of(*KEPT)
    looked, inserted = restore_interior_blocks(tree, body, TAGS, is_furniture=never)
    assert inserted == 4
    assert lines(body) == [KEPT[0], *INTERIOR, KEPT[1]]
    assert looked[0][0] == "gap of 29 blocks read as 2 runs between 25 boxed blocks"
    assert [reason for reason, _ in looked[1:]] == ["p between kept paragraphs"] * 4


def test_the_switch_off_leaves_such_a_gap_alone() -> None:
    tree = page(paragraphs(KEPT[0], INTERIOR[0]) + gallery(12) + paragraphs(KEPT[1]))
    body = body_of(*KEPT)
    looked, inserted = restore_interior_blocks(
        tree, body, TAGS, is_furniture=never, split_boxed_gaps=False
    )
    assert (looked, inserted) == ([], 0)
    assert lines(body) == KEPT
    assert ExtractOptions().interior_boxed_gaps is True


def test_a_gap_of_running_text_over_the_limits_stays_out_with_or_without_boxes() -> None:
    many = [f"Paragraph {n} of another story that runs on at some length here." for n in range(5)]
    for between in (paragraphs(*many), paragraphs(*many) + gallery(2)):
        tree = page(paragraphs(KEPT[0]) + between + paragraphs(KEPT[1]))
        body = body_of(*KEPT)
        assert restore_interior_blocks(tree, body, TAGS, is_furniture=never)[1] == 0
        assert lines(body) == KEPT


def test_a_run_over_the_character_limit_keeps_the_gap_out() -> None:
    long = "A long paragraph of a comment thread that goes on and on. " * 12
    assert len(long) > MAX_GAP_CHARS
    tree = page(paragraphs(KEPT[0]) + gallery(3) + paragraphs(long, KEPT[1]))
    body = body_of(*KEPT)
    assert restore_interior_blocks(tree, body, TAGS, is_furniture=never)[1] == 0


def test_boxed_blocks_themselves_never_go_back() -> None:
    tree = page(paragraphs(KEPT[0], INTERIOR[0]) + gallery(4) + paragraphs(KEPT[1]))
    body = body_of(*KEPT)
    restore_interior_blocks(tree, body, TAGS, is_furniture=never)
    assert lines(body) == [KEPT[0], INTERIOR[0], KEPT[1]]


def test_furniture_inside_a_run_is_still_refused_by_restore_reason() -> None:
    tree = page(paragraphs(KEPT[0], "Sign up to our newsletter") + gallery(4) + paragraphs(KEPT[1]))
    body = body_of(*KEPT)
    looked, inserted = restore_interior_blocks(
        tree, body, TAGS, is_furniture=lambda text: "newsletter" in text
    )
    assert inserted == 0
    assert ("reads as furniture", "Sign up to our newsletter") in looked


def test_split_boxed_gap_unit() -> None:
    assert split_boxed_gap([False, True, True, False], [10, 10, 10, 10]) == [[0], [3]]
    assert split_boxed_gap([True, True], [10, 10]) == []
    # No box: the gap is plain running text over the limits.
    assert split_boxed_gap([False] * (MAX_GAP_BLOCKS + 1), [1] * (MAX_GAP_BLOCKS + 1)) is None
    run = [False] * (MAX_GAP_BLOCKS + 1)
    assert split_boxed_gap([True, *run], [1] * (MAX_GAP_BLOCKS + 2)) is None
    assert split_boxed_gap([False, True, False], [MAX_GAP_CHARS + 1, 1, 1]) is None
    assert (
        split_boxed_gap([True] * (MAX_BOXED_GAP_BLOCKS + 1), [1] * (MAX_BOXED_GAP_BLOCKS + 1))
        is None
    )


def test_a_huge_gallery_is_not_looked_into_and_costs_little() -> None:
    tree = page(paragraphs(KEPT[0], INTERIOR[0]) + gallery(2000) + paragraphs(KEPT[1]))
    body = body_of(*KEPT)
    started = time.process_time()
    assert restore_interior_blocks(tree, body, TAGS, is_furniture=never) == ([], 0)
    assert time.process_time() - started < 2.0
