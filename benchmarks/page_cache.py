"""Anonymous article and sector pages with the rendered-page cache off and on, measured with wrk.

    .venv/bin/python benchmarks/page_cache.py --data /tmp/site-small --articles 3000 --distinct 600
    .venv/bin/python benchmarks/page_cache.py --workers 2 --runs 3 --duration 10

Uses the data dir of benchmarks/site_data.py (built or reused) and the server, wrk script and
figures of benchmarks/site_latency.py. For each setting it starts `newsdesk serve` with
NEWSDESK_PAGE_CACHE_MEGABYTES=0 (uncached: every request renders) and with the defaults
(cached), and drives the same URL rotations (200 recent articles, every sector) at
--connections connections; runs alternate between the two servers so both see the same load
of the machine. "revalidate" is the cached server answering If-None-Match with 304 (what a
browser or a reverse proxy sends for a page it already has). The table shows medians, and the
healthz baseline of the same run. Request quotas are off (NEWSDESK_PRO_QUOTA_SCALE=0): wrk is
one anonymous client, and its 429s would be measured instead of pages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

from shared_data import run_benchmark
from site_data import ensure_site_data
from site_latency import WRK, Server, run_wrk, status_of, wrk_script

REVALIDATE_SCRIPT = """
local paths = {%(paths)s}
local tags = {%(tags)s}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
function init(args)
  position = offset or 0
end
function request()
  position = position + 1
  local i = (position %% #paths) + 1
  return wrk.format("GET", paths[i], {["If-None-Match"] = tags[i]})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(mark)s{"requests":%%d,"duration_us":%%d,"p50":%%d,"p95":%%d,"p99":%%d,"max":%%d,'
    .. '"errors":%%d,"non_2xx":%%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, 0))
end
"""
Figures = dict[str, float]


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return str(response.headers["ETag"])


def revalidate_script(base: str, paths: tuple[str, ...], directory: Path) -> Path:
    from site_latency import RESULT_MARK

    tags = [etag_of(base + path) for path in paths]
    script = directory / "revalidate.lua"
    script.write_text(
        REVALIDATE_SCRIPT
        % {
            "paths": ",".join(json.dumps(p) for p in paths),
            "tags": ",".join(json.dumps(t) for t in tags),
            "mark": RESULT_MARK,
        }
    )
    return script


def start(data_dir: Path, workers: int, *, cached: bool) -> Server:
    """`newsdesk serve` with the page cache on (the defaults) or off."""
    return Server(
        data_dir, workers, None, {"NEWSDESK_PAGE_CACHE_MEGABYTES": "32" if cached else "0"}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/newsdesk-site-100k"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds per page")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if shutil.which(WRK) is None:
        sys.exit(f"{WRK} is missing: apt-get install wrk")
    manifest = ensure_site_data(args.data, articles_wanted=args.articles, distinct=args.distinct)
    pages = {
        "healthz": ("/healthz",),
        "article": tuple(f"/articles/{i}" for i in manifest["article_ids"]),
        "sector": tuple(f"/sectors/{s}" for s in manifest["sectors"]),
    }
    print(
        f"{manifest['articles']} articles; {args.workers} worker(s), {args.connections} "
        f"connections, {args.runs} runs of {args.duration:.0f} s; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    os.environ["NEWSDESK_PRO_QUOTA_SCALE"] = "0"
    options = {"connections": args.connections, "threads": args.threads}
    samples: dict[str, list[Figures]] = {}
    with tempfile.TemporaryDirectory(prefix="page-cache-") as scratch:
        directory = Path(scratch)
        servers = {
            "uncached": start(args.data, args.workers, cached=False),
            "cached": start(args.data, args.workers, cached=True),
        }
        try:
            scripts: dict[tuple[str, str], Path] = {}
            for mode, server in servers.items():
                for name, paths in pages.items():
                    if name == "healthz" and mode == "cached":
                        continue
                    assert {status_of(server.base + p) for p in paths[:5]} == {200}, name
                    scripts[(mode, name)] = wrk_script(paths, directory, f"{mode}-{name}")
            cached_base = servers["cached"].base
            scripts[("cached", "revalidate")] = revalidate_script(
                cached_base, pages["article"], directory
            )
            for (mode, _), script in scripts.items():
                run_wrk(servers[mode].base, script, seconds=args.warmup, **options)
            for run in range(args.runs):
                for (mode, name), script in scripts.items():
                    figures = run_wrk(servers[mode].base, script, seconds=args.duration, **options)
                    samples.setdefault(f"{name} ({mode})", []).append(figures)
                    print(
                        f"  run {run + 1} {name:<10} {mode:<8} {figures['rps']:7.0f} req/s  "
                        f"p95 {figures['p95']:7.1f} ms  load {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
        finally:
            for server in servers.values():
                server.stop()
    results = {
        label: {key: statistics.median(s[key] for s in runs) for key in runs[0]}
        for label, runs in samples.items()
    }
    print()
    header = f"{'page':<22} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for label, figures in results.items():
        print(
            f"{label:<22} {figures['rps']:7.0f} {figures['p50']:7.1f} {figures['p95']:7.1f}"
            f" {figures['p99']:7.1f} {figures['errors']:6.0f}"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    run_benchmark(main)
