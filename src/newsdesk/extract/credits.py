"""Photo captions that open with their credit, taken out of the body.

Some pages print a photo's caption as a plain `<p>` beside the image, opening with the photo
credit in an element of its own (`<span class="copyright">Agency</span> The caption...`).
Outside a `<figure>`/`<figcaption>` the extractors keep it as a body paragraph, and the credit
glued to its front ("Agency The harbour at dusk...") reads as running text. Such a block is
told apart by its markup, not its words: a `<p>` opening with a short element whose class
names a credit, with more text after it, next to an image (`credit_caption_reason` decides;
`credited_captions` finds them; the body's blocks with their words go).

A gallery may also print its `<figcaption>` beside the `<figure>` rather than in it (both in one
list item), and the precision pass then keeps the caption ("... Foto: <name>") as running text.
A body block holding exactly the words of a `<figcaption>` with an image in its parent goes too
(`figure_caption_reason` decides; `figure_captions` finds them).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from newsdesk.extract.decision import folded_words

# Class words of an element holding a photo credit.
CREDIT_CLASS = re.compile(r"copyright|credit|photographer|fotograf|bildnachweis", re.IGNORECASE)
# The first child elements of paragraphs whose class may name a credit (lower-case class words;
# CREDIT_CLASS decides); compiled once, it costs ~0.15 ms a page.
CREDIT_XPATH = etree.XPath(
    "//p/*[1][contains(@class, 'opyright') or contains(@class, 'redit') or "
    "contains(@class, 'hotograph') or contains(@class, 'otograf') or "
    "contains(@class, 'ildnachweis')]"
)
# A credit is a name or an agency: at most this many words.
MAX_CREDIT_WORDS = 6
# A caption has text after its credit, and is not a long paragraph.
MAX_CAPTION_WORDS = 80
IMAGES = ("img", "picture", "amp-img")


def credit_caption_reason(
    block_words: tuple[str, ...], credit_words: tuple[str, ...], *, beside_image: bool
) -> tuple[bool, str]:
    """Whether a block opening with a credit element is a photo caption, and why."""
    if not credit_words:
        return False, "no credit text"
    if len(credit_words) > MAX_CREDIT_WORDS:
        return False, "the credit element is too long for a credit"
    if block_words[: len(credit_words)] != credit_words:
        return False, "does not open with the credit"
    if len(block_words) == len(credit_words):
        return False, "the credit alone"
    if len(block_words) > MAX_CAPTION_WORDS:
        return False, "too long for a caption"
    if not beside_image:
        return False, "no image beside it"
    return True, "a caption opening with its photo credit, beside an image"


def _beside_image(block: etree._Element) -> bool:
    parent = block.getparent()
    return parent is not None and next(parent.iter(*IMAGES), None) is not None


def credited_captions(tree: HtmlElement) -> tuple[set[tuple[str, ...]], list[tuple[str, str]]]:
    """Folded words of the page's blocks that credit_caption_reason reads as credited photo
    captions, and (reason, text) of every block looked at."""
    found: set[tuple[str, ...]] = set()
    looked: list[tuple[str, str]] = []
    for credit in CREDIT_XPATH(tree):
        if not isinstance(credit.tag, str) or not CREDIT_CLASS.search(credit.get("class") or ""):
            continue
        block = credit.getparent()
        if block is None or (block.text or "").strip():
            continue  # text before the credit: it does not open the paragraph
        block_text = " ".join(block.text_content().split())
        block_words = tuple(folded_words(block_text))
        restore, reason = credit_caption_reason(
            block_words,
            tuple(folded_words(credit.text_content())),
            beside_image=_beside_image(block),
        )
        looked.append((reason, block_text))
        if restore:
            found.add(block_words)
    return found, looked


# The page's own markup for a caption; an image in its parent (the figure, or the element
# holding figure and caption side by side) makes it a photo's caption.
FIGCAPTION_XPATH = etree.XPath("//figcaption")


def figure_caption_reason(words: tuple[str, ...], *, beside_image: bool) -> tuple[bool, str]:
    """Whether a `<figcaption>`'s text, when the body holds it as a block, is a photo caption
    that leaves the body, and why."""
    if not words:
        return False, "no caption text"
    if len(words) > MAX_CAPTION_WORDS:
        return False, "too long for a caption"
    if not beside_image:
        return False, "no image beside it"
    return True, "a figcaption beside an image"


def figure_captions(tree: HtmlElement) -> tuple[set[tuple[str, ...]], list[tuple[str, str]]]:
    """Folded words of the page's `<figcaption>`s that figure_caption_reason reads as photo
    captions, and (reason, text) of every one looked at."""
    found: set[tuple[str, ...]] = set()
    looked: list[tuple[str, str]] = []
    for caption in FIGCAPTION_XPATH(tree):
        text = " ".join(caption.text_content().split())
        words = tuple(folded_words(text))
        drop, reason = figure_caption_reason(words, beside_image=_beside_image(caption))
        looked.append((reason, text))
        if drop:
            found.add(words)
    return found, looked
