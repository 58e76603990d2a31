"""Extractive summaries of articles and stories for digests and teasers.

A summary is two or three sentences of the article, verbatim and in their original order, so
figures such as "$5 billion (TWD 160 billion)" survive intact. Sentences are scored by
position (news puts the point first), words shared with the title, and evidence of substance
(figures with units or currency, names); a sentence too similar to one already chosen is
passed over. The whole summary is capped in characters; only a single over-long sentence is
ever cut, at a word boundary with "…".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import islice

from newsdesk.text.normalize import strip_markup, tokens
from newsdesk.text.sentences import (
    ends_like_sentence,
    iter_paragraphs,
    opens_with_reference,
    split_sentences,
)

_FIGURE = re.compile(
    r"(?=[$€£¥₹0-9A-Z])(?:"
    r"[$€£¥₹]\s?\d[\d,.]*(?:\s?(?i:[mb]n\b|million|billion|trillion|[kmb]\b))?"
    r"|\b\d[\d,.]*\s?(?:%|(?i:percent|per\s?cent|million|billion|trillion|bn|mn|"
    r"tons?|tonnes?|barrels?|bpd|[kmgt]wh?|ounces?|oz|kg|km|dollars?|euros?|yuan|yen|pounds?)\b"
    r"|[A-Z]{3}\b)"
    r"|\b[A-Z]{3}\s?\d[\d,.]*)"
)
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_DIGIT = re.compile(r"\d")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_CAPITALISED = re.compile(r"\b[A-Z][^\W_]+")
_ENGLISH_STOPWORDS_TEXT = (
    "a an the of and or to in on at for from by with as is are was were be been has have had "
    "it its this that these those their his her they he she we will would can could said says "
    "not but also after over into about than more new up out"
)
_ENGLISH_STOPWORDS = frozenset(_ENGLISH_STOPWORDS_TEXT.split())


@dataclass(frozen=True)
class SummaryOptions:
    max_sentences: int = 3
    max_chars: int = 400  # whole summary; a single longer sentence is cut at a word
    short_text_words: int = 40  # texts shorter than this get a one-sentence summary
    short_text_sentences: int = 2  # ... and so do texts of at most this many sentences
    heading_words: int = 12  # an unpunctuated paragraph this short is a heading, not prose
    max_input_chars: int = 20_000  # text beyond this is not read (bounds 1 MB inputs)
    min_sentence_words: int = 5  # shorter fragments are not summary material
    max_candidate_sentences: int = 40  # later sentences are not read (lead bias; bounds cost)
    redundancy_limit: float = 0.5  # word-overlap share above which a sentence repeats another
    position_weight: float = 1.0
    title_weight: float = 0.8
    figures_weight: float = 0.4
    names_weight: float = 0.3


DEFAULT_SUMMARY_OPTIONS = SummaryOptions()


@dataclass(frozen=True)
class Summary:
    sentences: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class StoryArticle:
    """One report of a story, as the story summary reads it."""

    title: str
    text: str
    published: datetime | None = None
    source_weight: float = 1.0


@dataclass(frozen=True)
class _Sentence:
    index: int
    text: str
    words: frozenset[str]
    figures: frozenset[str]
    score: float


def _content_words(text: str) -> frozenset[str]:
    """Lower-cased words without stopwords, plurals folded as ``text.normalize.fold`` does."""
    unique = set(tokens(text.casefold())) - _ENGLISH_STOPWORDS
    return frozenset(
        [w[:-1] if len(w) > 3 and w[-1] == "s" and w[-2] != "s" else w for w in unique]
    )


def _figures(sentence: str) -> frozenset[str]:
    if not _DIGIT.search(sentence):
        return frozenset()
    return frozenset(
        _NUMBER.sub(lambda m: m.group().replace(",", ""), f.group()).casefold()
        for f in _FIGURE.finditer(sentence)
    )


def _names(sentence: str) -> int:
    """Capitalised words and acronyms after the first word: a cheap stand-in for entities."""
    return len(_CAPITALISED.findall(sentence, 1))


def _word_count(text: str) -> int:
    """Words separated by spaces; scripts written without spaces count two characters a word."""
    count = len(text.split())
    if not text.isascii():
        count += len(_CJK.findall(text)) // 2
    return count


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# An article's sentences are read again for its lead (the first paragraph's own summary) and
# for its story's summary: the split and the traits of each sentence are kept for a while
# rather than worked out anew (pure functions of the text, so the results are the same).
@lru_cache(maxsize=256)
def _paragraph_sentences(paragraph: str) -> tuple[str, ...]:
    return tuple(split_sentences(paragraph))


@lru_cache(maxsize=1024)
def _sentence_traits(sentence: str) -> tuple[int, frozenset[str], frozenset[str], int]:
    """Word count, content words, figures and capitalised names of a sentence."""
    n_words = _word_count(sentence)
    return n_words, _content_words(sentence), _figures(sentence), _names(sentence)


def _scored_sentences(
    title: str, text: str, options: SummaryOptions, *, with_figures: bool = False
) -> tuple[list[_Sentence], int]:
    """Candidate sentences with scores, and the word count of the text read. With
    ``with_figures``, only those that carry a figure (the others scored as if all were)."""
    clipped = text[: options.max_input_chars]
    title_words = _content_words(strip_markup(title[:1000]))
    raw: list[str] = []
    word_count = 0
    for paragraph in iter_paragraphs(clipped):
        pieces = _paragraph_sentences(paragraph)
        word_count += _word_count(paragraph)
        if (
            len(pieces) == 1
            and not ends_like_sentence(pieces[0])
            and _word_count(pieces[0]) <= options.heading_words
        ):
            continue  # a heading, caption or call to action, not prose
        raw.extend(pieces)
        if len(raw) >= options.max_candidate_sentences:
            break
    raw = raw[: options.max_candidate_sentences]
    total = max(len(raw), 1)
    scored: list[_Sentence] = []
    for index, sentence in enumerate(raw):
        if with_figures and not _DIGIT.search(sentence):
            continue  # no figure without a digit (_figures): its words need not be read
        n_words, words, figures, names = _sentence_traits(sentence)
        if n_words < options.min_sentence_words or (with_figures and not figures):
            continue
        position = 1.0 / math.sqrt(1.0 + index) - 0.2 * index / total
        title_share = len(words & title_words) / len(title_words) if title_words else 0.0
        figure_share = min(len(figures), 2) / 2
        name_share = min(names, 4) / 4
        length_fit = 1.0 if n_words <= 50 else 50 / n_words
        score = length_fit * (
            options.position_weight * position
            + options.title_weight * title_share
            + options.figures_weight * figure_share
            + options.names_weight * name_share
        )
        scored.append(_Sentence(index, sentence, words, figures, score))
    return scored, word_count


def _cut(sentence: str, max_chars: int) -> str:
    if len(sentence) <= max_chars:
        return sentence
    head = sentence[: max_chars - 1]
    space = head.rfind(" ")
    if space > max_chars // 2:
        head = head[:space]
    return head.rstrip(" ,;:-–—") + "…"


def _select(
    candidates: Sequence[_Sentence],
    *,
    limit: int,
    max_chars: int,
    redundancy_limit: float,
    chosen: Sequence[_Sentence] = (),
) -> list[_Sentence]:
    picked = list(chosen)
    used = sum(len(s.text) + 1 for s in picked)
    ranked = sorted(candidates, key=lambda s: (-s.score, s.index))
    for sentence in ranked:
        if len(picked) >= limit:
            break
        if used + len(sentence.text) > max_chars:
            continue
        if any(_overlap(sentence.words, other.words) > redundancy_limit for other in picked):
            continue
        picked.append(sentence)
        used += len(sentence.text) + 1
    return picked[len(chosen) :]


def _summary(sentences: Sequence[str]) -> Summary:
    return Summary(tuple(sentences), " ".join(sentences))


def _best_pair(scored: Sequence[_Sentence], options: SummaryOptions) -> list[_Sentence]:
    """The highest-scoring two non-redundant sentences that fit the cap together, if any.

    Used when the greedy choice left one long sentence: a summary of two is preferred."""
    best: tuple[float, int, int] | None = None
    for i, first in enumerate(scored):
        for second in scored[i + 1 :]:
            if len(first.text) + len(second.text) + 1 > options.max_chars:
                continue
            if _overlap(first.words, second.words) > options.redundancy_limit:
                continue
            key = (-(first.score + second.score), first.index, second.index)
            if best is None or key < best:
                best = key
    if best is None:
        return []
    by_index = {s.index: s for s in scored}
    return [by_index[best[1]], by_index[best[2]]]


def _dangling_opening(picked: Sequence[_Sentence]) -> _Sentence | None:
    """The summary's first sentence when it refers back to a sentence the summary leaves out
    ("That is the backdrop to…" without what "that" is): None when it stands alone."""
    if not picked:
        return None
    first = picked[0]
    if not opens_with_reference(first.text):
        return None
    if any(other.index == first.index - 1 for other in picked):
        return None
    return first


def _article_sentences(
    scored: Sequence[_Sentence], word_count: int, options: SummaryOptions, *, limit: int
) -> list[_Sentence]:
    """The chosen sentences in text order; a sentence that leans on the one before it does not
    open the summary (text.sentences.opens_with_reference): the sentence it leans on comes
    with it when both fit, else it gives way to the next choice, while there is one."""
    picked = _chosen_sentences(scored, word_count, options, limit=limit)
    candidates = list(scored)
    while (dangling := _dangling_opening(picked)) is not None:
        before = next((s for s in candidates if s.index == dangling.index - 1), None)
        pair = [before, dangling] if before is not None else []
        if pair and limit >= 2 and sum(len(s.text) + 1 for s in pair) <= options.max_chars + 1:
            more = _select(
                candidates,
                limit=limit,
                max_chars=options.max_chars,
                redundancy_limit=options.redundancy_limit,
                chosen=pair,
            )
            picked = sorted(pair + more, key=lambda s: s.index)
            continue
        candidates = [s for s in candidates if s.index != dangling.index]
        again = _chosen_sentences(candidates, word_count, options, limit=limit)
        if not again:
            break
        picked = again
    return picked


def _chosen_sentences(
    scored: Sequence[_Sentence], word_count: int, options: SummaryOptions, *, limit: int
) -> list[_Sentence]:
    if not scored:
        return []
    if word_count < options.short_text_words or len(scored) <= options.short_text_sentences:
        limit = 1
    picked = _select(
        scored,
        limit=max(1, limit),
        max_chars=options.max_chars,
        redundancy_limit=options.redundancy_limit,
    )
    if len(picked) == 1 and limit > 1:
        picked = _best_pair(scored, options) or picked
    if not picked:  # the best sentence alone is longer than the cap: cut it
        best = min(scored, key=lambda s: (-s.score, s.index))
        cut = _cut(best.text, options.max_chars)
        return [_Sentence(best.index, cut, best.words, best.figures, best.score)]
    return sorted(picked, key=lambda s: s.index)


def summarize_article(title: str, text: str, *, options: SummaryOptions) -> Summary:
    """Two or three sentences of the article (one for a short text), verbatim, in order."""
    scored, word_count = _scored_sentences(title, text, options)
    picked = _article_sentences(scored, word_count, options, limit=options.max_sentences)
    return _summary([s.text for s in picked])


def _centrality(word_sets: Sequence[frozenset[str]]) -> list[float]:
    """Each report's mean word overlap with the others: the most typical one scores highest."""
    if len(word_sets) < 2:
        return [1.0] * len(word_sets)
    return [
        sum(_overlap(words, other) for j, other in enumerate(word_sets) if j != i)
        / (len(word_sets) - 1)
        for i, words in enumerate(word_sets)
    ]


def _lead_report(articles: Sequence[StoryArticle], options: SummaryOptions) -> int:
    """Index of the report the story summary is taken from: central, early, well-weighted."""
    leads = [
        # the first two paragraphs, without splitting the rest of the text
        _content_words(
            a.title + " " + " ".join(islice(iter_paragraphs(a.text[: options.max_input_chars]), 2))
        )
        for a in articles
    ]
    centrality = _centrality(leads)
    dated = [a.published for a in articles if a.published is not None]
    earliest = min(dated) if dated else None

    def key(i: int) -> tuple[float, int]:
        article = articles[i]
        early = 0.15 if earliest is not None and article.published == earliest else 0.0
        weight = 0.1 * math.log(max(article.source_weight, 0.1))
        has_text = 0.0 if article.text.strip() else -10.0
        return (-(centrality[i] + early + weight + has_text), i)

    return min(range(len(articles)), key=key)


def _sentence_with_new_figures(
    articles: Sequence[StoryArticle],
    lead_index: int,
    lead_sentences: Sequence[_Sentence],
    picked: Sequence[_Sentence],
    options: SummaryOptions,
) -> list[_Sentence]:
    """At most one sentence of the other reports that adds a figure and repeats nothing."""
    known_figures = frozenset(f for s in lead_sentences for f in s.figures)
    picked_figures = frozenset(f for s in picked for f in s.figures)
    title = articles[lead_index].title
    candidates = [
        s
        for i, article in enumerate(articles)
        if i != lead_index
        # only sentences with a figure can add one: the others are not read closely
        for s in _scored_sentences(title, article.text, options, with_figures=True)[0]
        if s.figures - known_figures
        and not s.figures & picked_figures
        and not opens_with_reference(s.text)  # what it refers to is in another report
    ]
    return _select(
        candidates,
        limit=len(picked) + 1,
        max_chars=options.max_chars,
        redundancy_limit=options.redundancy_limit,
        chosen=picked,
    )


def summarize_story(
    articles: Sequence[StoryArticle], *, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
) -> Summary:
    """The lead report's summary plus, when other coverage adds figures, one sentence of it.

    The added sentence must carry a figure the lead report lacks and repeat none of the
    chosen sentences' figures or most of their words; it comes last."""
    if not articles:
        return _summary([])
    lead_index = _lead_report(articles, options)
    lead = articles[lead_index]
    scored, word_count = _scored_sentences(lead.title, lead.text, options)
    if len(articles) > 1 and options.max_sentences > 1:
        picked = _article_sentences(scored, word_count, options, limit=options.max_sentences - 1)
        extra = _sentence_with_new_figures(articles, lead_index, scored, picked, options)
        if picked and extra:
            return _summary([s.text for s in picked] + [s.text for s in extra])
    picked = _article_sentences(scored, word_count, options, limit=options.max_sentences)
    return _summary([s.text for s in picked])
