"""Event features of an article: the names and figures that independent re-reports share.

Two publications reporting one piece of news write different sentences but name the same
parties, places and figures. The features are therefore

* ``e:<name>`` - capitalised words (named entities, approximated), case folded and cut to
  their first five letters, so "Chile"/"Chilean" and "Japan"/"Japanese" meet. Weekdays, months
  and honorifics are not names, nor is a sentence-initial word that is a common starter
  ("The", "In"), also occurs in lower case, or is never capitalised mid-sentence (unless a
  capitalised word follows it: "Norvik Resources said"). A Title Case or ALL CAPS headline
  only adds weight to names the text has; an all-caps text yields no names at all.
* ``n:<value>`` and ``n:<value><unit>`` - numbers with their scale applied ("$5bn",
  "$5 billion", "USD 5 billion" and "5 bln dlrs" are all ``n:5e+09`` and ``n:5e+09usd``;
  "1,2 Mrd. €" is ``n:1.2e+09eur``), the unit or currency normalised where it is a known one
  (``t``, ``bbl``, ``%``, ``usd``, an ISO code written before the amount, ...). Scale words,
  currencies and the reading of numbers are ``newsdesk.text.numbers``, the tables fact
  extraction uses too ("3 crore" is ``n:3e+07``; "1,20,000" is 120000). Bare integers below
  ten and days of the month are left out.

Salience (for the ``max_features`` cut) is the number of occurrences, a headline occurrence
counting three times. Everything is derived from the text alone, so the features can be
stored with the article and compared later by ``StoryIndex``.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterator

from newsdesk.text.numbers import (
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DECIMAL_COMMA_SCALES,
    SCALES,
    currency_of,
    parse_number,
    scale_of,
)

# Letters first, then letters, digits and in-word joiners ("U.S.", "al-Sabah", "O'Neill").
_TOKEN = re.compile(
    r"(?P<word>[^\W\d_](?:[\w'’&-]*\w|\.(?:[^\W\d_]\.)+)?)"
    r"|(?P<number>\d+(?:[.,]\d+)*)"
    r"|(?P<symbol>[$€£¥₩₹%])"
)
_SENTENCE_END = frozenset('.!?:;"“”«»()[]')


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ENTITY_PREFIX = 5
ENTITY_PREFIX = "e:"
FIGURE_PREFIX = "n:"
_MONTHS = _word_set(
    """
    january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec januar februar märz juni juli oktober
    dezember janvier février mars avril mai juin juillet août septembre octobre novembre
    décembre enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre
    diciembre
    """
)
# Capitalised words that are not names wherever they appear.
_NOT_NAMES = (
    _word_set(
        """
    monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch
    donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche
    lunes martes miércoles jueves viernes sábado domingo mr mrs ms dr sir prof
    """
    )
    | _MONTHS
)
# Capitalised at a sentence start these are ordinary words; most others are caught because the
# same word also occurs in lower case in the text.
_SENTENCE_STARTERS = _word_set(
    """
    a an the this that these those it its he she they we i you his her their our there here in
    on at of for from to by with as after before since until while when where why how what who
    which but and or so yet if though although because however meanwhile also still only not
    no all some many most more other such both each every some one two three four five new
    last next first second third earlier later under over about between among despite der die
    das ein eine und le la les un une et el los las y il lo
    """
)
# Units of measure after a number, as feature suffixes (currencies: newsdesk.text.numbers).
_UNITS = {
    "%": "%",
    "pct": "%",
    "percent": "%",
    "prozent": "%",
    "tonne": "t",
    "tonnes": "t",
    "ton": "t",
    "tons": "t",
    "mt": "t",
    "t": "t",
    "barrel": "bbl",
    "barrels": "bbl",
    "bbl": "bbl",
    "bpd": "bbl",
    "b/d": "bbl",
    "ounce": "oz",
    "ounces": "oz",
    "oz": "oz",
    "gw": "gw",
    "gigawatts": "gw",
    "mw": "mw",
    "megawatts": "mw",
    "gwh": "gwh",
    "mwh": "mwh",
    "twh": "twh",
    "km": "km",
    "kilometres": "km",
    "kilometers": "km",
    "nm": "nm",
    "mm": "mm",
    "shares": "shares",
    "jobs": "jobs",
    "workers": "jobs",
    "employees": "jobs",
    "vehicles": "vehicles",
    "cars": "vehicles",
    "years": "years",
    "year": "years",
}
_PER_CENT = ("per", "cent")


class _Token:
    __slots__ = ("kind", "sentence_start", "start", "text")

    def __init__(self, kind: str, text: str, start: int, sentence_start: bool) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.sentence_start = sentence_start


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    append = tokens.append
    previous_end = 0
    # A token starts a sentence after a word ending in "." ("U.S."), and so does the first.
    after_full_stop = True
    for found in _TOKEN.finditer(text):
        start, end = found.span()
        if after_full_stop:
            boundary = True
        elif start - previous_end == 1 and text[previous_end] == " ":
            boundary = False  # most gaps are one space
        else:
            gap = text[previous_end:start]
            boundary = not _SENTENCE_END.isdisjoint(gap) or "\n" in gap
        token_text = text[start:end]
        append(_Token(found.lastgroup or "word", token_text, start, boundary))
        # Only a word token can end in "." (numbers and symbols cannot).
        after_full_stop = token_text[-1] == "."
        previous_end = end
    return tokens


def _entity_key(word: str) -> str:
    word = word.casefold().replace(".", "").replace("’", "'")
    word = word.removesuffix("'s").removesuffix("'")
    return word[:_ENTITY_PREFIX]


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()


_ASCII_LETTERS = string.ascii_letters.encode("ascii")
_ASCII_UPPERCASE = string.ascii_uppercase.encode("ascii")


def _mostly_upper(words: list[str]) -> bool:
    joined = "".join(words)
    if joined.isascii():
        # Counted in C: an ASCII character is alphabetic exactly when it is an ASCII letter,
        # and upper case exactly when it is A-Z (the per-character loop below, same answer).
        raw = joined.encode("ascii")
        letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
        upper = len(raw) - len(raw.translate(None, _ASCII_UPPERCASE))
        return letters > 0 and upper > 0.6 * letters
    letters = sum(map(str.isalpha, joined))
    return letters > 0 and sum(map(str.isupper, joined)) > 0.6 * letters


def _lower_words(tokens: list[_Token]) -> set[str]:
    return {token.text for token in tokens if token.kind == "word" and token.text.islower()}


def _title_case(tokens: list[_Token]) -> bool:
    long_words = [token.text for token in tokens if token.kind == "word" and len(token.text) > 3]
    capitalised = sum(_is_capitalised(word) for word in long_words)
    return bool(long_words) and capitalised >= 0.6 * len(long_words)


def _mid_sentence_capitals(tokens: list[_Token]) -> set[str]:
    return {
        token.text.casefold()
        for token in tokens
        if token.kind == "word" and not token.sentence_start and token.text[0].isupper()
    }


def _starts_a_name(tokens: list[_Token], position: int) -> bool:
    """A sentence-initial word followed directly by another capitalised word ("Norvik
    Resources has ..."), or an acronym."""
    token = tokens[position]
    if token.text.isupper() and len(token.text) > 1:
        return True
    if position + 1 >= len(tokens):
        return False
    following = tokens[position + 1]
    gap_length = following.start - token.start - len(token.text)
    return following.kind == "word" and _is_capitalised(following.text) and gap_length == 1


def _entities(tokens: list[_Token], lower_words: set[str], capitals: set[str]) -> Iterator[str]:
    """Entity keys in text order. A capitalised word at a sentence start is a name only if it
    is not a common starter, never appears in lower case, and is seen capitalised mid-sentence
    too (``capitals``) or runs into another capitalised word."""
    words = [token.text for token in tokens if token.kind == "word"]
    if _mostly_upper(words):  # shouting text: capitals say nothing about names
        return
    for position, token in enumerate(tokens):
        if token.kind != "word" or not token.text[0].isupper():  # _is_capitalised, inlined
            continue
        folded = token.text.casefold().rstrip(".")
        if folded in _NOT_NAMES or _is_amount_word(tokens, position):
            continue
        if token.sentence_start and (
            folded in _SENTENCE_STARTERS
            or folded in lower_words
            or not (folded in capitals or _starts_a_name(tokens, position))
        ):
            continue
        key = _entity_key(token.text)
        if len(key) >= 2:
            yield key


def _is_amount_word(tokens: list[_Token], position: int) -> bool:
    """A currency or scale written in capitals around a number: "A$", "TWD 160", "1,2 Mrd."."""
    token = tokens[position]
    after = tokens[position + 1] if position + 1 < len(tokens) else None
    before = tokens[position - 1] if position else None
    if after is not None and after.kind == "symbol" and after.text == "$":
        return True
    if after is not None and after.kind == "number" and token.text.isupper():
        return len(token.text) == 3
    return before is not None and before.kind == "number" and scale_of(token.text) is not None


def _word_after(tokens: list[_Token], index: int) -> str:
    if index < len(tokens) and tokens[index].kind in {"word", "symbol"}:
        return tokens[index].text.casefold().rstrip(".")
    return ""


def _currency_before(tokens: list[_Token], index: int, text: str) -> str:
    if index == 0 or not _joined_or_touching(text, tokens[index - 1], tokens[index]):
        return ""
    previous = tokens[index - 1]
    if previous.kind == "symbol" and previous.text != "%":
        # "A$1.8 billion": the letters right before the $ say which dollar.
        if previous.text == "$" and index >= 2:
            letters = tokens[index - 2]
            if letters.kind == "word" and letters.start + len(letters.text) == previous.start:
                return _currency_key(currency_of(letters.text.upper() + "$") or "USD")
        return _currency_key(currency_of(previous.text))
    if previous.kind == "word" and previous.text.isupper() and len(previous.text) == 3:
        return previous.text.casefold()  # ISO code before the amount: "TWD 160 billion"
    return ""


def _currency_key(code: str | None) -> str:
    return (code or "").casefold()


def _unit_after(word: str) -> str:
    """The feature suffix of a unit or currency written after a number ("" if none)."""
    if word in _UNITS:
        return _UNITS[word]
    if word == "$":  # "1,2 Mrd. $"
        return "usd"
    if word in CURRENCY_WORDS or word.upper() in CURRENCY_CODES or word in CURRENCY_SYMBOLS:
        return _currency_key(currency_of(word))
    return ""


def _joined_or_touching(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.start + len(left.text) : right.start]
    return len(gap) <= 1 and not gap.strip()


def _next_to_month(tokens: list[_Token], position: int) -> bool:
    neighbours = (tokens[i] for i in (position - 1, position + 1) if 0 <= i < len(tokens))
    return any(token.text.casefold().rstrip(".") in _MONTHS for token in neighbours)


def _format_value(value: float) -> str:
    return format(value, ".4g")


def _numbers(text: str, tokens: list[_Token]) -> Iterator[str]:
    """Number features ("n:<value>" and, with a known unit, "n:<value><unit>")."""
    for position, token in enumerate(tokens):
        if token.kind != "number":
            continue
        unit = _currency_before(tokens, position, text)
        follow = position + 1
        # "$5bn" is one token "5" followed directly by the word "bn".
        word = _word_after(tokens, follow)
        scale = (
            SCALES.get(word)
            if tokens[follow : follow + 1] and tokens[follow].kind == "word"
            else None
        )
        number = parse_number(token.text, decimal_comma=word in DECIMAL_COMMA_SCALES)
        if number is None:
            continue
        value = float(number * scale) if scale else float(number)
        scaled = scale is not None
        if scaled:
            follow += 1
            word = _word_after(tokens, follow)
        if (word, _word_after(tokens, follow + 1)) == _PER_CENT:
            word = "%"
        if not unit:
            unit = _unit_after(word)
        plain = not (unit or scaled or "." in token.text or "," in token.text)
        if plain and (value < 10 or (value <= 31 and _next_to_month(tokens, position))):
            continue  # small integers ("2 ministers") and days ("March 24") identify nothing
        key = f"{FIGURE_PREFIX}{_format_value(value)}"
        yield key
        if unit:
            yield f"{key}{unit}"


_TITLE_WEIGHT = 3


def story_feature_counts(title: str, text: str) -> Counter[str]:
    """Every feature of the article with its salience: occurrences in the text, an occurrence
    in the title counting three times."""
    title = unicodedata.normalize("NFKC", title)
    text = unicodedata.normalize("NFKC", text)
    title_tokens, text_tokens = _tokens(title), _tokens(text)
    lower_words = _lower_words(title_tokens) | _lower_words(text_tokens)
    title_case = _title_case(title_tokens)
    capitals = _mid_sentence_capitals(text_tokens)
    if not title_case:
        capitals |= _mid_sentence_capitals(title_tokens)
    counts: Counter[str] = Counter()
    for key in _entities(text_tokens, lower_words, capitals):
        counts[f"{ENTITY_PREFIX}{key}"] += 1
    text_entities = set(counts)
    for key in _entities(title_tokens, lower_words, capitals):
        feature = f"{ENTITY_PREFIX}{key}"
        # In a Title Case Headline capitals mark every word; trust only names the text has.
        if not title_case or feature in text_entities:
            counts[feature] += _TITLE_WEIGHT
    for part, tokens, weight in ((title, title_tokens, _TITLE_WEIGHT), (text, text_tokens, 1)):
        for key in _numbers(part, tokens):
            counts[key] += weight
    return counts


def select_features(counts: Counter[str], max_features: int) -> tuple[str, ...]:
    """The most salient features, most salient first (ties in feature order)."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(feature for feature, _count in ranked[:max_features])
