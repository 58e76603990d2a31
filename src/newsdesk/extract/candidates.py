"""Candidate article bodies from different extractors over one parsed page.

Each function takes the page parsed once (trafilatura copies the tree before pruning it,
readability gets its own serialisation) and returns None instead of raising: one extractor
failing must never cost the page the other candidates.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from lxml import etree
from lxml.html import HtmlElement, fromstring, tostring
from readability import Document as ReadabilityDocument
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import DEFAULT_CONFIG, Extractor
from trafilatura.settings import Document as TrafilaturaDocument
from trafilatura.xml import xmltotxt

from newsdesk.extract.cleanup import HTML_BLOCKS, TRAFILATURA_BLOCKS
from newsdesk.text.normalize import strip_invisible

logger = logging.getLogger(__name__)


class CandidateName(StrEnum):
    BALANCED = "trafilatura"
    RECALL = "trafilatura-recall"
    PRECISION = "trafilatura-precision"
    READABILITY = "readability"
    # Not an extractor: the publisher's JSON-LD articleBody (publisher_candidate).
    PUBLISHER = "json-ld"


@dataclass
class Candidate:
    """One extractor's body for a page. `body` is trafilatura XML or plain HTML elements."""

    name: CandidateName
    body: etree._Element
    is_html: bool

    @property
    def block_tags(self) -> frozenset[str]:
        return HTML_BLOCKS if self.is_html else TRAFILATURA_BLOCKS

    def text(self) -> str:
        if self.is_html:
            return html_body_text(self.body)
        return str(xmltotxt(self.body, False) or "").strip()

    def html(self) -> str:
        """The body as HTML, not yet sanitized."""
        if self.is_html:
            return str(tostring(self.body, encoding="unicode"))
        return str(tostring(convert_to_html(self.body), encoding="unicode"))


def publisher_candidate(paragraphs: Sequence[str]) -> Candidate:
    """The publisher's articleBody (jsonld.article_body_paragraphs) as a body: one <p> per
    paragraph, its text escaped when serialised."""
    body = etree.Element("div")
    for paragraph in paragraphs:
        etree.SubElement(body, "p").text = paragraph
    return Candidate(CandidateName.PUBLISHER, body, is_html=True)


HTML_TEXT_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "tr")
_NESTED_IN_BLOCK = frozenset({"p", "li", "pre", "blockquote", "tr"})


def html_body_text(body: etree._Element) -> str:
    """Text of an HTML body, one line per paragraph-like block, without invisible characters
    (soft hyphens split words for search and tokens), as trafilatura's text comes."""
    lines = []
    for node in body.iter(*HTML_TEXT_BLOCKS):
        if any(ancestor.tag in _NESTED_IN_BLOCK for ancestor in node.iterancestors()):
            continue
        line = " ".join(strip_invisible("".join(node.itertext())).split())
        if line:
            lines.append(line)
    if not lines:
        return " ".join(strip_invisible("".join(body.itertext())).split())
    return "\n".join(lines)


def paragraph_chars(tree: HtmlElement) -> int:
    """Characters of text in the page's <p> elements (whitespace collapsed): a cheap upper
    bound of what an article body on the page can hold."""
    # The text serialiser gives each paragraph's text_content() in one C call.
    return sum(
        len(" ".join(etree.tostring(p, method="text", encoding=str, with_tail=False).split()))
        for p in tree.iter("p")
    )


def declared_article_text(tree: HtmlElement) -> tuple[str, int] | None:
    """The text of the page's one <article> element (whitespace collapsed) and the characters
    of its <p> elements' text, or None when the page has no <article> or more than one."""
    found = None
    for element in tree.iter("article"):
        if found is not None:
            return None
        found = element
    if found is None:
        return None
    text = " ".join(etree.tostring(found, method="text", encoding=str, with_tail=False).split())
    return text, paragraph_chars(found)


LINK_TEXT_MIN_CHARS = 15


def link_texts(tree: HtmlElement) -> frozenset[str]:
    """Texts and titles of the page's links (whitespace collapsed, at least
    LINK_TEXT_MIN_CHARS long): what a teaser headline pointing to another page reads."""
    found = set()
    for anchor in tree.iter("a"):
        for text in (anchor.text_content(), anchor.get("title") or ""):
            line = " ".join(text.split())
            if len(line) >= LINK_TEXT_MIN_CHARS:
                found.add(line)
    return frozenset(found)


# SHA-256 of the source of trafilatura's `Extractor.__init__` that `_extractor` follows
# (trafilatura 2.3.1).
EXTRACTOR_INIT_SOURCE = "8a7141d46badfd06aba85792869411c66aad9e81849520ccc19467c405d9692b"


def extractor_init_digest() -> str:
    return hashlib.sha256(inspect.getsource(Extractor.__init__).encode()).hexdigest()


@cache
def same_extractor_init() -> bool:
    """Whether trafilatura's `Extractor.__init__` is still the one `_extractor` follows (read
    once, on the first pass, so that importing the package stays cheap)."""
    try:
        return extractor_init_digest() == EXTRACTOR_INIT_SOURCE
    except (OSError, TypeError):  # no source to read: build every settings object afresh
        return False


def _new_extractor(name: CandidateName, *, include_tables: bool, url: str | None) -> Extractor:
    """The settings `bare_extraction` builds from the arguments newsdesk's passes give it."""
    return Extractor(
        config=DEFAULT_CONFIG,
        output_format="python",
        fast=False,
        precision=name is CandidateName.PRECISION,
        recall=name is CandidateName.RECALL,
        comments=False,
        formatting=False,
        links=False,
        images=False,
        tables=include_tables,
        dedup=False,
        lang=None,
        url=url,
        with_metadata=False,
        only_with_metadata=False,
        author_blacklist=None,
        url_blacklist=None,
        date_params=None,
    )


@cache
def _extractor_template(name: CandidateName, *, include_tables: bool) -> Extractor:
    return _new_extractor(name, include_tables=include_tables, url=None)


def _extractor(name: CandidateName, *, include_tables: bool, url: str | None) -> Extractor:
    """The settings of a trafilatura pass over the page at `url`: a copy of the pass's
    settings read once, with the page's address set as `Extractor.__init__` sets it.

    Building them afresh costs ~0.16 ms a pass (seven configparser reads and the local time
    zone's date for `date_params`), 5 % of an ingest page's extraction. The copy's
    `date_params` holds the date of the first pass: trafilatura reads it only for metadata,
    which these passes leave out (`with_metadata=False`)."""
    if not same_extractor_init():
        return _new_extractor(name, include_tables=include_tables, url=url)
    options = copy(_extractor_template(name, include_tables=include_tables))
    options.url = url
    source = url or None  # as `Extractor.__init__` reads its `url or source`
    options.source = source and source.encode("utf-8", "replace").decode("utf-8")
    return options


def _trafilatura(
    tree: HtmlElement, *, url: str | None, name: CandidateName, include_tables: bool
) -> Candidate | None:
    result = bare_extraction(tree, options=_extractor(name, include_tables=include_tables, url=url))
    if not isinstance(result, TrafilaturaDocument) or not result.text or result.body is None:
        return None
    return Candidate(name=name, body=result.body, is_html=False)


def _readability(tree: HtmlElement, *, url: str | None) -> Candidate | None:
    document = ReadabilityDocument(tostring(tree, encoding="unicode"), url=url)
    body = fromstring(document.summary(html_partial=True))
    if not "".join(body.itertext()).strip():
        return None
    return Candidate(name=CandidateName.READABILITY, body=body, is_html=True)


def make_candidate(
    tree: HtmlElement, name: CandidateName, *, url: str | None, include_tables: bool
) -> Candidate | None:
    """The named extractor's body for the page, or None if it failed or found nothing."""
    try:
        if name is CandidateName.READABILITY:
            return _readability(tree, url=url)
        return _trafilatura(tree, url=url, name=name, include_tables=include_tables)
    except MemoryError:
        raise
    except Exception:
        logger.debug("extractor %s failed on %s", name, url, exc_info=True)
        return None
