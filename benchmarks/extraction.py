r"""Article-extraction quality and speed on the development set in ../shared/extraction-dev/.

For every page the set lists `with` snippets that belong to the main text and `without`
snippets that must not appear in it. Two measures, both over the same extracted texts:

**Snippet score** (the set's own): per page, share of `with` snippets found and share of
`without` snippets absent (after whitespace is collapsed and soft hyphens dropped, on both
sides); both are averaged over the pages and their mean is the score. It rewards recall: a
page that keeps its comments, captions and teasers loses only if a `without` snippet is there.

**Full text** (P, R, F1): an estimate of what a word 5-gram shingle F1 against the complete
article body would say, built from the same annotations.

1. *Page words*: the visible text of the parsed page (script, style, head, svg, iframe,
   select... dropped) as lower-cased `\w+` words in document order, each with the element
   holding it. Extracted texts are split the same way, so punctuation and layout do not count.
2. *Snippets located*: each `with` snippet is looked up among the page words (a snippet found
   several times takes the place nearest the snippets found once); every occurrence of a
   `without` snippet is furniture.
3. *Labels on page words*:
   - article: the `with` snippets and the stretches between two consecutive ones, unless a
     `without` snippet lies in between (then the stretch is unknown: the annotators counted
     e.g. comments under a share bar as main text on some pages, as article bodies do not);
   - furniture: `without` snippets, and everything beyond the nearest `without` snippet
     before the first and after the last `with` snippet (navigation, footers), except what
     sits inside the article region (the container below or, when the snippets all sit in
     one element, the nearest block element around it other than <body>): that is unknown.
     A `without` snippet inside the region is often in the body (an embed placeholder, an
     inline teaser: page 891 of the set has one before its first `with` snippet), so the
     article text beyond it is not known to be furniture;
   - the margins between those bounds and the `with` span: article when they sit inside the
     smallest element holding all `with` snippets (the article container, when the snippets
     are in at least two elements and that container is not a paragraph), furniture when
     outside it, unknown when the snippets all sit in one element.
4. *Extracted text aligned*: each 5-gram of extracted words is placed at its occurrence in the
   page words (the next one after the previous placement, so repeated phrases follow order).
5. *Per page*: precision = extracted 5-grams on article words / those on article or
   furniture words (a 5-gram touching furniture is furniture; unknown and unplaced ones do
   not count); recall = share of the article-labelled 5-grams of the page (the `with` span:
   a lower bound of the body, never its margins) that the extracted text covers. An empty
   extraction scores 0 and 0. P and R are averaged over the pages whose `with` snippets
   could be located, and F1 is their harmonic mean.

The estimate ranks configurations as the held-out set does on what matters here (trafilatura
without comments above trafilatura with them), but its figures are lower than full-text
figures: the article span is only a lower bound of each body and recall is measured inside
it. Use it to compare extractors in one run, not as the held-out number.

Pages are split for tuning: every third page from the third on (`pages[2::3]`) is the
validation part, the rest the tuning part; P/R/F1 are printed for both (`--split`), so a
rule that helps only on the pages it was tuned on shows as a gap between them (each part's P,
R and F1 are printed under the extractor's row).

newsdesk, newsdesk without the publisher's articleBody as a second opinion (the one rule that
depends on JSON-LD; `--only "newsdesk (no articleBody)"`), plain trafilatura (default,
include_comments=False, favor_precision=True), readability-lxml (text of its summary) and, if
installed, newspaper4k run over the same pages in the same process; pages/s and the ratio to
plain trafilatura come from the same run.

    .venv/bin/python benchmarks/extraction.py [--limit N] [--repeat K] [--only newsdesk]

--news (with --split) also prints P/R/F1 on the pages that declare themselves dated news
articles (`news_pages.is_news_page`: the held-out set of issue 16 is news pages), tuning and
validation, and on the stricter JSON-LD NewsArticle subset of those.

--repeat K times every extractor K times and reports the median pages/s and CPU ms per page
of this process (scores come from the first run; extraction is deterministic). On a shared
machine the wall-clock ratio swings with the load while each extractor runs; the CPU ratio
(trafilatura's CPU ms per page over the extractor's) is the steadier speed comparison.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import itertools
import json
import logging
import pickle
import re
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared_data import extraction_dev_set, run_benchmark

WHITESPACE = re.compile(r"\s+")
INVISIBLE = str.maketrans("", "", "\u00ad\u200b\u200c\u200d\ufeff")
WORD = re.compile(r"\w+")
SHINGLE = 5
# Elements whose text a reader never sees as page text.
INVISIBLE_ELEMENTS = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object",
     "select"}
)  # fmt: skip
ARTICLE, FURNITURE, UNKNOWN = "A", "F", "?"

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


def cached_collection(cache: Path | None, collect: Callable[[], Any]) -> Any:
    """What `collect` returns, read from the pickle `cache` when it exists (written there
    otherwise), so an analysis of the dev pages can be rerun without extracting again."""
    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())
    collected = collect()
    if cache is not None:
        cache.write_bytes(pickle.dumps(collected))
    return collected


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


# -- the full-text measure (see the module docstring) ----------------------------------------


@dataclass(frozen=True)
class FullText:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class PageTruth:
    """A page's words with a label each (ARTICLE, FURNITURE, UNKNOWN), the 5-gram starts
    that recall is measured on (inside the `with` span) and the located `with` snippets
    (start, end) in page order."""

    words: tuple[str, ...]
    labels: str
    core: tuple[int, ...]
    spans: tuple[tuple[int, int], ...] = ()


def words_of(text: str) -> list[str]:
    return [word.casefold() for word in WORD.findall(text.translate(INVISIBLE))]


def _page_words(html: bytes) -> tuple[list[str], list[Any]]:
    """Visible words of the page in document order, and the element holding each."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    found: list[str] = []
    holders: list[Any] = []
    if tree is None:
        return found, holders

    def add(text: str | None, holder: Any) -> None:
        for word in words_of(text or ""):
            found.append(word)
            holders.append(holder)

    stack: list[tuple[Any, Any, bool]] = [(tree, None, False)]
    while stack:  # iterative: some pages nest deeper than the recursion limit
        element, parent, done = stack.pop()
        if done:
            add(element.tail, parent)
            continue
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is None or tag.lower() in INVISIBLE_ELEMENTS:
            add(element.tail, parent)
            continue
        add(element.text, element)
        stack.append((element, parent, True))
        stack.extend((child, element, False) for child in reversed(element))
    return found, holders


def _occurrences(words: Sequence[str], snippet: Sequence[str]) -> list[int]:
    if not snippet:
        return []
    first, size = snippet[0], len(snippet)
    return [
        i
        for i, word in enumerate(words)
        if word == first and list(words[i : i + size]) == list(snippet)
    ]


def _container(holders: Sequence[Any], starts: Sequence[int]) -> set[Any] | None:
    """Elements inside the smallest element holding every located `with` snippet; None when
    the snippets sit in one element (or a paragraph), which says nothing about the margins."""
    elements = [holders[i] for i in starts]
    if len({id(e) for e in elements}) < 2:
        return None
    chains = [[*reversed(list(e.iterancestors())), e] for e in elements]
    common = None
    for level in zip(*chains, strict=False):
        if any(element is not level[0] for element in level):
            break
        common = level[0]
    if common is None or common.tag == "p":
        return None
    return set(common.iter())


# Elements that hold blocks of a page; inline ones (a, span, em...) and paragraphs do not.
BLOCK_ELEMENTS = frozenset(
    {"div", "article", "section", "main", "td", "table", "blockquote", "li", "ul", "ol", "form",
     "aside", "header", "footer", "figure"}
)  # fmt: skip


def _block_around(element: Any) -> set[Any] | None:
    """Elements inside the nearest block element holding `element` (None if that is <body>)."""
    for ancestor in element.iterancestors():
        if ancestor.tag in BLOCK_ELEMENTS:
            return set(ancestor.iter())
        if ancestor.tag in {"body", "html"}:
            return None
    return None


def page_truth(page: Page) -> PageTruth | None:
    """Labels of the page's words from its annotations; None if no `with` snippet is found."""
    words, holders = _page_words(page.html)
    located = []
    for snippet in page.with_snippets:
        snippet_words = words_of(snippet)
        places = _occurrences(words, snippet_words)
        if places:
            located.append((places, len(snippet_words)))
    if not located:
        return None
    unique = sorted(places[0] for places, _ in located if len(places) == 1)
    centre = unique[len(unique) // 2] if unique else located[0][0][0]
    spans = sorted(
        (start, start + size)
        for places, size in located
        for start in [min(places, key=lambda place: abs(place - centre))]
    )
    without = [
        (start, start + len(snippet_words))
        for snippet in page.without_snippets
        for snippet_words in [words_of(snippet)]
        for start in _occurrences(words, snippet_words)
    ]
    low, high = spans[0][0], max(end for _, end in spans)
    labels = [UNKNOWN] * len(words)
    left = max((end for _, end in without if end <= low), default=0)
    right = min((start for start, _ in without if start >= high), default=len(words))
    inside = _container(holders, [start for start, _ in spans])
    for i in range(left, right):
        if inside is not None:
            labels[i] = ARTICLE if holders[i] in inside else FURNITURE
    region = inside if inside is not None else _block_around(holders[low])
    for i in [*range(left), *range(right, len(words))]:
        labels[i] = UNKNOWN if region is not None and holders[i] in region else FURNITURE
    for (_, end), (start, _) in itertools.pairwise(spans):
        broken = any(s < start and e > end for s, e in without)
        for i in range(end, start):
            labels[i] = UNKNOWN if broken else ARTICLE
    for start, end in spans:
        labels[start:end] = [ARTICLE] * (end - start)
    for start, end in without:
        labels[start:end] = [FURNITURE] * (end - start)
    text = "".join(labels)
    core = tuple(
        i
        for i in range(low, max(low + 1, high - SHINGLE + 1))
        if set(text[i : min(i + SHINGLE, high)]) == {ARTICLE}
    )
    return PageTruth(tuple(words), text, core, tuple(spans))


def _placements(truth: PageTruth, words: Sequence[str]) -> Iterator[int | None]:
    """Page position of each 5-gram of the extracted words, in order (None: not on the page)."""
    index: dict[tuple[str, ...], list[int]] = {}
    page = truth.words
    for i in range(len(page) - SHINGLE + 1):
        index.setdefault(page[i : i + SHINGLE], []).append(i)
    previous = -1
    for j in range(len(words) - SHINGLE + 1):
        places = index.get(tuple(words[j : j + SHINGLE]))
        if not places:
            yield None
            continue
        k = bisect.bisect_right(places, previous)
        previous = places[k] if k < len(places) else places[-1]
        yield previous


def full_text_page(text: str, truth: PageTruth) -> tuple[float | None, float]:
    """(precision, recall) of one extracted text; precision None when nothing in it counts."""
    words = words_of(text)
    if not words:
        return 0.0, 0.0
    article = furniture = 0
    covered = set()
    for place in _placements(truth, words):
        if place is None:
            continue
        covered.add(place)
        labels = truth.labels[place : place + SHINGLE]
        if FURNITURE in labels:
            furniture += 1
        elif UNKNOWN not in labels:
            article += 1
    precision = article / (article + furniture) if article + furniture else None
    recall = sum(i in covered for i in truth.core) / len(truth.core) if truth.core else 1.0
    return precision, recall


def full_text_score(texts: Sequence[str], truths: Sequence[PageTruth | None]) -> FullText:
    precisions, recalls = [], []
    for text, truth in zip(texts, truths, strict=True):
        if truth is None:
            continue
        precision, recall = full_text_page(text, truth)
        if precision is not None:
            precisions.append(precision)
        recalls.append(recall)
    return FullText(statistics.fmean(precisions or [0.0]), statistics.fmean(recalls or [0.0]))


def validation_part(items: Sequence[Any]) -> list[Any]:
    """Every third item from the third on: the pages no rule is tuned on."""
    return list(items[2::3])


def tuning_part(items: Sequence[Any]) -> list[Any]:
    return [item for i, item in enumerate(items) if i % 3 != 2]


def newsdesk_extractor(**settings: Any) -> Extractor:
    from newsdesk.domain import ExtractionError
    from newsdesk.extract import ExtractOptions, extract_article

    options = ExtractOptions(**settings)

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
        # The same without the publisher's articleBody as a second opinion on edge blocks.
        "newsdesk (no articleBody)": newsdesk_extractor(json_ld_body=False),
        # The same with trafilatura's balanced pass as the primary (issue 16, i16u's base).
        "newsdesk (balanced primary)": newsdesk_extractor(favor_precision=False),
        # The same without the interior blocks the precision pass dropped given back (i16gap).
        "newsdesk (no interior restore)": newsdesk_extractor(restore_interior=False),
        "trafilatura": trafilatura_extractor(),
        "trafilatura (no comments)": trafilatura_extractor(include_comments=False),
        "trafilatura (favor_precision)": trafilatura_extractor(favor_precision=True),
        "readability-lxml": readability_extractor(),
    }
    newspaper = newspaper_extractor()
    if newspaper is not None:
        found["newspaper4k"] = newspaper
    return found


def run_extractor(extractor: Extractor, pages: Sequence[Page]) -> tuple[list[str], float]:
    texts, seconds, _ = run_timed(extractor, pages)
    return texts, seconds


def run_timed(extractor: Extractor, pages: Sequence[Page]) -> tuple[list[str], float, float]:
    """Texts, wall-clock seconds and this process's CPU seconds of one pass over the pages."""
    texts = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for page in pages:
        try:
            texts.append(extractor(page.html, page.url))
        except Exception:  # a crashing baseline scores as empty text, as in the CLI contract
            texts.append("")
    return texts, time.perf_counter() - started, time.process_time() - cpu_started


def news_subsets(pages: Sequence[Page]) -> dict[str, list[bool]]:
    """Per page, whether it is in each news subset (`news_pages.is_news_page`)."""
    from news_pages import is_news_page  # here: tests load this module without benchmarks/

    return {
        "news": [is_news_page(page.html) for page in pages],
        "NewsArticle": [is_news_page(page.html, strict=True) for page in pages],
    }


def subset_score(
    texts: Sequence[str], truths: Sequence[PageTruth | None], chosen: Sequence[bool]
) -> FullText:
    picked = [
        (text, truth) for text, truth, keep in zip(texts, truths, chosen, strict=True) if keep
    ]
    return full_text_score([text for text, _ in picked], [truth for _, truth in picked])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N pages only")
    parser.add_argument("--repeat", type=int, default=1, help="median pages/s over K runs")
    parser.add_argument("--only", action="append", help="run only these extractors")
    parser.add_argument(
        "--split", action="store_true", help="also P/R/F1 on the tuning and validation parts"
    )
    parser.add_argument(
        "--news", action="store_true", help="with --split: also on the news pages of each part"
    )
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)

    pages = load_pages(limit=args.limit)
    truths = [page_truth(page) for page in pages]
    chosen = {
        name: extractor
        for name, extractor in extractors().items()
        if not args.only or name in args.only
    }
    located = sum(truth is not None for truth in truths)
    print(f"{len(pages)} pages from {extraction_dev_set()} ({located} with located snippets)")
    subsets = news_subsets(pages) if args.news else {}
    for label, chosen_pages in subsets.items():
        tune, valid = sum(tuning_part(chosen_pages)), sum(validation_part(chosen_pages))
        print(f"{label}: {tune} tuning and {valid} validation pages")
    header = f"{'extractor':<30}{'snippets':>9}{'P':>8}{'R':>8}{'F1':>8}"
    if args.split:
        header += f"{'F1 tune':>9}{'F1 valid':>9}"
    print(header + f"{'pages/s':>9}{'ratio':>7}{'CPU ms':>8}{'CPU ratio':>10}")
    speeds: dict[str, float] = {}
    cpu_ms: dict[str, float] = {}
    rows = []
    for name, extractor in chosen.items():
        timings, cpu_timings = [], []
        texts: list[str] = []
        for run in range(max(1, args.repeat)):
            run_texts, seconds, cpu_seconds = run_timed(extractor, pages)
            timings.append(seconds)
            cpu_timings.append(cpu_seconds)
            if run == 0:
                texts = run_texts
        speeds[name] = len(pages) / statistics.median(timings)
        cpu_ms[name] = 1000 * statistics.median(cpu_timings) / len(pages)
        snippets = score_texts(texts, pages)
        full = full_text_score(texts, truths)
        row = (
            f"{name:<30}{snippets.mean:>9.4f}{full.precision:>8.4f}{full.recall:>8.4f}"
            f"{full.f1:>8.4f}"
        )
        parts = ""
        if args.split:
            tune = full_text_score(tuning_part(texts), tuning_part(truths))
            valid = full_text_score(validation_part(texts), validation_part(truths))
            row += f"{tune.f1:>9.4f}{valid.f1:>9.4f}"
            parts = "".join(
                f"  {part}: P {score.precision:.4f} R {score.recall:.4f} F1 {score.f1:.4f}"
                for part, score in (("tuning", tune), ("validation", valid))
            )
            for label, chosen_pages in subsets.items():
                parts += f"\n  {label}:" + "".join(
                    f"  {part}: P {score.precision:.4f} R {score.recall:.4f} F1 {score.f1:.4f}"
                    for part, select in (("tuning", tuning_part), ("validation", validation_part))
                    for score in [subset_score(select(texts), select(truths), select(chosen_pages))]
                )
        rows.append((name, row))
        print(row + f"{speeds[name]:>9.1f}{'':>7}{cpu_ms[name]:>8.1f}", flush=True)
        if parts:
            print(parts, flush=True)
    if "trafilatura" in speeds:
        print(
            "\nratio: pages/s over plain trafilatura's in this run; CPU ratio: trafilatura's CPU"
            " ms per page over this one's (the steadier figure on a loaded machine)"
        )
        for name, row in rows:
            print(
                f"{row}{speeds[name]:>9.1f}{speeds[name] / speeds['trafilatura']:>7.2f}"
                f"{cpu_ms[name]:>8.1f}{cpu_ms['trafilatura'] / cpu_ms[name]:>10.2f}"
            )


if __name__ == "__main__":
    run_benchmark(main)
