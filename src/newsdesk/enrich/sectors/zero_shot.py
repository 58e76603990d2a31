"""Zero-shot sector scores from the taxonomy alone: weighted term and entity evidence.

Every taxonomy term and entity alias that occurs in the title or text adds its weight to the
sectors it points at: a title hit counts ``title_weight`` times, repeated body hits grow
logarithmically. The evidence total is then discounted for sectors that are only a side note
of the article (their evidence is small next to the article's main sector) and mapped through a
logistic curve whose midpoint, ``threshold``, is the score 0.5.

Only the terms of the document's language apply (plus entity names, which are written the
same in every language), so a text in a language without taxonomy terms gets no confident
label from nothing.

With an embedder (the optional extra), the cosine between the article and each sector's text
is one more evidence source: ``semantic_weight`` units per unit of similarity above
``semantic_neutral`` (below it, evidence is taken away).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from newsdesk.enrich.sectors.model import SectorScore
from newsdesk.enrich.sectors.taxonomy import Taxonomy
from newsdesk.text.normalize import fold, tokens


@dataclass(frozen=True)
class ZeroShotOptions:
    threshold: float = 3.0  # evidence total that scores 0.5
    slope: float = 1.0  # evidence units per e-fold of the odds around the threshold
    title_weight: float = 2.0  # a title hit counts this many body hits
    side_note_power: float = 1.0  # how hard a sector far behind the leading one is discounted
    explanation_terms: int = 5
    semantic_weight: float = 12.0  # evidence units per unit of cosine above the neutral point
    semantic_neutral: float = 0.2  # MiniLM cosine of an article with an unrelated sector


@dataclass(frozen=True)
class _Cue:
    """One matchable phrase and what it is evidence for."""

    label: str  # how the explanation names it
    sectors: tuple[tuple[str, float], ...]  # (sector id, weight)


@dataclass(frozen=True)
class _CueTable:
    # key: tuple of tokens (folded, or as written for case-sensitive cues) -> cue
    folded: dict[tuple[str, ...], _Cue]
    exact: dict[tuple[str, ...], _Cue]
    folded_starts: frozenset[str]
    exact_starts: frozenset[str]
    longest: int


@dataclass(frozen=True)
class SectorEvidence:
    sector_id: str
    total: float  # evidence after the side-note discount
    hits: tuple[tuple[str, int, float], ...]  # (label, count, contribution), largest first


def zero_shot_scores(
    title: str,
    text: str,
    *,
    language: str | None,
    taxonomy: Taxonomy,
    options: ZeroShotOptions,
    similarities: Mapping[str, float] | None = None,
) -> list[SectorScore]:
    """A score for every sector of the taxonomy, in taxonomy order; ``similarities`` (sector
    id -> embedding cosine) blend in when given."""
    evidence = sector_evidence(title, text, language=language, taxonomy=taxonomy, options=options)
    if similarities is None:
        return [
            SectorScore(
                id=sector_id,
                score=calibrate(evidence[sector_id].total, options),
                explanation=explain(evidence[sector_id], options.explanation_terms),
            )
            for sector_id in taxonomy.ids
        ]
    return [
        _with_semantic(evidence[sector_id], similarities.get(sector_id, 0.0), options)
        for sector_id in taxonomy.ids
    ]


def _with_semantic(
    evidence: SectorEvidence, similarity: float, options: ZeroShotOptions
) -> SectorScore:
    semantic = options.semantic_weight * (similarity - options.semantic_neutral)
    terms = explain(evidence, options.explanation_terms)
    note = f"semantic similarity {similarity:.2f}"
    return SectorScore(
        id=evidence.sector_id,
        score=calibrate(evidence.total + semantic, options),
        explanation=f"{terms}, {note}" if terms else note,
    )


def calibrate(total: float, options: ZeroShotOptions) -> float:
    if total <= 0:
        return 0.0
    odds = (total - options.threshold) / options.slope
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, odds))))


def explain(evidence: SectorEvidence, limit: int) -> str:
    parts = [
        label if count == 1 else f"{label} ×{count}" for label, count, _ in evidence.hits[:limit]
    ]
    return ", ".join(parts)


def sector_evidence(
    title: str,
    text: str,
    *,
    language: str | None,
    taxonomy: Taxonomy,
    options: ZeroShotOptions,
) -> dict[str, SectorEvidence]:
    table = _cue_table(taxonomy, language)
    title_counts = _count_cues(tokens(title), table)
    body_counts = _count_cues(tokens(text), table)
    contributions: dict[str, dict[str, tuple[int, float]]] = defaultdict(dict)
    for cue in set(title_counts) | set(body_counts):
        in_title = title_counts.get(cue, 0)
        in_body = body_counts.get(cue, 0)
        strength = options.title_weight * min(in_title, 1) + (
            1.0 + math.log(in_body) if in_body else 0.0
        )
        for sector_id, weight in cue.sectors:
            contributions[sector_id][cue.label] = (in_title + in_body, weight * strength)
    raw = {s: sum(c for _, c in contributions[s].values()) for s in taxonomy.ids}
    leading = max(raw.values(), default=0.0)
    result: dict[str, SectorEvidence] = {}
    for sector_id in taxonomy.ids:
        share = raw[sector_id] / leading if leading > 0 else 0.0
        hits = sorted(
            (
                (label, count, contribution)
                for label, (count, contribution) in contributions[sector_id].items()
            ),
            key=lambda hit: (-hit[2], hit[0]),
        )
        result[sector_id] = SectorEvidence(
            sector_id=sector_id,
            total=raw[sector_id] * share**options.side_note_power,
            hits=tuple(hits),
        )
    return result


def _count_cues(words: list[str], table: _CueTable) -> dict[_Cue, int]:
    counts: dict[_Cue, int] = defaultdict(int)
    folded = [fold(w) for w in words]
    for sequence, cues, starts in (
        (folded, table.folded, table.folded_starts),
        (words, table.exact, table.exact_starts),
    ):
        for i, word in enumerate(sequence):
            if word not in starts:
                continue
            for n in range(min(table.longest, len(sequence) - i), 0, -1):
                cue = cues.get(tuple(sequence[i : i + n]))
                if cue is not None:
                    counts[cue] += 1
                    break  # the longest phrase starting here wins: "crude oil" not also "oil"
    return counts


_TABLES: dict[tuple[str, str | None], _CueTable] = {}


def _cue_table(taxonomy: Taxonomy, language: str | None) -> _CueTable:
    key = (taxonomy.digest, language)
    table = _TABLES.get(key)
    if table is None:
        if len(_TABLES) > 32:
            _TABLES.clear()
        table = _TABLES[key] = _build_cue_table(taxonomy, language)
    return table


def _build_cue_table(taxonomy: Taxonomy, language: str | None) -> _CueTable:
    # undetermined language (short text): every language's terms may apply
    languages = sorted(taxonomy.languages) if language is None else [language]
    per_key: dict[tuple[str, ...], tuple[str, dict[str, float]]] = {}
    for sector in taxonomy.sectors:
        for lang in languages:
            for term, weight in sector.terms.get(lang, ()):
                key = tuple(fold(w) for w in tokens(term))
                _, weights = per_key.setdefault(key, (term, {}))
                weights[sector.id] = max(weights.get(sector.id, 0.0), weight)
    folded = {key: _Cue(label, tuple(sorted(w.items()))) for key, (label, w) in per_key.items()}
    exact: dict[tuple[str, ...], _Cue] = {}
    for entity in taxonomy.entities:
        # one organisation is named by its entity name; a group ("miners") by the alias met
        single = entity.name in entity.aliases
        for alias in entity.aliases:
            label = entity.name if single else alias
            cue = _Cue(label, tuple((s, entity.weight) for s in entity.sectors))
            if entity.match_case:
                exact[tuple(tokens(alias))] = cue
            else:
                folded[tuple(fold(w) for w in tokens(alias))] = cue
    keys = list(folded) + list(exact)
    return _CueTable(
        folded=folded,
        exact=exact,
        folded_starts=frozenset(k[0] for k in folded if k),
        exact_starts=frozenset(k[0] for k in exact if k),
        longest=max((len(k) for k in keys), default=1),
    )
