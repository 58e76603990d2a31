r"""A small full-body truth for dev news pages, and extractors scored on it (issue 16).

The dev set's own annotations are a few short `with`/`without` snippets per page, so 96 % of
newsdesk's output on news pages is text no annotator read (benchmarks/extraction_blind_spot.py)
and a rule that removes furniture lying between two `with` snippets can only score as lost
recall there. The held-out set of issue 16 has complete article bodies. This benchmark is a
small stand-in for it: 60 randomly chosen dev news pages (`news_pages.is_news_page`) whose
candidate lines were labelled by hand, 40 from the tuning part (pages not in `pages[2::3]`) and
20 from the validation part, chosen with `random.Random(1612)` before any rule's output was
looked at (`pick_pages`). A second draw (`pick_new_validation`, `random.Random(1630)`) added 60
more validation pages, none of the first 20, also drawn before any rule's output was looked at
and labelled by a second labeller under the same guideline ("new validation"); the first 60
pages' labels were left as they were. A third draw (`pick_new_tuning`, `random.Random(1651)`)
added 40 more tuning pages, none of the first 40, drawn before any rule's output was looked at
("new tuning"), so rules suggested by the validation pages can be tuned on pages of their own.
A fourth draw (`pick_fresh_tuning`, `random.Random(1714)`) added 40 more tuning pages, none of
the 80 earlier tuning pages, drawn before any rule's output on them was looked at ("fresh
tuning"). A fifth draw (`pick_fifth_tuning`, `random.Random(1807)`, seed and picker committed
before any extractor's output on its pages was read) added 40 more tuning pages, none of the 120
earlier tuning pages ("fifth tuning"), labelled by a fresh labeller under the same guideline. A
sixth draw (`pick_sixth_tuning`, `random.Random(1907)`, seed and picker committed before any
extractor's output on its pages was read) added 40 more tuning pages, none of the 160 earlier
tuning pages ("sixth tuning"). A seventh draw (`pick_seventh_tuning`, `random.Random(1931)`,
seed and picker committed before any extractor's output on its pages was read) added 40 more
tuning pages, none of the first, third, fourth, fifth and sixth draws' pages ("seventh
tuning"), for a second fresh held-out estimate. An eighth draw (`pick_eighth_tuning`,
`random.Random(1949)`, seed and picker committed before any extractor's output on its pages was
read) added 40 more tuning pages, none of any earlier tuning draw's pages ("eighth tuning"), for
a fourth fresh estimate (after the fifth, sixth and seventh draws). Its lines were checked against
the dev set's snippets before the labels were committed: one label changed (page 109's section
<h1> "Künstlerischer Lebenslauf", first read as the title, is BODY; the page's title is "Über
uns"); two `without` snippets that fall in page 466's story paragraphs stay BODY. A ninth draw
(`pick_ninth_tuning`, `random.Random(1973)`, seed and picker committed before any extractor's
output on its pages was read) takes 40 more tuning pages, none of any earlier tuning draw's pages
("ninth tuning"), for a fifth fresh estimate. Its lines were checked against the dev set's
snippets before the labels were committed: 89 `with` snippets fall in BODY lines and 11 `without`
snippets in NOT lines; no label changed. Four conflicts stay as the guideline labels them: three
`with` snippets on a link-out line (121), an italic photo caption (141) and a video lead-in (250)
stay NOT, and one `without` snippet on a live blog's section heading (844) stays BODY. A tenth
draw (`pick_tenth_tuning`, `random.Random(2011)`, seed and picker committed before any
extractor's output on its pages was read) takes 40 more tuning pages, none of any earlier tuning
draw's pages ("tenth tuning"), for a sixth fresh estimate. Its lines were checked against the
dev set's snippets before the labels were committed: 74 `with` snippets fall in BODY lines and 12
`without` snippets in NOT lines; no label changed. Four conflicts stay as the guideline labels
them: two `with` snippets on an "Update …" line (57) and a repeated headline (975) stay NOT, and
two `without` snippets on story paragraphs (142, and 331's paragraph behind its reg-wall, which
is in the page's text) stay BODY. Page 198 is a teaser page (an opinion column's photo, headline
and standfirst with a "Read full article" link): every extractor returned only the photo
caption (NOT), so its standfirst, read in the page, was added as its one BODY line (its
articleBody was added later: "Pages relabelled" below). An eleventh draw
(`pick_third_validation`, `random.Random(2207)`, seed and picker committed before any
extractor's output on its pages was read) takes 40 more validation pages, news pages of the
validation part that neither earlier validation draw took ("third validation"), to narrow the
estimate of precision on pages no rule was designed on. Its lines were checked against the dev
set's snippets before the labels were committed: 82 `with` snippets fall in BODY lines and 7
`without` snippets in NOT lines; no label changed. Four conflicts stay as the guideline labels
them (not described here, so the pages stay fresh for estimates): two `with` snippets on NOT
lines (86, 359) and two `without` snippets on BODY lines (302, 923). Page 611 is a post whose
only content is a PDF link: no extractor returned it, so that line, read in the page, was added
as its one BODY line. The table reports each part, all tuning pages pooled, all validation
pages pooled, and all pages pooled.

**Lines labelled.** The union of the lines of newsdesk's output (lead code of 2026-12-06; for the
second draw, lead code e4d7cae of the same day; for the third, lead code c86dadc; for the
fourth, lead code c3f139a; for the fifth, lead code 1775985; for the sixth, lead code 3f5c4b2; for
the seventh, lead code 1725c0e; for the eighth, lead code 6afe58a; for the ninth, lead code
d96b2a4; for the tenth, lead code 04dc001; for the eleventh, lead code ba742a6 and the code of
issue 16's filing, cfd672f),
trafilatura's balanced output (`include_comments=False`) and its `favor_precision` output; each
line read in the page (the element holding it and the page around it) and labelled:

- BODY: the story's paragraphs, its lead/standfirst, subheadings, lists, tables and quotations
  that are part of the story, as a publisher's articleBody would hold them;
- NOT: title/headline (also when repeated in the body), kicker, byline, dateline and
  "updated"/date lines, captions and photo/video credits, share/comment/newsletter/subscribe/
  donation prompts, related/"read also"/teaser links and lists, tables of contents, tags,
  author bios and author notes, ads and ad disclosures, navigation/breadcrumbs, cookie text,
  copyright and bare source lines;
- UNSURE (excluded from both sides): embedded social posts and their chrome ("Sieh dir diesen
  Beitrag auf Instagram an"), sidebar fact/spec boxes, pull quotes, sign-offs, stray one-word
  fragments, and anything not decidable from the page.

A line mixing body and furniture takes the label of most of its words.

**Pages relabelled** (session 16): page 681 (fourth draw) was labelled when every extractor
returned it as one flattened line (date line, headline, dek, photo caption and the four
paragraphs run together), so that line took BODY by its majority, the headline, date line and
caption counted as body and the grams across its eight block boundaries as body no line-keeping
output can hold. Its record now holds that line split at the page's blocks, each labelled by the
guideline above (the date line, its two parts as newsdesk prints them, the headline and the
caption NOT; dek and paragraphs BODY); no other record changed.
Page 525 (fifth draw) was labelled when the same ten questions stood twice in the union, as
the page's table of contents (trafilatura) and as the body's h2 subheadings (newsdesk); each
line was read back at its first place, the contents, and labelled NOT. Its record now also
holds the ten subheadings at their own places, labelled BODY by the guideline (the contents'
NOT records stay; a gram in both counts as BODY, so an output printing the contents is not
charged for it); no other record changed.
Page 198 (tenth draw) was labelled from the lines the extractors returned and its visible
standfirst, when every extractor returned only the photo caption: the page renders the column
with JavaScript, and its story stands whole only in the page's JSON-LD articleBody, which the
guideline above calls BODY. Its record now also holds the articleBody's paragraphs as BODY
lines (one paragraph of 726 words: the string has no line breaks; its closing author-bio
sentence takes the line's majority label), stored as gram hashes since they are not in the
page's visible words; the caption (NOT) and standfirst (BODY) records stay; no other record
changed.

**Stored without page text** (`data/extraction_full_bodies.json`): per page its index in the
dev set and part, per line its label, the first 16 hex digits of the SHA-1 of its words
(`words_of`, joined by spaces), its word count and the position of its first word among the
page words (`extraction._page_words`); a line that does not sit contiguously in the page words
carries the hashes of its word 5-grams instead. The words are read back from the page, so the
truth is usable only where ../shared is.

**Score.** A line's grams are its word 5-grams (a line of fewer than five words is one gram,
the whole line). Per page, BODY grams are those of BODY lines; NOT grams those of NOT lines
that are no BODY gram. An output is split into lines the same way; precision = its grams
(counted with repeats) that are BODY grams over those that are BODY or NOT grams (grams of
neither, e.g. UNSURE text or text no extractor returned before, do not count); recall = the
share of the page's BODY grams that the output holds. An empty output scores 0 and 0; an output
with no counted gram has no precision for that page. P and R are means over pages, F1 their
harmonic mean, as the held-out measure and `extraction.py` do.

    NEWSDESK_SHARED_DIR=../shared .venv/bin/python benchmarks/extraction_full_body.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extraction import (
    SHINGLE,
    Extractor,
    FullText,
    Page,
    _page_words,
    extractors,
    load_pages,
    words_of,
)
from shared_data import run_benchmark

LABELS_FILE = Path(__file__).resolve().parent / "data" / "extraction_full_bodies.json"
BODY, NOT, UNSURE = "B", "N", "U"
SEED = 1612
TUNING_PAGES, VALIDATION_PAGES = 40, 20
# The second draw (issue 16, stop 30): more validation pages, none of the first draw's, drawn
# with their own seed before any rule's output was looked at, labelled by a second labeller
# under the same guideline.
NEW_VALIDATION_SEED = 1630
NEW_VALIDATION_PAGES = 60
# The third draw (issue 16, session 13): more tuning pages, none of the first draw's, so the
# precision rules the second draw's validation pages suggested are tuned on pages of their own,
# drawn with their own seed before any rule's output was looked at.
NEW_TUNING_SEED = 1651
NEW_TUNING_PAGES = 40
# The fourth draw (issue 16, session 14): a fresh set of tuning pages, none of the 80 already
# labelled, drawn before any rule's output on them was looked at, so end-of-body rules suggested
# by the validation pages' furniture are designed on pages that neither earlier rule saw.
FRESH_TUNING_SEED = 1714
FRESH_TUNING_PAGES = 40
# The fifth draw (issue 16, session 15): 40 more tuning pages, none of the 120 already labelled,
# drawn (seed and picker committed) before any extractor's output on them was looked at, so the
# precision loss can be measured on pages no rule was designed on.
FIFTH_TUNING_SEED = 1807
FIFTH_TUNING_PAGES = 40
# The sixth draw (issue 16, session 16): 40 more tuning pages, none of the 160 already labelled,
# drawn (seed and picker committed) before any extractor's output on them was looked at, for a
# fresh estimate of the precision on pages no rule was designed on.
SIXTH_TUNING_SEED = 1907
SIXTH_TUNING_PAGES = 40
# The seventh draw (issue 16, session 16): 40 more tuning pages, none of the first, third,
# fourth, fifth and sixth draws' pages, drawn (seed and picker committed) before any extractor's
# output on them was looked at: a second fresh estimate, disjoint from the sixth.
SEVENTH_TUNING_SEED = 1931
SEVENTH_TUNING_PAGES = 40
# The eighth draw (issue 16, session 16): 40 more tuning pages, none of any earlier tuning draw's
# pages, drawn (seed and picker committed) before any extractor's output on them was looked at:
# a fourth fresh estimate after the fifth, sixth and seventh.
EIGHTH_TUNING_SEED = 1949
EIGHTH_TUNING_PAGES = 40
# The ninth draw (issue 16, session 16): 40 more tuning pages, none of any earlier tuning draw's
# pages, drawn (seed and picker committed) before any extractor's output on them was looked at:
# a fifth fresh estimate after the fifth, sixth, seventh and eighth.
NINTH_TUNING_SEED = 1973
NINTH_TUNING_PAGES = 40
# The tenth draw (issue 16, session 16): 40 more tuning pages, none of any earlier tuning draw's
# pages, drawn (seed and picker committed) before any extractor's output on them was looked at:
# a sixth fresh estimate after the fifth to ninth.
TENTH_TUNING_SEED = 2011
TENTH_TUNING_PAGES = 40
# The eleventh draw (issue 16, session 17): 40 more validation pages, none of the first or
# second draw's validation pages, drawn (seed and picker committed) before any extractor's output
# on them was looked at: a fresh read of pages no rule was designed on, to narrow the held-out
# estimate the 80 earlier validation pages give.
THIRD_VALIDATION_SEED = 2207
THIRD_VALIDATION_PAGES = 40
TUNING, VALIDATION, NEW_VALIDATION = "tuning", "validation", "new validation"
NEW_TUNING = "new tuning"
FRESH_TUNING = "fresh tuning"
FIFTH_TUNING = "fifth tuning"
SIXTH_TUNING = "sixth tuning"
SEVENTH_TUNING = "seventh tuning"
EIGHTH_TUNING = "eighth tuning"
NINTH_TUNING = "ninth tuning"
TENTH_TUNING = "tenth tuning"
THIRD_VALIDATION = "third validation"
EXTRACTORS = ("newsdesk", "trafilatura (no comments)", "trafilatura (favor_precision)")

Gram = tuple[str, ...]


def pick_pages(news: Sequence[bool], seed: int = SEED) -> tuple[list[int], list[int]]:
    """Dev-set indices of the labelled pages: TUNING_PAGES news pages of the tuning part and
    VALIDATION_PAGES of the validation part (`pages[2::3]`), drawn with `seed`, sorted."""
    tuning = [i for i, is_news in enumerate(news) if is_news and i % 3 != 2]
    validation = [i for i, is_news in enumerate(news) if is_news and i % 3 == 2]
    rng = random.Random(seed)
    picked_tuning = sorted(rng.sample(tuning, TUNING_PAGES))
    return picked_tuning, sorted(rng.sample(validation, VALIDATION_PAGES))


def pick_new_validation(news: Sequence[bool], seed: int = NEW_VALIDATION_SEED) -> list[int]:
    """Dev-set indices of the second draw: NEW_VALIDATION_PAGES news pages of the validation
    part that the first draw (`pick_pages`) did not take, drawn with `seed`, sorted."""
    _, first = pick_pages(news)
    validation = [i for i, is_news in enumerate(news) if is_news and i % 3 == 2 and i not in first]
    return sorted(random.Random(seed).sample(validation, NEW_VALIDATION_PAGES))


def pick_third_validation(news: Sequence[bool], seed: int = THIRD_VALIDATION_SEED) -> list[int]:
    """Dev-set indices of the eleventh draw: THIRD_VALIDATION_PAGES news pages of the validation
    part that neither the first draw (`pick_pages`) nor the second (`pick_new_validation`) took,
    drawn with `seed`, sorted; all that remain, sorted, if fewer remain."""
    taken = set(pick_pages(news)[1]) | set(pick_new_validation(news))
    left = [i for i, is_news in enumerate(news) if is_news and i % 3 == 2 and i not in taken]
    return sorted(random.Random(seed).sample(left, min(THIRD_VALIDATION_PAGES, len(left))))


# The tuning draws after the first, in draw order: (part, seed, pages). Each takes news pages of
# the tuning part that neither the first draw nor any draw before it took.
LATER_TUNING_DRAWS: tuple[tuple[str, int, int], ...] = (
    (NEW_TUNING, NEW_TUNING_SEED, NEW_TUNING_PAGES),
    (FRESH_TUNING, FRESH_TUNING_SEED, FRESH_TUNING_PAGES),
    (FIFTH_TUNING, FIFTH_TUNING_SEED, FIFTH_TUNING_PAGES),
    (SIXTH_TUNING, SIXTH_TUNING_SEED, SIXTH_TUNING_PAGES),
    (SEVENTH_TUNING, SEVENTH_TUNING_SEED, SEVENTH_TUNING_PAGES),
    (EIGHTH_TUNING, EIGHTH_TUNING_SEED, EIGHTH_TUNING_PAGES),
    (NINTH_TUNING, NINTH_TUNING_SEED, NINTH_TUNING_PAGES),
    (TENTH_TUNING, TENTH_TUNING_SEED, TENTH_TUNING_PAGES),
)


def pick_later_tuning(news: Sequence[bool], part: str, seed: int | None = None) -> list[int]:
    """Dev-set indices of a later tuning draw (`part`, one of LATER_TUNING_DRAWS): its number of
    news pages of the tuning part (pages not in `pages[2::3]`) that neither the first draw nor
    any draw before it took, drawn with `seed` (the draw's own by default), sorted; all that
    remain, sorted, if fewer remain. The draws before it are taken with their own seeds."""
    taken = set(pick_pages(news)[0])
    for name, own_seed, size in LATER_TUNING_DRAWS:
        left = [i for i, is_news in enumerate(news) if is_news and i % 3 != 2 and i not in taken]
        draw_seed = seed if name == part and seed is not None else own_seed
        drawn = sorted(random.Random(draw_seed).sample(left, min(size, len(left))))
        if name == part:
            return drawn
        taken.update(drawn)
    raise ValueError(f"not a later tuning draw: {part!r}")


def pick_new_tuning(news: Sequence[bool], seed: int = NEW_TUNING_SEED) -> list[int]:
    """The third draw (`pick_later_tuning`)."""
    return pick_later_tuning(news, NEW_TUNING, seed)


def pick_fresh_tuning(news: Sequence[bool], seed: int = FRESH_TUNING_SEED) -> list[int]:
    """The fourth draw (`pick_later_tuning`)."""
    return pick_later_tuning(news, FRESH_TUNING, seed)


def pick_fifth_tuning(news: Sequence[bool], seed: int = FIFTH_TUNING_SEED) -> list[int]:
    """The fifth draw (`pick_later_tuning`)."""
    return pick_later_tuning(news, FIFTH_TUNING, seed)


def pick_sixth_tuning(news: Sequence[bool], seed: int = SIXTH_TUNING_SEED) -> list[int]:
    """The sixth draw (`pick_later_tuning`)."""
    return pick_later_tuning(news, SIXTH_TUNING, seed)


def pick_seventh_tuning(news: Sequence[bool], seed: int = SEVENTH_TUNING_SEED) -> list[int]:
    """The seventh draw (`pick_later_tuning`)."""
    return pick_later_tuning(news, SEVENTH_TUNING, seed)


def pick_eighth_tuning(news: Sequence[bool], seed: int = EIGHTH_TUNING_SEED) -> list[int]:
    """The eighth draw (`pick_later_tuning`)."""
    return pick_later_tuning(news, EIGHTH_TUNING, seed)


def pick_ninth_tuning(news: Sequence[bool], seed: int = NINTH_TUNING_SEED) -> list[int]:
    """The ninth draw (`pick_later_tuning`)."""
    return pick_later_tuning(news, NINTH_TUNING, seed)


def pick_tenth_tuning(news: Sequence[bool], seed: int = TENTH_TUNING_SEED) -> list[int]:
    """The tenth draw (`pick_later_tuning`)."""
    return pick_later_tuning(news, TENTH_TUNING, seed)


def text_hash(words: Sequence[str], digits: int = 16) -> str:
    return hashlib.sha1(" ".join(words).encode()).hexdigest()[:digits]


def line_grams(words: Sequence[str]) -> list[Gram]:
    """A line's word 5-grams; a shorter line is one gram."""
    if not words:
        return []
    if len(words) < SHINGLE:
        return [tuple(words)]
    return [tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]


def text_grams(text: str) -> list[Gram]:
    return [gram for line in text.splitlines() for gram in line_grams(words_of(line))]


@dataclass(frozen=True)
class BodyTruth:
    """One labelled page: its BODY grams and NOT grams (no gram in both); hashed grams of
    lines that could not be read back from the page are kept as hashes."""

    index: int
    body: frozenset[Gram | str]
    furniture: frozenset[Gram | str]

    def label(self, gram: Gram) -> str | None:
        for key in (gram, text_hash(gram, 12)):
            if key in self.body:
                return BODY
            if key in self.furniture:
                return NOT
        return None


def label_line(words: Sequence[str], label: str, page_words: Sequence[str]) -> list[Any]:
    """A line's stored record: [label, hash, words, position] or, when the line is not a
    contiguous run of the page words, [label, hash, words, None, gram hashes]."""
    size = len(words)
    for start in range(len(page_words) - size + 1):
        if page_words[start] == words[0] and list(page_words[start : start + size]) == list(words):
            return [label, text_hash(words), size, start]
    return [label, text_hash(words), size, None, [text_hash(g, 12) for g in line_grams(words)]]


def page_truth(entry: dict[str, Any], page_words: Sequence[str]) -> BodyTruth:
    """The truth of one stored page, its lines read back from the page words (ValueError when
    a line's hash does not match: the page or the word split changed)."""
    grams: dict[str, set[Gram | str]] = {BODY: set(), NOT: set(), UNSURE: set()}
    for record in entry["lines"]:
        label, digest, size, start = record[:4]
        if start is None:
            grams[label].update(record[4])
            continue
        words = page_words[start : start + size]
        if text_hash(words) != digest:
            raise ValueError(f"page {entry['index']}: line at word {start} does not match")
        grams[label].update(line_grams(words))
    return BodyTruth(entry["index"], frozenset(grams[BODY]), frozenset(grams[NOT] - grams[BODY]))


def load_truths(pages: Sequence[Page], labels: Path = LABELS_FILE) -> dict[str, list[BodyTruth]]:
    """The labelled pages' truths by part (TUNING, VALIDATION, NEW_VALIDATION, NEW_TUNING,
    FRESH_TUNING, FIFTH_TUNING, SIXTH_TUNING, SEVENTH_TUNING, EIGHTH_TUNING, NINTH_TUNING,
    TENTH_TUNING, THIRD_VALIDATION), in index order within each part."""
    stored = json.loads(labels.read_text(encoding="utf-8"))
    parts: dict[str, list[BodyTruth]] = {
        TUNING: [],
        VALIDATION: [],
        NEW_VALIDATION: [],
        NEW_TUNING: [],
        FRESH_TUNING: [],
        FIFTH_TUNING: [],
        SIXTH_TUNING: [],
        SEVENTH_TUNING: [],
        EIGHTH_TUNING: [],
        NINTH_TUNING: [],
        TENTH_TUNING: [],
        THIRD_VALIDATION: [],
    }
    for entry in stored["pages"]:
        words, _ = _page_words(pages[entry["index"]].html)
        parts[entry["part"]].append(page_truth(entry, words))
    for truths in parts.values():
        truths.sort(key=lambda truth: truth.index)
    return parts


def reported_parts(parts: dict[str, list[BodyTruth]]) -> dict[str, list[BodyTruth]]:
    """The columns of the table: each stored part, the tuning pages pooled, the validation
    pages pooled and all pages pooled (means over pages, so a pooled figure weighs each page
    once)."""
    tuning = sorted(
        parts[TUNING]
        + parts.get(NEW_TUNING, [])
        + parts.get(FRESH_TUNING, [])
        + parts.get(FIFTH_TUNING, [])
        + parts.get(SIXTH_TUNING, [])
        + parts.get(SEVENTH_TUNING, [])
        + parts.get(EIGHTH_TUNING, [])
        + parts.get(NINTH_TUNING, [])
        + parts.get(TENTH_TUNING, []),
        key=lambda t: t.index,
    )
    validation = sorted(
        parts[VALIDATION] + parts[NEW_VALIDATION] + parts.get(THIRD_VALIDATION, []),
        key=lambda t: t.index,
    )
    every = sorted(validation + tuning, key=lambda t: t.index)
    return {**parts, "all tuning": tuning, "all validation": validation, "all": every}


def score_page(text: str, truth: BodyTruth) -> tuple[float | None, float]:
    """(precision, recall) of one output on one labelled page; precision None when none of
    its grams is labelled."""
    grams = text_grams(text)
    if not grams:
        return 0.0, 0.0
    labels = [truth.label(gram) for gram in grams]
    body, counted = labels.count(BODY), labels.count(BODY) + labels.count(NOT)
    found = {gram for gram, label in zip(grams, labels, strict=True) if label == BODY}
    found_keys = found | {text_hash(gram, 12) for gram in found}
    recall = len(truth.body & found_keys) / len(truth.body) if truth.body else 1.0
    return (body / counted if counted else None), recall


def score(texts: Sequence[str], truths: Sequence[BodyTruth]) -> FullText:
    precisions, recalls = [], []
    for text, truth in zip(texts, truths, strict=True):
        precision, recall = score_page(text, truth)
        if precision is not None:
            precisions.append(precision)
        recalls.append(recall)
    return FullText(statistics.fmean(precisions or [0.0]), statistics.fmean(recalls or [0.0]))


def run(extractor: Extractor, pages: Sequence[Page], truths: Sequence[BodyTruth]) -> list[str]:
    texts = []
    for truth in truths:
        page = pages[truth.index]
        try:
            texts.append(extractor(page.html, page.url))
        except Exception:  # a crashing baseline scores as empty text, as in extraction.py
            texts.append("")
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", help="run only these extractors")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    pages = load_pages()
    parts = reported_parts(load_truths(pages))
    chosen = {
        name: extractor
        for name, extractor in extractors().items()
        if name in (args.only or EXTRACTORS)
    }
    print(", ".join(f"{part}: {len(truths)} pages" for part, truths in parts.items()))
    print(f"{'extractor':<30}" + "".join(f"{part[:14]:>22}" for part in parts))
    print(f"{'':<30}" + "".join(f"{'P':>8}{'R':>7}{'F1':>7}" for _ in parts))
    for name, extractor in chosen.items():
        texts = dict(
            zip(
                (truth.index for truth in parts["all"]),
                run(extractor, pages, parts["all"]),
                strict=True,
            )
        )
        row = f"{name[:29]:<30}"
        for truths in parts.values():
            found = score([texts[truth.index] for truth in truths], truths)
            row += f"{found.precision:>8.4f}{found.recall:>7.4f}{found.f1:>7.4f}"
        print(row, flush=True)


if __name__ == "__main__":
    run_benchmark(main)
