"""Zero-shot sector scores from the taxonomy alone: weighted term, entity and event evidence.

Every taxonomy term and entity alias that occurs in the title or text adds its weight to the
sectors it points at, and so does every event pattern whose word groups all occur in one
sentence: a title hit counts ``title_weight`` times, repeated body hits grow logarithmically.
The evidence total is then discounted for sectors that are only a side note of the
article (their evidence is small next to the leading industry's): an industry by its share of
the leader's evidence to the power ``side_note_power``; cross-cutting sectors (a deal, a rule),
aspects of a story of any industry, less (``cross_cutting_power``, never below
``cross_cutting_floor``); a sector's own ``side_note_power`` in the taxonomy wins, and its
``title_share_floor`` (if set) is the least share counted when the title carries some of its
evidence ("EU fines ...": the headline says the story is about the rule), its
``title_event_floor`` the same when the title carries one of its terms or events of weight
``title_event_weight`` or more ("Satellite operator completes takeover of rival"). A logistic
curve maps the total to a score, 0.5 at the sector's threshold (``threshold`` in the taxonomy,
else the options').

Only the terms and patterns of the document's language apply (plus entity names, which are
written the same in every language), so a text in a language without taxonomy terms gets no
confident label from nothing. Terms in scripts written without spaces (Japanese, Chinese) are
matched as substrings. A one-word, case-sensitive entity name that is part of a longer proper
name ("Ebbw Vale", "the Vale of Glamorgan") is not the entity, and a currency word right after
an amount ("2.95 billion euros", the taxonomy's ``[amounts]``) measures money: it is not
evidence of currency news.

With an embedder (the optional extra), the cosine between the article and each sector's text
is one more evidence source: ``semantic_weight`` units per unit of similarity above
``semantic_neutral`` (below it, evidence is taken away).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsdesk.enrich.sectors.model import SectorScore
from newsdesk.enrich.sectors.taxonomy import ORGANISATION, EventPattern, Sector, Taxonomy
from newsdesk.text.normalize import fold, token_spans, tokens


@dataclass(frozen=True)
class ZeroShotOptions:
    threshold: float = 3.0  # evidence total that scores 0.5 (a sector's own threshold wins)
    slope: float = 1.0  # evidence units per e-fold of the odds around the threshold
    title_weight: float = 2.0  # a title hit counts this many body hits
    side_note_power: float = 1.5  # how hard an industry far behind the leading one is discounted
    cross_cutting_power: float = 1.0  # the same for cross-cutting sectors
    cross_cutting_lead: float = 0.5  # how much a cross-cutting sector's evidence counts as leading
    cross_cutting_floor: float = 0.25  # a cross-cutting sector is discounted to no less than this
    explanation_terms: int = 5
    semantic_weight: float = 12.0  # evidence units per unit of cosine above the neutral point
    semantic_neutral: float = 0.2  # MiniLM cosine of an article with an unrelated sector


@dataclass(frozen=True, eq=False)  # counted in dicts by identity: one object per cue
class _Cue:
    """One matchable phrase (or event pattern) and what it is evidence for."""

    label: str  # how the explanation names it
    sectors: tuple[tuple[str, float], ...]  # (sector id, weight)
    name: bool = False  # an entity's name (who), not a term or pattern (what happens)


@dataclass(frozen=True)
class _Group:
    """One word group of a pattern: any of its words, phrases or an organisation's name."""

    words: frozenset[str]  # folded single words
    phrases: tuple[str, ...]  # folded multi-word phrases, space-joined
    organisation: bool
    padded: tuple[str, ...]  # the phrases with a space either side, as sentences are read


@dataclass(frozen=True)
class _Pattern:
    cue: _Cue
    triggers: frozenset[str]  # folded first words of the first group: a cheap pre-filter
    groups: tuple[_Group, ...]


@dataclass(frozen=True)
class _CueTable:
    # key: tuple of tokens (folded, or as written for case-sensitive cues) -> cue
    folded: dict[tuple[str, ...], _Cue]
    exact: dict[tuple[str, ...], _Cue]
    # first word -> the lengths of the phrases that start with it, longest first
    folded_starts: dict[str, tuple[int, ...]]
    exact_starts: dict[str, tuple[int, ...]]
    substrings: tuple[tuple[str, _Cue], ...]  # unspaced-script terms, casefolded
    patterns: tuple[_Pattern, ...]
    triggers: frozenset[str]  # every pattern's triggers: no sentence pass without one
    # trigger word -> the indexes in ``patterns`` of the patterns it triggers, ascending
    by_trigger: dict[str, tuple[int, ...]]
    units: frozenset[str]  # folded currency words that count nothing right after an amount
    magnitudes: frozenset[str]  # folded "billion", "Mio" ...: an amount's last word


@dataclass(frozen=True)
class SectorEvidence:
    sector_id: str
    total: float  # evidence after the side-note discount
    hits: tuple[tuple[str, int, float], ...]  # (label, count, contribution), largest first


# Japanese, Chinese and Korean scripts: written without spaces between words
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff66-\uff9f"
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_SCRIPT_CHANGE = re.compile(
    f"(?<=[{_UNSPACED}])(?=[^{_UNSPACED}])|(?<=[^{_UNSPACED}])(?=[{_UNSPACED}])"
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])")
# the word between a magnitude and a currency: "billions of dollars", "millones de euros"
_OF = frozenset({"of", "de", "d", "di"})


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
    scores = []
    for sector in taxonomy.sectors:
        found = evidence[sector.id]
        threshold = options.threshold if sector.threshold is None else sector.threshold
        if similarities is None:
            scores.append(
                SectorScore(
                    id=sector.id,
                    score=calibrate(found.total, options, threshold=threshold),
                    explanation=explain(found, options.explanation_terms),
                )
            )
        else:
            scores.append(
                _with_semantic(found, similarities.get(sector.id, 0.0), options, threshold)
            )
    return scores


def _with_semantic(
    evidence: SectorEvidence, similarity: float, options: ZeroShotOptions, threshold: float
) -> SectorScore:
    semantic = options.semantic_weight * (similarity - options.semantic_neutral)
    terms = explain(evidence, options.explanation_terms)
    note = f"semantic similarity {similarity:.2f}"
    return SectorScore(
        id=evidence.sector_id,
        score=calibrate(evidence.total + semantic, options, threshold=threshold),
        explanation=f"{terms}, {note}" if terms else note,
    )


def calibrate(total: float, options: ZeroShotOptions, *, threshold: float | None = None) -> float:
    if total <= 0:
        return 0.0
    midpoint = options.threshold if threshold is None else threshold
    odds = (total - midpoint) / options.slope
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, odds))))


def explain(evidence: SectorEvidence, limit: int) -> str:
    parts = [
        label if count == 1 else f"{label} ×{count}"
        for label, count, contribution in evidence.hits[:limit]
        if contribution > 0
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
    title_counts = _count_cues(title, table)
    body_counts = _count_cues(text, table)
    # Cues sharing a label are spellings of one thing ("OPEC" and its full name): their
    # counts are merged per sector before the strength is taken, in no order-dependent way.
    merged: dict[str, dict[str, tuple[int, int, float]]] = defaultdict(dict)
    for cue in set(title_counts) | set(body_counts):
        in_title = title_counts.get(cue, 0)
        in_body = body_counts.get(cue, 0)
        for sector_id, weight in cue.sectors:
            t, b, w = merged[sector_id].get(cue.label, (0, 0, weight))
            merged[sector_id][cue.label] = (t + in_title, b + in_body, max(w, weight))
    contributions: dict[str, dict[str, tuple[int, float]]] = defaultdict(dict)
    for sector_id, by_label in merged.items():
        for label, (in_title, in_body, weight) in by_label.items():
            strength = options.title_weight * min(in_title, 1) + (
                1.0 + math.log(in_body) if in_body else 0.0
            )
            contributions[sector_id][label] = (in_title + in_body, weight * strength)
    raw = {s: max(0.0, sum(c for _, c in contributions[s].values())) for s in taxonomy.ids}
    titled = {
        sector_id
        for sector_id, by_label in merged.items()
        if any(t and weight > 0 for t, _, weight in by_label.values())
    }
    # the strongest term or event the title carries per sector (names do not count: a
    # headline naming the US Treasury does not say what happened)
    title_events: dict[str, float] = defaultdict(float)
    for cue in title_counts:
        if not cue.name:
            for sector_id, weight in cue.sectors:
                title_events[sector_id] = max(title_events[sector_id], weight)
    leading = max(
        (
            raw[s.id] * (options.cross_cutting_lead if s.cross_cutting else 1.0)
            for s in taxonomy.sectors
        ),
        default=0.0,
    )
    result: dict[str, SectorEvidence] = {}
    for sector in taxonomy.sectors:
        total = raw[sector.id]
        if leading > 0:
            total *= _side_note_factor(
                sector,
                total / leading,
                options,
                titled=sector.id in titled,
                title_event=title_events[sector.id],
            )
        hits = sorted(
            (
                (label, count, contribution)
                for label, (count, contribution) in contributions[sector.id].items()
            ),
            key=lambda hit: (-hit[2], hit[0]),
        )
        result[sector.id] = SectorEvidence(sector_id=sector.id, total=total, hits=tuple(hits))
    return result


def _side_note_factor(
    sector: Sector, share: float, options: ZeroShotOptions, *, titled: bool, title_event: float
) -> float:
    """What a sector's evidence is multiplied by when it is ``share`` of the leading sector's:
    the share (floored for cross-cutting sectors, for a title that carries the sector's
    evidence and for one that carries its event) to the sector's side-note power."""
    share = min(1.0, share)
    if sector.cross_cutting:
        power = options.cross_cutting_power
        share = max(share, options.cross_cutting_floor)
    else:
        power = options.side_note_power
    if sector.side_note_power is not None:
        power = sector.side_note_power
    if sector.title_share_floor is not None and titled:
        share = max(share, sector.title_share_floor)
    if sector.title_event_floor is not None and title_event >= sector.title_event_weight:
        share = max(share, sector.title_event_floor)
    return float(share**power)


def _count_cues(text: str, table: _CueTable) -> dict[_Cue, int]:
    counts: dict[_Cue, int] = defaultdict(int)
    unspaced = _UNSPACED_CHAR.search(text) is not None
    if unspaced:
        folded_text = text.casefold()
        for term, substring_cue in table.substrings:
            found = folded_text.count(term)
            if found:
                counts[substring_cue] += found
        text = _SCRIPT_CHANGE.sub(" ", text)  # "ASMLから" -> "ASML から"
    words = tokens(text)
    folded = list(map(fold, words))
    spans: list[tuple[int, int]] = []  # word offsets, found only when a name needs them
    for sequence, cues, starts in (
        (folded, table.folded, table.folded_starts),
        (words, table.exact, table.exact_starts),
    ):
        # the words that start a cue, picked out first: most words start none
        for i in [i for i, word in enumerate(sequence) if word in starts]:
            word = sequence[i]
            for n in starts[word]:
                cue = cues.get((word,) if n == 1 else tuple(sequence[i : i + n]))
                if (
                    n == 1
                    and cues is table.folded
                    and word in table.units
                    and _after_amount(words, folded, i, table.magnitudes)
                ):
                    break  # "2.95 billion euros": the unit of an amount, not the currency's news
                if cue is not None:
                    if n == 1 and cues is table.exact:
                        spans = spans or token_spans(text)
                        if _inside_longer_name(text, words, spans, i):
                            break
                    counts[cue] += 1
                    # the longest phrase starting here wins ("crude oil", not also "crude");
                    # a term starting at a later word inside it ("oil") still counts
                    break
    if not table.triggers.isdisjoint(folded):
        _count_patterns(text, table, counts, folded)
    return counts


def _after_amount(words: list[str], folded: list[str], i: int, magnitudes: frozenset[str]) -> bool:
    """Whether the word at ``i`` follows an amount: a number ("50 euros", "$5bn" is one word
    with a digit), a magnitude word ("2.95 billion euros"), "of" after one ("billions of
    dollars", "millones de euros"), or one of these and the currency's country ("420 million
    Canadian dollars")."""
    before = i - 1
    if before > 0 and words[before][:1].isupper():
        before -= 1  # "Canadian", "Singapore", "Hong Kong" has one word more: not counted
    if before < 0:
        return False
    word = folded[before]
    if word in magnitudes or any(c.isdigit() for c in word):
        return True
    return word in _OF and before >= 1 and folded[before - 1] in magnitudes


def _inside_longer_name(text: str, words: list[str], spans: list[tuple[int, int]], i: int) -> bool:
    """Whether the one-word name at word ``i`` is part of a longer proper name: "Vale of
    Glamorgan", "Ebbw Vale marked ..." (a capitalised word just before it, inside a sentence,
    and a lower-case word after it; in a title-case headline every word is capitalised, so the
    name still counts there)."""
    after = i + 1
    if (
        after + 1 < len(words)
        and words[after] == "of"
        and words[after + 1][:1].isupper()
        and text[spans[i][1] : spans[after][0]] == " "
    ):
        return True
    before = i - 1
    if before < 0 or not words[before][:1].isupper():
        return False
    if text[spans[before][1] : spans[i][0]] != " ":
        return False  # "Rio Tinto, Vale": a list of names, not one name
    opens_sentence = before == 0 or text[: spans[before][0]].rstrip()[-1:] in ".!?:;\"'(\n"
    lower_after = after >= len(words) or not words[after][:1].isupper()
    return not opens_sentence and lower_after


def _count_patterns(
    text: str, table: _CueTable, counts: dict[_Cue, int], folded_text: list[str]
) -> None:
    """Adds one count per sentence in which every group of a pattern has a match.
    ``folded_text``: the folded ``tokens(text)``. A sentence boundary is white space or falls
    after a full stop, neither of them part of a word, so the sentences' words are the text's
    words in turn and their folded forms are taken from it, not folded again."""
    at = 0
    for sentence in _SENTENCE_END.split(text):
        words = tokens(sentence)
        folded = folded_text[at : at + len(words)]
        at += len(words)
        present = frozenset(folded)
        if table.triggers.isdisjoint(present):
            continue
        triggered = table.triggers.intersection(present)
        # the patterns with a trigger here, in table order: the same ones, in the same order,
        # as testing every pattern's triggers (a few hundred patterns, a handful triggered)
        by_trigger = table.by_trigger
        if len(triggered) == 1:
            (word,) = triggered
            indexes: Iterable[int] = by_trigger[word]
        else:
            indexes = sorted({i for word in triggered for i in by_trigger[word]})
        joined: str | None = None
        for index in indexes:
            pattern = table.patterns[index]
            if joined is None:
                joined = f" {' '.join(folded)} "
            if all(_group_matches(g, words, present, joined) for g in pattern.groups):
                counts[pattern.cue] += 1


def _group_matches(group: _Group, words: list[str], present: frozenset[str], joined: str) -> bool:
    if not group.words.isdisjoint(present):
        return True
    for phrase in group.padded:
        if phrase in joined:
            return True
    # an organisation: a capitalised word that does not open the sentence
    return group.organisation and any(w[:1].isupper() for w in words[1:])


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
    per_substring: dict[str, tuple[str, dict[str, float]]] = {}
    for sector in taxonomy.sectors:
        for lang in languages:
            for term, weight in sector.terms.get(lang, ()):
                if _UNSPACED_CHAR.search(term):
                    _, weights = per_substring.setdefault(term.casefold(), (term, {}))
                else:
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
            cue = _Cue(label, tuple((s, entity.weight) for s in entity.sectors), name=True)
            if entity.match_case:
                exact[tuple(tokens(alias))] = cue
            else:
                folded[tuple(fold(w) for w in tokens(alias))] = cue
    patterns = tuple(
        _compile_pattern(p) for p in taxonomy.patterns if language is None or p.language == language
    )
    return _CueTable(
        folded=folded,
        exact=exact,
        folded_starts=_starts(folded),
        exact_starts=_starts(exact),
        substrings=tuple(
            (term, _Cue(label, tuple(sorted(w.items()))))
            for term, (label, w) in per_substring.items()
        ),
        patterns=patterns,
        triggers=frozenset().union(*(p.triggers for p in patterns)),
        by_trigger=_by_trigger(patterns),
        units=frozenset(fold(w) for w in taxonomy.amounts.units),
        magnitudes=frozenset(fold(w) for w in taxonomy.amounts.magnitudes),
    )


def _by_trigger(patterns: Sequence[_Pattern]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = defaultdict(list)
    for index, pattern in enumerate(patterns):
        for word in pattern.triggers:
            found[word].append(index)
    return {word: tuple(indexes) for word, indexes in found.items()}


def _starts(cues: Mapping[tuple[str, ...], _Cue]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = defaultdict(set)
    for key in cues:
        if key:
            lengths[key[0]].add(len(key))
    return {word: tuple(sorted(found, reverse=True)) for word, found in lengths.items()}


def _compile_pattern(pattern: EventPattern) -> _Pattern:
    groups = []
    for group in pattern.groups:
        phrases = [
            " ".join(fold(w) for w in tokens(term)) for term in group if term != ORGANISATION
        ]
        multi = tuple(p for p in phrases if " " in p)
        groups.append(
            _Group(
                words=frozenset(p for p in phrases if " " not in p),
                phrases=multi,
                organisation=ORGANISATION in group,
                padded=tuple(f" {p} " for p in multi),
            )
        )
    first = groups[0]
    return _Pattern(
        cue=_Cue(pattern.name, tuple((s, pattern.weight) for s in pattern.sectors)),
        triggers=first.words | frozenset(p.split()[0] for p in first.phrases),
        groups=tuple(groups),
    )
