"""The page's schema.org JSON-LD, read once for metadata and for the publisher's article body.

Every ``<script type="application/ld+json">`` (and trafilatura's ``application/settings+json``)
is parsed once. Publishers' JSON is often broken or escaped twice, so a script that does not
parse as it stands is tried once more the way trafilatura reads it (minified, escapes and
markup stripped); what still does not parse is kept as text for trafilatura's pattern search
for an author, a title or a site name. Nothing here raises: a page's JSON-LD is a hint.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from typing import Any

from lxml.html import HtmlElement
from trafilatura.json_metadata import normalize_json
from trafilatura.metadata import JSON_MINIFY
from trafilatura.utils import HTML_STRIP_TAGS

logger = logging.getLogger(__name__)

SCRIPT_XPATH = './/script[@type="application/ld+json" or @type="application/settings+json"]'
# Scripts longer than this (characters) are skipped unread: no article needs more, and a
# pathological one must not cost the page its extraction time.
MAX_SCRIPT_CHARS = 1_000_000
# How deep the search for article objects goes (@graph, lists, mainEntity).
MAX_DEPTH = 8
# schema.org types whose articleBody is the text of the page's article.
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "analysisnewsarticle",
        "backgroundnewsarticle",
        "opinionnewsarticle",
        "reportagenewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "report",
        "techarticle",
    }
)
# Keys under which an article object may sit inside another one.
NESTING_KEYS = ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item")


@dataclass(frozen=True)
class Script:
    """One script: its parsed JSON, or (when it did not parse) its normalised text."""

    schema: Any = None
    unparsed: str | None = None


@dataclass(frozen=True)
class JsonLd:
    """The page's JSON-LD scripts in document order."""

    scripts: tuple[Script, ...] = ()


def clean_text(value: str) -> str:
    """A JSON-LD string as plain text: entities decoded, markup dropped, whitespace collapsed
    (what trafilatura does to the whole script before parsing it, here per value)."""
    text = unescape(value) if "&" in value else value
    if "<" in text:
        text = HTML_STRIP_TAGS.sub(" ", text)
    return " ".join(text.split())


def _loads(text: str) -> Any:
    """The parsed JSON, or None; deeply nested input (RecursionError) counts as unparseable."""
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return None


def read_json_ld(tree: HtmlElement) -> JsonLd:
    """Parse every JSON-LD script of the page once."""
    scripts: list[Script] = []
    for script in tree.xpath(SCRIPT_XPATH):
        raw = script.text
        if not raw or not raw.strip():
            continue
        if len(raw) > MAX_SCRIPT_CHARS:
            logger.debug("JSON-LD script of %d chars skipped", len(raw))
            continue
        schema = _loads(raw)
        if schema is None:
            text = normalize_json(JSON_MINIFY.sub(r"\1", raw))
            schema = _loads(text)
            if schema is None:
                scripts.append(Script(unparsed=text))
                continue
        if isinstance(schema, (dict, list)):
            scripts.append(Script(schema=schema))
    return JsonLd(tuple(scripts))


def _types(node: dict[str, Any]) -> set[str]:
    declared = node.get("@type")
    values = declared if isinstance(declared, list) else [declared]
    return {value.casefold() for value in values if isinstance(value, str)}


def _article_objects(schema: Any) -> Iterator[dict[str, Any]]:
    """Objects of an article type anywhere in the schema (iterative, depth-limited)."""
    stack: list[tuple[Any, int]] = [(schema, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, list):
            stack.extend((item, depth + 1) for item in reversed(node))
        elif isinstance(node, dict):
            if _types(node) & ARTICLE_TYPES:
                yield node
            stack.extend((node[key], depth + 1) for key in reversed(NESTING_KEYS) if key in node)


def article_bodies(json_ld: JsonLd) -> tuple[str, ...]:
    """The distinct non-empty articleBody texts of the page's article objects, as plain text
    (a listing page may declare several, a paywalled one a teaser: the caller judges)."""
    return _article_texts(json_ld, "articleBody")


def article_descriptions(json_ld: JsonLd) -> tuple[str, ...]:
    """The distinct non-empty descriptions of the page's article objects, as plain text."""
    return _article_texts(json_ld, "description")


def _article_strings(json_ld: JsonLd, key: str) -> Iterator[str]:
    """The string values of `key` in the page's article objects, in document order."""
    for script in json_ld.scripts:
        for node in _article_objects(script.schema):
            value = node.get(key)
            if isinstance(value, str):
                yield value


def _article_texts(json_ld: JsonLd, key: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for value in _article_strings(json_ld, key):
        text = clean_text(value)
        if text:
            found[text] = None
    return tuple(found)


# Markup inside an articleBody string: elements whose content is no text (dropped with it),
# and tags that end a paragraph (a line break where they stood).
_DROPPED_OPENING = re.compile(r"<(script|style|template|noscript|iframe|object)\b", re.I)
_PARAGRAPH_BREAKS = re.compile(r"<\s*(?:br|/p|/div|/h[1-6]|/li|/blockquote)\b[^>]*>", re.I)
# Characters no XML text may hold (control characters, lone surrogates from JSON escapes).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _without_dropped_elements(text: str) -> str:
    """`text` less its script, style (...) elements and their content; an element left open
    runs to the end. One pass: a hostile body of many unclosed tags costs linear time."""
    folded = text.lower()
    if len(folded) != len(text):  # a case mapping changed lengths: search the text itself
        folded = text
    kept: list[str] = []
    position = 0
    while (opening := _DROPPED_OPENING.search(text, position)) is not None:
        kept.append(text[position : opening.start()])
        closing = folded.find(f"</{opening.group(1).lower()}", opening.end())
        if closing < 0:
            return " ".join(kept)
        end = text.find(">", closing)
        position = len(text) if end < 0 else end + 1
    kept.append(text[position:])
    return " ".join(kept)


def body_paragraphs(value: str) -> tuple[str, ...]:
    """An articleBody string as paragraphs: entities decoded, scripts and styles dropped with
    their content, other markup dropped (a closing </p>, </div>, </li>, a heading's end or a
    <br> ends a paragraph), split on its line breaks, whitespace collapsed within each line,
    characters no XML text may hold removed. A body without line breaks is one paragraph."""
    text = unescape(value) if "&" in value else value
    if "<" in text:
        text = _without_dropped_elements(text)
        text = _PARAGRAPH_BREAKS.sub("\n", text)
        text = HTML_STRIP_TAGS.sub(" ", text)
    text = _NOT_XML.sub(" ", text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return tuple(line for line in lines if line)


def article_body_paragraphs(json_ld: JsonLd) -> tuple[tuple[str, ...], ...]:
    """The distinct non-empty articleBody texts of the page's article objects, each as its
    paragraphs (`body_paragraphs`); two bodies are one when their words are the same."""
    found: dict[str, tuple[str, ...]] = {}
    for value in _article_strings(json_ld, "articleBody"):
        paragraphs = body_paragraphs(value)
        if paragraphs:
            found.setdefault(" ".join(paragraphs), paragraphs)
    return tuple(found.values())


def metadata_schema(schema: Any, depth: int = 0) -> Any:
    """A parsed script with every string cleaned as trafilatura's metadata steps expect (the
    article body, which they never read, left out, and nothing deeper than MAX_DEPTH)."""
    if isinstance(schema, str):
        return clean_text(schema)
    if depth >= MAX_DEPTH and isinstance(schema, (list, dict)):
        return None
    if isinstance(schema, list):
        return [metadata_schema(item, depth + 1) for item in schema]
    if isinstance(schema, dict):
        return {
            key: metadata_schema(value, depth + 1)
            for key, value in schema.items()
            if key != "articleBody"
        }
    return schema
