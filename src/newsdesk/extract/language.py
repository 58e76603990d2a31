"""Language of a page: declared in the markup, else guessed from stop words in the text."""

from __future__ import annotations

import re
from functools import cache

from justext import get_stoplist
from lxml.html import HtmlElement

# ISO 639-1 code -> jusText stop-list name, for the languages guessed from text.
STOPLIST_LANGUAGES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hr": "Croatian",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "lt": "Lithuanian", "lv": "Latvian",
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sv": "Swedish",
    "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese",
}  # fmt: skip
LANGUAGE_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{2,8})*$")
WORD = re.compile(r"\w+")
SAMPLE_WORDS = 400
MIN_STOPWORD_SHARE = 0.15


def normalize_language(value: str | None) -> str | None:
    """'en-US', 'en_GB', 'EN' -> 'en'; None for values that are not language tags."""
    if not value:
        return None
    match = LANGUAGE_CODE.match(value.strip())
    return match.group(1).lower() if match else None


def declared_language(tree: HtmlElement) -> str | None:
    for path in (
        "/html/@lang",
        "/html/@xml:lang",
        "//meta[@http-equiv='content-language' or @http-equiv='Content-Language']/@content",
        "//meta[@property='og:locale']/@content",
    ):
        values = tree.xpath(path) if not path.startswith("/html") else _root_attr(tree, path)
        for value in values:
            code = normalize_language(str(value).split(",")[0])
            if code:
                return code
    return None


def _root_attr(tree: HtmlElement, path: str) -> list[str]:
    root = tree.getroottree().getroot()
    name = path.rsplit("@", 1)[1]
    if name == "xml:lang":
        name = "{http://www.w3.org/XML/1998/namespace}lang"
    value = root.get(name)
    return [value] if value else []


@cache
def _stopwords(code: str) -> frozenset[str]:
    return frozenset(get_stoplist(STOPLIST_LANGUAGES[code]))


def guess_language(text: str) -> str | None:
    """The language whose stop words cover most of the text, if they cover enough of it."""
    words = [word.casefold() for word in WORD.findall(text[: SAMPLE_WORDS * 12])][:SAMPLE_WORDS]
    if len(words) < 10:
        return None
    best_code, best_share = None, 0.0
    for code in STOPLIST_LANGUAGES:
        stopwords = _stopwords(code)
        share = sum(word in stopwords for word in words) / len(words)
        if share > best_share:
            best_code, best_share = code, share
    return best_code if best_share >= MIN_STOPWORD_SHARE else None


def detect_language(tree: HtmlElement, text: str) -> str | None:
    return declared_language(tree) or guess_language(text)
