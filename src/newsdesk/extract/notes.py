"""Notes printed in italics at the body's end, taken out.

Publishers set the notes around a story apart by type, not by words: an editor's note, a series
blurb ("<Series> profiles the people behind..."), where the piece first appeared, who helped
write it, a credits line. Each is a paragraph whose whole text is one `<em>`/`<i>` element,
and at the very end of the body it is not the story's text. Told apart by markup and
position alone: the body's last blocks (at most MAX_TRAILING_NOTES, never its first block)
that hold exactly the words of such a paragraph of the page (`trailing_note_reason` decides;
`italic_paragraphs` finds the page's italic-only paragraphs). An italic paragraph inside the
story, or at its start (a standfirst is often set in italics), stays.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from newsdesk.extract.decision import folded_words

# Paragraphs holding an emphasis element; italic_only decides whether it holds all the text.
ITALIC_XPATH = etree.XPath("//p[em or i]")
ITALIC_TAGS = frozenset({"em", "i"})
# A note is a sentence or two: shorter ones are sign-offs, longer ones text of the story.
MIN_NOTE_WORDS = 4
MAX_NOTE_WORDS = 80
# At most this many notes are read off the body's end.
MAX_TRAILING_NOTES = 2


def italic_only(paragraph: etree._Element) -> bool:
    """Whether all of a paragraph's text is inside its emphasis children (line breaks aside):
    one `<em>`, or several when an editor set each line of a note in its own."""
    children = [child for child in paragraph if isinstance(child.tag, str) and child.tag != "br"]
    if not children or any(child.tag not in ITALIC_TAGS for child in children):
        return False
    loose = (paragraph.text or "") + "".join(child.tail or "" for child in paragraph)
    return not loose.strip()


def italic_paragraphs(tree: HtmlElement) -> set[tuple[str, ...]]:
    """Folded words of the page's paragraphs set wholly in italics."""
    return {
        tuple(folded_words(paragraph.text_content()))
        for paragraph in ITALIC_XPATH(tree)
        if italic_only(paragraph)
    }


def trailing_note_reason(words: tuple[str, ...], italics: set[tuple[str, ...]]) -> tuple[bool, str]:
    """Whether one of the body's last blocks is a note set in italics, and why."""
    if words not in italics:
        return False, "not an italic-only paragraph of the page"
    if len(words) < MIN_NOTE_WORDS:
        return False, "too short for a note"
    if len(words) > MAX_NOTE_WORDS:
        return False, "too long for a note"
    return True, "an italic-only paragraph at the body's end"
