"""Giving back interior blocks the precision pass dropped.

trafilatura's precision pass deletes some blocks that sit between two paragraphs it keeps:
subheadings it judges link-dense, short paragraphs, list items, quotes. Every body truth we
have counts those as article text. They are found again in the page tree the pass ran on
(it prunes a copy), cheaply, without a second extractor pass: between two source blocks whose
texts are adjacent blocks of the kept body, the source blocks the body lacks are candidates,
and `restore_reason` decides each one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from newsdesk.extract.cleanup import body_blocks
from newsdesk.extract.decision import folded_words
from newsdesk.text.normalize import strip_invisible

# Source elements read as blocks; a block holding another of these is read through its parts.
SOURCE_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre")
HEADINGS = frozenset({"h2", "h3", "h4"})
# A block inside one of these is page furniture wherever it stands.
FURNITURE_ANCESTORS = frozenset(
    {"nav", "aside", "figure", "figcaption", "form", "footer", "header", "button", "select"}
)
# A gap holding more source blocks than this (or more characters) is another region of the
# page between two kept blocks (a teaser grid, a comment thread), not a dropped subheading.
MAX_GAP_BLOCKS = 3
MAX_GAP_CHARS = 600
# A longer gap whose blocks beyond those limits all sit in boxes (a photo gallery's captions, an
# embedded video teaser's heading) is read as runs of running text between the boxes: each run
# must fit the limits above (split_boxed_gap). Gaps longer than this are not looked into.
MAX_BOXED_GAP_BLOCKS = 100
# Blocks whose share of characters inside links exceeds this are link lists or teasers.
MAX_LINK_SHARE = 0.5
MAX_HEADING_CHARS = 150
# A short line the page repeats is a credit or caption label ("Quelle: THW", "Foto: dpa");
# a longer repeated line can be a subheading the page also lists in a contents box.
MAX_REPEATED_WORDS = 6


# Containers below the one shared with the kept blocks that box a block apart: a teaser card
# in a list, a quoted post.
BOXES = frozenset({"li", "article", "table"})
# Class or id words of a container that holds a block apart from the paragraphs around it.
FURNITURE_CLASS = re.compile(
    r"caption|gallery|galerie|slide|embed|fb-post|tweet|instagram|flyout|modal|popup|related|"
    r"teaser|promo|widget|share|social|newsletter|subscri|sidebar|advert|sponsor|credit|"
    r"comment|breadcrumb|paywall|cookie|banner|\btoc\b|table-of-contents|author|byline",
    re.IGNORECASE,
)
# A block nested more levels below the container it shares with the kept blocks around it than
# they are sits in a box of its own (a caption, a card, an embed), not in the running text.
MAX_EXTRA_NESTING = 0


@dataclass(frozen=True)
class SourceBlock:
    """One block of the page tree, with what restore_reason needs to know about it."""

    tag: str
    text: str
    link_chars: int = 0
    in_furniture: bool = False
    extra_nesting: int = 0
    has_script: bool = False
    repeated: bool = False


def restore_reason(
    block: SourceBlock, *, kept: frozenset[tuple[str, ...]], is_furniture: Callable[[str], bool]
) -> tuple[bool, str]:
    """Whether a source block between two adjacent kept blocks goes back into the body, and
    why (for the debug log). `kept` holds the folded words of the body's blocks."""
    words = tuple(folded_words(block.text))
    if not words:
        return False, "no words"
    if block.has_script:
        return False, "holds a script"
    if block.in_furniture:
        return False, "inside page furniture"
    if block.extra_nesting > MAX_EXTRA_NESTING:
        return False, "boxed apart from the paragraphs around it"
    if block.link_chars > MAX_LINK_SHARE * len(block.text):
        return False, "mostly link text"
    if words in kept:
        return False, "repeats a kept block"
    if block.repeated:
        return False, "repeated on the page (a credit or caption line)"
    if block.tag in HEADINGS and len(block.text) > MAX_HEADING_CHARS:
        return False, "a heading too long to be a subheading"
    if is_furniture(block.text):
        return False, "reads as furniture"
    if block.tag in HEADINGS:
        return True, "subheading between kept paragraphs"
    return True, f"{block.tag} between kept paragraphs"


def _text(element: etree._Element) -> str:
    # libxml2's text serialiser gives what "".join(element.itertext()) does (no comments, no
    # processing instructions, no own tail) in one C call: the walk below runs on every page.
    return " ".join(etree.tostring(element, method="text", encoding=str, with_tail=False).split())


def source_blocks(tree: HtmlElement) -> list[tuple[etree._Element, str]]:
    """The page's leaf blocks with text, in document order."""
    found = []
    for element in tree.iter(*SOURCE_BLOCKS):
        if next(element.iterdescendants(*SOURCE_BLOCKS), None) is not None:
            continue
        text = _text(element)
        if text:
            found.append((element, text))
    return found


def _depth_below(element: etree._Element, ancestor: etree._Element) -> list[etree._Element]:
    """The elements from `element`'s parent up to, not including, `ancestor`."""
    chain = []
    for parent in element.iterancestors():
        if parent is ancestor:
            break
        chain.append(parent)
    return chain


def _common_ancestor(left: etree._Element, right: etree._Element) -> etree._Element | None:
    # The set holds the proxies alive, so lxml hands back the same objects below.
    seen = set(left.iterancestors())
    return next((parent for parent in right.iterancestors() if parent in seen), None)


def gap_block(
    element: etree._Element,
    text: str,
    left: etree._Element,
    right: etree._Element,
    *,
    repeated: bool = False,
) -> SourceBlock:
    """What restore_reason needs to know about a source block between the kept blocks
    `left` and `right`."""
    common = _common_ancestor(left, right)
    below = _depth_below(element, common) if common is not None else []
    anchors = (
        min(len(_depth_below(left, common)), len(_depth_below(right, common)))
        if common is not None
        else 0
    )
    in_furniture = (
        any(
            isinstance(parent.tag, str) and parent.tag in FURNITURE_ANCESTORS
            for parent in element.iterancestors()
        )
        or any(parent.tag in BOXES for parent in below)
        or any(
            FURNITURE_CLASS.search(f"{node.get('class') or ''} {node.get('id') or ''}")
            for node in (element, *below)
        )
    )
    return SourceBlock(
        tag=str(element.tag),
        text=" ".join(strip_invisible(text).split()),
        link_chars=sum(len(" ".join(a.text_content().split())) for a in element.iter("a")),
        in_furniture=in_furniture,
        extra_nesting=len(below) - anchors,
        has_script=any(True for _ in element.iter("script", "style", "noscript", "template")),
        repeated=repeated and len(text.split()) <= MAX_REPEATED_WORDS,
    )


def split_boxed_gap(boxed: Sequence[bool], sizes: Sequence[int]) -> list[list[int]] | None:
    """The runs (indices) of a gap's unboxed blocks between its boxed ones, when the gap is
    running text interrupted by boxes: at least one block boxed, every run of unboxed blocks
    within MAX_GAP_BLOCKS blocks and MAX_GAP_CHARS characters (`sizes`); otherwise None."""
    if not any(boxed) or len(boxed) > MAX_BOXED_GAP_BLOCKS:
        return None
    runs: list[list[int]] = [[]]
    for index, is_boxed in enumerate(boxed):
        if is_boxed:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(index)
    runs = [run for run in runs if run]
    if any(len(run) > MAX_GAP_BLOCKS or sum(sizes[i] for i in run) > MAX_GAP_CHARS for run in runs):
        return None
    return runs


def _new_block(anchor: etree._Element, block: SourceBlock) -> etree._Element | None:
    """A trafilatura XML block holding `block`'s text to follow `anchor`, or None where it
    cannot stand (a paragraph inside a list, anything after a table row)."""
    if anchor.tag == "item":
        if block.tag != "li":
            return None
        new = etree.Element("item")
    elif anchor.tag not in {"p", "head", "quote"}:
        return None
    elif block.tag in HEADINGS:
        new = etree.Element("head", rend=block.tag)
    else:
        new = etree.Element("p")
    new.text = block.text
    return new


def restore_interior(
    tree: HtmlElement,
    body: etree._Element,
    block_tags: Sequence[str] | frozenset[str],
    *,
    is_furniture: Callable[[str], bool],
) -> list[tuple[str, str]]:
    """Insert into `body` the source blocks restore_reason gives back, each after the kept
    block it follows on the page; return (reason, text) of every candidate looked at."""
    return restore_interior_blocks(tree, body, block_tags, is_furniture=is_furniture)[0]


def _unboxed_runs(
    gap: Sequence[tuple[etree._Element, str]],
    left: etree._Element,
    right: etree._Element,
    looked: list[tuple[str, str]],
) -> list[tuple[etree._Element, str]]:
    """The gap's unboxed blocks when split_boxed_gap reads it as running text between boxes
    (the split is logged in `looked`), else none."""
    if len(gap) > MAX_BOXED_GAP_BLOCKS:
        return []
    boxed = [gap_block(element, text, left, right).in_furniture for element, text in gap]
    runs = split_boxed_gap(boxed, [len(text) for _, text in gap])
    if runs is None:
        return []
    looked.append(
        (
            f"gap of {len(gap)} blocks read as {len(runs)} runs between {sum(boxed)} boxed blocks",
            gap[0][1],
        )
    )
    return [gap[i] for run in runs for i in run]


def restore_interior_blocks(
    tree: HtmlElement,
    body: etree._Element,
    block_tags: Sequence[str] | frozenset[str],
    *,
    is_furniture: Callable[[str], bool],
    split_boxed_gaps: bool = True,
) -> tuple[list[tuple[str, str]], int]:
    """What restore_interior does, and how many blocks it inserted: when none, the body's
    text is what it was. With `split_boxed_gaps`, a gap over the limits whose extra blocks sit
    in boxes is looked into run by run (split_boxed_gap)."""
    kept_blocks = [(element, text) for element, text in body_blocks(body, block_tags) if text]
    if len(kept_blocks) < 2:
        return [], 0
    position = {text: index for index, (_, text) in enumerate(kept_blocks)}
    kept: frozenset[tuple[str, ...]] | None = None  # read only once a gap is looked at
    blocks = source_blocks(tree)
    looked: list[tuple[str, str]] = []
    last: tuple[int, int] | None = None  # (source index, body index) of the last anchor
    inserts: list[tuple[int, SourceBlock]] = []
    counts: Counter[str] | None = None
    for index, (element, text) in enumerate(blocks):
        at = position.get(text)
        if at is None:
            continue
        if last is not None and at == last[1] + 1 and index > last[0] + 1:
            gap = blocks[last[0] + 1 : index]
            left = blocks[last[0]][0]
            if len(gap) > MAX_GAP_BLOCKS or sum(len(t) for _, t in gap) > MAX_GAP_CHARS:
                gap = _unboxed_runs(gap, left, element, looked) if split_boxed_gaps else []
            if gap:
                if counts is None or kept is None:
                    counts = Counter(t for _, t in blocks)
                    kept = frozenset(tuple(folded_words(t)) for _, t in kept_blocks)
                for gap_element, gap_text in gap:
                    candidate = gap_block(
                        gap_element, gap_text, left, element, repeated=counts[gap_text] > 1
                    )
                    restore, reason = restore_reason(
                        candidate, kept=kept, is_furniture=is_furniture
                    )
                    looked.append((reason, candidate.text))
                    if restore:
                        inserts.append((last[1], candidate))
        last = (index, at)
    inserted = 0
    for after, block in reversed(inserts):
        anchor = kept_blocks[after][0]
        new = _new_block(anchor, block)
        if new is not None:
            anchor.addnext(new)
            inserted += 1
    return looked, inserted
