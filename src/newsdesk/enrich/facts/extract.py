"""Facts read sentence by sentence, from trigger words plus the entities the sentence mentions.

A fact is only produced when its sentence says so: an agreement needs an agreement word and at
least two parties, an investment an investment word and a sum of money, a quantity a number
with a known unit, a policy action a tariff/export-control/sanction word and who imposes it.
Two pieces of context cross sentence boundaries, both anchored in the text: a definite "the
agreement" refines the agreement read just before it, and a deposit, mine or project named in
an agreement takes the commodities of the sentences that mention the same place.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from newsdesk.enrich.entities import EntityMention, EntityResult
from newsdesk.enrich.facts import policy, roles
from newsdesk.enrich.facts.model import (
    AgreementFact,
    Amount,
    Fact,
    FactOptions,
    InvestmentFact,
    PolicyFact,
    Quantity,
    QuantityFact,
)
from newsdesk.enrich.facts.numbers import find_amounts, find_quantities
from newsdesk.enrich.facts.triggers import (
    AGREEMENT,
    ANAPHOR,
    CHANGE_AFTER,
    CHANGE_BEFORE,
    DATE,
    DIGIT,
    FORECAST,
    INVESTMENT,
    JOIN,
    KINDS,
    MONTH,
    NEGATIVE,
    PERIOD,
    POLICY,
    STATUS,
    TOKEN,
    TRIGGER_WORDS,
)
from newsdesk.text.sentences import Sentence, sentence_spans

_ACTOR_TYPES = frozenset({"country", "supranational", "organisation"})
_PARTY_TYPES = frozenset({"organisation", "supranational"})
_RARE_EARTH_GROUP = "commodity:rare-earths"


@dataclass(frozen=True)
class _Context:
    sentence: Sentence
    mentions: tuple[EntityMention, ...]
    article_id: int | None

    def ids(self, *types: str, before: int | None = None, after: int | None = None) -> list[str]:
        found: list[str] = []
        for mention in self.mentions:
            if before is not None and mention.start >= before:
                continue
            if after is not None and mention.end <= after:
                continue
            if _type(mention.entity_id) in types and mention.entity_id not in found:
                found.append(mention.entity_id)
        return found


def extract_facts(
    text: str,
    entities: EntityResult,
    *,
    options: FactOptions,
    article_id: int | None = None,
) -> list[Fact]:
    """Agreements, investments, quantities and policy actions stated in ``text``."""
    text = text[: options.max_chars]
    body_mentions = sorted(
        (m for m in entities.mentions if m.field == "text" and m.end <= len(text)),
        key=lambda m: m.start,
    )
    mention_starts = [m.start for m in body_mentions]
    sentences = [
        s for s in sentence_spans(text, max_chars=None) if len(s.text) <= options.max_sentence_chars
    ]
    contexts = [
        _Context(sentence, _within(body_mentions, mention_starts, sentence), article_id)
        for sentence in sentences
    ]
    # Trigger words are found in one pass over the text; only sentences that hold one are read.
    wanted = set(options.types)
    triggered = _triggered_sentences(sentences)
    numbered = triggered["number"]
    agreement_at = triggered["agreement"] if "agreement" in wanted else set()
    investment_at = triggered["investment"] & numbered if "investment" in wanted else set()
    quantity_at = numbered if "quantity" in wanted else set()
    policy_at = triggered["policy"] if "policy" in wanted else set()
    place_commodities = _place_commodities(contexts) if agreement_at else {}
    facts: list[Fact] = []
    previous_agreement: AgreementFact | None = None
    agreements: list[AgreementFact] = []
    for n, context in enumerate(contexts):
        if n in agreement_at:
            agreement = _agreement(context, previous_agreement, place_commodities)
            if agreement is not None and not _restates(agreement, agreements):
                facts.append(agreement)
                agreements.append(agreement)
                previous_agreement = agreement
        if n in investment_at:
            facts.extend(_investments(context))
        if n in quantity_at:
            facts.extend(_quantities(context))
        if n in policy_at:
            facts.extend(_policies(context))
    return facts


def _triggered_sentences(sentences: Sequence[Sentence]) -> dict[str, set[int]]:
    """Sentence indexes holding a number or a trigger word of each fact type.

    Set intersections over each sentence's words: scanning the text once per many-alternative,
    case-insensitive pattern costs several times more. The exact patterns then run on the few
    sentences found.
    """
    found: dict[str, set[int]] = {name: set() for name in ("number", *TRIGGER_WORDS)}
    for n, sentence in enumerate(sentences):
        words = set(TOKEN.findall(sentence.text.lower()))
        if DIGIT.search(sentence.text):
            found["number"].add(n)
        for name, vocabulary in TRIGGER_WORDS.items():
            if not words.isdisjoint(vocabulary):
                found[name].add(n)
    return found


def _restates(agreement: AgreementFact, earlier: Sequence[AgreementFact]) -> bool:
    """ "Japan's agreement with Namibia represents ..." names an agreement read before."""
    parties = sorted(agreement.parties)
    return any(sorted(e.parties) == parties and agreement.kind in {None, e.kind} for e in earlier)


def _actors_before(context: _Context, position: int) -> list[str]:
    """The actor nearest before ``position``, with any joined to it by "and" or a comma."""
    text = context.sentence.text
    base = context.sentence.start
    before = [
        m for m in context.mentions if m.end <= position and _type(m.entity_id) in _ACTOR_TYPES
    ]
    if not before:
        return []
    actors = [before[-1]]
    for mention in reversed(before[:-1]):
        between = text[mention.end - base : actors[-1].start - base]
        if not JOIN.fullmatch(between):
            break
        actors.append(mention)
    return list(dict.fromkeys(m.entity_id for m in reversed(actors)))


def _within(
    mentions: Sequence[EntityMention], starts: Sequence[int], sentence: Sentence
) -> tuple[EntityMention, ...]:
    first, last = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
    return tuple(m for m in mentions[first:last] if m.end <= sentence.end)


def _type(entity_id: str) -> str:
    prefix = entity_id.split(":", 1)[0]
    return "organisation" if prefix == "org" else prefix


def _commodities(ids: Iterable[str]) -> tuple[str, ...]:
    found = sorted(set(ids))
    if _RARE_EARTH_GROUP in found and len(found) > 1:
        found.remove(_RARE_EARTH_GROUP)  # the specific elements say more than the family
    return tuple(found)


def _place_commodities(contexts: Sequence[_Context]) -> dict[str, set[str]]:
    by_place: dict[str, set[str]] = {}
    for context in contexts:
        commodities = context.ids("commodity")
        for place in context.ids("place"):
            by_place.setdefault(place, set()).update(commodities)
    return by_place


def _date(text: str) -> str | None:
    match = DATE.search(text)
    if match is None:
        return None
    if match.group(1):
        month = MONTH.split("|").index(match.group(1)) + 1
        return f"{match.group(2)}-{month:02d}"
    return match.group(2)


def _first(patterns: Sequence[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    for name, pattern in patterns:
        if pattern.search(text):
            return name
    return None


def _agreement(
    context: _Context,
    previous: AgreementFact | None,
    place_commodities: dict[str, set[str]],
) -> AgreementFact | None:
    text = context.sentence.text
    if not AGREEMENT.search(text):
        return None
    countries = context.ids("country")
    base = context.sentence.start
    signers = replace(
        context,
        mentions=tuple(
            m for m in context.mentions if not roles.venue_of_signing(text, m.start - base, m.role)
        ),
    )
    parties = signers.ids(*_PARTY_TYPES)
    party_countries = signers.ids("country")
    if not parties:
        parties = list(party_countries)  # "Japan and Namibia signed ..."
    elif len(parties) == 1 and party_countries:
        parties.append(party_countries[0])  # "Lufthansa signed ... with a Finnish refiner"
    if len(parties) < 2:
        return None
    kind = _first(KINDS, text)
    places = context.ids("place")
    commodity_ids = context.ids("commodity")
    for place in places:
        commodity_ids.extend(place_commodities.get(place, ()))
    date = _date(text)
    if previous is not None and ANAPHOR.search(text):
        kind = kind or previous.kind
        commodity_ids = commodity_ids or list(previous.commodities)
        date = date or previous.date
        countries = list(dict.fromkeys([*countries, *previous.countries]))
    commodities = _commodities(commodity_ids)
    party_ids = tuple(parties)
    key = "|".join(["agreement", kind or "", "+".join(sorted(party_ids)), "+".join(commodities)])
    return AgreementFact(
        key=key,
        sentence=text,
        start=context.sentence.start,
        end=context.sentence.end,
        article_id=context.article_id,
        parties=party_ids,
        kind=kind,
        commodities=commodities,
        countries=tuple(countries),
        places=tuple(places),
        date=date,
        status=_first(STATUS, text),
    )


def _investments(context: _Context) -> list[InvestmentFact]:
    text = context.sentence.text
    names = [
        (m.start - context.sentence.start, m.end - context.sentence.start) for m in context.mentions
    ]
    triggers = [t for t in INVESTMENT.finditer(text) if not roles.in_name(text, *t.span(), names)]
    if not triggers:
        return []
    trigger = triggers[0]
    amounts = [f for f in find_amounts(text) if f.value.value is not None]
    if not amounts:
        return []
    investor, target = _investor_and_target(context, trigger, [t.span() for t in triggers])
    primary = amounts[0].value
    others = tuple(
        a.value
        for a in amounts[1:]
        if a.value.currency != primary.currency and _near(a, amounts[0])
    )
    period = PERIOD.search(text)
    key = "|".join(["investment", investor or "", target or "", _money_key(primary)])
    return [
        InvestmentFact(
            key=key,
            sentence=text,
            start=context.sentence.start,
            end=context.sentence.end,
            article_id=context.article_id,
            investor=investor,
            target=target,
            amount=primary,
            other_amounts=others,
            period=period.group(0) if period else None,
        )
    ]


def _investor_and_target(
    context: _Context, trigger: re.Match[str], triggers: list[tuple[int, int]]
) -> tuple[str | None, str | None]:
    """Who invests and in what: the actors either side of the first trigger word, less those
    that only describe someone else or say where and by whom the news was given."""
    text, base = context.sentence.text, context.sentence.start
    mentions = [
        (m, m.start - base, m.end - base)
        for m in context.mentions
        if _type(m.entity_id) in (*_ACTOR_TYPES, "place")
    ]
    owners = [
        m.entity_id
        for m, _, e in mentions
        if _type(m.entity_id) != "place" and roles.owns(text, e, triggers)
    ]
    before = [
        (m, s, e)
        for m, s, e in mentions
        if s < trigger.start()
        and _type(m.entity_id) != "place"
        and not _describes_another(text, m, s, e)
    ]
    investors = [
        m.entity_id
        for n, (m, _, e) in enumerate(before)
        if n + 1 == len(before) or not roles.speaks_of_another(text, e, before[n + 1][1])
    ]
    investor = next((i for i in investors if _type(i) != "country"), None)
    investor = owners[0] if owners else investor or (investors[0] if investors else None)
    limit = roles.clause_end(text, trigger.end())
    after = [
        (m, s, e)
        for m, s, e in mentions
        if trigger.end() < e
        and s < limit
        and m.entity_id != investor
        and not roles.speaks(text, e)
        and (_type(m.entity_id) == "place" or not roles.at_venue(text, s))
    ]
    plain = [m.entity_id for m, s, e in after if not _describes_another(text, m, s, e)]
    targets = plain or [m.entity_id for m, _, _ in after]  # "in a Belgian company": Belgium
    return investor, targets[0] if targets else None


def _describes_another(text: str, mention: EntityMention, start: int, end: int) -> bool:
    return _type(mention.entity_id) == "country" and roles.describes_another(
        text, start, end, mention.role
    )


def _near(a: object, b: object) -> bool:
    start_a, end_b = getattr(a, "start", 0), getattr(b, "end", 0)
    return isinstance(start_a, int) and isinstance(end_b, int) and 0 <= start_a - end_b <= 3


def _money_key(amount: Amount) -> str:
    return f"{amount.value:.3g}{amount.currency or ''}" if amount.value is not None else amount.raw


def _quantities(context: _Context) -> list[QuantityFact]:
    text = context.sentence.text
    found = [f for f in find_quantities(text) if f.value.value is not None]
    if not found:
        return []
    commodities = context.ids("commodity")
    commodity = _commodities(commodities)[0] if commodities else None
    countries = tuple(context.ids("country"))
    period_match = PERIOD.search(text)
    period = period_match.group(0) if period_match else _date(text)
    estimate: Literal["forecast", "actual"] = "forecast" if FORECAST.search(text) else "actual"
    facts: list[QuantityFact] = []
    for item in found:
        change_word = _change_word(text, item.start, item.end)
        if change_word is not None and facts:
            sign = -1.0 if NEGATIVE.match(change_word) else 1.0
            value = item.value.value
            change = replace(item.value, value=None if value is None else sign * value)
            facts[-1] = replace(facts[-1], change=change)
            continue
        quantity = item.value
        key = "|".join(
            [
                "quantity",
                commodity or "",
                quantity.unit or "",
                f"{quantity.value:.4g}",
                period or "",
                estimate,
            ]
        )
        facts.append(
            QuantityFact(
                key=key,
                sentence=text,
                start=context.sentence.start,
                end=context.sentence.end,
                article_id=context.article_id,
                quantity=quantity,
                commodity=commodity,
                countries=countries,
                period=period,
                estimate=estimate,
                change=_signed(quantity, change_word),
            )
        )
    return facts


def _change_word(text: str, start: int, end: int) -> str | None:
    after = CHANGE_AFTER.match(text, end)
    if after is not None:
        return after.group(1)
    before = CHANGE_BEFORE.search(text, max(0, start - 40), start)
    return before.group(1) if before is not None else None


def _signed(quantity: Quantity, change_word: str | None) -> Quantity | None:
    """A lone quantity stated as a change ("cut by 500,000 bpd") is itself the change."""
    if change_word is None or quantity.value is None:
        return None
    sign = -1.0 if NEGATIVE.match(change_word) else 1.0
    return replace(quantity, value=sign * quantity.value)


def _policies(context: _Context) -> list[PolicyFact]:
    text, base = context.sentence.text, context.sentence.start
    names = [(m.start - base, m.end - base) for m in context.mentions]
    actors = [m for m in context.mentions if _type(m.entity_id) in _ACTOR_TYPES]
    facts: list[PolicyFact] = []
    for action, pattern in POLICY:
        trigger = None
        for found in pattern.finditer(text):
            if not policy.void(text, *found.span(), names):
                trigger = found
                break
            names.append(found.span())  # "not setting any export quota": nor a quota
        if trigger is None:
            continue
        trigger_at = base + trigger.start()
        facing = [
            m
            for m in actors
            if m.end <= trigger_at and policy.faces(text, m.end - base, trigger.start())
        ]
        # "China, which faces 145% US tariffs": only who is named after the one facing it
        # can impose it
        imposers = replace(
            context,
            mentions=tuple(
                m
                for m in context.mentions
                if (not facing or m.start >= facing[-1].end)
                and not _only_describes(text, m, base, trigger)
            ),
        )
        by = _actors_before(imposers, trigger_at)
        if not by:
            continue
        on = [m.entity_id for m in facing if m.entity_id not in by] or [
            m.entity_id
            for m in actors
            if m.end > trigger_at
            and m.entity_id not in by
            and not policy.names_the_imposer(text, m.end - base)
        ]
        on = list(dict.fromkeys(on))
        what = _commodities(context.ids("commodity"))
        key = "|".join(["policy", action, "+".join(by), "+".join(sorted(on)), "+".join(what)])
        facts.append(
            PolicyFact(
                key=key,
                sentence=text,
                start=context.sentence.start,
                end=context.sentence.end,
                article_id=context.article_id,
                action=action,
                by=tuple(by),
                on=tuple(on),
                what=what,
            )
        )
        break  # one policy action per sentence: the first kind named
    return facts


def _only_describes(text: str, mention: EntityMention, base: int, trigger: re.Match[str]) -> bool:
    """ "Chinese companies ... to avoid duties": not the imposer; "China's export controls",
    "US tariffs" name whose the action is."""
    start, end = mention.start - base, mention.end - base
    return (
        end <= trigger.start()
        and not text.endswith(".", 0, end)  # wire style capitalises after it: "the U.S. Said"
        and not policy.names_the_imposer(text, end)
        and _describes_another(text, mention, start, end)
    )
