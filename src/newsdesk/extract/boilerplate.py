"""Recognising boilerplate blocks that extractors let through: promos, teasers, notices.

Pure functions over the text of one block (a paragraph, heading or list item). They are
deliberately conservative: a block is boilerplate only if it is short and reads like a
known kind of site furniture, so article paragraphs that merely mention a newsletter stay.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from newsdesk.extract.alternation import AnyOf
from newsdesk.text.normalize import strip_invisible


class BoilerplateKind(StrEnum):
    TEASER = "teaser"  # "Read more", "Related articles", "Lesen Sie auch"...
    PROMO = "promo"  # newsletter sign-ups, subscriptions, app downloads, paywall pitches
    NOTICE = "notice"  # cookie, copy-protection and login notices
    SHARE = "share"  # share bars and follow-us lines
    CREDIT = "credit"  # copyright lines, image credits
    COMMENTS = "comments"  # comment-thread furniture
    AUTHOR_BOX = "author box"  # "About the author" bios and "all posts by" links
    CONTACT = "contact"  # a press release's closing "Pressekontakt:" heading
    BYLINE = "byline"  # a date, category or "posted by" line: metadata, kept apart from the text
    HEADLINE = "headline"  # the page's <h1> title at the top of the body: metadata too


def _alternation(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in phrases)


# Block starts that introduce links to other articles, in the languages news sites use most.
TEASER_STARTS = (
    "read more", "read also", "also read", "read next", "more from", "more on this",
    "related articles", "related stories", "related posts", "related coverage", "related:",
    "see also", "you may also like", "you might also like", "recommended for you",
    "most read", "most popular", "top stories", "more stories", "more news", "trending now",
    "lesen sie auch", "lesen sie mehr", "auch lesen", "auch interessant", "das könnte sie",
    "das könnte dich", "mehr zum thema", "weitere artikel", "weitere beiträge", "schon gelesen",
    "meistgelesen", "empfohlene artikel", "ebenfalls interessant", "passend dazu",
    "à lire aussi", "a lire aussi", "lire aussi", "voir aussi", "sur le même sujet",
    "lee también", "leer más", "te puede interesar", "notas relacionadas", "puedes ver",
    "más sobre", "mas sobre", "leggi anche", "potrebbe interessarti", "leia também",
    "leia mais", "veja também", "lees ook", "czytaj też", "czytaj także", "czytaj więcej",
    "dowiedz się więcej", "zobacz też", "läs också", "læs også", "les også",
    "lea también", "lea:", "le puede interesar", "contenido relacionado", "lesen sie hier",
    "more insights", "read more insights", "stay informed",
    "learn more", "continue reading", "mehr erfahren", "weiterlesen", "en savoir plus",
    "lea más", "lee más", "vea también", "ver también", "mire:", "mira:", "mehr themen",
    "weitere themen", "zum weiterlesen", "empfohlene beiträge", "vorschau auf den nächsten",
    "pour lire la suite", "top-themen", "auch auf", "previous article", "next article",
    "previous post", "next post", "vorheriger artikel", "nächster artikel",
    "lue myös", "lue lisää", "katso myös", "seguir leyendo", "saiba mais",
)  # fmt: skip
# Teaser-list headings whose words also open ordinary sentences ("Otras noticias apuntan a un
# acuerdo."): they count only as a heading on their own or before a colon or an arrow, maybe
# with a topic of up to four words that does not end as a sentence ("... aus der Arbeitswelt").
TEASER_HEADINGS = (
    "otras noticias", "más noticias", "mas noticias", "más leídas", "más leídos", "mas leidas",
    "lo más leído", "lo más visto", "noticias relacionadas", "artículos relacionados",
    "mais lidas", "mais lidos", "notícias relacionadas", "outras notícias",
    "weitere aktuelle themen", "weitere aktuelle artikel", "weitere aktuelle meldungen",
    "weitere aktuelle nachrichten", "weitere nachrichten", "weitere meldungen",
    "autres articles", "les plus lus", "articles les plus lus", "dans la même rubrique",
    # A list of the site's other pieces under a "Related <kind>" heading of its own.
    "related recipes", "related videos", "related content", "related reading", "related links",
    "related topics", "related news", "related products", "related guides",
)  # fmt: skip
# A teaser excerpt ends in a "more" link: "The board met on... more", "Die Stadt plant … mehr".
TEASER_ENDS = (
    r"(?:\.{3}|…)\s*\[?\s*(?:read\s+)?(?:more|mehr|weiterlesen|lire\s+la\s+suite|"
    r"leer\s+más|leia\s+mais|czytaj\s+dalej)\s*(?:»|>|›|→|\])?$"
)
PROMO_PATTERNS = (
    r"^sign\s+up\b", r"^sign-up(?:\s+(?:successful|complete|confirmed))?\W*$",
    r"sign\s+up\s+(?:now|here|today)",
    r"sign\s+up\s+(?:for|to)\b.*\b(?:newsletter|e-?mail|updates|alerts|mailing)",
    r"subscribe\s+(?:to|now|today|for)",
    r"subscribe\b.*\b(?:newsletter|inbox)", r"newsletter\b.*\b(?:sign|subscri|inbox|abonn)",
    r"(?:delivers?|straight|directly)\b.*\binbox", r"by\s+clicking\s+subscribe",
    r"to\s+(?:view|read|continue)\b.*\b(?:subscribe|subscription|subscriber)",
    r"download\s+the\b.*\bapps?\b", r"jetzt\s+(?:abonnieren|anmelden|registrieren)",
    r"newsletter\s+(?:abonnieren|bestellen)", r"zum\s+newsletter\s+anmelden",
    r"newsletter\b.*\b(?:erhalten|e-?mail|registr|inscri|suscri|posteingang|today)",
    r"(?:posteingang|inbox)\b.*\bnewsletter", r"\bfree\s+sign\s+up\b", r"never\s+miss\b",
    r"(?:rss|feed)\S*\s+abonnieren", r"könnte\s+(?:dich|sie)\s+auch\s+interessieren",
    r"(?:melden|tragen)\s+sie\s+sich\b.*newsletter",
    # A newsletter's German sign-up call: "... im kostenlosen Newsletter. Zur Anmeldung geht es
    # hier.", "Hier geht's zur Anmeldung".
    r"newsletter\b.*\b(?:zur\s+anmeldung|hier\s+(?:geht'?s\s+zur\s+anmeldung|anmelden))\b",
    # A pointer to the publisher's live coverage: "[Alle aktuellen Entwicklungen ... finden Sie
    # hier in unserem Newsblog.]", "+++ Alle aktuellen Informationen ... finden Sie in unserem
    # Live-Ticker +++".
    r"\bfinden\s+sie\b.{0,40}\b(?:in\s+unserem|im)\s+(?:news|live)-?(?:blog|ticker)\b",
    r"inscrivez-vous\b.*newsletter", r"suscr[íi]bete", r"abonnez-vous",
    r"^interested\s+in\s+learning\s+more\W*$", r"^gain\s+access\s+to\b",
    r"^(?:upgrade|elevate)\s+your\b.*\b(?:pro|premium|plan|subscription)",
    r"^[\w\s]{0,30}\bnewsletter$", r"^s[íi]guenos\s+en\b", r"^follow\s+us\b", r"^hazte\s+miembro",
    r"canal\s+de\s+(?:telegram|youtube|whatsapp)", r"(?:consider|start)\s+supporting\b",
    r"^(?:we\s+need\s+your\s+help|support\s+(?:us|our\s+(?:work|journalism)))\b",
    r"already\s+a\s+subscriber", r"log\s+in\s+for\s+(?:immediate\s+)?access",
    r"pour\s+accéder\s+en\s+illimité", r"^unterstütze\b", r"\bim\s+abo\b.*\be-?paper",
    # A publisher's donation appeal: "Wir finanzieren uns durch Spenden und Abos. Unterstütze
    # unsere Arbeit…", "Support independent journalism".
    r"\bunterstütze\s+unsere\s+arbeit\b", r"\bsupport\s+independent\s+journalism\b",
    r"\bwir\s+finanzieren\s+uns\s+(?:\w+\s+){0,2}(?:durch|über|aus|mit)\s+(?:spenden|abos\b)",
    r"^(?:anzeige|werbung|advertisement|sponsored|publicidad|reklama|publicité|pubblicità|"
    r"advertentie|annonse|annons|mainos|реклама|publicidade)(?:\s*[:\-–\]|]|\s+für\b|$)",
    r"enthält\s+(?:affiliate[\s-]links|werbung)", r"affiliate\s+links?\s*\)?$",
)  # fmt: skip
NOTICE_PATTERNS = (
    r"content\s+is\s+protected", r"\bright[\s-]click\b.*\bdisabled",
    r"(?:we|this\s+(?:web)?site)\s+uses?\s+cookies", r"\bcookie\s+(?:policy|settings|consent)",
    r"accept\s+(?:all\s+)?cookies", r"verwendet\s+cookies", r"nutzt\s+cookies",
    r"utilise\s+des\s+cookies", r"utiliza\s+cookies", r"you\s+are\s+not\s+logged\s+in",
    r"sie\s+sind\s+(?:aktuell\s+)?nicht\s+eingeloggt", r"javascript\s+is\s+disabled",
    r"please\s+enable\s+javascript", r"um\s+den\s+inhalt\s+von\b.*\bzu\s+laden",
    r"click\s+(?:here|the\s+button\s+below)\s+to\s+load\s+(?:the\s+)?content",
    r"^(?:\d+\s*(?:min\.?|minutes?|minuten)\s+)?(?:read(?:ing)?\s+time|lesezeit)\b",
    r"^\d+\s*(?:min\.?|minutes?|minuten)\s+(?:read|lesezeit)$", r"przeczytasz\s+w\b",
    r"eingeloggt\s+sein\b.*\bkommentar",
    # An audio player's prompt: "Escucha esta nota aquí", "Listen to this article 4 min".
    r"^(?:listen\s+to\s+(?:this\s+)?(?:article|story)|"
    r"escuch(?:a|ar|e)\s+(?:esta\s+)?(?:nota|noticia)|artikel\s+(?:vor)?(?:an)?hören|écouter\s+(?:cet\s+)?article|ou(?:ça|vir)\s+(?:esta\s+)?"
    r"(?:notícia|matéria|reportagem))(?:\s+(?:aquí|aqui|here|hier|ici))?[^\w.!?]*"
    r"(?:\d{1,2}(?::\d{2})?\s*(?:min\w*)?\W*)?$",
    r"(?:sie\s+verwenden|you\s+are\s+using)\s+(?:einen|an?)\s+(?:\w+\s+){0,2}browser\b",
)  # fmt: skip
SHARE_PATTERNS = (
    r"share\s+(?:this|on|via)\b", r"^share:?$", r"^teilen(?:\s+mit)?:?$", r"^partager",
    r"^compartir", r"^condividi", r"follow\s+us\s+on", r"folgen\s+sie\s+uns",
    r"^(?:facebook|twitter|linkedin|whatsapp|pinterest|e-?mail|print|drucken)"
    r"(?:[\s,|·•/]+(?:facebook|twitter|x|linkedin|whatsapp|pinterest|e-?mail|print|drucken))*$",
)  # fmt: skip
CREDIT_PATTERNS = (
    r"^©", r"^\(c\)\s*\d{4}", r"^copyright\b", r"all\s+rights\s+reserved",
    r"alle\s+rechte\s+vorbehalten", r"tous\s+droits\s+réservés",
    r"todos\s+los\s+derechos\s+reservados", r"written\s+permission\b.*\breprint",
    r"^(?:photo|image|picture|foto|bild|credits?|crédits?\s+photos?|fotos?)\s*(?:credit)?\s*:",
    r"\bgetty\s+images\s*$", r"^our\s+standards:", r"^titelbild\s*:",
    r"chroniony\s+prawem\s+autorskim", r"^(?:bild|foto)\s+anzeigen$",
    r"^(?:fot\.|beitragsbild\s*:|titelfoto\s*:|symbolbild\b)",
    r"©\s*[^\s©][^©]{0,60}$", r"\((?:fotos?|photos?|bild|image|crédits?)\s*:[^)]{1,80}\)\.?$",
    # Where the text appeared first or which network it belongs to: "This article originally
    # appeared on VICE US", "Dieser Artikel erschien zuerst in der EMOTION 10/22".
    r"^this\s+(?:article|story|post)\s+(?:originally|first)\s+(?:appeared|ran)\s+(?:on|in)\b",
    r"^(?:a\s+version\s+of\s+)?this\s+(?:article|story|post)\s+was\s+(?:originally\s+|first\s+)?"
    r"published\s+(?:on|in|by)\b",
    r"^dieser\s+(?:artikel|beitrag|text)\s+(?:erschien\s+zuerst|ist\s+zuerst|wurde\s+zuerst|"
    r"entstand\s+in\s+kooperation\s+mit)\b",
    r"^[\w.-]+\.[a-z]{2,3}\s+ist\s+teil\s+des\b.{0,40}netzwerks?\W*$",
    # A caption that names the picture it belongs to: "Header image: People have lived…",
    # "Auf dem Foto zu sehen: Die neu gewählte Bürgermeisterin…".
    r"^(?:header|featured|top|lead|cover|main)\s+(?:image|photo|picture)\s*:",
    r"^auf\s+dem\s+(?:foto|bild)(?:\s+zu\s+sehen)?\s*:",
)  # fmt: skip
COMMENT_PATTERNS = (
    r"^(?:view|show|load|hide)\s+(?:all\s+)?comments?\b", r"^leave\s+a\s+(?:comment|reply)",
    r"^(?:\d+\s+)?comments?:?$", r"^no\s+comments?\s+yet", r"^kommentar(?:e)?\s+schreiben",
    r"^(?:\d+\s+)?kommentare?:?$", r"^post\s+a\s+comment", r"^keine\s+kommentare",
    r"kommentare\s+insgesamt", r"^submit\s+(?:a|your)\s+letter\s+to\s+the\s+editor",
    r"^we\s+want\s+to\s+hear\s+what\s+you\s+think\b", r"^to\s+reach\s+the\s+(?:reporter|editor)\b",
)  # fmt: skip

AUTHOR_BOX_PATTERNS = (
    r"^about\s+the\s+authors?\b", r"^über\s+(?:den|die)\s+autor(?:in|en|innen)?\b",
    r"^(?:zeige|alle)\s+(?:alle\s+)?beiträge\s+von\b", r"^à\s+propos\s+de\s+l'auteur",
    r"^sobre\s+(?:el|la)\s+autor(?:a)?\b",
    r"^(?:view|see)\s+all\s+(?:posts|articles|stories)\s+by\b",
    r"^(?:more\s+)?(?:articles|posts|stories)\s+by\s+[\w.\s'-]{2,40}$",
    r"zeige\s+alle\s+beiträge\s+von\b", r"^mehr\s+(?:artikel|beiträge)\s+von\b",
    # An author box's heading alone on its line: "Autor:innen", "Die Autorin", "Authors".
    r"^(?:(?:der|die|the)\s+)?(?:autor(?:in|en|innen|:innen|\*innen|_innen)?|authors?)\W*$",
)  # fmt: skip
# Headings alone on their line: what follows them is an address, a phone number, links.
# ("Weitere Informationen" is not one: on the dev set it heads a release's closing paragraphs.)
CONTACT_PATTERNS = (
    r"^(?:presse?kontakt|pressestelle|media\s+contacts?|press\s+contacts?|kontakt|contacts?|"
    r"contacto|ansprechpartner(?:in)?)\s*:?$",
)  # fmt: skip
_MONTH = (
    r"(?:jan|feb|mar|mär|apr|may|mai|jun|jul|aug|sep|oct|okt|nov|dec|dez|janv|févr|avr|juil|"
    r"sept|déc|ene|abr|ago|dic|gen|mag|giu|lug|set|ott|sty|lut|kwi|maj|cze|lip|sie|wrz|paź|lis|"
    r"gru)[a-zäéû]*\.?"
)
_TIME = r"(?:,?\s*(?:um\s+|at\s+|à\s+)?\d{1,2}[:.h]\d{2}(?:\s*(?:[ap]\.?m\.?|uhr|h))?)?"
BYLINE_PATTERNS = (
    rf"^\d{{1,2}}[./-]\s?\d{{1,2}}[./-]\s?\d{{2,4}}{_TIME}$",
    rf"^\d{{4}}-\d{{2}}-\d{{2}}{_TIME}$",
    rf"^(?:\w+,?\s+)?\d{{1,2}}\.?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?\d{{4}}{_TIME}$",
    rf"^(?:\w+,?\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}{_TIME}$",
    r"^(?:posted|published|updated|last\s+(?:modified|updated))\s*(?:on|by|at|:)",
    r"^(?:veröffentlicht|aktualisiert|erstellt|geändert)\s+(?:am|:)", r"^letzte\s+änderung\b",
    r"^(?:publié|mis\s+à\s+jour)\s+le\b", r"^(?:publicado|actualizado)\s+(?:el|:)",
    r"^(?:category|categories|kategorie|kategorien|catégorie|categoría|tags|schlagwörter|"
    r"schlagworte|themen|filed\s+under)\s*:",
    r"^(?:release|news)\s+date\s*:",
    # A date with the author after it ("24. März 2004, 19:49 | Genesis", "11.09.2011 von jo").
    rf"^(?:\d{{1,2}}[./-]\s?\d{{1,2}}[./-]\s?\d{{2,4}}|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}|"
    rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}){_TIME}\s*(?:\||·|•|-|–|—|von|by|par|por)\s*"
    r"[\w.@'\s-]{1,40}$",
    r"^(?:erstellt|geschrieben|verfasst|eingestellt)\s+(?:von|am)\b.{0,60}$",
    r"^(?:von|vom|by|par|por)\s+@?[\w.'-]+(?:\s+[\w.'-]+){0,3}$",  # "von Krimiblogger"
    r"^stand:\s*\d", r"^(?:abgelegt\s+unter|posted\s+in|veröffentlicht\s+in)\b",
    r"^zuletzt\s+(?:überarbeitet|aktualisiert|geändert)\s+am\b",
    r"^dieses\s+thema\s+im\s+programm\s*:",
)  # fmt: skip

MAX_BOILERPLATE_CHARS = 220
# Furniture that comes as a whole paragraph (a cookie banner, an advertiser disclosure, a
# reprint notice): specific enough to be recognised up to this length.
LONG_PATTERNS = (
    (BoilerplateKind.NOTICE,
     r"^(?:wir\s+(?:verwenden|nutzen)|diese\s+(?:web)?seite\s+(?:verwendet|nutzt)|we\s+use|"
     r"(?:this|our)\s+(?:web)?site\s+uses|um\s+zu\s+verstehen\b|nous\s+utilisons|"
     r"utilizamos)\b"
     r"(?=.*\b(?:web)?(?:site|seite|angebot|dienste|services|browsing|experience|erfahrung|"
     r"einstellungen|settings|datenschutz|privacy|navigation))"
     r".{0,300}\bcookies\b.{0,300}"
     r"(?:zustimm|stimm(?:st|en)\s+(?:du|sie)\b|einverstanden|akzeptier|einwillig|agree|consent|"
     r"accept|by\s+(?:continuing|using)|durch\s+die\s+nutzung|acept|accepte)"),
    (BoilerplateKind.PROMO,
     r"^this\s+(?:post|article|page|story)\s+(?:contains|may\s+contain)\s+"
     r"(?:references\s+to\s+products|affiliate\s+links)|"
     r"\bwe\s+may\s+(?:receive|earn)\s+(?:a\s+)?(?:small\s+)?(?:compensation|commission)\s+"
     r"(?:when|if|from|on)\b"),
    # An affiliate disclosure that names the publisher's cut: "Alle mit einem Stern
    # gekennzeichneten Links sind Affiliate-Links ... erhält X eine kleine Provision".
    (BoilerplateKind.PROMO,
     r"(?:affiliate[\s-]?links?|partner[\s-]?links?|links\s+zu\s+anbietern)\b.{0,200}?"
     r"\b(?:provision|commission|vergütung)\b"),
    # A placeholder for an embed the reader has not consented to: "Leider haben Sie uns hierfür
    # keine Zustimmung gegeben."
    (BoilerplateKind.NOTICE,
     r"\b(?:haben|hast)\s+(?:sie|du)\s+(?:uns\s+)?(?:hierfür\s+|dafür\s+)?"
     r"keine\s+zustimmung\s+gegeben\b"),
    # A publisher's donation appeal ending in its call: "... Jetzt unterstützen!", "Você pode
    # apoiar ...".
    (BoilerplateKind.PROMO,
     r"\bjetzt\s+unterstützen\W*$|\bvocê\s+pode\s+apoiar\b|^apoie\s+o\b|"
     r"\bist\s+spendenfinanziert\W*$"),
    (BoilerplateKind.SHARE,
     r"^follow\s+(?:[\w@.'-]+\s+){1,4}on\s+(?:twitter|facebook|instagram|linkedin|tiktok)\b"
     r"(?:\s+(?:and|or|&)\s+(?:twitter|facebook|instagram|linkedin|tiktok|youtube)\b|\s*@|"
     r"\W*$)"),
    (BoilerplateKind.CREDIT,
     r"written\s+permission\s+(?:must|is)\s+(?:be\s+)?(?:obtained|required)\b.{0,30}\b"
     r"(?:reprint|reproduc|republish)|\bcopyrighted\s+property\s+of\b"),
)  # fmt: skip
MAX_LONG_BOILERPLATE_CHARS = 600

# Each rule's pattern source; the first rule that matches a block names its kind.
RULE_PATTERNS: tuple[tuple[BoilerplateKind, str], ...] = (
    # A teaser phrase is a heading on its own or introduces a link: "Read more: <title>".
    (
        BoilerplateKind.TEASER,
        rf"^(?:{_alternation(TEASER_STARTS)})(?:\s*[:»|>›→?!-]|\W*$|.{{0,40}}$)",
    ),
    (
        BoilerplateKind.TEASER,
        rf"^(?:{_alternation(TEASER_HEADINGS)})"
        r"(?:\s+(?:aus|zu|zum|zur|von|de|del|da|do|em|en|sobre|sur)(?:\s+[^\s.!?:]+){1,4})?"
        r"(?:\s*[:»>›→]|[^\w.!?]*$)",
    ),
    (BoilerplateKind.TEASER, TEASER_ENDS),
    (BoilerplateKind.PROMO, "|".join(PROMO_PATTERNS)),
    (BoilerplateKind.NOTICE, "|".join(NOTICE_PATTERNS)),
    (BoilerplateKind.SHARE, "|".join(SHARE_PATTERNS)),
    (BoilerplateKind.CREDIT, "|".join(CREDIT_PATTERNS)),
    (BoilerplateKind.COMMENTS, "|".join(COMMENT_PATTERNS)),
    (BoilerplateKind.AUTHOR_BOX, "|".join(AUTHOR_BOX_PATTERNS)),
    (BoilerplateKind.CONTACT, "|".join(CONTACT_PATTERNS)),
    (BoilerplateKind.BYLINE, "|".join(BYLINE_PATTERNS)),
)
# Compiled as `AnyOf`s: the same yes or no as `re.search(pattern, text)`, without trying every
# alternative of a big joined rule at every position of the text.
_RULES = tuple((kind, AnyOf(pattern).finder) for kind, pattern in RULE_PATTERNS)
_LONG_RULES = tuple((kind, AnyOf(pattern).finder) for kind, pattern in LONG_PATTERNS)
_LEADING_PUNCTUATION = re.compile(r"^[\W_]+")


# A block's text is classified again in each candidate extraction of a page (the primary one,
# the second opinions, the recall guard): the answers for the latest texts are kept. Texts
# longer than BOILERPLATE_MEMO_CHARS are not (they are article text, told cheaply by length),
# which bounds the memo's memory.
BOILERPLATE_MEMO = 4096
BOILERPLATE_MEMO_CHARS = 1000


def boilerplate_kind(block_text: str) -> BoilerplateKind | None:
    """What kind of boilerplate a short block is, or None if it may be article text."""
    if len(block_text) > BOILERPLATE_MEMO_CHARS:
        return _boilerplate_kind(block_text)
    return _remembered_kind(block_text)


def _boilerplate_kind(block_text: str) -> BoilerplateKind | None:
    text = " ".join(strip_invisible(block_text).split()).casefold()
    if not text or len(text) > MAX_LONG_BOILERPLATE_CHARS:
        return None
    stripped = _LEADING_PUNCTUATION.sub("", text) if not text.startswith("©") else text
    rules = _RULES + _LONG_RULES if len(text) <= MAX_BOILERPLATE_CHARS else _LONG_RULES
    for kind, matches in rules:
        if matches(stripped):
            return kind
    return None


_remembered_kind = lru_cache(maxsize=BOILERPLATE_MEMO)(_boilerplate_kind)


# Furniture that only the last blocks of a body can be, because the same words can open an
# article paragraph elsewhere: an author's bio ("Inga Buller ist Head of Social bei CHIP.",
# "The author is a fellow at…") and a bare source credit ("Quelle: kathpress", "(dr/spot)").
_BIO_OPENING = re.compile(
    r"^(?:(?:die|der)\s+autor(?:in)?\s+ist\s+(?!unbekannt|anonym|nicht)|"
    r"the\s+author\s+is\s+(?:a|an|the)\s|"
    r"autor(?:\*in|:in|in|innen|\*innen|:innen)?\s*:|geboren\s+\d{4}\b.{0,40}\bist\b)",
    re.IGNORECASE,
)
_BIO_NAMED = re.compile(
    r"^(?!(?i:the|der|die|das|this|these|its|our|his|her|their|ein|eine|el|la|le|les|il)\s)"
    r"(?P<name>[A-ZÄÖÜ][\w.'’-]+(?:\s+(?:von\s+|van\s+|de\s+)?[A-ZÄÖÜ][\w.'’-]+){1,2})"
    r"(?:\s*\([^)]{1,40}\))?,?\s+"
    r"(?:ist|is|was|war|arbeitet|arbeitete|schreibt|writes|works|founded|gründete|lebt|lives)\b"
)
_BIO_ROLE = re.compile(
    r"redakteur|journalist|reporter|korrespondent|correspondent|editor|autor|author|writer|"
    r"columnist|kolumnist|contributor|founder|gründer|consultant|berater|head\s+of|chief|ceo|"
    r"professor|dozent|lecturer|fellow|analyst|blogger|schreibt|writes|covers",
    re.IGNORECASE,
)
_SOURCE_CREDIT = re.compile(
    r"^(?:quelle|source|fuente|fonte)\s*:\s*\S.{0,40}$|^\((?:[a-z]{1,4}/)?[a-z]{1,6}(?:/[a-z]{1,4})?\)$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[a-zäöüß)])[.!?]\s")
MAX_BIO_CHARS = 600
BIO_NAME_CHARS = 200
# A press release's or a series' closing "About <organisation/series>" section: its heading alone
# on its line ("Über den NÖ Jagdverband", "Über diese Reihe", "About Acme Corp."). Only among
# the body's last blocks, where what follows it is the publisher's blurb, not the story.
_ABOUT_HEADING = re.compile(
    r"^(?:Über|ÜBER|About|ABOUT|À\s+propos\s+de|Acerca\s+de|Sobre)\s+(?!\d)"
    r"(?:[^\s.!?:]+\s+){0,4}[^\s.!?:]+:?$"
)
ABOUT_HEADING_WORDS = 6


def about_heading(block_text: str) -> bool:
    """Whether a block is an "About <organisation or series>" heading alone on its line."""
    text = " ".join(strip_invisible(block_text).split())
    return len(text.split()) <= ABOUT_HEADING_WORDS and bool(_ABOUT_HEADING.search(text))


# A paywall's truncation notice: the story shown stops here and a subscription pitch follows.
_PAYWALL_NOTICE = re.compile(
    r"\bto\s+(?:view|read|continue\s+reading|keep\s+reading|access)\s+(?:the|this)\s+"
    r"(?:full|whole|entire|complete|rest\s+of\s+(?:the|this))\s+(?:story|article|post|piece)\b"
    r".{0,80}\b(?:subscri|log\s*in|sign\s+in)"
    r"|\bum\s+(?:den|diesen)\s+(?:vollständigen|ganzen|kompletten)\s+(?:artikel|beitrag|text)"
    r"\s+zu\s+lesen\b.{0,80}\b(?:abo|abonn|anmelden|einloggen)",
    re.IGNORECASE,
)


def paywall_notice(block_text: str) -> bool:
    """Whether a block is a paywall's truncation notice ("To view the full story, please
    subscribe …"): what follows it in the body is the pitch, not the story."""
    text = " ".join(strip_invisible(block_text).split())
    return len(text) <= MAX_BIO_CHARS and bool(_PAYWALL_NOTICE.search(text))


def trailing_kind(block_text: str, earlier_text: str) -> BoilerplateKind | None:
    """What kind of end-of-article furniture a block among the body's last ones is, or None.

    `earlier_text` is the body's text before the block: a named bio counts only when the
    person's surname does not occur there, so a closing paragraph about someone the article
    is about ("Messner ist Bergsteiger und schreibt Bücher") stays."""
    text = " ".join(strip_invisible(block_text).split())
    if not text or len(text) > MAX_BIO_CHARS:
        return None
    if _SOURCE_CREDIT.search(text):
        return BoilerplateKind.CREDIT
    if _BIO_OPENING.search(text):
        return BoilerplateKind.AUTHOR_BOX
    named = _BIO_NAMED.search(text)
    if named is None:
        return None
    first_sentence = _SENTENCE_END.split(text[:BIO_NAME_CHARS], maxsplit=1)[0]
    if not _BIO_ROLE.search(first_sentence):
        return None
    surname = named.group("name").split()[-1]
    return None if surname in earlier_text else BoilerplateKind.AUTHOR_BOX
