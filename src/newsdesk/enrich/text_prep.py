"""Text preparation shared by the sector classifiers: clean-up, tokens and language detection.

Language detection is a stopword-share heuristic over the languages newsdesk has taxonomy
terms for (plus a few neighbours so that, say, Italian is not taken for Spanish). It needs no
model data and is good enough to pick which taxonomy terms apply; it answers ``None`` when the
text is too short or matches no language well.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from functools import lru_cache

_TAG = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|</?[a-zA-Z][^<>]{0,2000}>", re.S | re.I)
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\W_]+")

_STOPWORD_TEXT = {
    "en": "the of and to in is that for it on with as was by at be this are from has have "
    "its said will an which not but were their would been also after",
    "de": "der die das und ist nicht ein eine mit den dem von zu auf für sich des im auch "
    "wird werden hat bei nach aus wie sie oder sind über einer",
    "fr": "le la les et des est du un une en dans pour que qui pas sur au par avec ce sont "
    "aux plus été ont cette ses mais leur entre",
    "es": "el la los las y de que en un una es por con para del al se su sus como más pero "
    "fue ha son este esta entre también",
    "it": "il lo la gli le e di che è un una per con del della non sono dei nel alla anche "
    "come più ha ma questo",
    "pt": "o a os as e de que em um uma é para com não do da dos das no na por mais foi ao "
    "são seu sua também",
    "nl": "de het een en van is dat op te in voor met zijn niet aan er om ook als bij door "
    "maar werd wordt naar",
}
_STOPWORDS = {lang: frozenset(words.split()) for lang, words in _STOPWORD_TEXT.items()}
_MIN_WORDS = 8
_MIN_SHARE = 0.12
_SAMPLE_CHARS = 5000


def strip_markup(text: str) -> str:
    """Plain text from text that may carry HTML remnants: tags, comments, scripts, entities."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return _SPACE.sub(" ", text).strip()


def prepare_text(title: str, text: str, *, max_chars: int) -> tuple[str, str]:
    """Title and text as the classifiers read them: markup stripped, text capped at max_chars.

    Beyond the first few thousand words an article rarely changes sector; the cap bounds the
    cost of pathological inputs (a megabyte of text) without changing typical results.
    """
    return strip_markup(title[:1000]), strip_markup(text[: max_chars + 1000])[:max_chars]


def tokens(text: str) -> list[str]:
    """Word tokens as written (case kept); hyphens and apostrophes separate words."""
    return _TOKEN.findall(text)


@lru_cache(maxsize=1 << 16)  # called for every word of every text; vocabularies repeat
def fold(token: str) -> str:
    """Case- and plural-folded form used for matching taxonomy terms."""
    word = token.casefold()
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it cannot be told."""
    words = [w.casefold() for w in tokens(text[:_SAMPLE_CHARS])]
    alphabetic = [w for w in words if w.isalpha()]
    if len(alphabetic) < _MIN_WORDS:
        return None
    counts = Counter(alphabetic)
    shares = {
        lang: sum(n for w, n in counts.items() if w in stops) / len(alphabetic)
        for lang, stops in _STOPWORDS.items()
    }
    best = max(shares, key=lambda lang: shares[lang])
    if shares[best] < _MIN_SHARE:
        return None
    return best
