"""Article-extraction quality and speed on the development set in ../shared/extraction-dev/.

For every page the set lists `with` snippets that belong to the main text and `without`
snippets that must not appear in it. Per page: share of `with` snippets found and share of
`without` snippets absent (after whitespace is collapsed and soft hyphens dropped, on both
sides); both are averaged over the pages and their mean is the score. newsdesk, plain
trafilatura (default and include_comments=False), readability-lxml (text of its summary) and,
if installed, newspaper4k run over the same pages in the same process.

    .venv/bin/python benchmarks/extraction.py [--limit N] [--repeat K] [--only newsdesk]

--repeat K times every extractor K times and reports the median pages/s (scores come from
the first run; extraction is deterministic).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shared_data import extraction_dev_set, run_benchmark

WHITESPACE = re.compile(r"\s+")
INVISIBLE = str.maketrans("", "", "\u00ad\u200b\u200c\u200d\ufeff")

Extractor = Callable[[bytes, str], str]


@dataclass(frozen=True)
class Page:
    url: str
    html: bytes
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    with_found: float
    without_absent: float

    @property
    def mean(self) -> float:
        return (self.with_found + self.without_absent) / 2


def normalize(text: str) -> str:
    return WHITESPACE.sub(" ", text.translate(INVISIBLE)).strip()


def load_pages(dev_set: Path | None = None, limit: int | None = None) -> list[Page]:
    """Pages in the annotation file's order (first `limit` of them)."""
    dev_set = dev_set or extraction_dev_set()
    annotations = json.loads((dev_set / "annotations.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in list(annotations.items())[:limit]:
        raw = gzip.decompress((dev_set / "pages" / item["file"]).read_bytes())
        pages.append(Page(url, raw, tuple(item["with"]), tuple(item["without"])))
    return pages


def score_page(text: str, page: Page) -> Score:
    found = normalize(text)
    with_found = (
        sum(normalize(s) in found for s in page.with_snippets) / len(page.with_snippets)
        if page.with_snippets
        else 1.0
    )
    without_absent = (
        sum(normalize(s) not in found for s in page.without_snippets) / len(page.without_snippets)
        if page.without_snippets
        else 1.0
    )
    return Score(with_found, without_absent)


def score_texts(texts: Sequence[str], pages: Sequence[Page]) -> Score:
    scores = [score_page(text, page) for text, page in zip(texts, pages, strict=True)]
    return Score(
        statistics.fmean(s.with_found for s in scores),
        statistics.fmean(s.without_absent for s in scores),
    )


def newsdesk_extractor() -> Extractor:
    from newsdesk.domain import ExtractionError
    from newsdesk.extract import ExtractOptions, extract_article

    options = ExtractOptions()

    def run(html: bytes, url: str) -> str:
        try:
            return extract_article(html, url=url, options=options).text
        except ExtractionError:
            return ""

    return run


def trafilatura_extractor(**settings: bool) -> Extractor:
    import trafilatura

    def run(html: bytes, url: str) -> str:
        return trafilatura.extract(html, url=url, **settings) or ""

    return run


def readability_extractor() -> Extractor:
    from lxml.html import fromstring
    from readability import Document

    def run(html: bytes, url: str) -> str:
        summary = Document(html, url=url).summary(html_partial=True)
        return str(fromstring(summary).text_content())

    return run


def newspaper_extractor() -> Extractor | None:
    try:
        from newspaper import Article  # type: ignore[import-not-found]
    except ImportError:
        return None

    def run(html: bytes, url: str) -> str:
        article = Article(url)
        article.download(input_html=html.decode("utf-8", errors="replace"))
        article.parse()
        return str(article.text)

    return run


def extractors() -> dict[str, Extractor]:
    found: dict[str, Extractor] = {
        "newsdesk": newsdesk_extractor(),
        "trafilatura": trafilatura_extractor(),
        "trafilatura (no comments)": trafilatura_extractor(include_comments=False),
        "readability-lxml": readability_extractor(),
    }
    newspaper = newspaper_extractor()
    if newspaper is not None:
        found["newspaper4k"] = newspaper
    return found


def run_extractor(extractor: Extractor, pages: Sequence[Page]) -> tuple[list[str], float]:
    texts = []
    started = time.perf_counter()
    for page in pages:
        try:
            texts.append(extractor(page.html, page.url))
        except Exception:  # a crashing baseline scores as empty text, as in the CLI contract
            texts.append("")
    return texts, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N pages only")
    parser.add_argument("--repeat", type=int, default=1, help="median pages/s over K runs")
    parser.add_argument("--only", action="append", help="run only these extractors")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)

    pages = load_pages(limit=args.limit)
    chosen = {
        name: extractor
        for name, extractor in extractors().items()
        if not args.only or name in args.only
    }
    print(f"{len(pages)} pages from {extraction_dev_set()}")
    print(f"{'extractor':<28}{'with-found':>11}{'without-absent':>16}{'mean':>8}{'pages/s':>9}")
    speeds: dict[str, float] = {}
    for name, extractor in chosen.items():
        timings = []
        score: Score | None = None
        for _ in range(max(1, args.repeat)):
            texts, seconds = run_extractor(extractor, pages)
            timings.append(seconds)
            if score is None:
                score = score_texts(texts, pages)
        assert score is not None
        speeds[name] = len(pages) / statistics.median(timings)
        print(
            f"{name:<28}{score.with_found:>11.4f}{score.without_absent:>16.4f}"
            f"{score.mean:>8.4f}{speeds[name]:>9.1f}",
            flush=True,
        )
    if "newsdesk" in speeds and "trafilatura" in speeds:
        print(f"speed ratio newsdesk/trafilatura: {speeds['newsdesk'] / speeds['trafilatura']:.2f}")


if __name__ == "__main__":
    run_benchmark(main)
