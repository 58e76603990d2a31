"""Which actors named in an agreement sentence are parties to the agreement.

Any organisation or state near "agreement" used to be a party. But a sentence also names who
reported the deal ("..., a spokesman for Metallgesellschaft AG said"), the parent of a party
("Gulton Industries, a unit of Mark IV Industries"), who approved or advised on it ("approved by
the European Commission", "advised by Goldman Sachs") and where it happened ("the largest
takeover in Germany", "signed in Paris"). None of these signed. Who did is named the usual way:
"X and Y signed", "X agreed with Y", "an agreement between X and Y". All offsets are relative to
the sentence text.
"""

from __future__ import annotations

import re

from newsdesk.enrich.facts import roles

_LOOK_BACK = 160
# "in Germany", "in the United States", "across China": the place a deal concerns or was made
_IN_PLACE = re.compile(
    r"\b(?:in|at|across|throughout|inside|within|under)[ \t]+(?:the[ \t]+)?$", re.I
)
_POSSESSIVE = re.compile(r"['’]s\b")
# "Gulton Industries Inc, a unit of Mark IV Industries": the parent only describes the party
_PARENT = re.compile(
    r"\b(?:a|an|the)[ \t]+(?:[\w-]+[ \t]+){0,3}?(?:units?|divisions?|subsidiar(?:y|ies)|"
    r"affiliates?|arms?|members?|parts?|owners?)[ \t]+of[ \t]+(?:the[ \t]+)?$",
    re.I,
)
# "approved by the European Commission", "advised by Goldman Sachs", "a spokesman for X"
_BY_OTHERS = re.compile(
    r"\b(?:(?:approved|cleared|blocked|reviewed|authori[sz]ed|advised|arranged|underwritten|"
    r"financed|backed)[ \t]+by|advis[eo]rs?[ \t]+(?:to|for)|spokes(?:man|woman|person)[ \t]+for|"
    r"according[ \t]+to)[ \t]+(?:the[ \t]+)?(?:[A-Z][\w.&'’-]*[ \t]+){0,3}$",
    re.I,
)
# "The European Commission has approved the acquisition": a state or bloc that rules on it
_RULES_ON = re.compile(
    r"[ \t]+(?:has[ \t]+|have[ \t]+|had[ \t]+|on[ \t]+\w+[ \t]+)?(?:approved|cleared|blocked|"
    r"authori[sz]ed|vetoed)\b"
)
# ", a spokesman for Metallgesellschaft AG said.", ", the Air Force said": the sentence's last
# clause reports the news; a party speaks up front ("Sibelco said it had signed")
_REPORTING_TAIL = re.compile(
    r"[^,;:\"“”]{0,80}?\b(?:said|says|told[ \t]+\w+|announced|reported|added|noted)\b"
    r"(?![ \t]+(?:it|he|she|they|we|that|there|its|their|this|these|the)\b)[^,;:\"“”]{0,40}$"
)
# "Mobil has received a contract for jet fuel, the Defense Logistics Agency said": whoever
# announces an award is its buyer
_AWARD = re.compile(r"\b(?:award(?:s|ed|ing)?|receiv(?:es|ed|ing)|won|wins)\b", re.I)
_CLAUSE_START = re.compile(r"[,;:\"“”]")


def not_a_party(
    text: str, start: int, end: int, entity_type: str, role: str | None, *, trigger: int
) -> bool:
    """True when the actor named at ``text[start:end]`` is in the sentence for another reason
    than signing: reporter, parent of a party, approver, adviser or place of the deal.
    ``trigger`` is where the sentence's first agreement word starts."""
    window = max(0, start - _LOOK_BACK)
    if roles.venue_of_signing(text, start, role):
        return True
    if (
        entity_type in ("country", "place", "supranational")
        and _IN_PLACE.search(text, window, start) is not None
        and (_POSSESSIVE.match(text, end) is None or entity_type != "country" or role == "capital")
    ):
        # "in Germany", "under the EU's rules"; not "a stake in Germany's Uniper", which
        # stands for Uniper
        return True
    if start < trigger and _PARENT.search(text, window, start) is not None:
        # "Allen-Bradley Co, a unit of Rockwell, formed a joint venture"; but the parent of
        # what is bought or hired sells or supplies it: "acquired Hexam Inc, a unit of Kraft"
        return True
    if _BY_OTHERS.search(text, window, start) is not None:
        return True
    if entity_type in ("country", "supranational") and _RULES_ON.match(text, end) is not None:
        return True
    return _reports(text, start, end) and _AWARD.search(text) is None


def _reports(text: str, start: int, end: int) -> bool:
    """The mention sits in a reporting clause that closes the sentence after a comma."""
    if _REPORTING_TAIL.fullmatch(text.rstrip(" .\"'”’"), end) is None:
        return False
    return _CLAUSE_START.search(text, max(0, start - _LOOK_BACK), start) is not None
