"""Latency of the insights site over 100,000 (or a million) articles, measured with wrk.

    .venv/bin/python benchmarks/site_latency.py                       # 1 and 2 workers, 3 runs
    .venv/bin/python benchmarks/site_latency.py --workers 1 --runs 1 --duration 5 --warmup 2
    .venv/bin/python benchmarks/site_latency.py --data /tmp/newsdesk-site-1m --articles 1000000 \
        --days 365 --workers 2                                          # the million-article set
    .venv/bin/python benchmarks/site_latency.py ... --database-url postgresql+psycopg://…
    .venv/bin/python benchmarks/site_latency.py ... --connections 1 --threads 1 --only search

Builds (or reuses) the data dir of benchmarks/site_data.py, starts `newsdesk serve --workers N`
over it for each N, and drives it with /usr/bin/wrk at --connections concurrent connections:
per page a Lua script rotates through many URLs (200 recent articles, every sector, ~30 search
queries) and reports requests/s, p50/p95/p99 and errors from its `done` hook. Every page is
warmed up first, then measured --runs times for --duration seconds each, the pages interleaved;
the table shows the median of the runs. /healthz (a bounded count and a small JSON answer) is
measured in the same run as the baseline the other pages are compared with. Pages that answer
404 are reported as missing, not measured. The load average is printed with every figure: the
machine is shared, and a figure means little without it.

With --database-url the data (built by site_data.py with the same option) is served from that
PostgreSQL database.

Targets (issue 5, this 2-core machine): search p95 < 50 ms, article p95 < 30 ms, home p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_data import ensure_site_data

ROOT = Path(__file__).resolve().parents[1]
WRK = "/usr/bin/wrk"
RESULT_MARK = "NEWSDESK_RESULT "
TARGETS_MS = {"home": 50.0, "article": 30.0, "search": 50.0}


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a benchmark that serves the data of site_data.py (this one and
    page_cache.py): where the data is, how it was built, and whether it may be built."""
    parser.add_argument("--data", type=Path, default=Path("/tmp/newsdesk-site-100k"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=None)
    parser.add_argument("--days", type=int, default=90, help="as given to site_data.py")
    parser.add_argument("--max-age-hours", type=float, default=24.0, help="of the cached data")
    parser.add_argument("--template-dir", type=Path, help="as given to site_data.py")
    parser.add_argument("--database-url", help="serve the data from this PostgreSQL database")
    parser.add_argument(
        "--reuse-only", action="store_true", help="exit rather than build the data (a big set)"
    )


def data_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The data the add_data_arguments options name, built or reused; its manifest."""
    return ensure_site_data(
        args.data,
        articles_wanted=args.articles,
        distinct=args.distinct,
        days=args.days,
        max_age_hours=args.max_age_hours,
        database_url=args.database_url,
        template_dir=args.template_dir,
        reuse_only=args.reuse_only,
    )


@dataclass(frozen=True)
class Page:
    name: str
    paths: tuple[str, ...]


def pages_to_measure(manifest: dict[str, Any]) -> list[Page]:
    queries = [urllib.parse.quote_plus(q) for q in manifest["search_queries"]]
    return [
        Page("healthz", ("/healthz",)),
        Page("home", ("/",)),
        Page("article", tuple(f"/articles/{i}" for i in manifest["article_ids"])),
        Page("sector", tuple(f"/sectors/{s}" for s in manifest["sectors"])),
        Page("search", tuple(f"/search?q={q}" for q in queries)),
        Page("api search", tuple(f"/api/v1/search?q={q}" for q in queries)),
    ]


WRK_SCRIPT = """
local paths = {%(paths)s}
local headers = {%(headers)s}
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
  return wrk.format("GET", paths[i], headers[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(mark)s{"requests":%%d,"duration_us":%%d,"p50":%%d,"p95":%%d,"p99":%%d,"max":%%d,'
    .. '"errors":%%d,"non_2xx":%%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def wrk_script(
    paths: tuple[str, ...],
    directory: Path,
    name: str,
    headers: list[dict[str, str]] | None = None,
) -> Path:
    """A wrk Lua script that rotates through paths (each thread from its own offset), with
    headers[i] sent with paths[i] when given. wrk counts only 4xx and 5xx as non-2xx."""
    script = directory / f"{name.replace(' ', '_')}.lua"
    # JSON strings are valid Lua strings here.
    quoted = ",".join(json.dumps(p) for p in paths)
    tables = ",".join(
        "{" + ",".join(f"[{json.dumps(k)}]={json.dumps(v)}" for k, v in h.items()) + "}"
        for h in headers or []
    )
    script.write_text(WRK_SCRIPT % {"paths": quoted, "headers": tables, "mark": RESULT_MARK})
    return script


def run_wrk(
    base: str, script: Path, *, seconds: float, connections: int, threads: int
) -> dict[str, float]:
    command = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base,
    ]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next((ln for ln in finished.stdout.splitlines() if ln.startswith(RESULT_MARK)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{finished.stdout}\n{finished.stderr}")
    raw = json.loads(line[len(RESULT_MARK) :])
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50": raw["p50"] / 1000,
        "p95": raw["p95"] / 1000,
        "p99": raw["p99"] / 1000,
        "errors": raw["errors"] + raw["non_2xx"],
        "requests": raw["requests"],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


class Server:
    """`newsdesk serve` in its own process group, stopped with SIGINT then SIGKILL."""

    def __init__(
        self, data_dir: Path, workers: int, database_url: str | None, extra_env: dict[str, str]
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "NEWSDESK_DATA_DIR": str(data_dir),
            "NEWSDESK_LOG_LEVEL": "WARNING",
            # wrk is one client address: with request quotas on it would measure 429s.
            "NEWSDESK_PRO_QUOTA_SCALE": "0",
            **extra_env,
        }
        env.pop("NEWSDESK_DATABASE_URL", None)
        if database_url:
            env["NEWSDESK_DATABASE_URL"] = database_url
        command = [str(ROOT / ".venv" / "bin" / "newsdesk"), "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"newsdesk serve exited with {self.process.returncode}")
            try:
                if status_of(f"{self.base}/healthz") == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("newsdesk serve did not answer /healthz within 90 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def measure(
    data_dir: Path, pages: list[Page], workers: int, args: argparse.Namespace, scratch: Path
) -> dict[str, dict[str, float] | str]:
    server = Server(data_dir, workers, args.database_url, dict(args.env or []))
    results: dict[str, dict[str, float] | str] = {}
    try:
        present: list[tuple[Page, Path]] = []
        for page in pages:
            statuses = {status_of(server.base + path) for path in page.paths[:5]}
            if statuses != {200}:
                results[page.name] = f"HTTP {'/'.join(map(str, sorted(statuses)))}"
                continue
            present.append((page, wrk_script(page.paths, scratch, f"{workers}-{page.name}")))
        options = {"connections": args.connections, "threads": args.threads}
        for _, script in present:
            run_wrk(server.base, script, seconds=args.warmup, **options)
        runs: dict[str, list[dict[str, float]]] = {page.name: [] for page, _ in present}
        for run in range(args.runs):
            for page, script in present:
                figures = run_wrk(server.base, script, seconds=args.duration, **options)
                runs[page.name].append(figures)
                figures["load"] = os.getloadavg()[0]
                print(
                    f"  workers={workers} run {run + 1} {page.name:<10} "
                    f"{figures['rps']:7.0f} req/s  p95 {figures['p95']:7.1f} ms  "
                    f"load {figures['load']:.1f}",
                    flush=True,
                )
        for name, samples in runs.items():
            results[name] = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
    finally:
        server.stop()
    return results


def print_table(all_results: dict[int, dict[str, dict[str, float] | str]]) -> None:
    print()
    header = (
        f"{'workers':>7}  {'page':<10} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        f" {'errors':>6}  {'p95/healthz':>11} {'load':>5}  target"
    )
    print(header)
    print("-" * len(header))
    for workers, results in all_results.items():
        baseline = results.get("healthz")
        base_p95 = baseline["p95"] if isinstance(baseline, dict) else None
        for name, figures in results.items():
            if isinstance(figures, str):
                print(f"{workers:>7}  {name:<10} {'missing: ' + figures}")
                continue
            ratio = f"{figures['p95'] / base_p95:11.1f}" if base_p95 else f"{'':>11}"
            target_ms = TARGETS_MS.get(name)
            verdict = ""
            if target_ms is not None:
                verdict = (
                    f"p95 < {target_ms:.0f} ms: {'ok' if figures['p95'] < target_ms else 'MISSED'}"
                )
            print(
                f"{workers:>7}  {name:<10} {figures['rps']:7.0f} {figures['p50']:7.1f}"
                f" {figures['p95']:7.1f} {figures['p99']:7.1f} {figures['errors']:6.0f}"
                f"  {ratio} {figures.get('load', 0.0):5.1f}  {verdict}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per page per run")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds per page")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="+", help="page names to measure (healthz always is)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--env",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="an environment variable for the server (repeatable)",
    )
    args = parser.parse_args()
    if shutil.which(WRK) is None:
        sys.exit(f"{WRK} is missing: apt-get install wrk")
    manifest = data_from_args(args)
    pages = pages_to_measure(manifest)
    if args.only:
        pages = [p for p in pages if p.name in {"healthz", *args.only}]
    print(
        f"{manifest['articles']} articles, {manifest['stories']} stories; "
        f"{args.connections} connections, {args.threads} wrk threads, {args.runs} runs of "
        f"{args.duration:.0f} s per page after {args.warmup:.0f} s warm-up; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}"
        + (f", {' '.join('='.join(pair) for pair in args.env)}" if args.env else ""),
        flush=True,
    )
    all_results: dict[int, dict[str, dict[str, float] | str]] = {}
    with tempfile.TemporaryDirectory(prefix="site-latency-") as scratch:
        for workers in args.workers:
            all_results[workers] = measure(args.data, pages, workers, args, Path(scratch))
    print_table(all_results)
    if args.json:
        args.json.write_text(json.dumps(all_results, indent=2))


if __name__ == "__main__":
    main()
