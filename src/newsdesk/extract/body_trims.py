"""Steps that take furniture off a chosen body: photo captions, the page's title printed again,
notes set in italics at its end, and trailing blocks the page's densest container lacks. Each
takes the candidate and its text and returns the text once the blocks are out of both."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from lxml import etree
from lxml.html import HtmlElement

from newsdesk.extract.candidates import Candidate
from newsdesk.extract.cleanup import (
    body_blocks,
    heading_words,
    remove_blocks,
    remove_matching_blocks,
    repeats_heading,
    title_headlines,
)
from newsdesk.extract.decision import folded_words
from newsdesk.extract.density import density_text, unbacked_tail
from newsdesk.extract.notes import MAX_TRAILING_NOTES, italic_paragraphs, trailing_note_reason

logger = logging.getLogger(__name__)


def page_titles(tree: HtmlElement) -> frozenset[tuple[str, ...]]:
    """Words of the page's <title> and og:/twitter:title, with and without the site's name."""
    titles = [title.text_content() for title in tree.iter("title")][:1]
    titles += [
        meta.get("content") or ""
        for meta in tree.iter("meta")
        if meta.get("property") in {"og:title", "twitter:title"}
        or meta.get("name") in {"og:title", "twitter:title"}
    ][:2]
    found: set[tuple[str, ...]] = set()
    for title in titles:
        found |= title_headlines(title)
    return frozenset(found)


def page_headlines(tree: HtmlElement) -> frozenset[tuple[str, ...]]:
    """Words of the page's <h1> headings and of its <title> and og:title (with and without the
    site's name): a body that starts with one starts with its title. Blogs often give the site's
    name the <h1> and the post's title only the <title>."""
    return frozenset({heading_words(h1.text_content()) for h1 in tree.iter("h1")}) | page_titles(
        tree
    )


def without_captions(
    tree: HtmlElement,
    candidate: Candidate,
    text: str,
    *,
    find: Callable[[HtmlElement], tuple[set[tuple[str, ...]], list[tuple[str, str]]]],
    kind: str,
    url: str | None,
    leading: bool = True,
) -> str:
    """The body's text once the blocks that `find` reads as photo captions are out of it
    (credits.py: captions opening with their credit, figcaptions beside an image), its first
    block too when `leading` (a lead photo's caption printed above the text) as long as text
    follows; the candidate's body loses them too."""
    captions, looked = find(tree)
    if looked and logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s on %s: %s", kind, url, "; ".join(f"{why}: {t[:60]!r}" for why, t in looked)
        )
    if not captions:
        return text
    removed = remove_matching_blocks(
        candidate.body,
        candidate.block_tags,
        lambda block: tuple(folded_words(block)) in captions,
        keep_first=not leading,
    )
    return candidate.text() if removed else text


def without_repeated_title(
    tree: HtmlElement, candidate: Candidate, text: str, *, url: str | None
) -> str:
    """The body's text once the blocks after its first that repeat the page's title (its
    <title> or og:title, with or without the site's name) are out of it: the headline printed
    again under a lead photo or above a second section is metadata, as at the body's start
    (cleanup.remove_headline). An <h1> alone does not count here: some pages set their
    subheadings in <h1>s. The candidate's body loses them too."""
    titles = page_titles(tree)
    if not titles:
        return text
    removed = remove_matching_blocks(
        candidate.body, candidate.block_tags, lambda block: repeats_heading(block, titles)
    )
    if not removed:
        return text
    logger.debug("repeated title on %s: %s", url, "; ".join(f"{t[:60]!r}" for t in removed))
    return candidate.text()


def without_trailing_notes(
    tree: HtmlElement, candidate: Candidate, text: str, *, url: str | None
) -> str:
    """The body's text once the notes set in italics at its end are out of it (notes.py); the
    candidate's body loses them too."""
    italics = italic_paragraphs(tree)
    if not italics:
        return text
    blocks = [block for block in body_blocks(candidate.body, candidate.block_tags) if block[1]]
    doomed: list[tuple[etree._Element, str]] = []
    for block, block_text in reversed(blocks[1:]):
        drop, _ = trailing_note_reason(tuple(folded_words(block_text)), italics)
        if not drop or len(doomed) == MAX_TRAILING_NOTES:
            break
        doomed.append((block, block_text))
    if not doomed:
        return text
    logger.debug("trailing notes on %s: %s", url, "; ".join(f"{t[:60]!r}" for _, t in doomed))
    remove_blocks(candidate.body, candidate.block_tags, [block for block, _ in doomed])
    return candidate.text()


def _table_units(
    body: etree._Element, blocks: Sequence[tuple[etree._Element, str]]
) -> list[tuple[list[etree._Element], str]] | None:
    """The body's blocks as the units the unbacked tail judges, with their text, when the
    body holds a table (None: it holds none, every block is a unit of its own): a table's rows
    (consecutive blocks inside one <table> of the body) are one unit, read cell by cell, since
    the density reading reads each cell as a line of its own and a short row can hold no word
    3-gram of it."""
    if next(body.iter("table"), None) is None:
        return None
    units: list[tuple[list[etree._Element], str]] = []
    table_of: list[etree._Element | None] = []
    for block, block_text in blocks:
        table = None
        for ancestor in block.iterancestors():
            if ancestor is body:
                break
            if ancestor.tag == "table":
                table = ancestor
                break
        if table is None:
            units.append(([block], block_text))
        else:
            cells = " ".join(" ".join(block.itertext()).split())
            if table_of and table_of[-1] is table:
                elements, text = units[-1]
                units[-1] = ([*elements, block], f"{text}\n{cells}")
                continue
            units.append(([block], cells))
        table_of.append(table)
    return units


def without_unbacked_tail(
    story: HtmlElement, candidate: Candidate, text: str, *, min_cover: float, url: str | None
) -> str:
    """The body's text once its trailing blocks that the page's densest container
    (density.density_text, read on `story`: the page as its body was extracted from,
    stories.story_tree) does not hold are out of it, when that container holds at least
    `min_cover` of the body's words; the candidate's body loses them too. A table is judged
    whole (`_table_units`): it stays or goes as one."""
    blocks = [block for block in body_blocks(candidate.body, candidate.block_tags) if block[1]]
    if len(blocks) < 2:
        return text
    units = _table_units(candidate.body, blocks)
    if units is None:
        units = [([block], block_text) for block, block_text in blocks]
    drop = unbacked_tail(
        [unit_text for _, unit_text in units], density_text(story), min_cover=min_cover
    )
    if not drop:
        return text
    logger.debug(
        "trailing blocks the densest container lacks on %s: %s",
        url,
        "; ".join(repr(units[index][1][:60]) for index in drop),
    )
    doomed = [element for index in drop for element in units[index][0]]
    remove_blocks(candidate.body, candidate.block_tags, doomed)
    return candidate.text()
