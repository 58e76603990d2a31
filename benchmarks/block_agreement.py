"""Would removing the blocks that only newsdesk's primary extractor keeps raise precision?

Issue 16 lists "a second opinion used to remove blocks that only one extractor keeps
(agreement by shingles at block level)". This measures it without changing newsdesk: for every
dev page, newsdesk's text with the rule this study led to turned off
(`ExtractOptions(unbacked_tail_min_cover=None)`), one line per block, and the texts of
independent second opinions over the same parsed tree (the story the page is about), with their
CPU cost: readability-lxml, jusText's classifier (stoplist from the page's `lang`),
trafilatura's balanced pass, a cheap density scorer (`density.density_text`: readability's
paragraph scoring without serialising the page again), and `already`, the candidates newsdesk
itself made on that page besides the one it kept (second opinions or the recall guard's
balanced pass: 73 of the 990 pages, 20 of the 320 full-body tuning pages). A block counts as
kept by an opinion when at least half of its word 3-grams are in the opinion's text (a block
under three words: its words in order).

A policy removes the blocks no chosen opinion keeps, anywhere (`any`), only in the leading and
trailing runs (`edges`), only the leading run (`head`) or only the trailing run (`tail`),
optionally only blocks of at most `maxwords` words, and only on pages where the opinions keep
at least `min_cover` of the body's words (an opinion that chose another region says nothing
about single blocks). Each policy is scored on the tuning pages only: the full-body truth
(`extraction_full_body.py`, all 320 tuning pages: P, R, F1) and the dev set's snippet measure
on its tuning news pages (`extraction.py --split --news`), with the dev pages whose output
changes and the opinion's CPU ms per page (its pass plus the block agreement).
`--validation` adds the full-body validation pages: read once per rule, at the end.

**Found (session 16, lead 04dc001).** First measured (8d2ebb4) only against the snippet
measure, where removing unlabelled furniture can only show as lost recall: "every variant costs
at least as much recall as it buys precision". Against the full-body truth (baseline P
0.983506 R 0.995698 F1 0.989564, dev-snippet tuning news F1 0.954337), 324 variants (each
opinion alone and four combinations x where x maxwords None/12/25 x min_cover 0/0.8/0.9):
removing blocks anywhere lowers F1 with every opinion (density `any`: 0.951801; best `any`
variant 0.989559); the leading run or both edges move F1 by at most +0.0001 (jusText `edges`
maxwords=12 min_cover=0.8: 0.989675, but dev news F1 0.953923 on 192 changed pages): the
leading run holds standfirsts the opinions miss. The trailing run is where the furniture is:
`density tail min_cover=0.8` (`--policy 19`) is the best variant, P 0.984501 R 0.995690 F1
0.990064, dev news F1 0.954847, on 57 of 990 dev pages, for ~2 CPU ms of density pass plus
~1.7 of (unoptimised) agreement; the expensive opinions do no better (readability tail 0.8:
0.989860 at ~43 ms; jusText tail maxwords=25 0.9: 0.989902 at ~25 ms; balanced tail:
0.989658 at ~31 ms); `already` (73 pages) moves no full-body tuning page's score, and adding
it to density changes nothing that counts. newsdesk now applies the density tail rule
(`ExtractOptions.unbacked_tail_min_cover`, `extract/density.py`); the CHANGELOG has its
measured figures (block-level there, so they differ from the line-level ones here).

    NEWSDESK_SHARED_DIR=../shared nice -n 10 .venv/bin/python benchmarks/block_agreement.py \
        [--limit N] [--policy N] [--validation]
"""

from __future__ import annotations

import argparse
import copy
import logging
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from extraction import (
    Page,
    news_subsets,
    page_truth,
    subset_score,
    tuning_part,
    words_of,
)
from extraction import load_pages as load_dev_pages
from extraction_full_body import load_truths, reported_parts
from extraction_full_body import score as full_body_score
from shared_data import run_benchmark

GRAM = 3
KEPT_SHARE = 0.5
ALREADY = "already"


@dataclass
class PageRecord:
    blocks: list[str] = field(default_factory=list)
    opinions: dict[str, str] = field(default_factory=dict)
    cpu_ms: dict[str, float] = field(default_factory=dict)
    kept: dict[str, list[bool]] = field(default_factory=dict)  # per opinion, per block

    @property
    def text(self) -> str:
        return "\n".join(self.blocks)


_STOPLISTS = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
              "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "sv": "Swedish",
              "da": "Danish", "fi": "Finnish", "ru": "Russian", "cs": "Czech"}  # fmt: skip


def justext_text(tree: Any) -> str:
    import justext
    from justext.core import (
        ParagraphMaker,
        classify_paragraphs,
        preprocessor,
        revise_paragraph_classification,
    )

    language = (tree.get("lang") or "en").split("-")[0].lower()
    stoplist = justext.get_stoplist(_STOPLISTS.get(language, "English"))
    paragraphs = ParagraphMaker.make_paragraphs(preprocessor(copy.deepcopy(tree)))
    classify_paragraphs(paragraphs, stoplist)
    revise_paragraph_classification(paragraphs)
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def opinion_makers(url: str) -> dict[str, Callable[[Any], str]]:
    from newsdesk.extract.candidates import CandidateName, make_candidate
    from newsdesk.extract.density import density_text

    def candidate(name: CandidateName) -> Callable[[Any], str]:
        def run(tree: Any) -> str:
            found = make_candidate(tree, name, url=url, include_tables=True)
            return found.text() if found is not None else ""

        return run

    return {
        "readability": candidate(CandidateName.READABILITY),
        "balanced": candidate(CandidateName.BALANCED),
        "justext": justext_text,
        "density": density_text,
    }


@contextmanager
def made_candidates() -> Iterator[list[tuple[str, str]]]:
    """The (name, text) of every candidate newsdesk's article module makes meanwhile."""
    import newsdesk.extract.article as article

    made: list[tuple[str, str]] = []
    original = article.make_candidate

    def recording(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        made.append((str(args[1]), found.text() if found is not None else ""))
        return found

    article.make_candidate = recording
    try:
        yield made
    finally:
        article.make_candidate = original


def collect(pages: Sequence[Page]) -> list[PageRecord]:
    from newsdesk.domain import ExtractionError
    from newsdesk.extract import ExtractOptions, extract_article
    from newsdesk.extract.page import parse_page
    from newsdesk.extract.stories import single_story

    options = ExtractOptions(unbacked_tail_min_cover=None)
    records = []
    with made_candidates() as made:
        for page in pages:
            record = PageRecord()
            records.append(record)
            made.clear()
            try:
                article = extract_article(page.html, url=page.url, options=options)
            except ExtractionError:
                continue
            record.blocks = article.text.split("\n")
            record.opinions[ALREADY] = "\n".join(
                text for name, text in made if name != article.extractor and text.strip()
            )
            tree = parse_page(page.html, max_html_bytes=options.max_html_bytes)
            story = single_story(tree)
            tree = story if story is not None else tree
            for name, make in opinion_makers(page.url).items():
                started = time.process_time()
                try:
                    record.opinions[name] = make(tree)
                except Exception:  # a failing opinion keeps nothing, as in a real pass
                    record.opinions[name] = ""
                record.cpu_ms[name] = 1000 * (time.process_time() - started)
    return records


def _grams(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + GRAM]) for i in range(len(words) - GRAM + 1)}


def kept_share(block: Sequence[str], grams: set[tuple[str, ...]], joined: str) -> float:
    if not block:
        return 1.0
    if len(block) < GRAM:
        return 1.0 if f" {' '.join(block)} " in joined else 0.0
    own = [tuple(block[i : i + GRAM]) for i in range(len(block) - GRAM + 1)]
    return sum(gram in grams for gram in own) / len(own)


def agree(records: Sequence[PageRecord], names: Sequence[str]) -> dict[str, float]:
    """Each record's blocks kept per opinion (`PageRecord.kept`); CPU ms per page per opinion."""
    cost = {}
    for name in names:
        started = time.process_time()
        for record in records:
            opinion = record.opinions.get(name, "")
            if not record.blocks or not opinion.strip():
                continue
            words = [words_of(block) for block in record.blocks]
            opinion_words = words_of(opinion)
            grams, joined = _grams(opinion_words), f" {' '.join(opinion_words)} "
            record.kept[name] = [kept_share(w, grams, joined) >= KEPT_SHARE for w in words]
        cost[name] = 1000 * (time.process_time() - started) / max(1, len(records))
    return cost


@dataclass(frozen=True)
class Policy:
    opinions: tuple[str, ...]
    where: str = "any"  # any, edges, head, tail
    maxwords: int | None = None
    min_cover: float = 0.0

    def __str__(self) -> str:
        return (
            f"{'+'.join(self.opinions)} {self.where} maxwords={self.maxwords} "
            f"min_cover={self.min_cover}"
        )


def apply(policy: Policy, record: PageRecord) -> list[str]:
    """The page's blocks the policy keeps."""
    words = [words_of(block) for block in record.blocks]
    total = sum(len(w) for w in words) or 1
    kept_by = [
        kept
        for kept in (record.kept[name] for name in policy.opinions if name in record.kept)
        if sum(len(w) for w, k in zip(words, kept, strict=True) if k) / total >= policy.min_cover
    ]
    if not kept_by:
        return record.blocks
    lone = [
        bool(w) and not any(k[i] for k in kept_by)
        and (policy.maxwords is None or len(w) <= policy.maxwords)
        for i, w in enumerate(words)
    ]  # fmt: skip
    drop = lone if policy.where == "any" else [False] * len(words)
    filled = [i for i, w in enumerate(words) if w]
    runs = {"edges": [filled, filled[::-1]], "head": [filled], "tail": [filled[::-1]]}
    for run in runs.get(policy.where, []):
        for i in run:
            if not lone[i]:
                break
            drop[i] = True
    if all(drop[i] for i in filled):
        return record.blocks
    return [b for b, d in zip(record.blocks, drop, strict=True) if not d]


OPINIONS = ["density", "readability", "balanced", "justext", ALREADY]
COMBINATIONS = [(name,) for name in OPINIONS] + [
    ("readability", "density"),
    ("density", ALREADY),
    ("readability", "density", "justext"),
    ("readability", "balanced", "density", "justext"),
]
POLICIES = [
    Policy(opinions, where, maxwords, min_cover)
    for opinions in COMBINATIONS
    for where in ("any", "edges", "tail", "head")
    for maxwords in (None, 12, 25)
    for min_cover in (0.0, 0.8, 0.9)
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N pages only")
    parser.add_argument("--policy", type=int, action="append", help="only POLICIES[N]")
    parser.add_argument(
        "--validation", action="store_true", help="also the full-body validation pages (once)"
    )
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    pages = load_dev_pages(limit=args.limit)
    parts = reported_parts(load_truths(load_dev_pages()))
    scored = {"full-body tuning": [t for t in parts["all tuning"] if t.index < len(pages)]}
    if args.validation:
        scored["full-body validation"] = [
            t for t in parts["all validation"] if t.index < len(pages)
        ]
    dev_truths, news = [page_truth(page) for page in pages], news_subsets(pages)["news"]
    records = collect(pages)
    agreement_ms = agree(records, OPINIONS)
    print(f"{len(records)} pages, {sum(bool(r.blocks) for r in records)} with a newsdesk body")
    print("CPU ms per page (opinion mean / median, block agreement mean):")
    for name in OPINIONS:
        values = [r.cpu_ms.get(name, 0.0) for r in records if r.blocks]
        given = sum(bool(r.opinions.get(name, "").strip()) for r in records)
        print(
            f"  {name:<12}{statistics.fmean(values):>7.2f}{statistics.median(values):>7.2f}"
            f"{agreement_ms[name]:>7.2f}   with text on {given} pages"
        )
    chosen = [POLICIES[i] for i in args.policy] if args.policy else POLICIES
    for policy in [None, *chosen]:
        texts = [r.text if policy is None else "\n".join(apply(policy, r)) for r in records]
        row = f"{policy or 'newsdesk (rule off)'!s:<62}"
        for label, truths in scored.items():
            found = full_body_score([texts[t.index] for t in truths], truths)
            row += f" | {label} P {found.precision:.6f} R {found.recall:.6f} F1 {found.f1:.6f}"
        dev = subset_score(tuning_part(texts), tuning_part(dev_truths), tuning_part(news))
        changed = sum(text != record.text for text, record in zip(texts, records, strict=True))
        cost = (
            0.0
            if policy is None
            else sum(
                agreement_ms[name]
                + statistics.fmean(r.cpu_ms.get(name, 0.0) for r in records if r.blocks)
                for name in policy.opinions
            )
        )
        print(
            f"{row} | dev news tuning F1 {dev.f1:.6f} | changed {changed} | CPU ms {cost:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    run_benchmark(main)
