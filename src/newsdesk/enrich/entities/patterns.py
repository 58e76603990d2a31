"""Pattern recognition of entities the gazetteer does not know: organisations, people, places.

Each recogniser returns :class:`NameCandidate` spans; :mod:`extract` decides between overlapping
candidates and links them to canonical entities. The patterns are deliberately narrow (a
capitalised name next to a word that says what it is) so that precision stays high.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from newsdesk.enrich.entities.model import EntityType

# A capitalised word: "Namibia", "McMoRan", "AT&T", "Rolls-Royce", "O'Neill", "S.A"
_CAP = r"(?:[A-Z][\w&'’-]*[\w]|[A-Z])"
_CONNECT = r"(?:of|for|&|de|du|del|la|the|on)"
_NAME_SEQ = rf"{_CAP}(?:[ \t]+(?:{_CONNECT}[ \t]+)*{_CAP}){{0,6}}"
# acronym definitions may join words with "and": "Ust-Kamenogorsk Titanium and Magnesium Plant"
_LONG_NAME_SEQ = rf"{_CAP}(?:[ \t]+(?:(?:{_CONNECT}|and)[ \t]+)*{_CAP}){{0,8}}"

ORG_SUFFIXES = (
    "Inc",
    "Corp",
    "Corporation",
    "Ltd",
    "Limited",
    "LLC",
    "PLC",
    "plc",
    "AG",
    "SA",
    "SE",
    "NV",
    "GmbH",
    "Co",
    "Company",
    "Holdings",
    "Group",
    "Mining",
    "Minerals",
    "Metals",
    "Resources",
    "Energy",
    "Petroleum",
    "Bank",
    "Ministry",
    "Organization",
    "Organisation",
    "Agency",
    "Commission",
    "Authority",
    "Council",
    "Institute",
    "Association",
    "Fund",
    "Exchange",
    "Capital",
    "Partners",
    "Technologies",
    "Materials",
    "Motors",
    "Industries",
    "Airlines",
    "Aerospace",
)
LEGAL_SUFFIXES = frozenset(
    {"Inc", "Corp", "Corporation", "Ltd", "Limited", "LLC", "PLC", "plc", "AG", "SA", "SE", "NV"}
    | {"GmbH", "Co", "Company", "Holdings", "Group"}
)
_ABBREVIATED = frozenset({"Inc", "Corp", "Ltd", "Co"})
_SUFFIX = "|".join(sorted(ORG_SUFFIXES, key=len, reverse=True))
_SUFFIX_ORG = re.compile(rf"\b({_NAME_SEQ})[ \t]+({_SUFFIX})\b(\.)?")
_PREFIX_ORG = re.compile(
    r"\b((?:Ministry|Department|Bureau|Office|Bank|Agency|Commission|Council|Institute)"
    rf"[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?{_CAP}(?:(?:,|[ \t]+and|,?[ \t]+&)?[ \t]+{_CAP}){{0,5}})"
)
_ACRONYM_DEF = re.compile(rf"\b({_LONG_NAME_SEQ})[ \t]+\(([A-Z][A-Za-z0-9&+.-]{{1,11}})\)")

_ROLE_WORDS = (
    "prime minister|minister|president|vice[- ]president|secretary|chancellor|governor|"
    "chief executive officer|chief executive|chief financial officer|chief operating officer|"
    "ceo|cfo|coo|cto|chairman|chairwoman|chairperson|chair|director[- ]general|"
    "managing director|executive director|director|head|spokesperson|spokesman|spokeswoman|"
    "co-founder|founder|analyst|economist|commissioner|ambassador|senator|premier|mayor|"
    "general manager|country manager|king|crown prince|strategist|lawmaker"
)
_ROLE_HEAD = rf"(?i:{_ROLE_WORDS})\b"
_ROLE_OF = (
    rf"(?:[ \t]+(?:of|for|at)[ \t]+(?:the[ \t]+)?{_CAP}"
    rf"(?:(?:,|[ \t]+and|,?[ \t]+&)?[ \t]+{_CAP}){{0,5}})?"
)
_NAME_WORD = r"[A-Z][a-z]+(?:['’][A-Z][a-z]+|-[A-Za-z][a-z]+)?"
_PARTICLE = r"(?:(?:al|el|bin|ibn|van|von|der|de|da|di|du|le)[- ])?"
_PERSON = rf"{_NAME_WORD}(?:[ \t]+[A-Z]\.)?(?:[ \t]+{_PARTICLE}{_NAME_WORD}){{1,2}}(?!['’\w-])"
# "Minister for Economy, Trade and Industry Yasutoshi Nishimura", "chief executive Jensen Huang"
_ROLE_THEN_NAME = re.compile(
    rf"(?<![\w-])((?:{_CAP}[ \t]+){{0,2}}{_ROLE_HEAD}{_ROLE_OF})[ \t]+({_PERSON})\b"
)
# "Yasutoshi Nishimura, Japan's Minister for ...", "Priya Raman, an analyst at Halvard Capital"
_NAME_THEN_ROLE = re.compile(
    rf"\b({_PERSON}),[ \t]+(?:(?:the|a|an|its|his|her|their)[ \t]+|{_CAP}(?:'s|’s)[ \t]+)?"
    rf"((?:(?:[A-Za-z][\w.-]*)[ \t]+){{0,2}}?{_ROLE_HEAD}{_ROLE_OF})"
)
_HONORIFIC = re.compile(rf"\b(?:Mr|Ms|Mrs|Dr|Prof)\.?[ \t]+({_CAP}(?:[ \t]+{_CAP})?)\b")
_SAID = re.compile(
    rf"\b(?:said|says|according to)[ \t]+({_PERSON})\b|\b({_PERSON})[ \t]+(?:said|says)\b"
)

_PLACE_KINDS = (
    "deposit|mine|project|oilfield|oil field|gas field|field|basin|refinery|smelter|"
    "concession|prospect|complex|province|region"
)
_PLACE = re.compile(rf"\b({_CAP}(?:[ \t]+{_CAP}){{0,3}})[ \t]+({_PLACE_KINDS})s?\b")

# Capitalised words that start sentences or qualify a noun, never a name of their own
STOPWORDS = frozenset(
    "The A An This That These Those Its It Their His Her Our Your In On At For From By With As "
    "But And Or If When While After Before Since During Under Over Into Last Next New Old Some "
    "Any All Each Every Both Many Most Several Such Other Another One Two Three First Second "
    "Third Former State Federal National Global World Chief Senior Deputy Mr Ms Mrs Dr Prof "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Meanwhile However Analysts Officials "
    "According Shares Prices Sign Read Why How What Who Where Here There Western Eastern "
    "Northern Southern Central Minister President Secretary Government Ministry Company".split()
)


# Words that make a capitalised sequence an organisation or a generic phrase, never a person
ORG_WORDS = frozenset(ORG_SUFFIXES) | frozenset(
    "Research Advisors Advisers Consultants Consulting Commodities Intelligence Lab Labs "
    "Entertainment Digital Analytics Insights Markets Strategies Strategy Policy Partners "
    "Securities Investments Ventures Media News Press Times Journal Reuters Bloomberg "
    "Department Office Bureau Survey Service Services Reserve Treasury Court Parliament".split()
)
UNITS = frozenset("GW MW GWh MWh TWh kt Mt bcm bpd".split())
GENERIC = frozenset(
    "Critical Raw Strategic Rare Earth Earths Mineral Minerals Material Materials Metal Metals "
    "Energy Natural Resource Resources International Renewable Clean Green Existing GW MW GWh "
    "Battery Batteries Solar Wind Nuclear Oil Gas".split()
)
_ROLE_SINGLE_WORDS = frozenset(w for w in re.split(r"[|\[\] -]+", _ROLE_WORDS) if w)


_ROLE_ANCHORS = frozenset(w.casefold() for w in re.split(r"[|\[\] -]+", _ROLE_WORDS) if w)
_ORG_ANCHORS = frozenset(w.casefold() for w in ORG_SUFFIXES) | frozenset(
    "department bureau office institute".split()
)
_PLACE_ANCHORS = frozenset(
    w for k in _PLACE_KINDS.split("|") for w in (k.split()[-1], k.split()[-1] + "s")
)
_SAID_ANCHORS = frozenset({"said", "says", "according"})
# nouns an appositive uses to say a name is an organisation, with the kind it gets
APPOSITIVE_HEADS: dict[str, str] = {
    **dict.fromkeys(
        "company group firm conglomerate maker manufacturer producer supplier developer "
        "operator carrier utility refiner trader chipmaker automaker carmaker startup "
        "retailer exporter insurer".split(),
        "company",
    ),
    "miner": "miner",
    "bank": "bank",
    "lender": "bank",
}
_APPOSITIVE_ANCHORS = frozenset(APPOSITIVE_HEADS) | frozenset(
    {"unit", "subsidiary", "division", "affiliate"}
)
_HONORIFIC_ANCHORS = frozenset({"mr", "ms", "mrs", "dr", "prof"})
_ANCHOR_WORDS = (
    _ROLE_ANCHORS
    | _ORG_ANCHORS
    | _PLACE_ANCHORS
    | _SAID_ANCHORS
    | _HONORIFIC_ANCHORS
    | _APPOSITIVE_ANCHORS
)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Anchors:
    """Where the words each recogniser needs occur: the patterns only run around them.

    Scanning every character with a many-alternative pattern costs far more than one set
    lookup per word, and names only ever sit next to these words.
    """

    role: list[int]
    said: list[int]
    honorific: list[int]
    organisation: list[int]
    place: list[int]
    bracket: list[int]
    appositive: list[int]


def find_anchors(
    text: str, words: Sequence[re.Match[str]] | None = None, keys: Sequence[str] | None = None
) -> Anchors:
    if words is None:
        words = list(_WORD.finditer(text))
    if keys is None:
        keys = [w.group(0).casefold() for w in words]
    anchors = Anchors([], [], [], [], [], [], [])
    for word, key in zip(words, keys, strict=True):
        if key not in _ANCHOR_WORDS:
            continue
        at = word.start()
        for vocabulary, found in (
            (_ROLE_ANCHORS, anchors.role),
            (_SAID_ANCHORS, anchors.said),
            (_HONORIFIC_ANCHORS, anchors.honorific),
            (_ORG_ANCHORS, anchors.organisation),
            (_PLACE_ANCHORS, anchors.place),
            (_APPOSITIVE_ANCHORS, anchors.appositive),
        ):
            if key in vocabulary:
                found.append(at)
    at = text.find("(")
    while at != -1:
        anchors.bracket.append(at)
        at = text.find("(", at + 1)
    return anchors


def _windowed(
    pattern: re.Pattern[str], text: str, anchors: Sequence[int], before: int, after: int
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` within ``before``/``after`` characters of any anchor."""
    windows: list[list[int]] = []
    for at in anchors:
        lo, hi = max(0, at - before), min(len(text), at + after)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        yield from pattern.finditer(text, lo, hi)


@dataclass(frozen=True)
class NameCandidate:
    """A recognised span not (yet) linked to a gazetteer entity."""

    type: EntityType
    name: str  # the canonical name this span proposes
    start: int
    end: int
    role: str | None = None
    kind: str | None = None
    alias: str | None = None  # an acronym the text defines for this name


def _words(span: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’][^\W_]+)?", span)


_LEADING_WORD = re.compile(r"(\S+)[ \t]+")
_OWNER = re.compile(r".*(?:['’]s|-based)[ \t]+")


def _trim_leading_stopwords(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop owners ("Belgium's", "Lubumbashi-based") and function words ("The") up front."""
    owner = _OWNER.match(text, start, end)
    if owner is not None:
        start = owner.end()
    while True:
        first = re.compile(r"[^\s]+[ \t]+").match(text, start, end)
        if first is None or first.group(0).strip() not in STOPWORDS:
            return start, end
        start = first.end()


def suffix_organisations(text: str, anchors: Anchors | None = None) -> Iterator[NameCandidate]:
    anchors = anchors or find_anchors(text)
    for match in _windowed(_SUFFIX_ORG, text, anchors.organisation, 240, 24):
        start, end = _trim_leading_stopwords(text, match.start(1), match.end(2))
        while (first := _LEADING_WORD.match(text, start, match.end(1))) and (
            first.group(1) in UNITS
        ):
            start = first.end()  # "8.4 GW Dogger Bank"
        if start >= match.end(1):
            continue  # nothing but owners and function words before "Group"
        suffix = match.group(2)
        end = match.end(3) if match.group(3) and suffix in _ABBREVIATED else match.end(2)
        name_words = _words(text[start : match.end(1)])
        if not name_words or all(w in STOPWORDS or w in GENERIC for w in name_words):
            continue
        yield NameCandidate("organisation", _clean(text[start:end]), start, end, kind="company")
    for match in _windowed(_PREFIX_ORG, text, anchors.organisation, 0, 240):
        kind = "ministry" if match.group(1).startswith(("Ministry", "Department")) else "agency"
        if match.group(1).startswith("Bank"):
            kind = "bank"
        name = _clean(match.group(1))
        yield NameCandidate("organisation", name, match.start(1), match.end(1), kind=kind)


def acronym_definitions(text: str, anchors: Anchors | None = None) -> Iterator[NameCandidate]:
    """``Long Name (ACR)`` where the acronym's letters run through the name in order."""
    anchors = anchors or find_anchors(text)
    for match in _windowed(_ACRONYM_DEF, text, anchors.bracket, 320, 16):
        acronym = match.group(2).rstrip(".")
        letters = [c for c in acronym if c.isalpha()]
        if sum(c.isupper() for c in letters) < max(2, len(letters) - 1):
            continue
        start = match.start(1)
        end = match.end(1)
        while start < end:
            long_name = text[start:end]
            if long_name[0].upper() == acronym[0].upper() and _spells(acronym, long_name):
                break
            nxt = re.search(r"[ \t]+", long_name)
            if nxt is None:
                start = end
                break
            start += nxt.end()
        if start >= end or len(_words(text[start:end])) < 2:
            continue
        yield NameCandidate(
            "organisation", _clean(text[start:end]), start, end, kind="agency", alias=acronym
        )


def _spells(acronym: str, name: str) -> bool:
    letters = iter(name.casefold())
    return all(c in letters for c in acronym.casefold() if c.isalnum())


def people(text: str, anchors: Anchors | None = None) -> Iterator[NameCandidate]:
    anchors = anchors or find_anchors(text)
    found: list[NameCandidate | None] = [
        _person(match.group(2), match.start(2), role=_role(match.group(1)))
        for match in _windowed(_ROLE_THEN_NAME, text, anchors.role, 100, 300)
    ]
    found.extend(
        _person(match.group(1), match.start(1), role=_role(match.group(2)))
        for match in _windowed(_NAME_THEN_ROLE, text, anchors.role, 160, 260)
    )
    for match in _windowed(_SAID, text, anchors.said, 60, 80):
        group = 1 if match.group(1) else 2
        found.append(_person(match.group(group), match.start(group), role=None))
    yield from (c for c in found if c is not None)
    for match in _windowed(_HONORIFIC, text, anchors.honorific, 1, 60):
        # "Mr Nishimura": a surname alone; extract links it to a full name seen before
        yield NameCandidate("person", match.group(1), match.start(1), match.end(1))


def _person(name: str, start: int, *, role: str | None) -> NameCandidate | None:
    # "Secretary Scott Bessent" -> "Scott Bessent"
    while (first := re.match(r"(\S+)[ \t]+", name)) is not None and (
        first.group(1) in STOPWORDS or first.group(1).casefold() in _ROLE_SINGLE_WORDS
    ):
        start += first.end()
        name = name[first.end() :]
    words = name.split()
    if len(words) < 2 or any(w in ORG_WORDS or w in STOPWORDS for w in words):
        return None
    return NameCandidate("person", _clean(name), start, start + len(name), role=role)


def _role(phrase: str) -> str:
    # "Japan's Minister for ..." keeps the role, not its owner
    words = _clean(phrase).split(" ")
    owner = [n for n, w in enumerate(words) if w.endswith("'s")]
    if owner:
        words = words[owner[-1] + 1 :]
    return " ".join(words).strip(" ,")


def places(text: str, anchors: Anchors | None = None) -> Iterator[NameCandidate]:
    anchors = anchors or find_anchors(text)
    for match in _windowed(_PLACE, text, anchors.place, 140, 24):
        start, _ = _trim_leading_stopwords(text, match.start(1), match.end(2))
        # "8.4 GW Dogger Bank South project": units and generic words do not start a name
        while (first := _LEADING_WORD.match(text, start, match.end(1))) and (
            first.group(1) in GENERIC
        ):
            start = first.end()
        if start >= match.end(1):
            continue
        words = _words(text[start : match.end(1)])
        if not words or all(w in STOPWORDS or w in GENERIC for w in words):
            continue
        kind = match.group(2).casefold().replace("oil field", "oilfield")
        end = match.end(2)
        yield NameCandidate("place", _clean(text[start:end]), start, end, kind=kind.split()[-1])


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()
