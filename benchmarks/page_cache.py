"""Anonymous pages with the rendered-page cache off and on, measured with wrk.

    .venv/bin/python benchmarks/page_cache.py --data /tmp/site-small --articles 3000 --distinct 600
    .venv/bin/python benchmarks/page_cache.py --workers 2 --runs 3 --duration 10
    .venv/bin/python benchmarks/page_cache.py --data /tmp/newsdesk-site-1m --articles 1000000 \
        --days 365 --max-age-hours 720 --workers 2 --reuse-only      # the million-article set
    .venv/bin/python benchmarks/page_cache.py ... --database-url postgresql+psycopg://…
    .venv/bin/python benchmarks/page_cache.py ... --only search "api search"

Uses the data dir of benchmarks/site_data.py (built or reused with the same parameters as
site_latency.py takes; --reuse-only exits rather than build) and the server, wrk script and
figures of benchmarks/site_latency.py. It starts two `newsdesk serve`: one with
NEWSDESK_PAGE_CACHE_MEGABYTES=0 (uncached: every request renders or searches) and one with
the defaults (cached), and drives both with the same URL rotations as site_latency.py (home,
200 recent articles, every sector, ~30 search queries as pages and API answers) at
--connections connections; runs alternate between the two servers so both see the same load
of the machine. The home page has a render cache of its own, so it is a control: its two
figures should agree. "revalidate" is the cached server answering If-None-Match with 304
(what a browser or a reverse proxy sends for a page it already has). The table shows
medians, the healthz baseline of the same run and the load average. Request quotas are off
(NEWSDESK_PRO_QUOTA_SCALE=0 in site_latency.Server): wrk is one anonymous client, and its
429s would be measured instead of pages.

The cached figures are what a rotation of a few hundred URLs costs once each is kept: they
measure the cache (a version read, the viewer resolver, the quota), which is why the
uncached figures stand beside them. Kept pages expire after NEWSDESK_PAGE_CACHE_SECONDS (30),
less than a round of runs takes, so each cached run follows a --warmup of its own (steady
traffic keeps a page kept).

    .venv/bin/python benchmarks/page_cache.py ... --herd 50          # cold pages met at once

--herd N measures what the warm-up hides instead of the table: on the cached server, N
requests at once (threads released together) for each of --herd-urls pages of each kind
(article, sector, search, API search) that no request has asked for yet, and reports per
burst how many of them rendered (X-Page-Cache: miss; one per web process when misses are
coalesced, up to N when not) and how long the burst took (median over the pages).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shared_data import run_benchmark
from site_latency import (
    WRK,
    Server,
    add_data_arguments,
    data_from_args,
    pages_to_measure,
    run_wrk,
    status_of,
    wrk_script,
)

MODES = ("uncached", "cached")
Figures = dict[str, float]


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return str(response.headers["ETag"])


def start(data_dir: Path, workers: int, database_url: str | None, *, cached: bool) -> Server:
    """`newsdesk serve` with the page cache on (the defaults) or off."""
    return Server(
        data_dir,
        workers,
        database_url,
        {"NEWSDESK_PAGE_CACHE_MEGABYTES": "32" if cached else "0"},
    )


HERD_PAGES = ("article", "sector", "search", "api search")


def burst(url: str, requests: int) -> tuple[int, float]:
    """requests GETs of url released at once: (how many rendered, seconds the burst took)."""
    gate = threading.Barrier(requests)

    def one(_: int) -> str:
        gate.wait()
        with urllib.request.urlopen(url, timeout=300) as response:
            response.read()
            return str(response.headers.get("X-Page-Cache"))

    with ThreadPoolExecutor(requests) as pool:
        started = time.perf_counter()
        answers = list(pool.map(one, range(requests)))
        return answers.count("miss"), time.perf_counter() - started


def measure_herd(
    server: Server, pages: dict[str, tuple[str, ...]], args: argparse.Namespace
) -> None:
    print(f"\n{'page':<12} {'renders per burst':>18} {'burst ms':>9} {'load':>5}")
    for name in HERD_PAGES:
        # Pages the warm-up of the server (its /healthz) never asked for: cold in its cache.
        results = [burst(server.base + path, args.herd) for path in pages[name][: args.herd_urls]]
        renders = statistics.median(r for r, _ in results)
        millis = statistics.median(t for _, t in results) * 1000
        print(
            f"{name:<12} {renders:>10.0f} of {args.herd:<5} {millis:9.0f}"
            f" {os.getloadavg()[0]:5.1f}",
            flush=True,
        )


def print_table(results: dict[str, Figures]) -> None:
    print()
    header = (
        f"{'page':<24} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        f" {'errors':>6} {'load':>5}"
    )
    print(header)
    print("-" * len(header))
    for label, figures in results.items():
        print(
            f"{label:<24} {figures['rps']:7.0f} {figures['p50']:7.1f} {figures['p95']:7.1f}"
            f" {figures['p99']:7.1f} {figures['errors']:6.0f} {figures['load']:5.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds per page")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="+", help="page names to measure (healthz always is)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--herd", type=int, help="measure bursts of this many cold requests")
    parser.add_argument("--herd-urls", type=int, default=5, help="pages per kind (--herd)")
    args = parser.parse_args()
    if shutil.which(WRK) is None:
        sys.exit(f"{WRK} is missing: apt-get install wrk")
    manifest = data_from_args(args)
    pages = {page.name: page.paths for page in pages_to_measure(manifest)}
    if args.herd:
        server = start(args.data, args.workers, args.database_url, cached=True)
        try:
            print(f"{manifest['articles']} articles; {args.workers} worker(s)", flush=True)
            measure_herd(server, pages, args)
        finally:
            server.stop()
        return
    if args.only:
        pages = {name: paths for name, paths in pages.items() if name in {"healthz", *args.only}}
    print(
        f"{manifest['articles']} articles; {args.workers} worker(s), {args.connections} "
        f"connections, {args.runs} runs of {args.duration:.0f} s; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}; "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}",
        flush=True,
    )
    options = {"connections": args.connections, "threads": args.threads}
    samples: dict[str, list[Figures]] = {}
    with tempfile.TemporaryDirectory(prefix="page-cache-") as scratch:
        directory = Path(scratch)
        servers = {
            mode: start(args.data, args.workers, args.database_url, cached=mode == "cached")
            for mode in MODES
        }
        try:
            scripts: dict[tuple[str, str], Path] = {}
            for mode, server in servers.items():
                for name, paths in pages.items():
                    if name == "healthz" and mode == "cached":
                        continue
                    statuses = {status_of(server.base + p) for p in paths[:5]}
                    if statuses != {200}:
                        sys.exit(f"{name} answers {sorted(statuses)} on the {mode} server")
                    scripts[(mode, name)] = wrk_script(paths, directory, f"{mode}-{name}")
            if "article" in pages:
                cached_base = servers["cached"].base
                paths = pages["article"]
                tags = [{"If-None-Match": etag_of(cached_base + path)} for path in paths]
                scripts[("cached", "revalidate")] = wrk_script(
                    paths, directory, "revalidate", headers=tags
                )
            for (mode, _), script in scripts.items():
                run_wrk(servers[mode].base, script, seconds=args.warmup, **options)
            for run in range(args.runs):
                for (mode, name), script in scripts.items():
                    if mode == "cached" and run > 0:
                        # The pages kept by the last run are older than the time to live by
                        # now: fill the cache again, as steady traffic keeps it filled.
                        run_wrk(servers[mode].base, script, seconds=args.warmup, **options)
                    figures = run_wrk(servers[mode].base, script, seconds=args.duration, **options)
                    figures["load"] = os.getloadavg()[0]
                    samples.setdefault(f"{name} ({mode})", []).append(figures)
                    print(
                        f"  run {run + 1} {name:<10} {mode:<8} {figures['rps']:7.0f} req/s  "
                        f"p95 {figures['p95']:7.1f} ms  load {figures['load']:.1f}",
                        flush=True,
                    )
        finally:
            for server in servers.values():
                server.stop()
    results = {
        label: {key: statistics.median(s[key] for s in runs) for key in runs[0]}
        for label, runs in samples.items()
    }
    print_table(results)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    run_benchmark(main)
