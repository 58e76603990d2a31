"""trafilatura's author search through the page (`trafilatura.metadata.extract_author`), at
a fraction of its cost.

trafilatura copies the tree, deletes the comment, sidebar, date and figure sections from the
copy (AUTHOR_DISCARD_XPATHS) and takes the first element its author patterns (AUTHOR_XPATHS,
tried in order) find in what is left whose text is 3 to 119 characters long. Half the dev
pages run it (those whose markup declares no author), at a sixth of an extraction each,
nearly all of it in libxml2 evaluating the patterns' many predicates on every element.
`page_author` gives the same answer from one walk over the page's elements:

- the patterns' tests, written here in Python (`_discards`, `_search_rank`), are made on the
  page itself: they read an element's own tag and attributes only, so deleting sections
  neither adds matches nor changes another element's; an element inside a discarded section
  is skipped, and only an element holding one is copied (alone) and pruned as trafilatura
  prunes its copy;
- they hold for the patterns of the trafilatura this was written against: when its patterns
  read otherwise (`TRAFILATURA_PATTERNS`), trafilatura's own function runs.

tests/extract/test_author.py holds this to trafilatura's function on hostile markup and pins
the patterns.
"""

from __future__ import annotations

import hashlib
import re
from copy import deepcopy

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import extract_author
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

# trafilatura's limit on an author line (extract_metainfo's len_limit in extract_author).
AUTHOR_MAX_CHARS = 120

# SHA-256 of the XPath sources `_discards` and `_search_rank` are written from (trafilatura 2.3).
TRAFILATURA_PATTERNS = "a83085077d321a7437f27bc1f3b3e8b135472d64eebd19fb8c4a6992db5099ba"


def patterns_digest() -> str:
    sources = [expression.path for expression in (*AUTHOR_DISCARD_XPATHS, *AUTHOR_XPATHS)]
    return hashlib.sha256("\n\x00\n".join(sources).encode()).hexdigest()


SAME_PATTERNS = patterns_digest() == TRAFILATURA_PATTERNS

# AUTHOR_DISCARD_XPATHS[0] (on descendants of the root) and [1].
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_IDS = re.compile(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASSES = re.compile(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram"
    r"|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
_DISCARD_ALWAYS = frozenset({"time", "figure"})
# AUTHOR_XPATHS[0], [1] and [2].
_FIRST_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_FIRST_CLASSES = re.compile(r"author-?name|AuthorName|authorName")
_SECOND_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_SECOND_CLASS_VALUES = frozenset({"byline", "username", "byl", "BBL"})
_SECOND_IDS = re.compile(r"author|zuozhe|bianji|xiaobian")
_SECOND_CLASSES = re.compile(
    r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_THIRD_IDS = re.compile(r"[Aa]uthor")
_THIRD_CLASSES = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")


# Any of the patterns above that read class or id: most elements' attributes match none, and
# one search tells so.
_CLASS_HINTS = re.compile(
    "|".join(
        f"(?:{pattern.pattern})"
        for pattern in (_DISCARD_CLASSES, _FIRST_CLASSES, _SECOND_CLASSES, _THIRD_CLASSES)
    )
)
_ID_HINTS = re.compile(
    "|".join(f"(?:{pattern.pattern})" for pattern in (_DISCARD_IDS, _SECOND_IDS, _THIRD_IDS))
)


def _discards(element: etree._Element, tag: str, ids: str, classes: str, hinted: bool) -> bool:
    """Whether AUTHOR_DISCARD_XPATHS find the element (below the root); `hinted` says whether
    its class or id matches a hint pattern."""
    if tag in _DISCARD_ALWAYS:
        return True
    return tag in _DISCARD_TAGS and (
        ids == "comments"
        or classes in {"comments", "title", "date"}
        or (
            hinted
            and (
                _DISCARD_IDS.search(ids) is not None or _DISCARD_CLASSES.search(classes) is not None
            )
        )
        or "Figure" in (element.get("data-component") or "")
    )


def _search_rank(
    element: etree._Element, tag: str, ids: str, classes: str, *, hinted: bool, rel_me: bool
) -> int | None:
    """The first of AUTHOR_XPATHS (0, 1, 2) that finds the element, None if none does;
    `rel_me` says whether it has a <rel> child reading "me"."""
    if tag == "author":
        return 0
    itemprop = element.get("itemprop") or ""
    if tag in _FIRST_TAGS and (
        ids == "author"
        or classes == "author"
        or itemprop == "author name"
        or rel_me
        or element.get("rel") == "author"
        or element.get("data-testid") in {"AuthorCard", "AuthorURL"}
        or (hinted and _FIRST_CLASSES.search(classes) is not None)
    ):
        return 0
    if tag in _SECOND_TAGS and (
        classes in _SECOND_CLASS_VALUES
        or "author" in itemprop
        or (
            hinted
            and (_SECOND_IDS.search(ids) is not None or _SECOND_CLASSES.search(classes) is not None)
        )
    ):
        return 1
    if (
        "author" in itemprop
        or "Byline" in (element.get("data-component") or "")
        or (
            hinted
            and (_THIRD_IDS.search(ids) is not None or _THIRD_CLASSES.search(classes) is not None)
        )
    ):
        return 2
    return None


def page_author(tree: HtmlElement) -> str | None:
    """What `trafilatura.metadata.extract_author(tree)` returns, without copying the page."""
    if not SAME_PATTERNS:
        return extract_author(tree)
    rel_me = {rel.getparent() for rel in tree.iter("rel") if rel.xpath("string()") == "me"}
    discarded: set[etree._Element] = set()
    found: tuple[list[etree._Element], ...] = ([], [], [])
    for element in tree.iter(etree.Element):
        tag = element.tag
        ids = element.get("id") or ""
        classes = element.get("class") or ""
        hinted = bool((classes and _CLASS_HINTS.search(classes)) or (ids and _ID_HINTS.search(ids)))
        if element is not tree and _discards(element, tag, ids, classes, hinted):
            discarded.add(element)
        rank = _search_rank(element, tag, ids, classes, hinted=hinted, rel_me=element in rel_me)
        if rank is not None:
            found[rank].append(element)
    # An element sits under the first pattern that finds it only: trafilatura tries it again
    # under a later one that finds it too, where it fails the same text test again.
    for elements in found:
        for element in elements:
            if _in_discarded(element, discarded):
                continue
            content = trim(" ".join(_pruned(element, discarded).itertext()))
            if content and 2 < len(content) < AUTHOR_MAX_CHARS:
                return normalize_authors(None, content)
    return None


def _in_discarded(element: etree._Element, discarded: set[etree._Element]) -> bool:
    if not discarded:
        return False
    if element in discarded:
        return True
    return any(ancestor in discarded for ancestor in element.iterancestors())


def _pruned(element: etree._Element, discarded: set[etree._Element]) -> etree._Element:
    """The element as it reads in trafilatura's pruned copy: itself when no discarded section
    lies inside it, else a copy of it pruned the same way."""
    if not discarded or not any(inner in discarded for inner in element.iterdescendants()):
        return element
    return prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS)
