"""Who imposes a policy action and on whom, decided from the words around the trigger.

The nearest actor before "tariff" or "sanctions" usually imposes it ("the White House
threatened tariffs"), but not when the sentence says the actor suffers it ("Indonesia faces a
headline tariff", "Russia, whose revenues are squeezed by Western sanctions"), when the trigger
is denied ("The European Union has not sanctioned VSMPO") or when "sanctioned" means approved
("when the project was sanctioned"). All offsets are relative to the sentence text.
"""

from __future__ import annotations

import re

# the actor ending before these words, and before the trigger, is on the receiving end
_SUFFERS = re.compile(
    r"\b(?:fac(?:es?|ed|ing)|hit[ \t]+(?:by|with)|squeezed[ \t]+by|subject(?:ed)?[ \t]+to|"
    r"targeted[ \t]+(?:by|with)|affected[ \t]+by|suffer(?:s|ed|ing)?[ \t]+from)"
    r"(?:[ \t]+(?!(?:in|of|to|for|on|with|from|at|by|about|over|under|against)\b)[^\s,;:]+)"
    r"{0,4}?[ \t]+$",
    re.I,
)
# how far an actor may stand before the trigger, and before the verb, and still face it
_SUFFER_SPAN = 120
_VERB_SPAN = 50
# between the actor and that verb: an apposition or relative clause, not another clause
_OTHER_CLAUSE = re.compile(
    r"\b(?:said|says|told|according|to|or|when|while|whereas|because|but|if|after|before|since)"
    r"\b|[;:]",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:(?:not|never|n['’]t|no[ \t]+plans?[ \t]+to|ruled?[ \t]+out|rules[ \t]+out|"
    r"declined[ \t]+to|refused[ \t]+to)(?![ \t]+only\b)"
    r"(?:[ \t]+(?!(?:in|of|for|on|with|from|at|by|about)\b)[a-z][\w-]*){0,2}|"
    r"no(?:[ \t]+new)?)[ \t]+$",
    re.I,
)
_LOOK_BACK = 60
# "sanctioned" as approved: "the project was sanctioned", "the board sanctioned the plan"
_APPROVED_THING = (
    "project|projects|plan|plans|development|field|scheme|deal|merger|expansion|investment|"
    "proposal|budget|spending"
)
_APPROVED_PASSIVE = re.compile(
    rf"\b(?:{_APPROVED_THING})[ \t]+(?:was|were|is|are|has[ \t]+been|had[ \t]+been|been|be|"
    r"being)[ \t]+(?:[a-z]+ly[ \t]+)?$",
    re.I,
)
_APPROVED_OBJECT = re.compile(
    rf"[ \t]+(?:(?:the|a|an|its|their|this|that)[ \t]+)?(?:[a-z][\w-]*[ \t]+)?"
    rf"(?:{_APPROVED_THING})\b(?![ \t]+(?:by|for|to)\b)",
    re.I,
)
# "electricity tariffs", "feed-in tariff", "tariff rates for power", "file tariffs with the
# FCC": a utility's or carrier's price list, not a trade measure
_PRICE_LIST_BEFORE = re.compile(
    r"\b(?:feed-?in|electricity|electric|power|gas|water|heating|energy|utility|utilities|"
    r"retail|grid|network|transmission|distribution|telephone|phone|telecoms?|postal|rail|"
    r"freight|passenger|household|domestic[ \t]+(?:power|gas|electricity)|consumer|customer|"
    r"end-?user|file|filed|files|filing)[ \t]+$",
    re.I,
)
_PRICE_LIST_AFTER = re.compile(
    r"[ \t]+(?:(?:rates?|levels?|increases?|cuts?|rises?)[ \t]+)?(?:for|paid[ \t]+by|"
    r"charged[ \t]+(?:to|by))[ \t]+(?:[\w-]+[ \t]+){0,2}?(?:power|electricity|gas|water|"
    r"heating|households?|consumers?|customers?|users?|subscribers?|calls?)\b|[ \t]+(?:sales|"
    r"filings?|schedules?)\b",
    re.I,
)
_POLICY_NOUN = re.compile(
    r"(?:['’]s)?[ \t]+(?:[a-z][\w-]*[ \t]+)?(?:sanctions?|tariffs?|dut(?:y|ies)|levy|levies|"
    r"export[ \t]+(?:controls?|bans?|curbs?|restrictions?)|quotas?|entity[ \t]+list|"
    r"price[ \t]+cap|blacklists?)\b",
    re.I,
)


def void(text: str, start: int, end: int, names: list[tuple[int, int]]) -> bool:
    """The trigger at ``text[start:end]`` states no action: part of a recognised name in
    ``names`` ("the General Agreement on Tariffs and Trade"), denied ("has not sanctioned", "no
    plans to impose tariffs", "ruled out export curbs"), an approval ("the project was
    sanctioned") or a price list ("electricity tariffs", "feed-in tariff"); not "sanctioned a
    Chinese refinery" nor "not only tariffs"."""
    if any(s <= start and end <= e for s, e in names):
        return True
    if _NEGATION.search(text, max(0, start - _LOOK_BACK), start) is not None:
        return True
    if text[start:end].lower().startswith("tariff") and (
        _PRICE_LIST_BEFORE.search(text, max(0, start - _LOOK_BACK), start) is not None
        or _PRICE_LIST_AFTER.match(text, end) is not None
    ):
        return True
    if not text[start:end].lower().startswith("sanction") or text[start:end].lower() in {
        "sanction",
        "sanctions",
    }:
        return False
    return (
        _APPROVED_PASSIVE.search(text, max(0, start - _LOOK_BACK), start) is not None
        or _APPROVED_OBJECT.match(text, end) is not None
    )


def faces(text: str, end: int, trigger_start: int) -> bool:
    """The actor ending at ``end`` faces the policy named at ``trigger_start``: "Indonesia
    faces a headline tariff", "China, which faces 145% US tariffs", "Russia, whose revenues are
    squeezed by Western sanctions"; not "Japan imposed tariffs", "Qatar has faced difficulty in
    selling its quota" or "require countries with the U.S. to cut surpluses or face tariffs"."""
    if not 0 <= trigger_start - end <= _SUFFER_SPAN:
        return False
    verb = _SUFFERS.search(text, end, trigger_start)
    return (
        verb is not None
        and verb.start() - end <= _VERB_SPAN
        and _OTHER_CLAUSE.search(text, end, verb.start()) is None
    )


def names_the_imposer(text: str, end: int) -> bool:
    """The actor ending at ``end`` qualifies a policy noun ("US sanctions on Russia", "China's
    export controls"): whose the action is, never its target."""
    return _POLICY_NOUN.match(text, end) is not None
