"""The words and patterns that make a sentence state a fact, and the details it gives.

Kept apart from :mod:`extract` so the decision logic there reads without the vocabulary.
"""

from __future__ import annotations

import re

AGREEMENT = re.compile(
    r"\b(?:agreements?|deals?|memorandum of understanding|MoU|MOU|partnership|pact|accord|"
    r"contracts?|joint venture|offtake|acqui(?:re[sd]?|ring|sition)|takeover|merger|"
    r"agreed to|agree to|signed with|team(?:ed)? up)\b"
)
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("acquisition", re.compile(r"\b(?:acqui(?:re[sd]?|ring|sition)|takeover|merger)\b", re.I)),
    ("offtake", re.compile(r"\bofftake\b", re.I)),
    ("MoU", re.compile(r"\b(?:memorandum of understanding|MoU|MOU)\b")),
    ("exploration", re.compile(r"\bexplor(?:e|es|ed|ing|ation)\b", re.I)),
    (
        "supply",
        re.compile(
            r"\b(?:suppl(?:y|ies|ied|ying)(?![ \t]+chains?)|deliver(?:y|ies)?|sales? agreement)\b",
            re.I,
        ),
    ),
    (
        "partnership",
        re.compile(r"\b(?:partner(?:ship|s|ed)?|joint venture|cooperation|collaboration)\b", re.I),
    ),
)
ANAPHOR = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)[ \t]+(?:agreement|deal|pact|accord|partnership)\b"
)
STATUS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "terminated",
        re.compile(
            r"\b(?:cancel(?:l?ed|s)?|terminat(?:ed|es)|scrapp(?:ed)|collapsed|walked away)\b", re.I
        ),
    ),
    (
        "planned",
        re.compile(
            r"\b(?:will sign|to sign|plans? to|in talks|negotiat\w*|proposed|considering|"
            r"seeks? to|could)\b",
            re.I,
        ),
    ),
    ("completed", re.compile(r"\b(?:complet(?:ed|es)|closes|closed|finali[sz]ed)\b", re.I)),
    ("extended", re.compile(r"\b(?:extend(?:s|ed)|renew(?:s|ed))\b", re.I)),
    (
        "signed",
        re.compile(
            r"\b(?:sign(?:s|ed|ing)|seal(?:s|ed)|ink(?:s|ed)|agreed|struck|concluded|awards?|"
            r"awarded|wins?|won|lands?|clears?|cleared|approves?|approved)\b",
            re.I,
        ),
    ),
    ("active", re.compile(r"\b(?:already|involved in|existing|ongoing)\b", re.I)),
)
MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(rf"\b(?:({MONTH})[ \t]+)?((?:19[5-9]|20\d)\d)\b")
INVESTMENT = re.compile(
    r"\b(?:invest(?:s|ed|ing|ment|ments)?|investier\w*|investition\w*|stake|funding|"
    r"capital (?:raise|injection)|"
    r"spend(?:s|ing)?|pledge[sd]?|commit(?:s|ted|ment)?|build-out|loan)\b",
    re.I,
)
PERIOD = re.compile(
    r"\b(?:over the (?:next|coming) \d+ years|over \d+ years|(?:by|through|until|from|in) "
    r"(?:19|20)\d\d(?:[ \t]*(?:-|–|to|and)[ \t]*(?:19|20)\d\d)?|this year|next year|last year|"
    r"a year|per year|annually|per annum|in the (?:first|second|third|fourth) quarter)\b",
    re.I,
)
FORECAST = re.compile(
    r"\b(?:forecasts?|expect(?:s|ed)?|projected|projections?|estimates?|outlook|guidance|"
    r"will|would|target(?:s|ed)?|plans?|aims?|could|may|predict(?:s|ed)?|slashed|trimmed)\b",
    re.I,
)
CHANGE_AFTER = re.compile(r"[ \t]*(lower|higher|less|more|fewer|down|up)\b", re.I)
CHANGE_BEFORE = re.compile(
    r"\b(up|down|rose|rises?|increase[sd]?|climb(?:s|ed)|gain(?:s|ed)|add(?:s|ed)?|raise[sd]?|"
    r"lift(?:s|ed)?|boost(?:s|ed)?|fell|falls?|drop(?:s|ped)?|decrease[sd]?|decline[sd]?|cuts?|"
    r"trim(?:s|med)?|reduce[sd]?|lower(?:s|ed)?|remove[sd]?)\b(?:[ \t]+[\w-]+){0,3}?[ \t]+"
    r"(?:by(?:[ \t]+(?:a further|another|roughly|about|around|some|nearly|almost))?|another|"
    r"a further)[ \t]+$",
    re.I,
)
NEGATIVE = re.compile(
    r"^(?:lower|less|fewer|down|fell|falls?|drop|decrease|decline|cut|trim|reduce|remove)", re.I
)
POLICY: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "export_control",
        re.compile(
            r"\b(?:export (?:controls?|bans?|restrictions?|curbs?|licen[cs]es?|quotas?)|"
            r"(?:bans?|banned|barred|curbs?|restrict(?:s|ed)?) (?:the )?(?:exports?|sales?)|"
            r"licen[cs]e requirements?|chip curbs?|requires? licen[cs]es)\b",
            re.I,
        ),
    ),
    (
        "sanction",
        re.compile(
            r"\b(?:sanction(?:s|ed|ing)?|blacklist(?:s|ed)?|entity list|price cap|"
            r"asset freezes?)\b",
            re.I,
        ),
    ),
    ("tariff", re.compile(r"\b(?:tariffs?|duties|import tax|levy|levies)\b(?![ \t]+wars?)", re.I)),
    ("import_ban", re.compile(r"\b(?:import bans?|bans? (?:on )?imports?)\b", re.I)),
    ("quota", re.compile(r"\bquotas?\b", re.I)),
)
TOKEN = re.compile(r"[^\W_]+")
DIGIT = re.compile(r"\d")
# words without which a sentence cannot state a fact of the type (checked before the patterns)
TRIGGER_WORDS: dict[str, frozenset[str]] = {
    "agreement": frozenset(
        "agreement agreements deal deals memorandum mou partnership pact accord contract "
        "contracts venture offtake acquire acquires acquired acquiring acquisition takeover "
        "merger agreed agree signed team teamed".split()
    ),
    "investment": frozenset(
        "invest invests invested investing investment investments investiert investition "
        "investitionen stake funding capital spend spends spending pledge pledged pledges "
        "commit commits committed commitment build loan".split()
    ),
    "policy": frozenset(
        "tariff tariffs duty duties levy levies tax export exports sanction sanctions "
        "sanctioned sanctioning blacklist blacklists blacklisted entity cap freeze freezes "
        "licence licences license licenses ban bans banned barred curb curbs restrict "
        "restricts restricted restriction restrictions quota quotas import imports requires "
        "require".split()
    ),
}
JOIN = re.compile(r"[ \t]*(?:,|and|&|,[ \t]*and)[ \t]*")
