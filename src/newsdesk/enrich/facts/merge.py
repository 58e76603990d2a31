"""The same fact reported by several articles becomes one fact with several sources."""

from __future__ import annotations

from collections.abc import Iterable

from newsdesk.enrich.facts.model import Fact, FactSource, MergedFact


def merge_facts(facts: Iterable[Fact]) -> list[MergedFact]:
    """Facts grouped by ``key`` in first-seen order; each source appears once."""
    first: dict[str, Fact] = {}
    sources: dict[str, list[FactSource]] = {}
    for fact in facts:
        first.setdefault(fact.key, fact)
        source = FactSource(fact.article_id, fact.sentence, fact.start, fact.end)
        bucket = sources.setdefault(fact.key, [])
        if source not in bucket:
            bucket.append(source)
    return [MergedFact(fact=fact, sources=tuple(sources[key])) for key, fact in first.items()]
