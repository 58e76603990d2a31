"""A standfirst the page declares, given back when the body's container left it out.

Many pages set their standfirst (dek, lead paragraph) apart from the body, in the article's
header, so the extractors, which keep the body's container, leave it out. The publisher often
declares that paragraph as the page's description (meta description, og:description,
twitter:description or the article's JSON-LD description). A paragraph that equals a declared
description, stands shortly before the body's first kept block and is not page furniture goes
back in front of the body (`standfirst_reason` decides; `declared_standfirst` finds it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from newsdesk.extract.cleanup import body_blocks
from newsdesk.extract.decision import folded_words
from newsdesk.extract.interior import SOURCE_BLOCKS, source_blocks
from newsdesk.text.normalize import strip_invisible

# Meta tags whose content is the page's description.
DESCRIPTION_META = frozenset({"description", "og:description", "twitter:description"})
# A declared standfirst has at least this many words (shorter: a tagline, a site slogan) and
# at most this many characters (longer: a description that is the whole article).
MIN_WORDS = 8
MAX_CHARS = 800
# A description cut off by the publisher ("... the first words of the lead…") still matches
# a paragraph it opens, when at least this many of its words (less the cut one) do.
MIN_TRUNCATED_WORDS = 12
# The paragraph stands at most this many source blocks before the body's first kept block.
MAX_BLOCKS_BEFORE = 6
# A block inside one of these is page furniture (the article's <header> is not: that is
# where standfirsts stand).
FURNITURE_ANCESTORS = frozenset({"nav", "aside", "figure", "figcaption", "form", "footer"})
# Blocks whose share of characters inside links exceeds this are teasers, not a standfirst.
MAX_LINK_SHARE = 0.5
# The body already holds the paragraph when it holds this share of its word 4-grams.
MAX_SHARE_IN_BODY = 0.5
SHINGLE_WORDS = 4


@dataclass(frozen=True)
class LeadBlock:
    """A <p> before the body's first kept block, with what standfirst_reason needs."""

    text: str
    # source blocks between it and the body's first kept block (on a body the page does not
    # show: between the page's headline and it)
    blocks_before: int
    in_furniture: bool = False
    link_chars: int = 0
    has_script: bool = False


def page_descriptions(tree: HtmlElement, declared: Sequence[str] = ()) -> list[str]:
    """The page's meta descriptions and the `declared` ones (JSON-LD), whitespace collapsed."""
    found: dict[str, None] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().casefold()
        if key in DESCRIPTION_META:
            text = " ".join((meta.get("content") or "").split())
            if text:
                found[text] = None
    for text in declared:
        found[" ".join(text.split())] = None
    return [text for text in found if text]


def _matches(words: Sequence[str], description: Sequence[str]) -> bool:
    if tuple(words) == tuple(description):
        return True
    cut = len(description) - 1
    return (
        cut >= MIN_TRUNCATED_WORDS
        and len(words) > cut
        and tuple(words[:cut]) == tuple(description[:cut])
    )


def _grams(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def standfirst_reason(
    block: LeadBlock,
    *,
    descriptions: Sequence[Sequence[str]],
    body_grams: set[tuple[str, ...]] | frozenset[tuple[str, ...]],
    is_furniture: Callable[[str], bool],
) -> tuple[bool, str]:
    """Whether a paragraph before the body goes in front of it, and why (for the debug log).
    `descriptions` are the page's declared descriptions as folded words, `body_grams` the
    kept body's word 4-grams."""
    words = folded_words(block.text)
    if len(words) < MIN_WORDS:
        return False, "too short for a standfirst"
    if len(block.text) > MAX_CHARS:
        return False, "too long for a standfirst"
    if not any(_matches(words, description) for description in descriptions):
        return False, "not the page's declared description"
    if block.blocks_before > MAX_BLOCKS_BEFORE:
        return False, "too far before the body"
    if block.has_script:
        return False, "holds a script"
    if block.in_furniture:
        return False, "inside page furniture"
    if block.link_chars > MAX_LINK_SHARE * len(block.text):
        return False, "mostly link text"
    grams = _grams(words)
    if grams and len(grams & body_grams) >= MAX_SHARE_IN_BODY * len(grams):
        return False, "the body already holds it"
    if is_furniture(block.text):
        return False, "reads as furniture"
    return True, "the declared description, before the body"


def _lead_block(element: etree._Element, text: str, blocks_before: int) -> LeadBlock:
    return LeadBlock(
        text=" ".join(strip_invisible(text).split()),
        blocks_before=blocks_before,
        in_furniture=any(
            isinstance(parent.tag, str) and parent.tag in FURNITURE_ANCESTORS
            for parent in element.iterancestors()
        ),
        link_chars=sum(len(" ".join(a.text_content().split())) for a in element.iter("a")),
        has_script=any(True for _ in element.iter("script", "style", "noscript", "template")),
    )


def declared_standfirst(
    tree: HtmlElement,
    body: etree._Element,
    block_tags: Sequence[str] | frozenset[str],
    descriptions: Sequence[str],
    *,
    is_furniture: Callable[[str], bool],
    unshown_body: bool = False,
) -> tuple[str | None, list[tuple[str, str]]]:
    """The text of the paragraph standfirst_reason puts in front of the body (or None), and
    (reason, text) of every paragraph looked at. Reads the page only when a description could
    be a standfirst the body lacks. The paragraphs looked at stand before the body's first
    kept block in the page; when the page does not show the body's opening and the body is
    not the page's HTML (`unshown_body`: the publisher's JSON-LD articleBody), they stand
    after the page's headline instead, at most MAX_BLOCKS_BEFORE blocks on."""
    kept = [text for _, text in body_blocks(body, block_tags) if text]
    if not kept:
        return None, []
    body_grams = _grams([word for text in kept for word in folded_words(text)])
    wanted = []
    for description in descriptions:
        words = folded_words(description)
        grams = _grams(words)
        if len(words) >= MIN_WORDS and len(grams & body_grams) < MAX_SHARE_IN_BODY * len(grams):
            wanted.append(words)
    if not wanted:
        return None, []
    blocks = source_blocks(tree)
    opening = set(kept[:3])
    start = next((index for index, (_, text) in enumerate(blocks) if text in opening), None)
    if start is not None:
        order = [(index, start - index - 1) for index in range(start - 1, -1, -1)]
    elif unshown_body:
        after = _after_headline(tree, blocks)
        if after is None:
            return None, []
        order = [(index, index - after) for index in range(after, len(blocks))]
    else:
        return None, []
    looked: list[tuple[str, str]] = []
    for index, between in order:
        element, text = blocks[index]
        if not _paragraph(element):
            continue
        block = _lead_block(element, text, between)
        if block.blocks_before > MAX_BLOCKS_BEFORE:
            break
        restore, reason = standfirst_reason(
            block, descriptions=wanted, body_grams=body_grams, is_furniture=is_furniture
        )
        looked.append((reason, block.text))
        if restore:
            return block.text, looked
    return None, looked


def _paragraph(element: etree._Element) -> bool:
    """A <p>, or the one item of a list (a summary of one point, as a standfirst is set)."""
    if element.tag == "p":
        return True
    if element.tag != "li":
        return False
    parent = element.getparent()
    return parent is not None and sum(1 for child in parent if child.tag == "li") == 1


def _after_headline(tree: HtmlElement, blocks: Sequence[tuple[etree._Element, str]]) -> int | None:
    """Index in `blocks` of the first block after the page's headline (its first <h1> holding
    text), or None when it has none or nothing follows it."""
    index = {id(element): position for position, (element, _) in enumerate(blocks)}
    seen = False
    for element in tree.iter("h1", *SOURCE_BLOCKS):
        if element.tag == "h1":
            seen = seen or bool(element.text_content().strip())
        elif seen and id(element) in index:
            return index[id(element)]
    return None


def prepend_block(
    body: etree._Element, block_tags: Sequence[str] | frozenset[str], text: str
) -> None:
    """Put a paragraph holding `text` in front of the body's first block."""
    blocks = body_blocks(body, block_tags)
    new = etree.Element("p")
    new.text = text
    first = blocks[0][0] if blocks else None
    if first is not None and first.getparent() is body and first.tag in {"p", "head", "h1", "h2"}:
        first.addprevious(new)
    else:
        body.insert(0, new)
