"""Entity extraction: gazetteer matches plus recognised names, linked to canonical entities.

Steps, all over the text as given (offsets index into it exactly):

1. HTML tags are blanked out with spaces of the same length, so offsets do not move.
2. Pattern recognisers propose unknown organisations, acronym definitions, people and places;
   each is linked to a gazetteer entity when one of its spellings names it, otherwise it becomes
   a new article-local entity (``org:halvard-capital``, ``person:yasutoshi-nishimura``).
3. Gazetteer spellings and the article's own new spellings (an acronym it defined, a person's
   surname, a company name without "Inc.") are matched; overlapping spans are settled longest
   first, recognised spans before plain matches.
4. Short references ("the agency", "this deposit", "the country") link to the one entity of the
   matching kind mentioned shortly before, and only when there is exactly one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from newsdesk.enrich.entities.appositive import appositive_organisations
from newsdesk.enrich.entities.gazetteer import (
    WORD,
    AliasIndex,
    AliasMatch,
    Gazetteer,
    fold_words,
    slug,
)
from newsdesk.enrich.entities.model import (
    Entity,
    EntityMention,
    EntityOptions,
    EntityResult,
)
from newsdesk.enrich.entities.patterns import (
    LEGAL_SUFFIXES,
    Anchors,
    NameCandidate,
    acronym_definitions,
    find_anchors,
    people,
    places,
    suffix_organisations,
)
from newsdesk.text.normalize import mask_markup

_POSSESSIVE = re.compile(r"(?:['’]s)?[^\w]*")
_AFTER_PERSON = re.compile(r",?[ \t]+(?:of|at|from|for)?[ \t]*(?:the[ \t]+)?")
_NOMINAL = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)[ \t]+(agency|organisation|organization|ministry|company|firm|"
    r"miner|producer|group|bank|lender|exchange|country|nation|bloc|deposit|mine|project|"
    r"field|refinery|smelter)\b"
)
_NOMINAL_KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "agency": ("organisation", frozenset({"agency"})),
    "organisation": ("organisation", frozenset({"agency"})),
    "organization": ("organisation", frozenset({"agency"})),
    "ministry": ("organisation", frozenset({"ministry"})),
    "company": ("organisation", frozenset({"company", "miner", "state-miner"})),
    "firm": ("organisation", frozenset({"company", "miner", "state-miner"})),
    "group": ("organisation", frozenset({"company", "miner", "state-miner"})),
    "miner": ("organisation", frozenset({"miner", "state-miner"})),
    "producer": ("organisation", frozenset({"miner", "state-miner", "company"})),
    "bank": ("organisation", frozenset({"bank"})),
    "lender": ("organisation", frozenset({"bank"})),
    "exchange": ("organisation", frozenset({"exchange"})),
    "country": ("country", frozenset()),
    "nation": ("country", frozenset()),
    "bloc": ("supranational", frozenset()),
}
# priorities when two spans start at the same place and are equally long: lower wins
_RECOGNISED, _GAZETTEER, _LOCAL = 0, 1, 2


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    entity_id: str
    role: str | None
    priority: int


def extract_entities(
    title: str, text: str, *, gazetteer: Gazetteer, options: EntityOptions
) -> EntityResult:
    """Canonical entities named in an article and every mention, with exact offsets."""
    body = mask_markup(text[: options.max_chars])
    local = _Local(gazetteer)
    words = list(WORD.finditer(body))
    keys = fold_words(words)
    known = list(gazetteer.index.find(body, words, keys))
    anchors = find_anchors(body, words, keys)
    recognised = _recognise(body, anchors, gazetteer, local, options, known=known)
    spans = [
        *recognised,
        *_matches(
            body, words, keys, gazetteer=gazetteer, local=local, options=options, known=known
        ),
    ]
    kept = _settle(spans)
    if options.link_short_references:
        kept = _link_short_references(body, kept, local, options)
    mentions = [
        EntityMention(s.entity_id, text[s.start : s.end], s.start, s.end, s.role) for s in kept
    ]
    head = mask_markup(title[:1000])
    head_words = list(WORD.finditer(head))
    head_keys = fold_words(head_words)
    head_spans = _matches(
        head, head_words, head_keys, gazetteer=gazetteer, local=local, options=options
    )
    mentions.extend(
        EntityMention(s.entity_id, title[s.start : s.end], s.start, s.end, s.role, field="title")
        for s in _settle(list(head_spans))
    )
    return EntityResult(entities=_entities(mentions, local), mentions=mentions)


class _Local:
    """Entities and spellings this article introduces on top of the gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.index = AliasIndex()
        self.entities: dict[str, Entity] = {}
        self.aliases: dict[str, list[str]] = {}
        self.surnames: dict[str, set[str]] = {}

    def entity(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id) or self.gazetteer.get(entity_id)

    def add_alias(self, entity_id: str, spelling: str, *, case_sensitive: bool = True) -> None:
        self.index.add(spelling, entity_id, case_sensitive=case_sensitive)
        known = self.entity(entity_id)
        if known is not None and spelling != known.name and spelling not in known.aliases:
            spellings = self.aliases.setdefault(entity_id, [])
            if spelling not in spellings:
                spellings.append(spelling)

    def new(self, candidate: NameCandidate) -> str:
        prefix = "org" if candidate.type == "organisation" else candidate.type
        entity_id = f"{prefix}:{slug(candidate.name)}"
        if entity_id not in self.entities:
            self.entities[entity_id] = Entity(
                id=entity_id, name=candidate.name, type=candidate.type, kind=candidate.kind
            )
            self.index.add(candidate.name, entity_id, case_sensitive=True)
        return entity_id


def _recognise(
    text: str,
    anchors: Anchors,
    gazetteer: Gazetteer,
    local: _Local,
    options: EntityOptions,
    *,
    known: list[AliasMatch],
) -> list[_Span]:
    spans: list[_Span] = []
    if options.recognize_people:
        spans.extend(_people(text, anchors, gazetteer, local))
    person_spans = [(s.start, s.end) for s in spans]
    if options.recognize_unknown_organisations:
        for candidate in acronym_definitions(text, anchors):
            entity_id = _link_acronym(candidate, gazetteer, local)
            spans.append(_Span(candidate.start, candidate.end, entity_id, None, _RECOGNISED))
        for found in suffix_organisations(text, anchors):
            organisation = _after_person(text, found, person_spans)
            if organisation is None:
                continue
            linked = _link_organisation(text, organisation, gazetteer, local)
            if linked is not None:
                spans.append(_Span(organisation.start, organisation.end, linked, None, _RECOGNISED))
        starts, ends = {m.start for m in known}, {m.end for m in known}
        for candidate in appositive_organisations(text, anchors, person_spans, starts, ends):
            linked = _link_organisation(text, candidate, gazetteer, local)
            if linked is not None:
                spans.append(_Span(candidate.start, candidate.end, linked, None, _RECOGNISED))
    if options.recognize_places:
        for candidate in places(text, anchors):
            place = _trim_known_words(text, candidate, gazetteer)
            if place is not None:
                entity_id = local.new(place)
                spans.append(_Span(place.start, place.end, entity_id, None, _RECOGNISED))
    return spans


def _after_person(
    text: str, candidate: NameCandidate, person_spans: list[tuple[int, int]]
) -> NameCandidate | None:
    """ "Priya Raman of Halvard Capital" holds the organisation after the person."""
    for start, end in person_spans:
        if start < candidate.end and candidate.start < end:
            rest = _AFTER_PERSON.match(text, end, candidate.end)
            if rest is None or rest.end() >= candidate.end:
                return None
            name = " ".join(text[rest.end() : candidate.end].split())
            return replace(candidate, name=name, start=rest.end())
    return candidate


def _link_acronym(candidate: NameCandidate, gazetteer: Gazetteer, local: _Local) -> str:
    acronym = candidate.alias or ""
    known = gazetteer.by_name(candidate.name) or gazetteer.by_name(acronym)
    if known is not None:
        entity_id = known.id
        local.add_alias(entity_id, candidate.name)
    else:
        entity_id = local.new(candidate)
    local.add_alias(entity_id, acronym)
    return entity_id


def _link_organisation(
    text: str, candidate: NameCandidate, gazetteer: Gazetteer, local: _Local
) -> str | None:
    span = text[candidate.start : candidate.end]
    inner = gazetteer.index.find(span, list(WORD.finditer(span)))
    if any(m.end >= len(span.rstrip(".")) for m in inner):
        return None  # "Spring Meetings of the International Monetary Fund": the known name wins
    places_or_peoples = [m for m in inner if not m.entity_id.startswith("commodity:")]
    covered = sum(len(WORD.findall(span[m.start : m.end])) for m in places_or_peoples)
    if places_or_peoples and covered >= len(WORD.findall(_without_legal(span))) - 1:
        return None  # "Namibian Ministry", "Chinese Group": a country and a generic word
    known = gazetteer.by_name(candidate.name) or gazetteer.by_name(_without_legal(candidate.name))
    if known is not None:
        return known.id
    defined = local.index.lookup(candidate.name)  # "Ministry of Commerce (MOFCOM)" seen before
    if defined is not None:
        return defined
    entity_id = local.new(candidate)
    short = _without_legal(candidate.name)
    if short != candidate.name and len(WORD.findall(short)) >= 1:
        local.add_alias(entity_id, short)
    return entity_id


def _without_legal(name: str) -> str:
    words = name.rstrip(".").split(" ")
    while len(words) > 1 and words[-1].rstrip(".,") in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words).rstrip(",")


def _people(text: str, anchors: Anchors, gazetteer: Gazetteer, local: _Local) -> list[_Span]:
    spans: list[_Span] = []
    found = sorted(people(text, anchors), key=lambda c: (c.start, c.role is None))
    for candidate in found:
        if gazetteer.index.find(candidate.name, list(WORD.finditer(candidate.name))):
            continue  # "Rio Tinto said" names a company, not a person
        if " " not in candidate.name:
            surname_ids = local.surnames.get(candidate.name, set())
            if len(surname_ids) == 1:
                spans.append(
                    _Span(
                        candidate.start, candidate.end, next(iter(surname_ids)), None, _RECOGNISED
                    )
                )
            continue
        entity_id = local.new(candidate)
        local.surnames.setdefault(candidate.name.split(" ")[-1], set()).add(entity_id)
        spans.append(_Span(candidate.start, candidate.end, entity_id, candidate.role, _RECOGNISED))
    for surname, ids in local.surnames.items():
        if len(ids) == 1:
            local.add_alias(next(iter(ids)), surname)
    return spans


def _trim_known_words(
    text: str, candidate: NameCandidate, gazetteer: Gazetteer
) -> NameCandidate | None:
    """ "AWS Taipei region" is not a place name; "Cobre Panama mine" is."""
    span = text[candidate.start : candidate.end]
    offset = 0
    words = list(WORD.finditer(span))
    while words:
        match = gazetteer.index.match_at(span, words, 0)
        if match is None or match[0].start != words[0].start():
            break
        offset = match[0].end
        words = [w for w in words if w.start() >= offset]
        possessive = _POSSESSIVE.match(span, offset)
        offset = possessive.end() if possessive else offset
    kind_words = len((candidate.kind or "").split())
    if len(words) <= kind_words:
        return None
    start = candidate.start + offset
    name = " ".join(span[offset:].split())
    return replace(candidate, name=name, start=start)


def _matches(
    text: str,
    words: list[re.Match[str]],
    keys: list[str],
    *,
    gazetteer: Gazetteer,
    local: _Local,
    options: EntityOptions,
    known: list[AliasMatch] | None = None,
) -> Iterable[_Span]:
    if known is None:
        known = list(gazetteer.index.find(text, words, keys))
    for match in known:
        if match.role is None or options.demonyms_and_capitals:
            yield _span(match, _GAZETTEER)
    for match in local.index.find(text, words, keys):
        yield _span(match, _LOCAL)


def _span(match: AliasMatch, priority: int) -> _Span:
    return _Span(match.start, match.end, match.entity_id, match.role, priority)


def _settle(spans: list[_Span]) -> list[_Span]:
    """Non-overlapping spans: leftmost first, then longest, then the better-founded."""
    kept: list[_Span] = []
    last_end = -1
    for span in sorted(spans, key=lambda s: (s.start, s.start - s.end, s.priority)):
        if span.start >= last_end:
            kept.append(span)
            last_end = span.end
    return kept


def _link_short_references(
    text: str, kept: list[_Span], local: _Local, options: EntityOptions
) -> list[_Span]:
    added: list[_Span] = []
    for match in _NOMINAL.finditer(text):
        if any(s.start < match.end() and match.start() < s.end for s in kept):
            continue
        noun = match.group(1)
        before = [
            s
            for s in kept
            if s.end <= match.start()
            and match.start() - s.end <= options.short_reference_window
            and s.role is None
        ]
        ids = {s.entity_id for s in before if _refers(noun, local.entity(s.entity_id))}
        if len(ids) == 1:
            added.append(_Span(match.start(), match.end(), ids.pop(), None, _LOCAL))
    return sorted([*kept, *added], key=lambda s: s.start)


def _refers(noun: str, entity: Entity | None) -> bool:
    if entity is None:
        return False
    if entity.type == "place":
        return entity.kind == noun
    wanted = _NOMINAL_KINDS.get(noun)
    if wanted is None or entity.type != wanted[0]:
        return False
    return not wanted[1] or entity.kind in wanted[1]


def _entities(mentions: list[EntityMention], local: _Local) -> list[Entity]:
    entities: dict[str, Entity] = {}
    for mention in mentions:
        if mention.entity_id in entities:
            continue
        entity = local.entity(mention.entity_id)
        if entity is None:
            continue
        extra = [a for a in local.aliases.get(entity.id, []) if a not in entity.aliases]
        if extra:
            entity = replace(entity, aliases=(*entity.aliases, *extra))
        entities[entity.id] = entity
    return list(entities.values())
