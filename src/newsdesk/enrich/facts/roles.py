"""Which entity mentions may fill a fact's roles, decided from the words around them.

A gazetteer tags "Belgian", "UK" and "White House" wherever they occur, but a sentence often
names a country only to describe someone else ("Sibelco, the privately held Belgian minerals
company", "Norway's Elkem", "Offshore Energies UK") or names a body only as the venue or the
speaker of an announcement ("..., Wei announced at the White House", "..., the ministry said").
Such mentions are neither investor nor target, and a venue is no party to an agreement. A
country that is itself the subject ("Japan will invest", "the Japanese government",
"Canberra's total commitment") still is. All offsets here are relative to the sentence text.
"""

from __future__ import annotations

import re

# after a country, these words make it the state acting: "the Japanese government"
_GOVERNMENT = frozenset(
    "government governments authorities officials official administration cabinet "
    "ministry ministries treasury parliament congress lawmakers regulators regulator leaders "
    "leader president prime premier minister ministers negotiators delegation".split()
)
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)
_FUNCTION_WORDS = (
    "and|or|to|in|on|of|for|with|from|by|its|their|his|her|the|a|an|is|are|was|were|has|have|"
    "had|will|would|could|can|may|also|now|then|as|at"
)
_ORGANISATION_NOUNS = (
    "company|companies|firms?|groups?|developer|miner|producer|maker|refiner|giant|lender|"
    "banks?|funds?|operator|utility|conglomerate|carrier|airline|chipmaker|automaker|"
    "investors?|supplier|trader|body|association|consortium|subsidiary|unit|start-?up|"
    "manufacturer|insurer|owner|shipper|exporter|importer|dealers?|trusts?|clubs?|managers?"
)
_NEXT_WORD = re.compile(r"(['’]s)?[ \t]+([^\W\d_]+)(-?)")
# "US industrial gas company Air Products": a country name before a kind of organisation
_BEFORE_ORGANISATION = re.compile(
    rf"(?:[ \t]+(?!(?:{_FUNCTION_WORDS})\b)[a-z][\w-]*){{0,3}}?[ \t]+(?:{_ORGANISATION_NOUNS})\b"
)
_NAME_WORD_BEFORE = re.compile(r"(?<![\w.])([A-Z][\w&-]*)[ \t]+$")
# "Canberra's total commitment", "TSMC's planned US spending", "Japanese investment": whose
# the trigger noun is; not "Norway's Elkem will invest"
_OWNER = re.compile(
    rf"(?:['’]s(?:[ \t]+(?!(?:{_FUNCTION_WORDS}|plans?)\b)(?:[a-z][\w-]*|[A-Z]{{2,4}}\b|[$€£¥\d]"
    r"[^\s,;:()]*))"
    r"{0,3}?)?[ \t]+"
)
_ORGANISATION_AFTER = re.compile(rf"[ \t]+(?:[a-z]+[ \t]+)?(?:{_ORGANISATION_NOUNS})\b")
# a new clause or a report of the news starts: what follows is not the investment's object
_CLAUSE_BREAK = re.compile(
    r"\b(?:said|says|announced|announces|told|according to|reported|when|while|whereas|"
    r"although|though|because|after|which|who|where)\b|,[ \t]+(?-i:(?!including\b)[a-z]+ing)\b",
    re.I,
)
_SPEAKS = re.compile(
    r"[ \t]*,?[ \t]*(?:said|says|announced|announces|told|reported|confirmed|estimated|"
    r"estimates)\b"
)
_REPORTED_SUBJECT = re.compile(r"(?:[ \t]+that)?[ \t]+(?:the[ \t]+)?")
# the patterns ending at a mention need no more text before it than this
_LOOK_BACK = 160
_IN_CITY = re.compile(r"\b(?:in|at)[ \t]+$")
_VENUE = re.compile(
    r"\b(?:at|(?:valued|estimated|reported)[ \t]+by)[ \t]+"
    r"(?:(?:the|a|an)[ \t]+)?(?:[A-Z][\w.&'’-]*[ \t]+){0,3}$"
)


def describes_another(text: str, start: int, end: int, role: str | None) -> bool:
    """True when the country named at ``text[start:end]`` only describes another name or noun.

    "Belgian industrial minerals company", "Saudi developer ACWA Power", "Norway's Elkem",
    "Japan Tobacco", "Offshore Energies UK"; but not "Japan will", "Emirati officials", "the
    Japanese government", "Japan's government", "US$" or a country at the end of a clause.
    """
    before = _NAME_WORD_BEFORE.search(text, max(0, start - _LOOK_BACK), start)
    if before is not None and before.start() > 0 and before.group(1).lower() not in _CALENDAR:
        return True  # the last word of a longer name: "Offshore Energies UK"
    after = _NEXT_WORD.match(text, end)
    if after is None:
        return False
    possessive, word, hyphen = after.groups()
    folded = word.lower()
    if (folded in _GOVERNMENT and not hyphen) or re.fullmatch(_FUNCTION_WORDS, folded):
        return False  # "the Japanese government"; "the U.S. Is spending" (wire-style capitals)
    if word[0].isupper() or (role == "demonym" and not possessive):
        return True  # "Norway's Elkem", "Japan Tobacco", "Belgian minerals company"
    return _BEFORE_ORGANISATION.match(text, after.end(1) if possessive else end) is not None


def owns(text: str, end: int, triggers: list[tuple[int, int]]) -> bool:
    """The mention ending at ``end`` is whose the investment is: "Canberra's total commitment",
    "Japanese investment"; not "Canadian investment dealers" or "Capital Funding" (a name)."""
    for start, trigger_end in triggers:
        owner = _OWNER.fullmatch(text, end, start) if start > end else None
        if owner is None or _ORGANISATION_AFTER.match(text, trigger_end) is not None:
            continue
        if owner.group(0).startswith(("'", "’")) or text[start].islower():
            return True
    return False


def speaks(text: str, end: int) -> bool:
    """The mention ending at ``end`` is the speaker of a report: "the White House said"."""
    return _SPEAKS.match(text, end) is not None


def speaks_of_another(text: str, end: int, next_start: int) -> bool:
    """The mention ending at ``end`` reports what the next one, at ``next_start``, does:
    "Quixote said Dainippon will buy"; not "Amazon said it would invest"."""
    said = _SPEAKS.match(text, end)
    return (
        said is not None and _REPORTED_SUBJECT.fullmatch(text, said.end(), next_start) is not None
    )


def at_venue(text: str, start: int) -> bool:
    """The mention starting at ``start`` is where something happened or who gave the news:
    "at the White House", "a deal valued by the White House at $96 billion"."""
    return _VENUE.search(text, max(0, start - _LOOK_BACK), start) is not None


def venue_of_signing(text: str, start: int, role: str | None) -> bool:
    """Where an agreement was made, not a party to it: "at the White House", "signed in Paris"
    (a capital after "in" names the city; "with Namibia" or "Japan and Namibia" are parties)."""
    return at_venue(text, start) or (
        role == "capital" and _IN_CITY.search(text, max(0, start - _LOOK_BACK), start) is not None
    )


def clause_end(text: str, position: int) -> int:
    """Where the clause holding ``position`` gives way to another or to who reported it."""
    found = _CLAUSE_BREAK.search(text, position)
    return found.start() if found is not None else len(text)


# "Utilities Investment Inc", "Capital Funding Corp", "Savings and Loan Association": a
# capitalised trigger word inside a run of capitalised words names an organisation
_NAME_NEXT = re.compile(r"[ \t]+(?:(?:and|&)[ \t]+)?[A-Z][\w&'’.-]*")
_NAME_PREVIOUS = re.compile(r"(?<![\w'’])([A-Z][\w&'’.-]*)[ \t]+(?:(?:and|&)[ \t]+)?$")
# "investment dealers", "an investment banking firm": a kind of firm, not an investment
_KIND_OF_FIRM = re.compile(
    r"[ \t]+(?:bank(?:s|ers?|ing)?|compan(?:y|ies)|firms?|trusts?|advis[eo]rs?|managers?|"
    r"dealers?|houses?)\b"
)
_DETERMINERS = frozenset("the a an this that these those its their our his her".split())
_THRIFT = re.compile(r"\bsavings[ \t]+and[ \t]+$", re.I)  # "savings and loan" is a kind of bank


def in_name(text: str, start: int, end: int, names: list[tuple[int, int]]) -> bool:
    """The trigger word at ``text[start:end]`` is part of a name, not the investment word:
    inside a recognised entity (``names``), or a capitalised word next to other capitalised
    words ("Utilities Investment Inc", "Dumez Investments", "Savings and Loan Association");
    not "Investment in the plant ..." at the start of a sentence, nor wire text in capitals."""
    if any(s <= start and end <= e for s, e in names):
        return True
    if _THRIFT.search(text, max(0, start - 20), start) is not None:
        return True
    word = text[start:end]
    if _KIND_OF_FIRM.match(text, end) is not None:
        return True
    if not word[:1].isupper() or word.isupper():
        return False
    if _NAME_NEXT.match(text, end) is not None:
        return True
    previous = _NAME_PREVIOUS.search(text, max(0, start - _LOOK_BACK), start)
    if previous is None or previous.group(1).endswith("."):
        return False  # wire style capitalises after "U.S.": "expected a U.S. Investment of"
    return previous.group(1).lower() not in _DETERMINERS
