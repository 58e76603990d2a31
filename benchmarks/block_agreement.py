"""Would removing the blocks that only newsdesk's primary extractor keeps raise precision?

Issue 16 lists "a second opinion used to remove blocks that only one extractor keeps
(agreement by shingles at block level)". This measures it on the dev set without changing
newsdesk: for every page, newsdesk's body (one line per block, as `extract_article` returns
it) and the texts of independent second opinions over the same parsed tree, with their CPU
cost: readability-lxml, jusText's classifier (stoplist from the page's `lang`), trafilatura's
balanced pass, and a cheap density scorer (`density_text`: readability's paragraph scoring
without serialising the page again). A block counts as kept by an opinion when at least half
of its word 3-grams are in the opinion's text (a block under three words: its words in order).

A policy removes the blocks no chosen opinion keeps, anywhere or only in the leading and
trailing runs (`edges`) or only the trailing run (`tail`), optionally only blocks of at most
`maxwords` words, and only on pages where the opinions keep at least `min_cover` of the body's
words (an opinion that chose another region says nothing about single blocks). Each policy's
full-text P/R (benchmarks/extraction.py's measure) is printed on the tuning and validation
parts and on all pages, with the words it removes labelled article / furniture / unknown on
the tuning pages (what a reading of them finds).

    NEWSDESK_SHARED_DIR=../shared nice -n 10 .venv/bin/python benchmarks/block_agreement.py \
        [--limit N]
"""

from __future__ import annotations

import argparse
import copy
import logging
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from extraction import (
    ARTICLE,
    FURNITURE,
    SHINGLE,
    PageTruth,
    _placements,
    full_text_score,
    load_pages,
    page_truth,
    tuning_part,
    validation_part,
    words_of,
)
from shared_data import run_benchmark

GRAM = 3
KEPT_SHARE = 0.5


@dataclass
class PageRecord:
    truth: PageTruth | None
    blocks: list[str] = field(default_factory=list)
    opinions: dict[str, str] = field(default_factory=dict)
    cpu_ms: dict[str, float] = field(default_factory=dict)


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _link_chars(element: Any) -> int:
    return sum(len(_text(anchor)) for anchor in element.iter("a"))


_SKIP = frozenset({"script", "style", "noscript", "template", "nav", "footer", "aside", "form"})


def density_text(tree: Any) -> str:
    """Text of the page's densest container: paragraphs of 25+ chars score their parent
    (1 + commas + a length bonus) and half that to the grandparent; scores are scaled by the
    container's non-link share; siblings scoring a fifth of the best join it."""
    scores: dict[Any, float] = defaultdict(float)
    for element in tree.iter("p", "pre", "td"):
        if any(ancestor.tag in _SKIP for ancestor in element.iterancestors()):
            continue
        text = _text(element)
        parent = element.getparent()
        if len(text) < 25 or parent is None:
            continue
        score = 1 + text.count(",") + min(len(text) // 100, 3)
        scores[parent] += score
        grand = parent.getparent()
        if grand is not None:
            scores[grand] += score / 2
    if not scores:
        return ""
    ranked = [
        (score * (1 - min(1.0, _link_chars(el) / (len(_text(el)) or 1))), el)
        for el, score in scores.items()
    ]
    best_score, best = max(ranked, key=lambda item: item[0])
    parent = best.getparent()
    containers = [best]
    if parent is not None:
        floor = max(10.0, best_score * 0.2)
        containers = [
            el
            for el in parent
            if el is best or (isinstance(el.tag, str) and scores.get(el, 0.0) >= floor)
        ]
    lines = []
    for container in containers:
        for element in container.iter("p", "pre", "td", "li", "blockquote", "h2", "h3", "h4"):
            text = _text(element)
            if text and not (len(text) < 200 and _link_chars(element) > 0.5 * len(text)):
                lines.append(text)
    return "\n".join(lines)


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


def collect(limit: int | None) -> list[PageRecord]:
    from newsdesk.domain import ExtractionError
    from newsdesk.extract.article import choose_body
    from newsdesk.extract.options import ExtractOptions
    from newsdesk.extract.page import parse_page
    from newsdesk.extract.stories import single_story

    options = ExtractOptions()
    records = []
    for page in load_pages(limit=limit):
        record = PageRecord(page_truth(page))
        records.append(record)
        try:
            tree = parse_page(page.html, max_html_bytes=options.max_html_bytes)
            started = time.process_time()
            _, text, _ = choose_body(tree, url=page.url, options=options)
            record.cpu_ms["newsdesk body"] = 1000 * (time.process_time() - started)
        except ExtractionError:
            continue
        record.blocks = text.split("\n")
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


@dataclass(frozen=True)
class Policy:
    opinions: tuple[str, ...]
    where: str = "any"  # any, edges, tail
    maxwords: int | None = None
    min_cover: float = 0.0

    def __str__(self) -> str:
        return (
            f"{'+'.join(self.opinions)} {self.where} maxwords={self.maxwords} "
            f"min_cover={self.min_cover}"
        )


def apply(policy: Policy, record: PageRecord) -> tuple[list[str], list[str]]:
    """(kept blocks, removed blocks) of one page."""
    words = [words_of(block) for block in record.blocks]
    used = [name for name in policy.opinions if record.opinions.get(name, "").strip()]
    total = sum(len(w) for w in words) or 1
    kept_by: list[list[bool]] = []
    for name in used:
        opinion = words_of(record.opinions[name])
        grams, joined = _grams(opinion), f" {' '.join(opinion)} "
        kept = [kept_share(w, grams, joined) >= KEPT_SHARE for w in words]
        if sum(len(w) for w, k in zip(words, kept, strict=True) if k) / total >= policy.min_cover:
            kept_by.append(kept)
    if not kept_by:
        return record.blocks, []
    lone = [
        bool(w) and not any(k[i] for k in kept_by)
        and (policy.maxwords is None or len(w) <= policy.maxwords)
        for i, w in enumerate(words)
    ]  # fmt: skip
    drop = [False] * len(words)
    filled = [i for i, w in enumerate(words) if w]
    runs = {"any": [], "edges": [filled, filled[::-1]], "tail": [filled[::-1]]}[policy.where]
    if policy.where == "any":
        drop = lone
    for run in runs:
        for i in run:
            if not lone[i]:
                break
            drop[i] = True
    if all(drop[i] for i in filled):
        return record.blocks, []
    kept_blocks = [b for b, d in zip(record.blocks, drop, strict=True) if not d]
    return kept_blocks, [b for b, d in zip(record.blocks, drop, strict=True) if d]


def removed_labels(removed: Sequence[str], truth: PageTruth | None) -> dict[str, int]:
    """Words of removed blocks by what most of their 5-grams sit on in the page's labels."""
    counts = {"article": 0, "furniture": 0, "unknown": 0}
    for block in removed:
        words = words_of(block)
        labels = (
            [truth.labels[p : p + SHINGLE] for p in _placements(truth, words) if p is not None]
            if truth is not None
            else []
        )
        article = sum(set(label) == {ARTICLE} for label in labels)
        furniture = sum(FURNITURE in label for label in labels)
        kind = (
            "article"
            if labels and article * 2 >= len(labels)
            else "furniture"
            if labels and furniture * 2 >= len(labels)
            else "unknown"
        )
        counts[kind] += len(words)
    return counts


POLICIES = [
    Policy(("readability",)),
    Policy(("readability",), "edges"),
    Policy(("readability",), "tail"),
    Policy(("readability",), "any", None, 0.8),
    Policy(("readability",), "any", 15),
    Policy(("justext",), "edges"),
    Policy(("balanced",)),
    Policy(("density",), "edges"),
    Policy(("density",), "edges", None, 0.8),
    Policy(("readability", "density"), "tail"),
    Policy(("readability", "density"), "edges", None, 0.8),
    Policy(("readability", "density", "justext"), "edges"),
    Policy(("readability", "density", "justext"), "edges", 12, 0.8),
    Policy(("readability", "density", "justext"), "tail", None, 0.8),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N pages only")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    records = collect(args.limit)
    extracted = [r for r in records if r.blocks]
    print(f"{len(records)} pages, {len(extracted)} with a newsdesk body")
    print("CPU ms per page (mean / median):")
    for name in extracted[0].cpu_ms if extracted else []:
        values = [r.cpu_ms[name] for r in extracted]
        empty = sum(not r.opinions.get(name, "x").strip() for r in extracted)
        print(
            f"  {name:<15}{statistics.fmean(values):>7.1f}{statistics.median(values):>7.1f}"
            f"   empty {empty}"
        )
    truths = [r.truth for r in records]
    for policy in [None, *POLICIES]:
        texts, labels = [], {"article": 0, "furniture": 0, "unknown": 0}
        for index, record in enumerate(records):
            kept, removed = (record.blocks, []) if policy is None else apply(policy, record)
            texts.append("\n".join(kept))
            if index % 3 != 2:
                for kind, words in removed_labels(removed, record.truth).items():
                    labels[kind] += words
        tune = full_text_score(tuning_part(texts), tuning_part(truths))
        valid = full_text_score(validation_part(texts), validation_part(truths))
        every = full_text_score(texts, truths)
        print(
            f"{policy or 'newsdesk as is'!s:<58} tune P {tune.precision:.4f} R {tune.recall:.4f}"
            f" | valid P {valid.precision:.4f} R {valid.recall:.4f} | all P {every.precision:.4f}"
            f" R {every.recall:.4f} F1 {every.f1:.4f} | removed words (tuning) article"
            f" {labels['article']} furniture {labels['furniture']} unknown {labels['unknown']}",
            flush=True,
        )


if __name__ == "__main__":
    run_benchmark(main)
