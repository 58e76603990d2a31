"""Paragraphs and sentences of article text: one abbreviation-aware splitter, with offsets.

The splitter is a rule set, not a model: a boundary is a line break, or terminal punctuation
(with any closing quotes or brackets) followed by white space and a word that starts with a
capital or a digit (after any opening quote); it is not a boundary after a title (Mr., Dr.), an
initial (J.), a number label (No. 5), a Latin abbreviation (e.g.) or, unless the next word
plainly starts a sentence, after a company suffix, a dotted acronym or a scale (Inc., U.S.,
Mrd.). Decimals (74.89) never split because no space follows the dot. CJK full stops split
without a following space. Nor does a sentence end inside a quotation that closes further on
in the same paragraph, within MAX_QUOTE_CHARS ("We will. Then we go," he said.): English,
German and French marks (“ ” " „ “ « » » « ‘ ’), nested or not. A quotation that never closes
splits like the text around it, so a stray mark cannot swallow what follows.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from newsdesk.text.normalize import strip_markup, tokens

_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|br|div|h[1-6]|li|ul|ol|tr|table|blockquote|section|article|header|footer)"
    r"\b[^<>]{0,2000}>",
    re.I,
)
_PARAGRAPH = re.compile(r"[^\n]+")
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’“»«)\]]*(?=\s)|[。！？]+[」』”’)）]*")
_CJK_STOPS = ("。", "！", "？")
_OPENERS = "([\"'“‘«„‚¿¡\t"
_QUOTE_MARK = re.compile('["“”„«»‘’‚]')
# What closes a quotation each mark may open: “…” and „…“ (or „…”), «…» and »…«.
_CLOSING = {'"': '"', "“": "”", "„": "“”", "‚": "‘’", "‘": "’", "«": "»", "»": "«"}
MAX_QUOTE_CHARS = 600  # a longer quotation splits inside, like the text around it
_MAX_QUOTE_DEPTH = 4
_MAX_TOKEN_CHARS = 32  # longer than any abbreviation the rules below know
_NEXT_WORD = re.compile(r"\s*(?:«\s+)?(\S+)")  # past French spacing: « Oui
_DOTTED_ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?…。！？][\"'”’»)\]」』）]*$")
_CUT_SHORT = ("…", "...")

# Abbreviations after which a full stop never ends a sentence.
_ALWAYS_TEXT = (
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st mt ft rev hon pres supt "
    "e.g i.e cf vs viz approx fig figs est dept univ assn ave blvd"
)
# ... never before a number ("No. 5", "Jan. 12", "Art. 3").
_BEFORE_NUMBER_TEXT = (
    "no nos art sec vol pp p ch para jan feb mar apr jun jul aug sep sept oct nov dec"
)
# ... only when the next word does not plainly start a new sentence.
_SOFT_TEXT = "inc ltd corp co plc llc bros jr sr etc a.m p.m al mrd mio tsd mln bln"
_SENTENCE_STARTERS_TEXT = (
    "the a an it its he she they we i you this that these those there in on at but and or so "
    "however meanwhile while when if for his her their our as after before since analysts "
    "officials shares investors last next yet still such some many most both each"
)
_ALWAYS = frozenset(_ALWAYS_TEXT.split())
_BEFORE_NUMBER = frozenset(_BEFORE_NUMBER_TEXT.split())
_SOFT = frozenset(_SOFT_TEXT.split())
_SENTENCE_STARTERS = frozenset(_SENTENCE_STARTERS_TEXT.split())
MAX_SENTENCE_CHARS = 2000  # a "sentence" longer than this is cut at the cap


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence and where it stands: ``text[start:end] == sentence.text``."""

    text: str
    start: int
    end: int


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of plain text: every line with something on it.

    The one meaning of "paragraph" for previews: the site shows the first N of these, and
    enrichment records which of them each entity mention and fact sentence is in."""
    return [match.span() for match in _PARAGRAPH.finditer(text) if not match.group().isspace()]


def paragraph_of(starts: Sequence[int], offset: int) -> int:
    """Index of the paragraph holding offset, given the paragraphs' start offsets (sorted)."""
    return max(0, bisect_right(starts, offset) - 1)


def leading_paragraphs(text: str, count: int) -> list[str]:
    """The first count paragraphs of plain text, stripped (none for a count below 1)."""
    return [text[start:end].strip() for start, end in paragraph_spans(text)[: max(0, count)]]


def iter_paragraphs(text: str) -> Iterator[str]:
    """Plain-text paragraphs: block tags and line breaks separate them, markup is removed."""
    if "<" in text:
        text = _BLOCK_TAG.sub("\n", text)
    for match in _PARAGRAPH.finditer(text):
        block = match.group()
        block = strip_markup(block) if "<" in block or "&" in block else " ".join(block.split())
        if block:
            yield block.removeprefix("## ").removeprefix("# ")


def paragraphs(text: str) -> list[str]:
    """All of ``iter_paragraphs``."""
    return list(iter_paragraphs(text))


def _is_boundary(text: str, punct_start: int, punct: str, next_word: str) -> bool:
    if not next_word:
        return True
    first = next_word.lstrip(_OPENERS + "“‘")[:1] or next_word[0]
    if first.islower() or not first.isalnum():
        return False  # "in the U.S. market", "1,2 Mrd. € in", "at 5 p.m. $4 bn"
    if not punct.startswith(".") or punct.startswith(".."):
        return True
    # The word before the stop, looked for only as far back as an abbreviation can be: a
    # search back to the start of the text made a long paragraph quadratic.
    before = text[max(0, punct_start - _MAX_TOKEN_CHARS) : punct_start]
    token = before[max(before.rfind(" "), before.rfind("\n")) + 1 :].lstrip(_OPENERS)
    if not token:
        return True
    lowered = token.casefold()
    starter = next_word.strip("\"'“‘«(").casefold() in _SENTENCE_STARTERS
    if lowered in _ALWAYS:
        return False
    if lowered in _BEFORE_NUMBER and first.isdigit():
        return False
    if len(token) == 1 and token.isalpha() and token.isupper():
        return starter  # an initial, as in "J. Smith", unless a sentence plainly follows
    if lowered in _SOFT or _DOTTED_ACRONYM.match(token):
        return starter
    return True


def sentence_spans(text: str, *, max_chars: int | None = MAX_SENTENCE_CHARS) -> list[Sentence]:
    """The sentences of ``text`` in order, trimmed, with their offsets into ``text``.

    A line break always ends a sentence. ``max_chars``: a longer run without a boundary is
    cut into pieces of at most that many characters (None: kept whole).
    """
    sentences: list[Sentence] = []
    for line in _PARAGRAPH.finditer(text):
        start = line.start()
        quotes = iter(quotations(text, line.start(), line.end()))
        quote = next(quotes, None)
        for match in _BOUNDARY.finditer(text, line.start(), line.end()):
            while quote is not None and quote[1] < match.end():
                quote = next(quotes, None)
            if quote is not None and quote[0] < match.start():
                continue  # inside a quotation that closes later on
            following = _NEXT_WORD.match(text, match.end(), line.end())
            next_word = following.group(1) if following else ""
            if match.group().startswith(_CJK_STOPS) or _is_boundary(
                text, match.start(), match.group(), next_word
            ):
                _append(sentences, text, start, match.end(), max_chars)
                start = match.end()
        _append(sentences, text, start, line.end(), max_chars)
    return sentences


def quotations(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(opening, closing) offsets of the outermost quotations in ``text[start:end]`` that close
    there within MAX_QUOTE_CHARS, in order. Linear: at most _MAX_QUOTE_DEPTH marks stay open (the
    oldest is forgotten first), and one open longer than MAX_QUOTE_CHARS is forgotten."""
    end = len(text) if end is None else end
    open_marks: list[tuple[str, int]] = []  # (closing marks it waits for, its offset)
    closed: list[tuple[int, int]] = []
    for match in _QUOTE_MARK.finditer(text, start, end):
        mark, at = match.group(), match.start()
        while open_marks and at - open_marks[0][1] > MAX_QUOTE_CHARS:
            del open_marks[0]
        depth = next(
            (i for i in range(len(open_marks) - 1, -1, -1) if mark in open_marks[i][0]), None
        )
        if depth is not None and _may_close(text, at, start, end):
            opened = open_marks[depth][1]
            del open_marks[depth:]
            while closed and closed[-1][0] > opened:
                del closed[-1]  # a quotation inside this one
            closed.append((opened, at))
        elif mark in _CLOSING and _may_open(text, at, start, end):
            if len(open_marks) == _MAX_QUOTE_DEPTH:
                del open_marks[0]  # the oldest, most likely a stray mark that never closes
            open_marks.append((_CLOSING[mark], at))
    return closed


def _may_close(text: str, at: int, start: int, end: int) -> bool:
    # Not after white space (an opening mark), and ’ not inside a word (an apostrophe: don’t).
    if at == start or text[at - 1].isspace():
        return text[at] not in '"’' and (at + 1 >= end or not text[at + 1].isalnum())
    return text[at] != "’" or at + 1 >= end or not text[at + 1].isalpha()


def _may_open(text: str, at: int, start: int, end: int) -> bool:
    # An opening mark comes before a word, not inside one (Indonesia"s) nor before white space
    # or at the end of the line; French puts a (no-break) space inside « ».
    if at > start and text[at - 1].isalnum():
        return False
    return at + 1 < end and (text[at] == "«" or not text[at + 1].isspace())


_TRAILING_STOP = re.compile(r"[.!?…]*")


def unquoted(sentence: str) -> str:
    """A sentence that is one whole quotation without its outer marks, for a page that sets it
    in quotes of its own: '"The gap is enormous."' → 'The gap is enormous.'; anything else
    (an attribution outside the marks, two quotations) unchanged."""
    text = sentence.strip()
    found = quotations(text)
    if len(found) != 1 or found[0][0] != 0:
        return sentence
    closing = found[0][1]
    after = text[closing + 1 :]
    if _TRAILING_STOP.fullmatch(after) is None:
        return sentence
    inner = text[1:closing].strip()
    return inner + after if inner else sentence


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one plain-text paragraph, verbatim (white space trimmed)."""
    return [sentence.text for sentence in sentence_spans(paragraph)]


def _append(
    sentences: list[Sentence], text: str, start: int, end: int, max_chars: int | None
) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    if max_chars is None or end - start <= max_chars:
        sentences.append(Sentence(text[start:end], start, end))
        return
    for piece in range(start, end, max_chars):
        _append(sentences, text, piece, min(piece + max_chars, end), None)


def ends_like_sentence(sentence: str) -> bool:
    """Whether the text ends with terminal punctuation (headings and captions usually do not)."""
    return bool(_ENDS_LIKE_SENTENCE.search(sentence))


def beyond_lead(summary: str, lead: str) -> str:
    """The summary without the sentences the lead already says (the lead: the body's opening
    paragraphs as shown right below the summary), in order, joined by spaces: what a summary
    box adds to the body. Empty when the lead holds it all.

    Sentences match word for word with case and punctuation aside. A sentence cut short
    ("…") counts as said when what is left of it, without the word the cut may have split,
    opens one of the lead's sentences. Plain text in, no markup.
    """
    said = [_folded(sentence.text) for sentence in sentence_spans(lead)]
    kept = []
    for sentence in split_sentences(" ".join(summary.split())):
        words = _folded(sentence)
        if not words:
            continue  # punctuation alone adds nothing
        if sentence.endswith(_CUT_SHORT):
            words = words[:-1]
            repeated = bool(words) and any(line[: len(words)] == words for line in said)
        else:
            repeated = words in said
        if not repeated:
            kept.append(sentence)
    return " ".join(kept)


def _folded(text: str) -> list[str]:
    return [word.casefold() for word in tokens(text)]


# --- sentences that lean on the one before ---------------------------------------------------
# A summary or a briefing point read alone must not open on "That is the backdrop to…": the
# sentence it refers back to is not there. Two kinds of opening do that: a linking adverb
# ("But", "However,", "Meanwhile") and a pronoun as the subject of a verb ("That is", "It
# will", "These were"); "This year" or "Those shares" (a determiner before a noun) do not.
# English, German, French and Spanish; other languages are never judged dependent.
_LINKING_OPENERS = frozenset(
    """but however meanwhile yet nevertheless nonetheless moreover furthermore instead
    likewise similarly otherwise besides hence thus therefore consequently accordingly
    still also and or then aber doch jedoch allerdings trotzdem dennoch außerdem zudem
    auch mais cependant pourtant toutefois néanmoins ensuite pero además
    también""".split()
)
_LINKING_PHRASES = (
    "that said",
    "even so",
    "in addition",
    "as a result",
    "by contrast",
    "in contrast",
    "on the other hand",
    "at the same time",
    "en revanche",
    "par ailleurs",
    "de plus",
    "sin embargo",
    "por otro lado",
    "no obstante",
)
# Linking adverbs that also start ordinary sentences unless a comma follows ("Still, …" vs
# "Still higher prices…", "Then, …" vs "Then-minister…", "Auch die Bank…").
_NEEDS_COMMA = frozenset({"still", "also", "then", "auch", "ensuite", "también", "thus"})
_PRONOUNS = frozenset(
    "that this these those it they he she such das dies diese dieser cela ceci ça esto eso"
    " esta este estos estas ello".split()
)
_VERBS = frozenset(
    """is was are were be been being has had have will would could can may might should must
    shall does did do means meant marks marked comes came follows followed makes made leaves
    left puts gives gave shows showed suggests suggested says said reflects reflected
    includes included adds added brings brought raises raised sets represents represented
    remains remained seems seemed appears appeared underscores underlines highlights
    highlighted explains explained helps helped matters mattered also still now already
    ist war sind waren sei wird wurde hat hatte bedeutet zeigt kommt
    est était sont étaient sera a avait signifie montre
    es fue son era será ha había significa muestra""".split()
)
_CONTRACTED = re.compile(r"(?:that|it|this|they|he|she)['’](?:s|re|ll|d)\b", re.I)
_FRENCH_ELIDED = re.compile(r"c['’](?:est|était|étaient|sera)\b", re.I)
_LEADING_MARKS = "\"'“‘«„‚¿¡([ \t—–-"


def opens_with_reference(sentence: str) -> bool:
    """Whether the sentence opens by referring to what came before it ("That is…", "But…",
    "However, …", "Dies bedeutet…", "Cependant…"): read alone, it leans on a sentence that is
    not there. Empty text, text in other languages and "This year…" are not."""
    text = sentence.lstrip(_LEADING_MARKS)
    if not text:
        return False
    if _CONTRACTED.match(text) or _FRENCH_ELIDED.match(text):
        return True
    lowered = text.casefold()
    for phrase in _LINKING_PHRASES:
        if lowered.startswith(phrase) and not lowered[len(phrase) : len(phrase) + 1].isalnum():
            return True
    words = re.findall(r"[^\W\d_]+|,", lowered[:80])
    if not words or words[0] == ",":
        return False
    first = words[0]
    following = words[1] if len(words) > 1 else ""
    if first in _LINKING_OPENERS:
        return first not in _NEEDS_COMMA or following == ","
    return first in _PRONOUNS and following in _VERBS
