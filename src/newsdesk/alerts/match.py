"""Percolation: one article against every alert, through an index (pure).

Alerts are indexed by what an article must have: an entity alert by its entity, a sector
alert by its sector, a fact alert by its fact type, a saved search by its rarest-looking word
(its longest: every word must match, so one is enough to find the candidates). An article
looks up its entities, sectors, fact types and words, and only those candidates are checked
in full. Matching 10,000 alerts costs a few dictionary look-ups per word of the article, not
10,000 checks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsdesk.domain.alerts import Alert, AlertKind, FactConstraint, PercolationDoc

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 10


def query_words(query: str) -> tuple[str, ...]:
    """The words a saved search needs, lower-cased, each once (at most MAX_QUERY_WORDS)."""
    words = [w.lower() for w in _WORD.findall(query) if w.strip("_")]
    return tuple(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def document_terms(*texts: str) -> frozenset[str]:
    return frozenset(w.lower() for text in texts for w in _WORD.findall(text))


def _entity_ids(data: dict[str, object]) -> set[str]:
    found: set[str] = set()
    for value in data.values():
        values = value if isinstance(value, list) else [value]
        found.update(v for v in values if isinstance(v, str))
    return found


def fact_matches(
    constraint: FactConstraint, facts: Iterable[tuple[str, dict[str, object]]]
) -> bool:
    """Some fact of the type involves every entity the constraint names."""
    wanted = set(constraint.involving)
    return any(kind == constraint.fact_type and wanted <= _entity_ids(data) for kind, data in facts)


def alert_matches(alert: Alert, doc: PercolationDoc) -> bool:
    """The full check of one alert against one article."""
    if alert.kind is AlertKind.ENTITY:
        return bool(alert.entity_ids) and set(alert.entity_ids) <= doc.entity_ids
    if alert.kind is AlertKind.SECTOR:
        return bool(alert.sectors) and bool(set(alert.sectors) & doc.sectors)
    if alert.kind is AlertKind.FACT:
        return alert.fact is not None and fact_matches(alert.fact, doc.facts)
    words = query_words(alert.query)
    if not words or not set(words) <= doc.terms:
        return False
    if alert.sectors and not set(alert.sectors) & doc.sectors:
        return False
    return set(alert.entity_ids) <= doc.entity_ids


@dataclass(frozen=True, slots=True)
class _Query:
    """A saved search prepared once: its words and filters as sets."""

    alert: Alert
    words: frozenset[str]
    sectors: frozenset[str]
    entity_ids: frozenset[str]

    def matches(self, doc: PercolationDoc) -> bool:
        return (
            self.words <= doc.terms
            and (not self.sectors or not self.sectors.isdisjoint(doc.sectors))
            and self.entity_ids <= doc.entity_ids
        )


@dataclass
class AlertIndex:
    """Alerts by the key an article must carry for them to be candidates. An entity or sector
    alert is matched by its key alone; fact alerts and saved searches are checked in full."""

    by_entity: dict[str, list[Alert]] = field(default_factory=lambda: defaultdict(list))
    by_sector: dict[str, list[Alert]] = field(default_factory=lambda: defaultdict(list))
    by_fact: dict[str, list[Alert]] = field(default_factory=lambda: defaultdict(list))
    by_word: dict[str, list[_Query]] = field(default_factory=lambda: defaultdict(list))
    size: int = 0

    @classmethod
    def build(cls, alerts: Iterable[Alert]) -> AlertIndex:
        index = cls()
        for alert in alerts:
            index.add(alert)
        return index

    def add(self, alert: Alert) -> None:
        if alert.id is None:
            return
        if alert.kind is AlertKind.ENTITY and len(alert.entity_ids) == 1:
            self.by_entity[alert.entity_ids[0]].append(alert)
        elif alert.kind is AlertKind.SECTOR and alert.sectors:
            for sector in dict.fromkeys(alert.sectors):
                self.by_sector[sector].append(alert)
        elif alert.kind is AlertKind.FACT and alert.fact is not None:
            # by the type and the first entity it must involve (or the type alone)
            key = alert.fact.fact_type + "\x00" + (alert.fact.involving or ("",))[0]
            self.by_fact[key].append(alert)
        elif alert.kind is AlertKind.QUERY:
            words = query_words(alert.query)
            if not words:
                return
            query = _Query(
                alert, frozenset(words), frozenset(alert.sectors), frozenset(alert.entity_ids)
            )
            self.by_word[max(words, key=lambda w: (len(w), w))].append(query)
        else:
            return
        self.size += 1

    def match(self, doc: PercolationDoc) -> list[Alert]:
        """Every alert the article matches, by id (each once)."""
        found: dict[int, Alert] = {}
        for entity_id in doc.entity_ids:
            for alert in self.by_entity.get(entity_id, ()):
                found[alert.id or 0] = alert
        for sector in doc.sectors:
            for alert in self.by_sector.get(sector, ()):
                found[alert.id or 0] = alert
        if doc.facts and self.by_fact:
            stated = [(kind, _entity_ids(data)) for kind, data in doc.facts]
            keys = {kind + "\x00" + entity for kind, named in stated for entity in (*named, "")}
            for key in keys:
                for alert in self.by_fact.get(key, ()):
                    fact = alert.fact
                    if fact is not None and any(
                        kind == fact.fact_type and set(fact.involving) <= named
                        for kind, named in stated
                    ):
                        found[alert.id or 0] = alert
        by_word = self.by_word
        for term in doc.terms:
            for query in by_word.get(term, ()):
                if query.matches(doc):
                    found[query.alert.id or 0] = query.alert
        return [found[alert_id] for alert_id in sorted(found)]
