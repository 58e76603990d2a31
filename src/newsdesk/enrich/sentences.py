"""Sentences from article text: paragraphs, HTML remnants removed, abbreviation-aware splitting.

The splitter is a rule set, not a model: a boundary is terminal punctuation (with any closing
quotes or brackets) followed by white space and a word that does not start in lower case; it
is not a boundary after a title (Mr., Dr.), an initial (J.), a number label (No. 5), a Latin
abbreviation (e.g.) or, unless the next word plainly starts a sentence, after a company suffix
or dotted acronym (Inc., U.S.). Decimals (74.89) never split because no space follows the dot.
CJK full stops split without a following space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsdesk.enrich.text_prep import strip_markup

_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|br|div|h[1-6]|li|ul|ol|tr|table|blockquote|section|article|header|footer)"
    r"\b[^<>]{0,2000}>",
    re.I,
)
_PARAGRAPH = re.compile(r"[^\n]+")
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|[。！？]+[」』”’)）]*")
_OPENERS = "([\"'“‘«\t"
_NEXT_WORD = re.compile(r"\s*(\S+)")
_DOTTED_ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")

# Abbreviations after which a full stop never ends a sentence.
_ALWAYS_TEXT = (
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st mt ft rev hon pres supt "
    "e.g i.e cf vs viz approx fig figs est dept univ assn ave blvd"
)
# ... never before a number ("No. 5", "Jan. 12", "Art. 3").
_BEFORE_NUMBER_TEXT = (
    "no nos art sec vol pp p ch para jan feb mar apr jun jul aug sep sept oct nov dec"
)
# ... only when the next word does not plainly start a new sentence.
_SOFT_TEXT = "inc ltd corp co plc llc bros jr sr etc a.m p.m al"
_SENTENCE_STARTERS_TEXT = (
    "the a an it its he she they we i you this that these those there in on at but and or so "
    "however meanwhile while when if for his her their our as after before since analysts "
    "officials shares investors last next yet still such some many most both each"
)
_ALWAYS = frozenset(_ALWAYS_TEXT.split())
_BEFORE_NUMBER = frozenset(_BEFORE_NUMBER_TEXT.split())
_SOFT = frozenset(_SOFT_TEXT.split())
_SENTENCE_STARTERS = frozenset(_SENTENCE_STARTERS_TEXT.split())
_MAX_SENTENCE_CHARS = 2000  # a "sentence" longer than this is split at the cap


def iter_paragraphs(text: str) -> Iterator[str]:
    """Plain-text paragraphs: block tags and line breaks separate them, markup is removed."""
    if "<" in text:
        text = _BLOCK_TAG.sub("\n", text)
    for match in _PARAGRAPH.finditer(text):
        block = match.group()
        block = strip_markup(block) if "<" in block or "&" in block else " ".join(block.split())
        if block:
            yield block.removeprefix("## ").removeprefix("# ")


def paragraphs(text: str) -> list[str]:
    """All of ``iter_paragraphs``."""
    return list(iter_paragraphs(text))


def _is_boundary(text: str, punct_start: int, punct: str, next_word: str) -> bool:
    if not next_word:
        return True
    first = next_word[0]
    if first.islower():
        return False
    if not punct.startswith(".") or punct.startswith(".."):
        return True
    token_start = max(text.rfind(" ", 0, punct_start), text.rfind("\n", 0, punct_start)) + 1
    token = text[token_start:punct_start].lstrip(_OPENERS)
    if not token:
        return True
    lowered = token.casefold()
    starter = next_word.strip("\"'“‘«(").casefold() in _SENTENCE_STARTERS
    if lowered in _ALWAYS:
        return False
    if lowered in _BEFORE_NUMBER and first.isdigit():
        return False
    if len(token) == 1 and token.isalpha() and token.isupper():
        return starter  # an initial, as in "J. Smith", unless a sentence plainly follows
    if lowered in _SOFT or _DOTTED_ACRONYM.match(token):
        return starter
    return True


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one plain-text paragraph, verbatim (white space trimmed)."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end()
        following = _NEXT_WORD.match(paragraph, end)
        next_word = following.group(1) if following else ""
        if match.group().startswith(("。", "！", "？")) or _is_boundary(
            paragraph, match.start(), match.group(), next_word
        ):
            sentence = paragraph[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = end
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return [piece for sentence in sentences for piece in _cap(sentence)]


def _cap(sentence: str) -> list[str]:
    if len(sentence) <= _MAX_SENTENCE_CHARS:
        return [sentence]
    return [
        sentence[i : i + _MAX_SENTENCE_CHARS].strip()
        for i in range(0, len(sentence), _MAX_SENTENCE_CHARS)
    ]


def ends_like_sentence(sentence: str) -> bool:
    """Whether the text ends with terminal punctuation (headings and captions usually do not)."""
    return bool(re.search(r"[.!?…。！？][\"'”’»)\]」』）]*$", sentence))
