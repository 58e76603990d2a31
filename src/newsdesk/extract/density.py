"""A cheap second reading of the page, used to drop the body's trailing blocks it does not hold.

`density_text` is readability's paragraph scoring without serialising the page again: the
text of the page's densest container. It costs about 2 CPU ms a page, where another
extractor's pass costs 20-40. `unbacked_tail` is the pure rule: when that reading holds most
of the body, the body's trailing run of blocks it holds none of (sign-up and donation boxes,
contact and press-contact blocks, "more from" link lists, disclosures after the story) goes.
An opinion that chose another region of the page holds little of the body and says nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from lxml import etree

from newsdesk.extract.decision import folded_words
from newsdesk.text.normalize import strip_invisible

# A body block counts as held by the opinion when at least this share of its word 3-grams is
# in the opinion's text (a block under three words: its words in order).
UNBACKED_GRAM = 3
BLOCK_HELD_SHARE = 0.5

_SKIP = frozenset({"script", "style", "noscript", "template", "nav", "footer", "aside", "form"})
_SCORED = ("p", "pre", "td")
_LINES = ("p", "pre", "td", "li", "blockquote", "h2", "h3", "h4")


def _text(element: etree._Element) -> str:
    return " ".join(element.text_content().split())


def _link_chars(element: etree._Element) -> int:
    return sum(len(_text(anchor)) for anchor in element.iter("a"))


def density_text(tree: etree._Element) -> str:
    """Text of the page's densest container, one line per block: paragraphs of 25+ chars
    score their parent (1 + commas + a length bonus) and half that to the grandparent; scores
    are scaled by the container's non-link share; siblings scoring a fifth of the best join
    it. Link-heavy short lines are left out. Empty when no paragraph scores."""
    scores: dict[etree._Element, float] = defaultdict(float)
    for element in tree.iter(*_SCORED):
        if any(ancestor.tag in _SKIP for ancestor in element.iterancestors()):
            continue
        text = _text(element)
        parent = element.getparent()
        if len(text) < 25 or parent is None:
            continue
        score = 1 + text.count(",") + min(len(text) // 100, 3)
        scores[parent] += score
        grand = parent.getparent()
        if grand is not None:
            scores[grand] += score / 2
    if not scores:
        return ""
    ranked = [
        (score * (1 - min(1.0, _link_chars(el) / (len(_text(el)) or 1))), el)
        for el, score in scores.items()
    ]
    best_score, best = max(ranked, key=lambda item: item[0])
    parent = best.getparent()
    containers = [best]
    if parent is not None:
        floor = max(10.0, best_score * 0.2)
        containers = [
            el
            for el in parent
            if el is best or (isinstance(el.tag, str) and scores.get(el, 0.0) >= floor)
        ]
    lines = []
    for container in containers:
        for element in container.iter(*_LINES):
            text = _text(element)
            if text and not (len(text) < 200 and _link_chars(element) > 0.5 * len(text)):
                lines.append(text)
    return strip_invisible("\n".join(lines))


def _trigrams(words: Sequence[str]) -> list[tuple[str, str, str]]:
    return list(zip(words, words[1:], words[2:], strict=False))


def _held(block: Sequence[str], grams: set[tuple[str, str, str]], joined: str) -> bool:
    if len(block) < UNBACKED_GRAM:
        return f" {' '.join(block)} " in joined
    own = _trigrams(block)
    return sum(gram in grams for gram in own) >= BLOCK_HELD_SHARE * len(own)


def _last_block_in(blocks: Sequence[str], opinion: str) -> bool:
    """Whether the last block holding words stands in `opinion` as a run of whole
    whitespace-separated words. Words (`\\w+`) never span whitespace, so such a block's
    folded words are a run of the opinion's and `_held` says yes: on most pages this answers
    without folding the opinion's words."""
    last = next((block for block in reversed(blocks) if folded_words(block)), None)
    if last is None:
        return False
    return f" {' '.join(last.split())} " in f" {' '.join(opinion.split())} "


def unbacked_tail(blocks: Sequence[str], opinion: str, *, min_cover: float) -> tuple[int, ...]:
    """Indices of the body's trailing blocks (the last run of blocks holding words) that
    `opinion` does not hold, when the blocks it holds make up at least `min_cover` of the
    body's words; () when it holds less, when it is empty, or when every block would go."""
    if _last_block_in(blocks, opinion):
        return ()  # the trailing run ends with a block the opinion holds: nothing goes
    words = [folded_words(block) for block in blocks]
    opinion_words = folded_words(opinion)
    total = sum(len(block) for block in words)
    if not total or not opinion_words:
        return ()
    grams = set(_trigrams(opinion_words))
    joined = f" {' '.join(opinion_words)} "
    held = [bool(block) and _held(block, grams, joined) for block in words]
    if sum(len(block) for block, kept in zip(words, held, strict=True) if kept) < min_cover * total:
        return ()
    tail: list[int] = []
    for index in reversed(range(len(blocks))):
        if not words[index]:
            continue
        if held[index]:
            return tuple(sorted(tail))
        tail.append(index)
    return ()  # every block holding words would go: the opinion read another region
