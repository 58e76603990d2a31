"""Removing boilerplate blocks from an extracted body tree, so text and HTML agree."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator

from lxml import etree

from newsdesk.extract.boilerplate import (
    BoilerplateKind,
    about_heading,
    boilerplate_kind,
    paywall_notice,
    trailing_kind,
)
from newsdesk.extract.decision import folded_words
from newsdesk.text.normalize import strip_invisible

# Block elements of trafilatura's XML body and of HTML bodies.
TRAFILATURA_BLOCKS = frozenset({"p", "head", "item", "quote", "row", "list"})
HTML_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr", "figcaption", "div"}
)
# A teaser or promo heading this far into the text starts the page furniture after it.
TAIL_START_SHARE = 0.8
# An author box's heading after some text starts the box wherever it stands when no more than
# this follows it (a bio, not an article): on a short piece (a map, a photo essay) the box can
# be most of the text, so the share above would keep it.
AUTHOR_TAIL_CHARS = 600
HEADING_MAX_CHARS = 60
TAIL_STARTERS = frozenset(
    {
        BoilerplateKind.TEASER,
        BoilerplateKind.PROMO,
        BoilerplateKind.AUTHOR_BOX,
        BoilerplateKind.CONTACT,
    }
)
# The last blocks looked at for end-of-article furniture (an author bio, a source credit), and
# how far into the text they must start.
TRAILING_BLOCKS = 2
TRAILING_START_SHARE = 0.6
# An "About <organisation>" heading among the body's last ABOUT_TAIL_BLOCKS blocks (the heading
# and what follows it) starts the publisher's blurb when no more than ABOUT_TAIL_CHARS follow it.
ABOUT_TAIL_BLOCKS = 3
ABOUT_TAIL_CHARS = 1000
LINE_BREAKS = frozenset({"br", "lb"})


def heading_words(text: str) -> tuple[str, ...]:
    """A heading's words, case-folded: what two renderings of one headline share (a soft
    hyphen in one of them does not split a word)."""
    return tuple(folded_words(strip_invisible(text)))


def repeats_heading(text: str, headings: Collection[tuple[str, ...]]) -> bool:
    """Whether `heading_words(text) in headings`, without cutting a text into words when it
    cannot repeat any heading: every word of a heading it repeats is in its case-folded text
    (case folding maps each character on its own, so a word's folding is part of the text's)."""
    folded = strip_invisible(text).casefold()
    if not any(all(word in folded for word in heading) for heading in headings):
        return False
    return heading_words(text) in headings


# What joins a page title to the site's name: "Headline | Site", "Headline - Site - Section".
TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»«/]|::)\s+")
MAX_TITLE_CHARS = 400
# A section label above a headline ("Politik", "Santa Cruz") has at most this many words.
KICKER_WORDS = 3


def title_headlines(title: str) -> frozenset[tuple[str, ...]]:
    """Words of a page title (<title>, og:title) as a body's first block may repeat it: the
    whole title and each leading part before a separator, so "Headline | Site" also gives
    "Headline"."""
    if not title or len(title) > MAX_TITLE_CHARS:
        return frozenset()
    parts = TITLE_SEPARATOR.split(title.strip())
    found = {heading_words(" ".join(parts[:end])) for end in range(1, len(parts) + 1)}
    return frozenset(words for words in found if words)


def _block_text(element: etree._Element) -> str:
    # The text serialiser gives what "".join(element.itertext()) does (no comments, no
    # processing instructions, no own tail) in one C call: the cleanup reads every block.
    return " ".join(etree.tostring(element, method="text", encoding=str, with_tail=False).split())


def remove_keeping_tail(element: etree._Element, *, drop_boilerplate_tail: bool = True) -> None:
    """Remove an element but not the text after it (its tail), which joins the text before;
    a tail that is itself furniture goes too unless drop_boilerplate_tail is False."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip() and not (drop_boilerplate_tail and boilerplate_kind(tail) is not None):
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _leaf_blocks(body: etree._Element, block_tags: Collection[str]) -> list[etree._Element]:
    """Blocks that contain no other block: the units a reader sees as paragraphs."""
    return list(_iter_leaf_blocks(body, block_tags))


def _iter_leaf_blocks(
    body: etree._Element, block_tags: Collection[str]
) -> Iterator[etree._Element]:
    """`_leaf_blocks` one at a time, for a reader that stops early (the tree must not change
    meanwhile)."""
    for element in body.iter(*block_tags):
        if element is body:
            continue
        if any(isinstance(child.tag, str) and child.tag in block_tags for child in element):
            continue
        yield element


def remove_boilerplate(
    body: etree._Element, block_tags: Collection[str]
) -> list[tuple[BoilerplateKind, str]]:
    """Delete boilerplate blocks in place; return what was removed, for the debug log.

    Single blocks that read as boilerplate go; a short teaser, promo or author heading in the last
    fifth of the text takes everything after it (the teaser list, sign-up box or author bio), as
    does an author heading anywhere after some text when at most AUTHOR_TAIL_CHARS follow it and
    a paywall's truncation notice after some text (the subscription pitch after it).
    """
    blocks = _leaf_blocks(body, block_tags)
    texts = [_block_text(block) for block in blocks]
    total = sum(len(text) for text in texts) or 1
    removed: list[tuple[BoilerplateKind, str]] = []
    seen = 0
    cut_from: int | None = None
    for index, (block, text) in enumerate(zip(blocks, texts, strict=True)):
        kind = boilerplate_kind(text)
        if seen > 0 and paywall_notice(text):
            cut_from = index
            break
        if (
            kind in TAIL_STARTERS
            and len(text) <= HEADING_MAX_CHARS
            and (
                seen >= TAIL_START_SHARE * total
                or (
                    kind is BoilerplateKind.AUTHOR_BOX
                    and seen > 0
                    and total - seen - len(text) <= AUTHOR_TAIL_CHARS
                )
            )
        ):
            cut_from = index
            break
        seen += len(text)
        if kind is not None:
            removed.append((kind, text))
            remove_keeping_tail(block)
    if cut_from is not None:
        for block, text in zip(blocks[cut_from:], texts[cut_from:], strict=True):
            removed.append((boilerplate_kind(text) or BoilerplateKind.TEASER, text))
            remove_keeping_tail(block)
    removed.extend(_remove_trailing(blocks, texts))
    _drop_empty_containers(body, block_tags)
    return removed


def _remove_trailing(
    blocks: list[etree._Element], texts: list[str]
) -> list[tuple[BoilerplateKind, str]]:
    """Delete an author bio or a bare source credit among the body's last blocks (those of
    `blocks` still in the body and holding text)."""
    pairs = [
        (block, text)
        for block, text in zip(blocks, texts, strict=True)
        if text and block.getparent() is not None
    ]
    if len(pairs) <= TRAILING_BLOCKS:
        return []
    total = sum(len(text) for _, text in pairs)
    removed: list[tuple[BoilerplateKind, str]] = []
    about = _about_tail(pairs, total)
    if about:
        for block, text in pairs[about:]:
            removed.append((BoilerplateKind.AUTHOR_BOX, text))
            remove_keeping_tail(block)
        pairs = pairs[:about]
        if len(pairs) <= TRAILING_BLOCKS:
            return removed
        total = sum(len(text) for _, text in pairs)
    for index in range(len(pairs) - 1, len(pairs) - 1 - TRAILING_BLOCKS, -1):
        earlier = [text for _, text in pairs[:index]]
        if sum(len(text) for text in earlier) < TRAILING_START_SHARE * total:
            break
        block, text = pairs[index]
        kind = trailing_kind(text, "\n".join(earlier))
        if kind is not None:
            removed.append((kind, text))
            remove_keeping_tail(block)
    return removed


def _about_tail(pairs: list[tuple[etree._Element, str]], total: int) -> int:
    """Index of the block that starts the body's closing "About <organisation>" blurb, or 0.

    The block is an "About" heading with some block after it, or a block whose first line is
    such a heading (the blurb run in after a line break); at most ABOUT_TAIL_CHARS follow the
    heading, and it stands after TRAILING_START_SHARE of the text."""
    for index in range(max(1, len(pairs) - ABOUT_TAIL_BLOCKS), len(pairs)):
        block, text = pairs[index]
        following = sum(len(later) for _, later in pairs[index + 1 :])
        if not (about_heading(text) and index < len(pairs) - 1):
            if not about_heading(_opening_line(block)):
                continue
            following += len(text)
        earlier = sum(len(before) for _, before in pairs[:index])
        if following <= ABOUT_TAIL_CHARS and earlier >= TRAILING_START_SHARE * total:
            return index
    return 0


def _opening_line(block: etree._Element) -> str:
    """A block's text before its first own line break (`<br>`, trafilatura's `<lb>`), or ""
    when it has none."""
    parts = [block.text or ""]
    for child in block:
        if child.tag in LINE_BREAKS:
            return "".join(parts)
        if isinstance(child.tag, str):
            parts.extend(child.itertext())
        parts.append(child.tail or "")
    return ""


def _drop_empty_containers(body: etree._Element, block_tags: Collection[str]) -> None:
    for element in list(body.iter(*block_tags)):
        if (
            element is not body
            and element.tag in {"p", "div", "list", "ul", "ol", "tr", "row"}
            and len(element) == 0
            and not _block_text(element)
        ):
            remove_keeping_tail(element)


def remove_headline(
    body: etree._Element, block_tags: Collection[str], headlines: Iterable[tuple[str, ...]]
) -> str | None:
    """Delete the body's first block when it repeats a page headline (an <h1>'s or the title's
    words) and other text follows: the title is metadata, not body text. A kicker of at most
    KICKER_WORDS words right above the headline ("Nordkorea", "Panamá") goes with it. Returns
    the removed text."""
    wanted = {words for words in headlines if words}
    if not wanted:
        return None
    # Only the first three blocks holding text matter: their text alone is read.
    blocks: list[etree._Element] = []
    texts: list[str] = []
    for block in _iter_leaf_blocks(body, block_tags):
        text = _block_text(block)
        if text:
            blocks.append(block)
            texts.append(text)
            if len(blocks) == 3:
                break
    if len(blocks) < 2:
        return None
    first = heading_words(texts[0])
    if first in wanted:
        headline = blocks[:1]
    elif len(blocks) > 2 and len(first) <= KICKER_WORDS and heading_words(texts[1]) in wanted:
        headline = blocks[:2]
    else:
        return None
    for block in headline:
        remove_keeping_tail(block)
    _drop_empty_containers(body, block_tags)
    return " / ".join(texts[: len(headline)])


def body_blocks(
    body: etree._Element, block_tags: Collection[str]
) -> list[tuple[etree._Element, str]]:
    """The body's paragraph-like blocks (those holding no other block) with their text."""
    return [(block, _block_text(block)) for block in _leaf_blocks(body, block_tags)]


def remove_blocks(
    body: etree._Element, block_tags: Collection[str], blocks: Iterable[etree._Element]
) -> None:
    """Delete the given blocks of the body (keeping text after them) and containers left
    empty, so the body's text and HTML agree."""
    for block in blocks:
        remove_keeping_tail(block)
    _drop_empty_containers(body, block_tags)


def remove_matching_blocks(
    body: etree._Element,
    block_tags: Collection[str],
    matches: Callable[[str], bool],
    *,
    keep_first: bool = True,
) -> list[str]:
    """Delete the body's blocks whose text `matches` (never the first block holding text,
    unless `keep_first` is False; never every block); return the removed texts."""
    blocks = [(block, text) for block, text in body_blocks(body, block_tags) if text]
    doomed = [(block, text) for block, text in blocks[1 if keep_first else 0 :] if matches(text)]
    if not doomed or len(doomed) == len(blocks):
        return []
    remove_blocks(body, block_tags, [block for block, _ in doomed])
    return [text for _, text in doomed]
