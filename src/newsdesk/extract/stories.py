"""Pages that carry more than one story: the body comes from the story the page is about.

Endless-scroll news pages put the next stories in the same page, each in its own <article>
with its own <h1>, often inside the same container as the requested one. Extractors then keep
them all as one long body. A page is multi-story when at least two <article> elements each hold
an <h1> (an <h1>'s nearest <article>); the story the page is about is the one whose headline
the page's title repeats (og:title, twitter:title or <title>). When exactly one story matches,
the others are left out of the tree the body is extracted from; otherwise nothing changes.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree
from lxml.html import HtmlElement

from newsdesk.extract.cleanup import remove_keeping_tail
from newsdesk.text.normalize import tokens

# An <h1> is the page's story when this share of its words is in the page title.
TITLE_WORD_SHARE = 0.8
MIN_HEADLINE_WORDS = 3
_TITLE_META = frozenset({"og:title", "twitter:title"})


def _words(text: str | None) -> list[str]:
    return [word.casefold() for word in tokens(text or "")]


def page_title_words(tree: HtmlElement) -> frozenset[str]:
    """Words of the page's declared titles: <title> (the head's, not an SVG's), og:title and
    twitter:title."""
    words: set[str] = set()
    head = tree.find("head")
    for title in head.iter("title") if head is not None else ():
        words.update(_words(title.text_content()))
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().casefold() in _TITLE_META:
            words.update(_words(meta.get("content")))
    return frozenset(words)


def story_units(tree: HtmlElement) -> list[etree._Element]:
    """The nearest <article> of each <h1>, in document order, each once."""
    units: dict[int, etree._Element] = {}
    for heading in tree.iter("h1"):
        unit = next(heading.iterancestors("article"), None)
        if unit is not None:
            units.setdefault(id(unit), unit)
    return list(units.values())


def _is_title_story(unit: etree._Element, title: frozenset[str]) -> bool:
    for heading in unit.iter("h1"):
        words = _words(heading.text_content())
        if len(words) >= MIN_HEADLINE_WORDS and sum(
            word in title for word in words
        ) >= TITLE_WORD_SHARE * len(words):
            return True
    return False


def single_story(tree: HtmlElement) -> HtmlElement | None:
    """A copy of the page without its other stories, or None when the page is not multi-story
    or the page's own story cannot be told from the others (the tree is never changed)."""
    units = story_units(tree)
    if len(units) < 2:
        return None
    title = page_title_words(tree)
    if not title:
        return None
    matches = [unit for unit in units if _is_title_story(unit, title)]
    if len(matches) != 1:
        return None
    main = matches[0]
    keep = {id(main), *(id(ancestor) for ancestor in main.iterancestors())}
    others = [
        unit
        for unit in units
        if id(unit) not in keep and not any(a is main for a in unit.iterancestors("article"))
    ]
    if not others:
        return None
    wanted = {id(unit) for unit in others}
    copy = deepcopy(tree)
    doomed = [
        twin
        for original, twin in zip(tree.iter(), copy.iter(), strict=True)
        if id(original) in wanted
    ]
    for twin in doomed:
        remove_keeping_tail(twin, drop_boilerplate_tail=False)
    return copy


def story_tree(tree: HtmlElement) -> HtmlElement:
    """The page as its body is extracted from: `single_story`'s copy, or the tree itself."""
    story = single_story(tree)
    return story if story is not None else tree
