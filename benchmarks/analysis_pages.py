"""Latency of the analysis pages (search, entities, facts, trends) over a large data dir.

    .venv/bin/python benchmarks/site_data.py --out /tmp/newsdesk-site-100k   # build once
    .venv/bin/python benchmarks/analysis_pages.py --data-dir /tmp/newsdesk-site-100k --runs 7

In-process, one request at a time (no network, no concurrency: benchmarks/site_latency.py
drives the served site with wrk): each page is fetched through the ASGI app --runs times per
URL after one warm-up, over the data dir's own sample queries. The table shows per page the
median and p95 over all its requests and the ratio of the median to /healthz (a bounded count),
measured in the same run as the baseline. The data dir is migrated to the newest schema first
(work on a copy if another process uses it; migration 0007 fills the analysis roll-ups, about
13 s at 100,000 articles).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote, quote_plus

from fastapi.testclient import TestClient
from sqlalchemy import select

from newsdesk.bootstrap import build_site
from newsdesk.config import Settings
from newsdesk.store import SqlStore, open_store
from newsdesk.store.rollups import rebuild_rollups
from newsdesk.store.schema import entity_counts, entity_mentions


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def pages(manifest: dict[str, object], store: object) -> dict[str, list[str]]:
    queries = [str(q) for q in manifest["search_queries"]][:12]  # type: ignore[index]
    sectors = [str(s) for s in manifest["sectors"]][:3]  # type: ignore[index]
    listing = store.entity_listing(limit=40)  # type: ignore[attr-defined]
    busy = [item.entity.id for item in listing[:3]]
    quiet = [item.entity.id for item in listing[-3:]]
    return {
        "healthz": ["/healthz"],
        "search": [f"/search?q={quote_plus(q)}" for q in queries],
        "search by date": [f"/search?q={quote_plus(q)}&sort=date" for q in queries],
        "search + sector": [f"/search?q={quote_plus(q)}&sector={sectors[0]}" for q in queries[:6]],
        "api search": [f"/api/v1/search?q={quote_plus(q)}" for q in queries],
        "entities": ["/entities"],
        "entity (busy)": [f"/entities/{quote(e, safe=':')}" for e in busy],
        "entity (quiet)": [f"/entities/{quote(e, safe=':')}" for e in quiet],
        "facts": ["/facts", "/facts?type=quantity", f"/facts?party={quote(busy[0], safe=':')}"],
        "trends": ["/trends"],
    }


def fill_empty_rollups(store: SqlStore) -> None:
    """site_data.py bulk-inserts enrichment rows past the write path that keeps the roll-ups:
    fill them once if they are empty while there are mentions."""
    with store.engine.begin() as connection:
        counted = connection.execute(select(entity_counts.c.entity_id).limit(1)).first()
        mentioned = connection.execute(select(entity_mentions.c.id).limit(1)).first()
        if counted is None and mentioned is not None:
            started = time.perf_counter()
            rebuild_rollups(connection)
            print(f"roll-ups were empty: rebuilt in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/newsdesk-site-100k"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    manifest_path = args.data_dir / "site-data.json"
    if not manifest_path.exists():
        sys.exit(f"{manifest_path} missing: build it with benchmarks/site_data.py --out DIR")
    manifest = json.loads(manifest_path.read_text())
    settings = Settings(data_dir=args.data_dir, secret_key="benchmark-secret")  # type: ignore[arg-type]
    store = open_store(settings.store.sqlalchemy_url)
    fill_empty_rollups(store)
    articles = store.count_articles()
    table: list[tuple[str, float, float, int]] = []
    with TestClient(build_site(settings, store)) as client:
        for name, urls in pages(manifest, store).items():
            timings: list[float] = []
            for url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    sys.exit(f"{url} answered {response.status_code}")
                for _ in range(args.runs):
                    started = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
            table.append(
                (name, statistics.median(timings), percentile(timings, 0.95), len(timings))
            )
    store.close()
    baseline = table[0][1]
    print(f"{articles} articles, {args.runs} runs per URL, one request at a time, in-process")
    print(f"{'page':<18}{'median ms':>11}{'p95 ms':>9}{'x healthz':>11}{'requests':>10}")
    for name, median, p95, count in table:
        print(f"{name:<18}{median:>11.1f}{p95:>9.1f}{median / baseline:>11.1f}{count:>10}")


if __name__ == "__main__":
    main()
