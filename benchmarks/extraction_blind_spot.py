r"""What the dev measure cannot see: where newsdesk's output sits in the page truth (issue 16).

`extraction.py`'s full-text measure labels page words from three or so `with` snippets per
page; everything between two of them, and the margins inside the article container, count as
article without anyone having read them, and unknown words do not count at all. A held-out set
with full article bodies reads those words too. This script shows how much of newsdesk's
output the measure only assumes, and draws a sample of it to read by hand.

Each output 5-gram (placed as `extraction._placements` places it) is one of:

- ``with``: all five words inside a located `with` snippet (read by an annotator);
- ``interp``: article by interpolation: between the first and last snippet, not all inside one;
- ``margin``: article, but before the first or after the last snippet (the container's margin);
- ``unknown``: touches an unknown word (does not count in the measure);
- ``furniture``: touches a furniture word;
- ``unplaced``: not found on the page in order.

Printed: each class's share of the output 5-grams (pooled, and the mean of the per-page
shares, as P is averaged over pages); then, per stratum of *blind* output lines (most of their
5-grams interp, margin or unknown; lines of at most 15 words are "short", the rest "long"), the
number of lines and their 5-grams; then a reproducible sample: `--pages` random pages, one short
and one long blind line from each, with the element chain that holds the line on the page and
the lines around it, to classify by hand (body text or which kind of furniture). A line's share
of its stratum on its page (``n``) is printed so a hand count can be weighted back per page.

    NEWSDESK_SHARED_DIR=../shared nice -n 10 .venv/bin/python benchmarks/extraction_blind_spot.py \
        [--part tuning|validation|all] [--all-pages] [--pages 40] [--seed 1616] [--cache FILE]

By default the tuning part's news pages (`news_pages.is_news_page`) are used, the pages issue
16's held-out set resembles; `--all-pages` drops that filter. `--cache` keeps the pages' truths
and texts (a pickle) so that another sample costs no extraction.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extraction import (
    FURNITURE,
    SHINGLE,
    UNKNOWN,
    Page,
    PageTruth,
    _page_words,
    _placements,
    cached_collection,
    load_pages,
    newsdesk_extractor,
    page_truth,
    tuning_part,
    validation_part,
    words_of,
)
from shared_data import run_benchmark

CLASSES = ("with", "interp", "margin", "unknown", "furniture", "unplaced")
BLIND = frozenset({"interp", "margin", "unknown"})
SHORT_LINE_WORDS = 15


def gram_classes(text: str, truth: PageTruth) -> list[tuple[str, int | None]]:
    """Class and page position of each 5-gram of the extracted text, in order."""
    inside = bytearray(len(truth.words))
    for start, end in truth.spans:
        inside[start:end] = b"\x01" * (end - start)
    low = truth.spans[0][0] if truth.spans else 0
    high = max((end for _, end in truth.spans), default=0)
    found: list[tuple[str, int | None]] = []
    for place in _placements(truth, words_of(text)):
        if place is None:
            found.append(("unplaced", None))
            continue
        labels = truth.labels[place : place + SHINGLE]
        if FURNITURE in labels:
            kind = "furniture"
        elif UNKNOWN in labels:
            kind = "unknown"
        elif all(inside[place : place + SHINGLE]):
            kind = "with"
        elif low <= place and place + SHINGLE <= high:
            kind = "interp"
        else:
            kind = "margin"
        found.append((kind, place))
    return found


@dataclass(frozen=True)
class Line:
    """One output line (a block of the body) and the classes of the 5-grams starting in it."""

    page: int
    index: int
    text: str
    words: int
    classes: Counter[str]
    first_place: int | None

    @property
    def grams(self) -> int:
        return sum(self.classes.values())

    @property
    def blind(self) -> int:
        return sum(self.classes[kind] for kind in BLIND)

    @property
    def is_blind(self) -> bool:
        return self.grams > 0 and 2 * self.blind >= self.grams

    @property
    def short(self) -> bool:
        return self.words <= SHORT_LINE_WORDS


def output_lines(page_index: int, text: str, truth: PageTruth) -> list[Line]:
    """The text's lines, each with the 5-grams that start on it (a 5-gram belongs to the line
    of its first word)."""
    classes = gram_classes(text, truth)
    lines, position = [], 0
    for index, line_text in enumerate(text.split("\n")):
        count = len(words_of(line_text))
        mine = classes[position : position + count]
        position += count
        first = next((place for _, place in mine if place is not None), None)
        lines.append(Line(page_index, index, line_text, count, Counter(k for k, _ in mine), first))
    return lines


def class_shares(per_page: Sequence[Counter[str]]) -> dict[str, tuple[float, float]]:
    """Per class: (share of all 5-grams, mean of the per-page shares over pages with any)."""
    total = Counter[str]()
    for counts in per_page:
        total.update(counts)
    grams = sum(total.values()) or 1
    pages = [counts for counts in per_page if sum(counts.values())]
    return {
        kind: (
            total[kind] / grams,
            statistics.fmean(c[kind] / sum(c.values()) for c in pages) if pages else 0.0,
        )
        for kind in CLASSES
    }


def draw_sample(lines: Sequence[Line], pages: int, seed: int) -> list[tuple[Line, int]]:
    """Up to `pages` random pages with blind lines; from each one short and one long blind line
    (when it has them), each with the number of blind lines of its stratum on that page."""
    rng = random.Random(seed)
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        if line.is_blind:
            by_page.setdefault(line.page, []).append(line)
    chosen = rng.sample(sorted(by_page), min(pages, len(by_page)))
    sample = []
    for page in chosen:
        for short in (True, False):
            pool = [line for line in by_page[page] if line.short is short]
            if pool:
                sample.append((rng.choice(pool), len(pool)))
    return sample


def element_chain(element: Any, depth: int = 6) -> str:
    """`tag.class#id < parent...`: where a word sits on the page."""
    parts = []
    for node in [element, *element.iterancestors()][:depth]:
        classes = ".".join((node.get("class") or "").split()[:2])
        ident = node.get("id")
        parts.append(f"{node.tag}{'.' + classes if classes else ''}{'#' + ident if ident else ''}")
    return " < ".join(parts)


def collect(part: str, news_only: bool) -> tuple[list[Page], list[PageTruth | None], list[str]]:
    from news_pages import is_news_page

    pages = load_pages()
    chosen = {"tuning": tuning_part, "validation": validation_part}.get(part, list)(pages)
    if news_only:
        chosen = [page for page in chosen if is_news_page(page.html)]
    run = newsdesk_extractor()
    return chosen, [page_truth(page) for page in chosen], [run(p.html, p.url) for p in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("tuning", "validation", "all"), default="tuning")
    parser.add_argument("--all-pages", action="store_true", help="not only the news pages")
    parser.add_argument("--pages", type=int, default=40, help="pages in the sample")
    parser.add_argument("--seed", type=int, default=1616)
    parser.add_argument("--cache", type=Path, default=None, help="pickle of pages and texts")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)

    pages, truths, texts = cached_collection(
        args.cache, lambda: collect(args.part, news_only=not args.all_pages)
    )
    lines: list[Line] = []
    per_page = []
    for index, (truth, text) in enumerate(zip(truths, texts, strict=True)):
        if truth is None:
            continue
        page_lines = output_lines(index, text, truth)
        lines.extend(page_lines)
        per_page.append(sum((line.classes for line in page_lines), Counter[str]()))
    print(f"{len(pages)} pages ({args.part}, {'all' if args.all_pages else 'news'})")
    print(f"{'class':<11}{'pooled':>9}{'page mean':>11}")
    for kind, (pooled, mean) in class_shares(per_page).items():
        print(f"{kind:<11}{pooled:>9.4f}{mean:>11.4f}")
    for short in (True, False):
        stratum = [line for line in lines if line.is_blind and line.short is short]
        print(
            f"blind {'short' if short else 'long'} lines: {len(stratum)}, "
            f"{sum(line.blind for line in stratum)} blind 5-grams"
        )
    holders: dict[int, list[Any]] = {}
    for number, (line, stratum_size) in enumerate(draw_sample(lines, args.pages, args.seed)):
        page, text = pages[line.page], texts[line.page]
        if line.page not in holders:
            holders[line.page] = _page_words(page.html)[1]
        place = line.first_place
        where = "?" if place is None else element_chain(holders[line.page][place])
        around = text.split("\n")
        before = around[line.index - 1][:80] if line.index else ""
        after = around[line.index + 1][:80] if line.index + 1 < len(around) else ""
        print(
            f"\n#{number} {'short' if line.short else 'long'} page {line.page} {page.url[:80]}"
            f"\n   line {line.index + 1}/{len(around)}, n={stratum_size}, {dict(line.classes)}"
            f"\n   where: {where}\n   before: {before!r}\n   LINE: {line.text[:240]!r}"
            f"\n   after: {after!r}"
        )


if __name__ == "__main__":
    run_benchmark(main)
