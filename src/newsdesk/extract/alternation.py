"""Deciding whether a big regular-expression alternation matches a text, faster than one search.

A boilerplate rule is one pattern joined from many alternatives, some anchored at the text's
start (`^sign\\s+up\\b`) and some not (`subscribe\\s+(?:to|now)`). `re.search` on the joined
pattern tries every alternative at every position of the text. `AnyOf` gives the same yes or no
from the same source: the anchored alternatives are tried once, at the start; an unanchored one
that must begin with a fixed string is only searched when the text contains that string; the
rest are searched together as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# Characters with a meaning of their own in a pattern (outside a character class).
_SPECIAL = frozenset("\\.^$*+?{}[]|()")
_QUANTIFIERS = frozenset("?*+{")
# Constructs that tie one alternative to another (a back reference, a conditional): splitting
# would change what they mean, so such a pattern is searched whole.
_CROSS_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, character) of the pattern's characters from `start` that are neither escaped
    nor inside a character class: where groups open and close and alternatives split."""
    index = start
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index += 1
            if pattern[index : index + 1] == "^":
                index += 1
            if pattern[index : index + 1] == "]":  # a "]" first in a class is a literal
                index += 1
            continue
        else:
            yield index, char
        index += 1


def _closing_paren(pattern: str, start: int) -> int:
    """Index of the ")" that closes the group opened at `start`, or -1."""
    depth = 0
    for index, char in _structure(pattern, start):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return -1


def top_level_alternatives(pattern: str) -> list[str]:
    """The pattern's alternatives at its top level, in order: "|".join of them is the pattern.

    A "|" inside a group, a character class or after a backslash does not split."""
    parts = []
    depth = 0
    begin = 0
    for index, char in _structure(pattern):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[begin:index])
            begin = index + 1
    parts.append(pattern[begin:])
    return parts


def _literal_prefix(pattern: str) -> str:
    """The fixed string every match of `pattern` starts with (after a leading \\b), or ""."""
    while pattern.startswith(r"\b"):
        pattern = pattern[2:]
    end = 0
    while end < len(pattern) and pattern[end] not in _SPECIAL:
        end += 1
    if end < len(pattern) and pattern[end] in _QUANTIFIERS:
        end -= 1  # the last character is optional or repeated
    return pattern[: max(end, 0)]


def required_starts(alternative: str) -> tuple[str, ...]:
    """Fixed strings one of which every match of an (unanchored) alternative starts with, or
    () when there are none to tell: "newsletter\\b.*" gives ("newsletter",), "(?:rss|feed)\\S*"
    gives ("rss", "feed")."""
    while alternative.startswith(r"\b"):
        alternative = alternative[2:]
    if alternative.startswith("(?:"):
        close = _closing_paren(alternative, 0)
        if close < 0 or alternative[close + 1 : close + 2] in _QUANTIFIERS:
            return ()  # an optional or repeated group need not start the match
        inner = top_level_alternatives(alternative[3:close])
        starts = tuple(_literal_prefix(part) for part in inner)
        return starts if all(starts) else ()
    prefix = _literal_prefix(alternative)
    return (prefix,) if prefix else ()


class AnyOf:
    """Whether `re.search(pattern, text)` finds a match, from the pattern's source, faster."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        parts = [pattern] if _CROSS_REFERENCE.search(pattern) else top_level_alternatives(pattern)
        anchored = [part for part in parts if part.startswith("^")]
        guarded: list[tuple[str, re.Pattern[str]]] = []
        rest: list[str] = []
        for part in parts:
            if part.startswith("^"):
                continue
            starts = required_starts(part)
            if starts:
                compiled = re.compile(part)
                guarded.extend((start, compiled) for start in starts)
            else:
                rest.append(part)
        # Without MULTILINE a "^" only matches at the start: match there is search anywhere.
        self._anchored = re.compile("|".join(anchored)) if anchored else None
        self._guarded = tuple(guarded)
        self._rest = re.compile("|".join(rest)) if rest else None

    def search(self, text: str) -> bool:
        if self._anchored is not None and self._anchored.match(text):
            return True
        for start, compiled in self._guarded:  # a plain loop: a generator per text costs more
            if start in text and compiled.search(text):
                return True
        return self._rest is not None and self._rest.search(text) is not None

    @property
    def finder(self) -> Callable[[str], object]:
        """A function whose result is truthy exactly when `search` is True: one compiled
        pattern's own method when a single one does the work (no Python-level call on top)."""
        if not self._guarded:
            if self._rest is None and self._anchored is not None:
                return self._anchored.match
            if self._anchored is None and self._rest is not None:
                return self._rest.search
        return self.search
