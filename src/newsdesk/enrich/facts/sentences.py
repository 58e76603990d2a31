"""Sentence splitting that respects abbreviations (Inc., U.S., No.), initials and decimals."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A full stop, ?, or ! (with closing quotes/brackets) and then space before a likely sentence
# start; or a line break. Decimals ("74.89") never match: no space follows their point.
_BOUNDARY = re.compile(r"[.!?]+['\"”’)\]]*[ \t]+(?=['\"“‘(\[]?[A-Z0-9])|\n\s*")
_WORD_BEFORE = re.compile(r"([\w.&-]+)$")
ABBREVIATIONS = frozenset(
    "inc corp ltd co plc llc mr ms mrs dr prof st no nos vs etc approx est dept gov sen rep "
    "gen col lt sgt jr sr fig al ave jan feb mar apr jun jul aug sep sept oct nov dec mt ft "
    "u.s u.k e.u u.n u.s.a e.g i.e p.m a.m".split()
)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with offsets: ``text[s.start:s.end] == s.text``, trimmed."""
    sentences: list[Sentence] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        if boundary.group(0)[0] == "." and _is_abbreviation(text, boundary.start()):
            continue
        end = boundary.start() + len(boundary.group(0).rstrip())
        _append(sentences, text, start, end)
        start = boundary.end()
    _append(sentences, text, start, len(text))
    return sentences


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _WORD_BEFORE.search(text, max(0, dot - 40), dot)
    if word is None:
        return False
    token = word.group(1).rsplit("-", 1)[-1].casefold()
    if token in ABBREVIATIONS:
        return True
    # an initial ("J. Smith") or a dotted acronym ("U.S", "N.V")
    return (len(token) == 1 and token.isalpha()) or bool(re.fullmatch(r"(?:\w\.)+\w", token))


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(text[start:end], start, end))
