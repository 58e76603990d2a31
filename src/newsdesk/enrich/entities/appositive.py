"""Organisations defined by an appositive: the text says what the name is, next to it.

"Sibelco, the privately held Belgian industrial minerals company, plans ..." and "the Belgian
minerals group Sibelco" name an organisation that neither the gazetteer nor a telling suffix
("Inc", "Mining") knows. The patterns stay narrow: the describing phrase must end in a company
noun (company, group, miner, lender, ...) and hold no function word, so "John Smith, the
company's chief executive," and "Spruce Pine, the small town that supplies the company," do not
qualify; the name must not be a stopword, a month or a weekday, a role word, or a lone
capitalised word that starts a sentence and is used in lower case elsewhere ("Separately").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence

from newsdesk.enrich.entities.patterns import (
    _CAP,
    _ROLE_ANCHORS,
    APPOSITIVE_HEADS,
    LEGAL_SUFFIXES,
    STOPWORDS,
    Anchors,
    NameCandidate,
    _clean,
    _windowed,
)

_HEAD = "|".join(sorted(APPOSITIVE_HEADS, key=len, reverse=True))
_UNIT = r"(?:unit|subsidiary|division|affiliate)"
# words the describing phrase may not hold: they start a clause or a prepositional phrase
_FUNCTION = (
    r"(?:of|at|for|with|in|on|by|from|to|as|into|that|which|who|whose|where|is|was|are|were|"
    r"has|had|have|said|says|told|but|or|its|his|her|their|this|these|those)"
)
_MODIFIER = rf"(?!{_FUNCTION}\b)[\w’'&.-]+"
_NAME = rf"{_CAP}(?:[ \t]+(?:of[ \t]+|&[ \t]+)?{_CAP}){{0,3}}"
# "Sibelco, the privately held Belgian industrial minerals company," / "..., a unit of X,"
_NAME_THEN_WHAT = re.compile(
    rf"(?<![\w&'’-])({_NAME}),[ \t]+(?:the|a|an)[ \t]+"
    rf"(?:(?:{_MODIFIER}[ \t]+){{0,6}}?({_HEAD})(?=[ \t]*[,;]|[ \t]+(?:that|which|whose|based|"
    rf"of|in|with)\b)|(?:wholly[ \t]+owned[ \t]+)?({_UNIT})[ \t]+of[ \t])"
)
# "the Belgian minerals group Sibelco", "state utility Zesco", "U.S. chipmaker Nvidia"
_WHAT_THEN_NAME = re.compile(rf"\b({_HEAD})[ \t]+({_NAME})(?![\w&'’-])")
_BEFORE_HEAD = re.compile(r"(?:^|[\s(])(?:[a-z][\w’'-]*|[A-Z][\w.’'-]*)[ \t]+$")
_PLACE_PREPOSITION = re.compile(
    r"(?:^|[^\w])(?:in|at|from|near|to|across|outside|inside|around|into|of|for|by)[ \t]+$",
    re.IGNORECASE,
)
# "U.S. Airline Brockway Air", "F.W. Dodge"; not "on Friday. Supermac"
_CAPITALISED_BEFORE = re.compile(
    r"(?<![\w&'’.-])([A-Z][\w&’'-]*(?:\.[A-Z]+)+\.?|[A-Z][\w&’'-]*)[ \t]+$"
)
_CONNECTORS = r"(?:and|&|de|des|du|del|della|la|le|et|en|y|von|van|der|of)"
# "Smith and Wesson", "Cie des Machines Bull", "Centre d'Observation", "Akzo N.V.": the name
# runs on past what the pattern can take
# unless the other side is a name the gazetteer knows: "First Solar and Qcells, a unit of"
_JOINED_BEFORE = re.compile(rf"[A-Z][\w.&’'-]*()[ \t]+{_CONNECTORS}[ \t]+$")
_RUNS_ON = re.compile(rf"[ \t]+{_CONNECTORS}[ \t]+(?=[A-Z])|[ \t]+d['’]|\.[A-Za-z]")
_FUNCTION_BEFORE = re.compile(rf"(?<![\w-]){_FUNCTION}[ \t]+$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
# a person is as often a developer or a trader as a company is: "developer Donald Trump"
_PERSON_HEADS = frozenset({"developer", "trader"})
_PERSON_SHAPE = re.compile(r"[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){1,2}")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“]\s*|\n\s*)$")
_NOT_A_NAME = (
    STOPWORDS
    | frozenset(
        "Separately Elsewhere Instead Still Yet Also Earlier Later Today Yesterday Tomorrow "
        "Overall Finally Nevertheless Additionally Similarly Moreover Furthermore Otherwise "
        "Together Thus Hence Again Now Then Once Board Chairman Executive Officials Group "
        "Company Bank".split()
    )
    | LEGAL_SUFFIXES
)
_MONTHS_AND_DAYS = frozenset(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun".split()
)


def appositive_organisations(
    text: str,
    anchors: Anchors,
    known_spans: Sequence[tuple[int, int]] = (),
    known_starts: Collection[int] = (),
    known_ends: Collection[int] = (),
) -> Iterator[NameCandidate]:
    """Names an appositive calls a company, group, miner, bank, ... (unlinked candidates).

    ``known_spans`` are spans already taken by people: a name inside one is never an
    organisation. ``known_starts``/``known_ends`` are where gazetteer names start and end: a
    known name after "and" ("ACWA Power and Oman's ...") does not make one longer name.
    """
    lowered: set[str] | None = None
    for match in _windowed(_NAME_THEN_WHAT, text, anchors.appositive, 160, 24):
        head = match.group(2) or match.group(3)
        start, end = match.start(1), _without_possessive(match.group(1), match.end(1))
        if head == "group" and text.startswith(" of", match.end(2)):
            continue  # "a group of about 400 retailers" counts, it does not name
        before = text[max(0, start - 40) : start]
        if _PLACE_PREPOSITION.search(before):
            continue  # "In Texas, the company, ..." names where, not who
        joined = _JOINED_BEFORE.search(before)
        if joined and start - len(before) + joined.start(1) not in known_ends:
            continue
        if (longer := _CAPITALISED_BEFORE.search(before)) and longer.group(1) not in _NOT_A_NAME:
            continue  # a longer capitalised run than the pattern may take: not sure of the name
        if _SENTENCE_START.search(text, max(0, start - 3), start) and " " not in match.group(1):
            if lowered is None:
                lowered = {w.casefold() for w in re.findall(r"\b[a-z][\w’'-]*", text)}
            if match.group(1).casefold() in lowered or match.group(1).endswith("ly"):
                continue  # "Separately, the group ..." is an adverb, not a name
        if _is_name(text, head, start, end, known_spans=known_spans, known_starts=known_starts):
            kind = APPOSITIVE_HEADS.get(head, "company")
            yield NameCandidate("organisation", _clean(text[start:end]), start, end, kind=kind)
    for match in _windowed(_WHAT_THEN_NAME, text, anchors.appositive, 0, 120):
        before = text[max(0, match.start(1) - 40) : match.start(1)]
        if not _BEFORE_HEAD.search(before) or _FUNCTION_BEFORE.search(before):
            continue  # "the ... group Sibelco", not "as firm Chicago wheat futures"
        head = match.group(1)
        start, end = match.start(2), _without_possessive(match.group(2), match.end(2))
        if _is_name(text, head, start, end, known_spans=known_spans, known_starts=known_starts):
            kind = APPOSITIVE_HEADS[head]
            yield NameCandidate("organisation", _clean(text[start:end]), start, end, kind=kind)


def _without_possessive(name: str, end: int) -> int:
    return end - 2 if _POSSESSIVE.search(name) else end


def _is_name(
    text: str,
    head: str,
    start: int,
    end: int,
    *,
    known_spans: Sequence[tuple[int, int]],
    known_starts: Collection[int],
) -> bool:
    name = text[start:end]
    words = name.split()
    runs_on = _RUNS_ON.match(text, end)
    if (runs_on and runs_on.end() not in known_starts) or _PLURAL_ACRONYM.fullmatch(name):
        return False
    if head in _PERSON_HEADS and _PERSON_SHAPE.fullmatch(name):
        return False
    if not words or len(words) > 4:
        return False
    if words[0] in _NOT_A_NAME or words[-1] in _NOT_A_NAME:
        return False
    if any(w.rstrip(".") in _MONTHS_AND_DAYS or w.casefold() in _ROLE_ANCHORS for w in words):
        return False
    return not any(s < end and start < e for s, e in known_spans)
