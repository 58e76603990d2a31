"""Time on hostile inputs: the figures the tests used to assert, kept here instead.

The tests check what these inputs produce (caps honoured, clean errors, no connection opened,
no body read); how long that takes is measured here, each figure beside the same function on
an ordinary input in the same run, so a slow machine shows in both columns:

* enrichment: summary, zero-shot sectors, entities, TF-IDF vector and story features on 1 MB
  of text (and 1 MB without punctuation, 1 MB of one letter) against a 400-word article;
* extraction: a page over the size limit, 10,000 nested divs and a 5 MB attribute against an
  ordinary page, and a JSONL batch holding the two hostile pages;
* fetching (local servers on loopback): refusing a private address, refusing a 20 MiB body on
  its declared length, and a drip server cut off by the whole-request deadline, against a
  small page.

The trained sector model on 1 MB of HTML and its docs per CPU-second are in
benchmarks/sectors.py (it trains on Reuters-21578); a 400-word summary is also in
benchmarks/enrich_summaries.py. Hostile HTTP requests against a running site (what it
answers, not how fast) are benchmarks/site_crawl.py's.

    .venv/bin/python benchmarks/hostile_inputs.py [--runs N]

Prints median milliseconds per call over N runs (default 5) and the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from newsdesk.dedup.stories import StoryOptions, story_features
from newsdesk.demo.corpus_loader import load_corpus
from newsdesk.domain import ExtractionError, FetchError
from newsdesk.enrich import ClassifyOptions, classify, load_taxonomy
from newsdesk.enrich.entities import EntityOptions, default_gazetteer, extract_entities
from newsdesk.enrich.summarize import SummaryOptions, summarize_article
from newsdesk.enrich.tfidf import build_tfidf
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.batch import extract_jsonl
from newsdesk.fetch import Fetcher, FetchOptions

MIB = 1024 * 1024
PARAGRAPHS = [
    "The port authority approved a second container terminal on Tuesday after two years of talks.",
    "Construction is expected to start in spring and to employ about 1,200 people at its peak.",
    "Shipping lines have long complained about congestion at the existing quays during harvest.",
    "The regional government will pay a third of the cost, with the rest raised from bonds.",
]
PAGE = (
    "<html><head><title>Port approves terminal</title></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Port approves terminal</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 2)
    + "</article><footer>Contact us</footer></body></html>"
)


def median_ms(call: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def line(name: str, hostile: float, ordinary: float, was: str) -> None:
    print(f"{name:<46}{hostile:>10.1f}{ordinary:>10.2f}   {was}")


def megabyte(text: str) -> str:
    return text * (1_000_000 // len(text) + 1)


def enrichment(runs: int) -> None:
    article = max(
        load_corpus(datetime(2026, 1, 5, tzinfo=UTC)).articles, key=lambda a: a.word_count
    )
    words = " ".join(article.paragraphs).split()
    ordinary = " ".join((words * 2)[:400])
    big = megabyte(ordinary + "\n\n")
    summary, entities, story = SummaryOptions(), EntityOptions(), StoryOptions()
    taxonomy, classify_options = load_taxonomy(), ClassifyOptions()
    gazetteer = default_gazetteer()
    space = build_tfidf([ordinary, big, "x" * 1_000_000])

    def sectors(text: str) -> object:
        return classify(
            article.title, text, taxonomy=taxonomy, model=None, options=classify_options
        )

    cases: list[tuple[str, Callable[[str], object], list[tuple[str, str]], str]] = [
        (
            "summary",
            lambda text: summarize_article(article.title, text, options=summary),
            [("1 MB", big), ("1 MB, no punctuation", "copper cathode " * 70_000),
             ("1 MB of 'x'", "x" * 1_000_000)],
            "tests asserted under 1 s; 400 words: median under 10 ms",
        ),
        ("zero-shot sectors", sectors, [("1 MB", big)], "tests asserted under 1 s"),
        (
            "entities",
            lambda text: extract_entities("", text, gazetteer=gazetteer, options=entities),
            [("1 MB", big)],
            "tests asserted under 5 s",
        ),
        ("TF-IDF vector", space.vector, [("1 MB", big), ("1 MB of 'x'", "x" * 1_000_000)],
         "tests asserted under 1 s"),
        (
            "story features",
            lambda text: story_features(article.title, text, story),
            [("1 MB", big)],
            "tests asserted under 10 s",
        ),
    ]  # fmt: skip
    for name, function, inputs, was in cases:
        baseline = median_ms(lambda f=function: f(ordinary), runs)
        for label, text in inputs:
            hostile = median_ms(lambda f=function, t=text: f(t), runs)
            line(f"{name}, {label}", hostile, baseline, was)


def extraction(runs: int) -> None:
    options = ExtractOptions()
    deep = "<html><body>" + "<div>" * 10_000 + "<p>" + " ".join(PARAGRAPHS) + "</p>"
    deep += "</div>" * 10_000 + "</body></html>"
    attribute = PAGE.replace("<article>", '<article data-x="' + "a" * 5_000_000 + '">')
    oversized = PAGE + "<!--" + "x" * 20_000 + "-->"

    def extract(page: str, page_options: ExtractOptions = options) -> Callable[[], object]:
        def call() -> object:
            with contextlib.suppress(ExtractionError):
                return extract_article(page, url=None, options=page_options)
            return None

        return call

    baseline = median_ms(extract(PAGE), runs)
    limited = ExtractOptions(max_html_bytes=10_000)
    line(
        "extract, over the size limit (refused)",
        median_ms(extract(oversized, limited), runs),
        baseline,
        "tests asserted under 0.5 s",
    )
    line(
        "extract, 10,000 nested divs",
        median_ms(extract(deep), runs),
        baseline,
        "tests asserted under 15 s",
    )
    line("extract, 5 MB attribute", median_ms(extract(attribute), runs), baseline,
         "tests asserted under 15 s")  # fmt: skip
    lines = [json.dumps({"id": n, "html": page}) for n, page in enumerate((PAGE, deep, attribute))]
    started = time.perf_counter()
    extract_jsonl(lines, io.StringIO(), options=options)
    batch = (time.perf_counter() - started) * 1000
    line("extract batch, 3 pages (2 hostile), one run", batch, baseline,
         "tests asserted under 60 s")  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if self.path == "/big":  # 20 MiB declared, then streamed
                self.send_response(200)
                self.send_header("Content-Length", str(20 * MIB))
                self.end_headers()
                for _ in range(20):
                    self.wfile.write(b"a" * MIB)
            elif self.path == "/drip":  # a byte every 0.5 s: no read timeout ever fires
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.5)
            else:
                self.send_response(200)
                self.send_header("Content-Length", "13")
                self.end_headers()
                self.wfile.write(b"<p>small</p>\n")


@contextlib.contextmanager
def local_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def fetching(runs: int) -> None:
    with local_server() as hostport:
        options = FetchOptions(
            timeout=1.2, host_delay=0.0, retries=0, respect_robots=False, allow_hosts=(hostport,)
        )

        def fetch(url: str) -> Callable[[], Any]:
            async def go() -> object:
                async with Fetcher(options) as fetcher:
                    with contextlib.suppress(FetchError):
                        return await fetcher.fetch(url)
                return None

            return lambda: asyncio.run(go())

        baseline = median_ms(fetch(f"http://{hostport}/small"), runs)
        line(
            "fetch, private address (no connect)",
            median_ms(fetch("http://10.0.0.1/"), runs),
            baseline,
            "tests asserted under 1 s",
        )
        line(
            "fetch, 20 MiB declared (no body read)",
            median_ms(fetch(f"http://{hostport}/big"), runs),
            baseline,
            "tests asserted under 1 s",
        )
        line("fetch, drip server, 1.2 s deadline", median_ms(fetch(f"http://{hostport}/drip"), 1),
             baseline, "tests asserted 1.1-2.2 s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; median ms over {args.runs} runs")
    print(f"{'input':<46}{'hostile':>10}{'ordinary':>10}   before (in tests)")
    enrichment(args.runs)
    extraction(args.runs)
    fetching(args.runs)


if __name__ == "__main__":
    main()
