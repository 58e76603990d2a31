"""Features of single blocks of an extracted body, for benchmarks/block_classifier.py.

Cheap and language-light (plain Python, ~7 ms per page on the dev set): the block's own text
(length, punctuation, digits, capitals, sentence ends), its tag, its place in the body, its
neighbours, how much of it the page's title, description and JSON-LD articleBody hold, and
where it sits in the page, found by looking its first words up among the page's text nodes:
class/id hints of its ancestors, link density, header/aside/figure ancestors, whether it lies
inside the body's main container (the deepest page element holding 60 % of the body's mapped
words) and how far it is in document order from its neighbours.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

_WORD = re.compile(r"\w+")
_KEY_WORDS = 3
GRAM = 3
MAIN_SHARE = 0.6
MAX_ANCESTORS = 8
_SENTENCE_END = frozenset(".!?…\"'”“»«)")
_HINTS = {
    "nav": re.compile(r"nav|menu|breadcrumb|pagination|pager|toolbar|skip"),
    "related": re.compile(r"related|teaser|recommend|read-?more|also|popular|trending|more-|list"),
    "social": re.compile(
        r"share|social|follow|newsletter|subscri|signup|promo|advert|banner|sponsor|cookie|ad-|-ad"
    ),
    "meta": re.compile(r"byline|author|meta|date|time|tag|credit|copyright|source|info"),
    "caption": re.compile(r"caption|figure|image|img|photo|gallery|media|video"),
    "side": re.compile(r"sidebar|aside|widget|rail|box|module|col"),
    "footer": re.compile(r"foot|bottom"),
    "comment": re.compile(r"comment|reply|discussion|respon"),
    "article": re.compile(r"article|content|body|story|text|entry|post|main"),
    "lead": re.compile(
        r"lead|intro|summary|standfirst|dek|excerpt|abstract|kicker|subline|sub-?title"
    ),
    "head": re.compile(r"head|title"),
}
_ANCESTOR_TAGS = ("header", "aside", "footer", "nav", "figure", "li", "article", "form", "table")
_BLOCK_TAGS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "blockquote", "pre",
     "figcaption", "div", "section", "article", "header", "footer", "aside", "main", "span"}
)  # fmt: skip
_BODY_TAGS = ("p", "head", "item", "quote", "row")


def _words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text)]


def _grams(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + GRAM]) for i in range(len(words) - GRAM + 1)}


def _held(words: Sequence[str], grams: set[tuple[str, ...]], vocabulary: set[str]) -> float:
    """Share of a block's word 3-grams (a short block: its words) in another text."""
    if not words:
        return 0.0
    if len(words) < GRAM:
        return sum(word in vocabulary for word in words) / len(words)
    own = [tuple(words[i : i + GRAM]) for i in range(len(words) - GRAM + 1)]
    return sum(gram in grams for gram in own) / len(own)


class SourceIndex:
    """The page's text nodes by their first words, to find where a body block came from."""

    def __init__(self, tree: HtmlElement) -> None:
        self._holders: dict[tuple[str, ...], Any] = {}
        self.order: dict[Any, int] = {}
        for position, element in enumerate(tree.iter()):
            if not isinstance(element.tag, str):
                continue
            self.order[element] = position
            for text, holder in ((element.text, element), (element.tail, element.getparent())):
                if text and holder is not None:
                    key = tuple(text.split()[:_KEY_WORDS])
                    if key:
                        self._holders.setdefault(key, holder)

    def find(self, text: str) -> Any:
        words = text.split()
        for size in range(min(_KEY_WORDS, len(words)), 0, -1):
            found = self._holders.get(tuple(words[:size]))
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class PageContext:
    """What the page says about its article besides the body: title, description, articleBody."""

    title: str = ""
    description: str = ""
    article_body: str = ""


def page_context(tree: HtmlElement, article_bodies: Sequence[str]) -> PageContext:
    title = " ".join(
        [
            tree.findtext(".//title") or "",
            *(
                str(value)
                for value in tree.xpath(
                    './/meta[@property="og:title" or @name="twitter:title"]/@content'
                )
            ),
        ]
    )
    description = " ".join(
        str(value)
        for value in tree.xpath(
            './/meta[@name="description" or @property="og:description"'
            ' or @name="twitter:description"]/@content'
        )
    )
    return PageContext(title, description, " ".join(article_bodies))


def _source_block(element: Any) -> Any:
    """The nearest block element around a text node's holder."""
    if element is None:
        return None
    block = element
    while block is not None and not (isinstance(block.tag, str) and block.tag in _BLOCK_TAGS):
        block = block.getparent()
    return block if block is not None else element


def _main_container(elements: Sequence[Any], words: Sequence[int]) -> Any:
    """The deepest page element holding at least MAIN_SHARE of the mapped blocks' words."""
    counts: dict[Any, int] = {}
    depth: dict[Any, int] = {}
    mapped = 0
    for element, size in zip(elements, words, strict=True):
        if element is None:
            continue
        mapped += size
        chain = [element, *element.iterancestors()]
        for level, ancestor in enumerate(chain):
            counts[ancestor] = counts.get(ancestor, 0) + size
            depth[ancestor] = len(chain) - level
    wanted = MAIN_SHARE * mapped
    held = [element for element, count in counts.items() if count >= wanted and count > 0]
    return max(held, key=lambda element: depth[element]) if held else None


def _source_features(block: Any) -> list[float]:
    """Link density, ancestor tags and class/id hints of the block's element in the page."""
    if block is None:
        return [1.0] + [0.0] * (3 + len(_ANCESTOR_TAGS) + len(_HINTS))
    text_chars = len("".join(block.itertext()).split()) or 1
    link_chars = sum(len("".join(a.itertext()).split()) for a in block.iter("a"))
    chain = [block, *block.iterancestors()][:MAX_ANCESTORS]
    tags = {ancestor.tag for ancestor in chain}
    names = " ".join(
        f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}" for ancestor in chain
    ).lower()
    heading = float(block.tag in {"h1", "h2", "h3", "h4", "h5", "h6"})
    return [
        0.0,
        min(1.0, link_chars / text_chars),
        heading,
        float(block.tag == "li"),
        *(float(tag in tags) for tag in _ANCESTOR_TAGS),
        *(float(bool(pattern.search(names))) for pattern in _HINTS.values()),
    ]


def _text_features(text: str, words: Sequence[str]) -> list[float]:
    chars = len(text) or 1
    letters = sum(char.isalpha() for char in text) or 1
    stripped = text.rstrip()
    return [
        math.log1p(len(words)),
        math.log1p(len(text)),
        float(bool(stripped) and stripped[-1] in _SENTENCE_END),
        float(stripped.endswith(":")),
        sum(text.count(mark) for mark in ".!?") / (len(words) or 1),
        sum(not char.isalnum() and not char.isspace() for char in text) / chars,
        sum(char.isdigit() for char in text) / chars,
        sum(char.isupper() for char in text) / letters,
        float(bool(text) and text[0].isupper()),
        float(any(mark in text for mark in "|•·»›©@")),
        sum(text.count(mark) for mark in ",;") / (len(words) or 1),
    ]


TEXT_FEATURES = ("log_words", "log_chars", "ends_sentence", "ends_colon", "sentence_marks",
                 "punct", "digits", "capitals", "starts_upper", "separators", "commas")  # fmt: skip
SOURCE_FEATURES = (
    "unmapped", "link_density", "heading", "li",
    *(f"in_{tag}" for tag in _ANCESTOR_TAGS), *(f"hint_{name}" for name in _HINTS),
)  # fmt: skip
STRUCTURE_FEATURES = ("in_main", "main_share", "gap_prev", "gap_next", "body_in_description",
                      "body_in_title")  # fmt: skip
CONTEXT_FEATURES = ("rel_position", "first", "last", "words_before", "words_after", "page_words",
                    "page_blocks", "in_title", "is_title", "has_description", "in_description",
                    "has_article_body", "in_article_body", "repeated")  # fmt: skip
TAG_FEATURES = tuple(f"tag_{tag}" for tag in _BODY_TAGS)
NEIGHBOUR_FEATURES = tuple(
    f"{side}_{name}"
    for side in ("prev", "next")
    for name in ("log_words", "ends_sentence", "link_density", "tag_head")
)
FEATURE_NAMES = (
    *TAG_FEATURES, *TEXT_FEATURES, *SOURCE_FEATURES, *CONTEXT_FEATURES, *NEIGHBOUR_FEATURES,
    *STRUCTURE_FEATURES,
)  # fmt: skip


def block_features(
    blocks: Sequence[tuple[str, str]], index: SourceIndex, context: PageContext
) -> list[list[float]]:
    """One feature row per (tag, text) block of a body, in FEATURE_NAMES order."""
    words = [_words(text) for _, text in blocks]
    total = sum(len(w) for w in words) or 1
    title = _words(context.title)
    title_set = set(title)
    description = _words(context.description)
    body = _words(context.article_body)
    description_grams, body_grams = _grams(description), _grams(body)
    description_set, body_set = set(description), set(body)
    seen: dict[str, int] = {}
    for _, text in blocks:
        seen[text] = seen.get(text, 0) + 1
    elements = [_source_block(index.find(text)) for _, text in blocks]
    rows: list[list[float]] = []
    before = 0
    for position, ((tag, text), own) in enumerate(zip(blocks, words, strict=True)):
        source = _source_features(elements[position])
        rows.append(
            [
                *(float(tag == name) for name in _BODY_TAGS),
                *_text_features(text, own),
                *source,
                before / total,
                float(position == 0),
                float(position == len(blocks) - 1),
                math.log1p(before),
                math.log1p(total - before - len(own)),
                math.log1p(total),
                math.log1p(len(blocks)),
                sum(word in title_set for word in own) / (len(own) or 1),
                float(bool(own) and own == title[: len(own)] and len(own) >= len(title) // 2),
                float(bool(description)),
                _held(own, description_grams, description_set),
                float(bool(body)),
                _held(own, body_grams, body_set),
                float(seen[text] > 1),
            ]
        )
        before += len(own)
    for position, row in enumerate(rows):
        for neighbour in (position - 1, position + 1):
            if 0 <= neighbour < len(rows):
                other = rows[neighbour]
                row.extend(
                    [
                        other[len(_BODY_TAGS)],
                        other[len(_BODY_TAGS) + 2],
                        other[len(_BODY_TAGS) + len(TEXT_FEATURES) + 1],
                        other[_BODY_TAGS.index("head")],
                    ]
                )
            else:
                row.extend([0.0, 1.0, 0.0, 0.0])
    _add_structure(rows, elements, words, index, (description_grams, description_set), title_set)
    return rows


def _add_structure(
    rows: list[list[float]],
    elements: Sequence[Any],
    words: Sequence[list[str]],
    index: SourceIndex,
    description: tuple[set[tuple[str, ...]], set[str]],
    title: set[str],
) -> None:
    """Where each block sits against the body's main container and its neighbours."""
    sizes = [len(own) for own in words]
    total = sum(sizes) or 1
    main = _main_container(elements, sizes)
    inside = [
        element is not None
        and main is not None
        and (element is main or any(a is main for a in element.iterancestors()))
        for element in elements
    ]
    main_share = sum(size for size, held in zip(sizes, inside, strict=True) if held) / total
    everything = [word for own in words for word in own]
    in_description = _held(everything, *description) if description[1] else 0.0
    in_title = sum(word in title for word in set(everything)) / (len(title) or 1)
    order = [index.order.get(element, -1) if element is not None else -1 for element in elements]
    for position, row in enumerate(rows):
        gaps = []
        for neighbour in (position - 1, position + 1):
            if 0 <= neighbour < len(rows) and order[position] >= 0 and order[neighbour] >= 0:
                gaps.append(math.log1p(abs(order[position] - order[neighbour])))
            else:
                gaps.append(0.0)
        row.extend([float(inside[position]), main_share, *gaps, in_description, min(1.0, in_title)])
