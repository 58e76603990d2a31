r"""The dev pages where newsdesk's full-text precision is low, and what the other candidates
would have scored there.

For every page of ../shared/extraction-dev/: newsdesk's text (as `extract_article` returns
it) with the decision's reason, and the text of each candidate extractor on the same tree
(precision, balanced and recall trafilatura passes, readability; each cleaned as
`choose_body` cleans them, without the articleBody opinion). All are scored with
`extraction.py`'s full-text measure. Printed:

- how much of the precision loss (the sum of 1 - P over pages) sits on pages under P 0.5 and
  0.8, on all pages, the tuning and the validation part, and the English pages (`<html lang>`
  starting with "en");
- the pages under `--below` (default 0.8): index, part, lang, words kept, P and R, the winner
  and its reason, each candidate's P/R, and how much of the precision pass's text the
  balanced pass holds (`decision.containment`) where the recall guard chose the balanced pass.

    NEWSDESK_SHARED_DIR=../shared nice -n 10 .venv/bin/python benchmarks/low_precision_pages.py \
        [--limit N] [--below 0.8] [--cache /tmp/low_precision.pickle]

Collecting takes about 4 minutes on one core (every candidate on every page); `--cache` keeps
the texts so that only the scoring is redone.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from extraction import (
    cached_collection,
    full_text_page,
    load_pages,
    page_truth,
    validation_part,
    words_of,
)
from shared_data import run_benchmark

CANDIDATES = ("trafilatura-precision", "trafilatura", "trafilatura-recall", "readability")
SHORT = {"trafilatura-precision": "prec", "trafilatura": "bal", "trafilatura-recall": "rec",
         "readability": "read"}  # fmt: skip


def collect(limit: int | None) -> list[dict[str, Any]]:
    from newsdesk.extract.article import _cleaned, choose_body, page_headlines
    from newsdesk.extract.candidates import CandidateName, make_candidate
    from newsdesk.extract.jsonld import read_json_ld
    from newsdesk.extract.options import ExtractOptions
    from newsdesk.extract.page import parse_page
    from newsdesk.extract.stories import single_story

    options = ExtractOptions()
    pages = load_pages(limit=limit)
    validation = {page.url for page in validation_part(pages)}
    records = []
    for index, page in enumerate(pages):
        tree = parse_page(page.html, max_html_bytes=options.max_html_bytes)
        record: dict[str, Any] = {
            "index": index,
            "url": page.url,
            "part": "valid" if page.url in validation else "tune",
            "lang": (tree.get("lang") or "").strip().lower(),
            "truth": page_truth(page),
        }
        try:
            _, text, decision = choose_body(
                tree, url=page.url, options=options, json_ld=read_json_ld(tree)
            )
            record["text"] = text if len(text) >= options.min_text_chars else ""
            record["winner"], record["reason"] = str(decision.winner), decision.reason
        except Exception as error:  # an ExtractionError scores as empty text
            record["text"], record["winner"], record["reason"] = "", "none", str(error)
        tree = parse_page(page.html, max_html_bytes=options.max_html_bytes)
        story = single_story(tree)
        tree = story if story is not None else tree
        headlines = page_headlines(tree)
        record["candidates"] = {}
        for name in CANDIDATES:
            made = make_candidate(tree, CandidateName(name), url=page.url, include_tables=True)
            cleaned = _cleaned(made, url=page.url, headlines=headlines)
            record["candidates"][name] = cleaned[1] if cleaned else ""
        records.append(record)
    return records


def loss_line(label: str, records: list[dict[str, Any]]) -> str:
    scored = [r for r in records if r["P"] is not None]
    if not scored:
        return f"{label}: no pages"
    total = sum(1 - r["P"] for r in scored)
    line = f"{label:<18} pages {len(scored):4d}  P {1 - total / len(scored):.4f}  loss {total:6.2f}"
    for bound in (0.5, 0.8):
        low = [r for r in scored if r["P"] < bound]
        share = sum(1 - r["P"] for r in low) / total if total else 0.0
        line += f"  | P<{bound}: {len(low):3d} pages, {share:4.0%} of the loss"
    return line


def switch_line(records: list[dict[str, Any]]) -> str:
    """Mean P and R of the part when its pages under P 0.5 take each candidate's text."""
    scored = [r for r in records if r["truth"] is not None]
    line = ""
    for name in ("today", *CANDIDATES):
        precisions, recalls = [], []
        for r in scored:
            switch = name != "today" and r["P"] is not None and r["P"] < 0.5
            p, rc = r["scores"][name] if switch else (r["P"], r["R"])
            if p is not None:
                precisions.append(p)
            recalls.append(rc)
        precision, recall = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
        line += f" {SHORT.get(name, name)} P {precision:.4f} R {recall:.4f} |"
    return line.rstrip(" |")


def main() -> None:
    from newsdesk.extract.decision import containment

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--below", type=float, default=0.8)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    records = cached_collection(args.cache, lambda: collect(args.limit))
    for record in records:
        truth = record["truth"]
        record["P"], record["R"] = full_text_page(record["text"], truth) if truth else (None, 0)
        record["scores"] = {
            name: full_text_page(text, truth) if truth else (None, 0.0)
            for name, text in record["candidates"].items()
        }
    english = [r for r in records if r["lang"].startswith("en")]
    for label, part in (
        ("all", records),
        ("tuning", [r for r in records if r["part"] == "tune"]),
        ("validation", [r for r in records if r["part"] == "valid"]),
        ("English, all", english),
        ("English, valid", [r for r in english if r["part"] == "valid"]),
    ):
        print(loss_line(label, part))
    print("\nan oracle switch: every page under P 0.5 takes one candidate's text instead")
    for label, part in (
        ("tuning", [r for r in records if r["part"] == "tune"]),
        ("validation", [r for r in records if r["part"] == "valid"]),
    ):
        print(f"  {label}: {switch_line(part)}")
    print(f"\npages under P {args.below} (candidates: P/R; '-' = nothing that counts)")
    low = sorted(
        (r for r in records if r["P"] is not None and r["P"] < args.below), key=lambda r: r["P"]
    )
    for r in low:
        alternatives = " ".join(
            f"{SHORT[name]} {'-' if p is None else f'{p:.2f}'}/{rc:.2f}"
            for name, (p, rc) in r["scores"].items()
        )
        extra = ""
        if r["reason"].startswith("precision pass kept"):
            held = containment(r["candidates"]["trafilatura-precision"], r["text"])
            extra = f" holds {held:.2f} of prec"
        print(
            f"{r['index']:4d} {r['part']:5} {r['lang'][:5]:5} w {len(words_of(r['text'])):5d} "
            f"P {r['P']:.2f} R {r['R']:.2f} {r['winner']:<22} | {alternatives} | "
            f"{r['reason'][:60]}{extra} | {r['url'][:80]}"
        )


if __name__ == "__main__":
    run_benchmark(main)
