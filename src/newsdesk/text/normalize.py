"""Text normalisation: markup stripped from text, word tokens, and the typographic folding
that tells two copies of one text apart from two texts."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Comments, script and style elements with their content, and tags (bounded, so that a stray
# "<" in text is not the start of a megabyte-long "tag").
MARKUP = re.compile(
    r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|</?[a-zA-Z][^<>]{0,2000}>", re.S | re.I
)
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\W_]+")

# Characters a reader never sees that still split a word for a pattern or a tokenizer
# ("Mat\u00adthi\u00adas"): soft hyphen, zero-width space, zero-width non-joiner and joiner,
# word joiner, byte-order mark.
INVISIBLE_CHARACTERS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Typographic variants that differ between copies of one text (CMS "smart" quotes, dash styles).
_CHARACTER_MAP = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        **dict.fromkeys(INVISIBLE_CHARACTERS),
    }
)
_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE_CHARACTERS))


def strip_markup(text: str) -> str:
    """Plain text from text that may carry HTML remnants: tags, comments, scripts, entities;
    white space collapsed."""
    if "<" in text:
        text = MARKUP.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return _SPACE.sub(" ", text).strip()


def mask_markup(text: str) -> str:
    """Markup replaced by as many spaces, so offsets into the result are offsets into text."""
    if "<" not in text:
        return text
    return MARKUP.sub(lambda m: " " * len(m.group(0)), text)


def strip_invisible(text: str) -> str:
    """text without INVISIBLE_CHARACTERS: the form in which patterns and word tokens should see
    a line. (No-break spaces need no mapping: ``str.split`` and ``\\s`` take them as spaces.)"""
    return text.translate(_INVISIBLE)


def tokens(text: str) -> list[str]:
    """Word tokens as written (case kept); hyphens and apostrophes separate words."""
    return _TOKEN.findall(text)


def token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the words ``tokens`` returns, in the same order."""
    return [match.span() for match in _TOKEN.finditer(text)]


@lru_cache(maxsize=1 << 16)  # called for every word of every text; vocabularies repeat
def fold(token: str) -> str:
    """Case- and plural-folded form of a word, as taxonomy terms and TF-IDF vectors match."""
    word = token.casefold()
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def normalize_text(text: str) -> str:
    """Text reduced to what two copies of one article share.

    Unicode NFKC, typographic quotes and dashes made plain, invisible characters dropped,
    case folded, and every run of whitespace made one space.
    """
    text = unicodedata.normalize("NFKC", text).translate(_CHARACTER_MAP).casefold()
    return _SPACE.sub(" ", text).strip()


def shorten(text: str, limit: int) -> str:
    """text in at most ``limit`` characters: whole when it fits, else cut at the last word
    boundary with "…", without a comma, colon or dash left dangling before it ("in Andover,…")."""
    if len(text) <= limit:
        return text
    head = text[: max(0, limit - 1)]
    # Keep the head whole when it ends on a whole word, or is one word cut short.
    whole = text[len(head)].isspace() or " " not in head
    cut = head if whole else head.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"
