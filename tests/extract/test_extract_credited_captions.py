"""A photo caption printed as a body paragraph that opens with its credit in an element of its
own, beside an image, leaves the body (credits.credit_caption_reason,
ExtractOptions.drop_credited_captions); a paragraph that merely names a photographer, or a
credit line alone, stays."""

from __future__ import annotations

import time

import pytest
from lxml.html import fromstring

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.credits import MAX_CREDIT_WORDS, credit_caption_reason, credited_captions
from newsdesk.extract.decision import folded_words

CAPTION = "The new ferry leaves the harbour on its first crossing of the winter timetable."


def figure_box(credit_class: str = "copyright", credit: str = "Harbour Agency") -> str:
    return (
        "<div class='image-box'><img src='ferry.jpg' alt=''>"
        f"<p class='to-image-box'><span class='{credit_class}'>{credit}</span> {CAPTION}</p></div>"
    )


def article(middle: str) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:3])
    body += middle + "".join(f"<p>{text}</p>" for text in PARAGRAPHS[3:])
    return (
        "<html><head><title>Ferry timetable</title></head><body><article><h1>Ferry timetable"
        f"</h1>{body}</article></body></html>"
    ).encode()


def words(text: str) -> tuple[str, ...]:
    return tuple(folded_words(text))


def test_a_credited_caption_beside_an_image_is_found() -> None:
    found, looked = credited_captions(fromstring(article(figure_box())))
    assert found == {words(f"Harbour Agency {CAPTION}")}
    assert looked == [
        (
            "a caption opening with its photo credit, beside an image",
            f"Harbour Agency {CAPTION}",
        )
    ]


@pytest.mark.parametrize("credit_class", ["copyright", "photo-credit", "Fotograf", "bildnachweis"])
def test_credit_class_words(credit_class: str) -> None:
    found, _ = credited_captions(fromstring(article(figure_box(credit_class))))
    assert len(found) == 1


def test_the_caption_leaves_the_extracted_body_and_the_switch_keeps_it() -> None:
    html = article(figure_box())
    text = extract_article(html, url="https://example.org/ferry", options=ExtractOptions()).text
    assert CAPTION not in text
    assert PARAGRAPHS[0] in text and PARAGRAPHS[-1] in text
    kept = extract_article(
        html, url="https://example.org/ferry", options=ExtractOptions(drop_credited_captions=False)
    ).text
    assert f"Harbour Agency {CAPTION}" in kept
    assert kept.replace(f"Harbour Agency {CAPTION}", "").split() == text.split()


def test_no_image_beside_it_no_removal() -> None:
    box = f"<div><p><span class='copyright'>Harbour Agency</span> {CAPTION}</p></div>"
    found, looked = credited_captions(fromstring(article(box)))
    assert found == set()
    assert looked[0][0] == "no image beside it"


def test_text_before_the_credit_or_another_class_is_left_alone() -> None:
    box = (
        "<div><img src='a.jpg'><p>Photo: <span class='copyright'>Harbour Agency</span>"
        f" {CAPTION}</p><p><span class='highlight'>Harbour Agency</span> {CAPTION}</p></div>"
    )
    assert credited_captions(fromstring(article(box))) == (set(), [])


def test_reasons() -> None:
    caption = words(f"Harbour Agency {CAPTION}")
    assert credit_caption_reason(caption, words("Harbour Agency"), beside_image=True)[0]
    assert credit_caption_reason(caption, (), beside_image=True) == (False, "no credit text")
    long_credit = words(" ".join(["word"] * (MAX_CREDIT_WORDS + 1)))
    assert credit_caption_reason(long_credit + caption, long_credit, beside_image=True) == (
        False,
        "the credit element is too long for a credit",
    )
    assert credit_caption_reason(caption, words("Other Agency"), beside_image=True) == (
        False,
        "does not open with the credit",
    )
    assert credit_caption_reason(
        words("Harbour Agency"), words("Harbour Agency"), beside_image=True
    ) == (
        False,
        "the credit alone",
    )
    paragraph = words("Harbour Agency " + " ".join(PARAGRAPHS))
    assert credit_caption_reason(paragraph, words("Harbour Agency"), beside_image=True) == (
        False,
        "too long for a caption",
    )
    assert credit_caption_reason(caption, words("Harbour Agency"), beside_image=False) == (
        False,
        "no image beside it",
    )


def test_many_credited_paragraphs_cost_little() -> None:
    boxes = figure_box() * 3000
    tree = fromstring(article(boxes))
    started = time.process_time()
    found, _ = credited_captions(tree)
    assert len(found) == 1
    assert time.process_time() - started < 2.0
