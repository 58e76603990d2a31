"""A `<figcaption>` with an image in its parent is a photo's caption: when the kept body holds
its text as a block (a caption printed beside its figure, not in it, which the precision pass
keeps), that block leaves the body (credits.figure_caption_reason,
ExtractOptions.drop_figure_captions); a figcaption with no image beside it, or too long for a
caption, stays."""

from __future__ import annotations

import time

from lxml.html import fromstring

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.credits import MAX_CAPTION_WORDS, figure_caption_reason, figure_captions
from newsdesk.extract.decision import folded_words

CAPTION = "The new ferry leaves the harbour on its first crossing of the winter timetable."
CREDIT = "Photo: Harbour Agency"


def gallery_item(caption: str = CAPTION, image: str = "<img src='ferry.jpg' alt=''>") -> str:
    """A caption beside its figure: both in one list item, the credit in a span at the end."""
    return (
        "<div class='media-box'><ul class='slides'><li class='gallery-item'>"
        f"<figure class='holder'>{image}</figure>"
        f"<figcaption class='item-text'>{caption} <span class='item-author'>{CREDIT}</span>"
        "</figcaption></li></ul></div>"
    )


LEAD = "Ferries will cross the bay every hour this winter, the harbour board said."


def article(middle: str, extra: str = "") -> bytes:
    """A declared standfirst above the article, then the gallery in a box of its own above
    the story's paragraphs: the precision pass keeps the gallery's caption."""
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[1:]) + extra
    return (
        f"<html><head><title>Ferry timetable</title><meta name='description' content='{LEAD}'>"
        f"</head><body><h1>Ferry timetable</h1><p class='intro'>{LEAD}</p><article>"
        f"<div class='article-text'>{middle}</div><div class='article-text'>{body}</div>"
        "</article></body></html>"
    ).encode()


def words(text: str) -> tuple[str, ...]:
    return tuple(folded_words(text))


def test_a_figcaption_beside_an_image_is_found() -> None:
    found, looked = figure_captions(fromstring(article(gallery_item())))
    assert found == {words(f"{CAPTION} {CREDIT}")}
    assert looked == [("a figcaption beside an image", f"{CAPTION} {CREDIT}")]


def test_a_figcaption_inside_its_figure_is_found() -> None:
    html = article(f"<figure><img src='a.jpg'><figcaption>{CAPTION}</figcaption></figure>")
    found, _ = figure_captions(fromstring(html))
    assert found == {words(CAPTION)}


def test_the_caption_leaves_the_extracted_body_and_the_switch_keeps_it() -> None:
    html = article(gallery_item())
    url = "https://example.org/ferry"
    text = extract_article(html, url=url, options=ExtractOptions()).text
    assert CAPTION not in text
    assert LEAD in text and PARAGRAPHS[1] in text and PARAGRAPHS[-1] in text
    kept = extract_article(html, url=url, options=ExtractOptions(drop_figure_captions=False)).text
    assert f"{CAPTION} {CREDIT}" in kept
    assert [line for line in kept.splitlines() if CAPTION not in line] == text.splitlines()


def test_no_image_beside_it_no_removal() -> None:
    found, looked = figure_captions(fromstring(article(gallery_item(image=""))))
    assert found == set()
    assert looked[0][0] == "no image beside it"


def test_refusals() -> None:
    assert figure_caption_reason((), beside_image=True) == (False, "no caption text")
    long = tuple(["word"] * (MAX_CAPTION_WORDS + 1))
    assert figure_caption_reason(long, beside_image=True) == (False, "too long for a caption")
    assert figure_caption_reason(words(CAPTION), beside_image=False)[0] is False
    assert figure_caption_reason(words(CAPTION), beside_image=True)[0] is True


def test_a_body_paragraph_with_other_words_stays() -> None:
    """Only a block holding exactly a caption's words goes; a paragraph that quotes the
    caption among other words stays."""
    quoting = f"{PARAGRAPHS[0]} {CAPTION}"
    html = article(gallery_item(), extra=f"<p>{quoting}</p>")
    text = extract_article(html, url="https://example.org/ferry", options=ExtractOptions()).text
    assert quoting in text


def test_many_captions_stay_fast() -> None:
    items = "".join(gallery_item(f"Caption number {n} of the ferry.") for n in range(3000))
    tree = fromstring(article(items))
    started = time.perf_counter()
    found, looked = figure_captions(tree)
    assert len(found) == 3000 and len(looked) == 3000
    assert time.perf_counter() - started < 2.0
