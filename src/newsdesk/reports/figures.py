"""Which figures a report may state: only those in a stored fact of the articles it cites.

A figure is a run of digits (with its separators). A sentence taken from an article (a story
summary, a title) may be used as it stands only when every figure in it is also in a fact
stored for the articles cited with it; otherwise its unbacked figures are cut ("…").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
REDACTED = "…"


def normalise(token: str) -> str:
    """ "1,000" and "1000" alike; "6,5" (decimal comma) as "6.5"; leading zeros kept."""
    parts = re.split(r"[.,]", token)
    if len(parts) == 1:
        return token
    separators = re.findall(r"[.,]", token)
    groups = parts[1:]
    if all(len(group) == 3 for group in groups) and len(set(separators)) == 1 and len(parts) > 2:
        return "".join(parts)  # 1,000,000 or 1.000.000
    if len(separators) == 1 and len(groups[0]) == 3 and separators[0] == ",":
        return "".join(parts)  # 1,000
    head = "".join(parts[:-1])
    return f"{head}.{parts[-1]}"


def figures(text: str) -> set[str]:
    return {normalise(token) for token in FIGURE.findall(text)}


def fact_figures(sentences: Iterable[str], data: Iterable[dict[str, object]] = ()) -> set[str]:
    """Every figure of these fact sentences and of the facts' stored fields."""
    found: set[str] = set()
    for sentence in sentences:
        found |= figures(sentence)
    for record in data:
        found |= figures(json.dumps(record, ensure_ascii=False, default=str))
    return found


def backed(text: str, allowed: set[str]) -> bool:
    return figures(text) <= allowed


def redact(text: str, allowed: set[str]) -> str:
    """text with each figure that is not in allowed replaced by "…"."""
    return FIGURE.sub(lambda m: m.group(0) if normalise(m.group(0)) in allowed else REDACTED, text)
