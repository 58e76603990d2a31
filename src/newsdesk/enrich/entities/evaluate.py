"""Precision and recall of entity mentions against hand-labelled text.

A gold file is JSON lines: ``{"id", "text", "title"?, "mentions": [[entity_id, surface], ...]}``
with mentions listed in text order; each surface is located as its first whole-word occurrence
after the end of the mention before it. A predicted mention counts as correct only when both its
entity id and its exact span agree with a gold mention.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsdesk.enrich.entities.extract import extract_entities
from newsdesk.enrich.entities.gazetteer import Gazetteer
from newsdesk.enrich.entities.model import EntityOptions, entity_type_of


@dataclass(frozen=True)
class GoldDoc:
    id: str
    text: str
    mentions: tuple[tuple[str, int, int], ...]  # (entity id, start, end)
    title: str = ""


@dataclass
class MentionScores:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def parse_gold(lines: Iterable[str]) -> list[GoldDoc]:
    """Gold documents from JSON lines; ValueError names the line that cannot be used."""
    docs: list[GoldDoc] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            docs.append(_gold_doc(raw))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"gold line {number}: {exc}") from exc
    return docs


def _gold_doc(raw: dict[str, object]) -> GoldDoc:
    text = str(raw["text"])
    cursor = 0
    spans: list[tuple[str, int, int]] = []
    mentions = raw["mentions"]
    if not isinstance(mentions, list):
        raise TypeError("mentions must be a list of [entity_id, surface]")
    for entity_id, surface in mentions:
        pattern = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)")
        found = pattern.search(text, cursor)
        if found is None:
            raise ValueError(f"{surface!r} does not occur (again) in {raw['id']}")
        entity_type_of(entity_id)  # rejects ids without a known type prefix
        spans.append((entity_id, found.start(), found.end()))
        cursor = found.end()
    return GoldDoc(
        id=str(raw["id"]), text=text, mentions=tuple(spans), title=str(raw.get("title", ""))
    )


def score_mentions(
    docs: Sequence[GoldDoc], *, gazetteer: Gazetteer, options: EntityOptions
) -> dict[str, MentionScores]:
    """Scores over all mentions (key "all") and per entity type."""
    scores: dict[str, MentionScores] = {"all": MentionScores()}
    for doc in docs:
        result = extract_entities(doc.title, doc.text, gazetteer=gazetteer, options=options)
        predicted = {(m.entity_id, m.start, m.end) for m in result.mentions if m.field == "text"}
        gold = set(doc.mentions)
        for entity_id, _, _ in predicted & gold:
            _count(scores, entity_id, "true_positives")
        for entity_id, _, _ in predicted - gold:
            _count(scores, entity_id, "false_positives")
        for entity_id, _, _ in gold - predicted:
            _count(scores, entity_id, "false_negatives")
    return scores


def _count(scores: dict[str, MentionScores], entity_id: str, outcome: str) -> None:
    for key in ("all", entity_type_of(entity_id)):
        bucket = scores.setdefault(key, MentionScores())
        setattr(bucket, outcome, getattr(bucket, outcome) + 1)


def mismatches(
    doc: GoldDoc, *, gazetteer: Gazetteer, options: EntityOptions
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(missed, spurious) mentions of one document as (entity id, text): for error analysis."""
    result = extract_entities(doc.title, doc.text, gazetteer=gazetteer, options=options)
    predicted = {(m.entity_id, m.start, m.end) for m in result.mentions if m.field == "text"}
    gold = set(doc.mentions)
    missed = sorted((i, doc.text[s:e]) for i, s, e in gold - predicted)
    spurious = sorted((i, doc.text[s:e]) for i, s, e in predicted - gold)
    return missed, spurious
