"""Body blocks that are only a link to another article of the same site ("Read also: <a>...").

trafilatura's body keeps no links, so a block is matched to the page's anchors by its text
(`link_targets`), and the decision looks at where those anchors point: only links to another
article on the page's own site count (a same-site teaser), never a link off-site, to a tag,
section or author page, a file, an anchor or the page itself.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newsdesk.text.hosts import ascii_host

# A linked headline has this many words; shorter link texts ("more", "Politik") are no teaser.
MIN_LINK_WORDS = 3
MAX_LINK_WORDS = 30
# Words a block may hold beyond the link text, before it: "Read also:", "Lesen Sie auch:".
MAX_LEAD_IN_WORDS = 4
# ...and the lead-in ends in one of these: a lead-in is a label, not the start of a sentence.
LEAD_IN_ENDS = (":", "»", "|", ">", "-", "–", "—")
# Path segments of listing pages, not articles (en, de, es, fr, pt, it, pl).
LISTING_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "category",
        "categories",
        "kategorie",
        "categoria",
        "categorie",
        "topic",
        "topics",
        "thema",
        "themen",
        "tema",
        "temas",
        "author",
        "authors",
        "autor",
        "autoren",
        "autores",
        "auteur",
        "autore",
        "search",
        "suche",
        "page",
        "feed",
        "rubrik",
        "ressort",
        "section",
        "seccion",
        "rubrique",
        "tagi",
        "kategoria",
    }
)
FILE_SUFFIX = re.compile(
    r"\.(?:pdf|jpe?g|png|gif|webp|svg|zip|mp3|mp4|mov|docx?|xlsx?|pptx?|epub)$", re.IGNORECASE
)
PAGE_SUFFIX = re.compile(r"\.(?:s?html?|php|aspx?|jsp)$", re.IGNORECASE)
SLUG_SEPARATOR = re.compile(r"[-_+.,]+")
LONG_ID = re.compile(r"\d{4,}")
# An article path: this many segments, or a last segment with this many slug words.
ARTICLE_SEGMENTS = 3
SLUG_WORDS = 3


def _words(text: str) -> list[str]:
    return text.casefold().split()


def link_targets(tree: HtmlElement) -> dict[str, tuple[str, ...]]:
    """The page's link texts (case-folded, whitespace collapsed, MIN_LINK_WORDS to
    MAX_LINK_WORDS words) with every href that carries each text."""
    found: dict[str, list[str]] = {}
    for anchor in tree.iter("a"):
        # The text serialiser gives the anchor's text_content() in one C call.
        words = _words(etree.tostring(anchor, method="text", encoding=str, with_tail=False))
        if MIN_LINK_WORDS <= len(words) <= MAX_LINK_WORDS:
            found.setdefault(" ".join(words), []).append((anchor.get("href") or "").strip())
    return {text: tuple(hrefs) for text, hrefs in found.items()}


def page_addresses(tree: HtmlElement, url: str | None) -> tuple[str, ...]:
    """The page's own absolute addresses: its URL, and its canonical and og:url as it
    declares them (resolved against the URL)."""
    declared = [
        link.get("href") or ""
        for link in tree.iter("link")
        if (link.get("rel") or "").strip().lower() == "canonical"
    ]
    declared += [
        meta.get("content") or "" for meta in tree.iter("meta") if meta.get("property") == "og:url"
    ]
    found = [url] if url else []
    found += [urljoin(url or "", address.strip()) for address in declared if address.strip()]
    return tuple(address for address in found if _host(address))


def _host(address: str) -> str:
    try:
        parts = urlsplit(address)
        host = parts.hostname or ""
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"}:
        return ""
    try:
        return ascii_host(host)
    except ValueError:
        return ""


def registrable_host(host: str) -> str:
    """The host's registrable part, approximated without a public-suffix list: the last two
    labels, or three when the second-last is short (bbc.co.uk, folha.com.br)."""
    labels = host.lower().split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _path(address: str) -> str:
    return urlsplit(address).path.rstrip("/") or "/"


def is_article_path(path: str) -> bool:
    """Whether a URL path reads as an article's: not a file, not a listing (tag, category,
    author...), and several segments deep or ending in a long slug or a numeric id."""
    if FILE_SUFFIX.search(path):
        return False
    segments = [segment.casefold() for segment in path.split("/") if segment]
    if not segments or any(segment in LISTING_SEGMENTS for segment in segments):
        return False
    last = PAGE_SUFFIX.sub("", segments[-1])
    slug_words = [word for word in SLUG_SEPARATOR.split(last) if word]
    return (
        len(segments) >= ARTICLE_SEGMENTS
        or len(slug_words) >= SLUG_WORDS
        or LONG_ID.search(last) is not None
    )


def is_other_article_link(href: str, addresses: Collection[str]) -> bool:
    """Whether `href` (as written in the page) points to another article of the page's site:
    same registrable host as one of the page's `addresses` (URL, canonical), an article path,
    not one of the page's own paths. Without a page address nothing is known: False."""
    if not addresses or not href or href.startswith("#"):
        return False
    base = next(iter(addresses))
    target = urljoin(base, href)
    host = _host(target)
    if not host:
        return False
    sites = {registrable_host(_host(address)) for address in addresses}
    if registrable_host(host) not in sites:
        return False
    path = _path(target)
    if path in {_path(address) for address in addresses}:
        return False
    return is_article_path(path)


def may_be_link_block(text: str) -> bool:
    """Whether a block's text could be a link text after a lead-in at all (the checks of
    `is_related_link_block` that need no link of the page): what else is never one."""
    words = len(_words(text))
    return (
        MIN_LINK_WORDS <= words <= MAX_LEAD_IN_WORDS + MAX_LINK_WORDS
        and not text.rstrip().endswith(".")
    )


def is_related_link_block(
    text: str, targets: Mapping[str, Collection[str]], addresses: Collection[str]
) -> bool:
    """Whether a body block is a link to another article of the site and (almost) nothing
    else: the block's words are a link text of the page, after at most MAX_LEAD_IN_WORDS
    words ending like a label ("Read also:"), the block does not end a sentence with a full
    stop, and every link with that text points to another same-site article
    (`is_other_article_link`). A sentence holding a link among other words is not one."""
    words = _words(text)
    if not addresses or len(words) < MIN_LINK_WORDS or text.rstrip().endswith("."):
        return False
    for start in range(min(MAX_LEAD_IN_WORDS, len(words) - MIN_LINK_WORDS) + 1):
        if start and not words[start - 1].endswith(LEAD_IN_ENDS):
            continue
        hrefs = targets.get(" ".join(words[start:]))
        if hrefs:
            return all(is_other_article_link(href, addresses) for href in hrefs)
    return False
