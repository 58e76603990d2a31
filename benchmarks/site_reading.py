"""Service time of the reading pages and their queries over 100,000 articles, one request at a
time in-process (ASGI, no network, no queueing): what each page costs the server.

    .venv/bin/python benchmarks/site_reading.py                    # data of site_data.py, 5 runs
    .venv/bin/python benchmarks/site_reading.py --data /tmp/site-small --runs 3 --requests 50

Uses (or builds) the data dir of benchmarks/site_data.py. Every page is warmed up, then
requested --requests times per run (rotating over recent articles, stories and sectors) for
--runs runs; the table shows medians over the runs of p50 and p95, and the ratio of each p50
to that of /healthz (a bounded count) measured in the same runs. Also printed: the uncached
"Top insights today" computation (the 48-hour candidates query plus ranking), which the site
runs at most once a minute per process. Latency under concurrent load is site_latency.py's job.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from fastapi.testclient import TestClient
from site_data import ensure_site_data

from newsdesk.bootstrap import build_site
from newsdesk.config import Settings
from newsdesk.publish.web.routes import _reading
from newsdesk.store import open_store


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/newsdesk-site-100k"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    manifest = ensure_site_data(args.data)
    settings = Settings(data_dir=args.data)  # type: ignore[call-arg]
    store = open_store(settings.store.sqlalchemy_url, migrate=False)
    client = TestClient(build_site(settings, store))
    recent = store.list_article_briefs(limit=200).items
    sectors = [sector.id for sector in build_site(settings, store).state.options.sectors]
    pages: dict[str, list[str]] = {
        "/healthz (baseline)": ["/healthz"],
        "home": ["/"],
        "article": [f"/articles/{brief.id}" for brief in recent],
        "story": [f"/stories/{brief.story_id}" for brief in recent],
        "sector": [f"/sectors/{sector}" for sector in sectors],
        "stories": ["/stories"],
        "api articles": ["/api/v1/articles?limit=20"],
        "api articles ?sector": [f"/api/v1/articles?limit=20&sector={s}" for s in sectors],
        "api article": [f"/api/v1/articles/{brief.id}" for brief in recent],
        "api sector stories": [f"/api/v1/sectors/{s}/stories" for s in sectors],
        "feed top (RSS)": ["/feeds/top.xml"],
        "feed sector (Atom)": [f"/feeds/sectors/{s}.atom" for s in sectors],
        "sources": ["/sources"],
    }
    for paths in pages.values():
        for path in paths[:20]:
            assert client.get(path).status_code == 200, path
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
    top_ms: list[float] = []
    for _ in range(args.runs):
        top_ms.append(timed(lambda: _reading.compute_top(store, None)))
        for name, paths in pages.items():
            times = [
                timed(partial(client.get, paths[i % len(paths)])) for i in range(args.requests)
            ]
            results[name].append((statistics.median(times), percentile(times, 0.95)))
    print(f"data: {args.data} ({manifest['articles']} articles, {manifest['stories']} stories)")
    print(f"runs: {args.runs} x {args.requests} requests per page, sequential, in-process")
    print(f"uncached top-insights computation: median {statistics.median(top_ms):.1f} ms")
    baseline = statistics.median(p50 for p50, _ in results["/healthz (baseline)"])
    print(f"{'page':24s} {'p50 ms':>8s} {'p95 ms':>8s} {'p50/healthz':>12s}")
    for name, runs in results.items():
        p50 = statistics.median(run[0] for run in runs)
        p95 = statistics.median(run[1] for run in runs)
        print(f"{name:24s} {p50:8.2f} {p95:8.2f} {p50 / baseline:12.2f}")
    store.close()


if __name__ == "__main__":
    sys.exit(main())
