"""Scale-out: `newsdesk worker` processes on PostgreSQL against `newsdesk run` on SQLite.

A fixture site of HOSTS publications on loopback aliases (127.0.0.2 …), each a feed of
ITEMS Reuters-21578 stories as article pages, served by a separate process that logs every
request. Every source is due at the start; a run ends when every article is stored. Printed
per configuration (medians of --runs runs, with the load average at the start):

- articles/s: articles stored / seconds from the first feed request to the last one stored (a
  few Reuters stories are near-duplicates of others: linked, not stored, in every configuration);
- p95 poll lag: seconds from the start (when every source is due) to its feed's first request;
- politeness violations: consecutive requests to one host closer than the host delay (must be 0);
- database connections: the most seen at once (pg_stat_activity, sampled every 0.2 s).

Workers run `--queues schedule,poll` with a one-second tick (enrichment, which `newsdesk run`
does only after its ingest pass, is left out of both timings).

    .venv/bin/python benchmarks/workers.py [--hosts 200] [--items 3] [--delay 0.5] [--runs 3]

Needs the PostgreSQL test server (`export NEWSDESK_TEST_DATABASE_URL="$(scripts/pg.sh)"`) and
the Reuters corpus (../shared, or NEWSDESK_SHARED_DIR).
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ingest import load_stories, page_html
from shared_data import run_benchmark
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[1]
PORT = 18765
SETTLE_SECONDS = 5.0


def build_site(hosts: list[str], items: int) -> dict[tuple[str, str], bytes]:
    stories = load_stories(len(hosts) * items)
    now = datetime.now(UTC)
    files: dict[tuple[str, str], bytes] = {}
    for n, host in enumerate(hosts):
        entries = []
        for k, story in enumerate(stories[n * items : (n + 1) * items]):
            path = f"/story-{story['id']}.html"
            files[(host, path)] = page_html(story, f"Wire {n}").encode()
            entries.append(
                f"<item><title>{html.escape(story['title'].title())}</title>"
                f"<link>http://{host}:{PORT}{path}</link><guid>reuters-{story['id']}</guid>"
                f"<pubDate>{format_datetime(now - timedelta(minutes=k))}</pubDate></item>"
            )
        files[(host, "/feed.xml")] = (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Wire {n}</title><link>http://{host}/</link>{''.join(entries)}"
            "</channel></rss>"
        ).encode()
    return files


def serve_site(
    hosts: list[str], files: dict[tuple[str, str], bytes], log_path: str, ready: object
) -> None:
    """The fixture site, in its own process: one threaded server per host, every request
    logged as `host start end path` (time.time())."""
    lock = threading.Lock()
    log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - lives with the process

    def handler_for(host: str) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                start = time.time()
                path = self.path.split("?", 1)[0]
                body = b"User-agent: *\nAllow: /\n" if path == "/robots.txt" else None
                body = body or files.get((host, path))
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")
                with lock:
                    log.write(f"{host} {start:.6f} {time.time():.6f} {path}\n")
                    log.flush()

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    for host in hosts:
        server = ThreadingHTTPServer((host, PORT), handler_for(host))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.set()  # type: ignore[attr-defined]
    threading.Event().wait()


def fresh_schema(server_url: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    admin.dispose()
    url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(server_url: str, schema: str) -> None:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.dispose()


def newsdesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsdesk.cli", *args]


def environment(
    database_url: str | None, data_dir: Path, hosts: list[str], delay: float
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_CONFIG="/nonexistent/newsdesk.toml",
        NEWSDESK_LOG_LEVEL="WARNING",
        NEWSDESK_FETCH_HOST_DELAY=str(delay),
        NEWSDESK_FETCH_ALLOW_HOSTS=",".join(f"{h}:{PORT}" for h in hosts),
        NEWSDESK_FETCH_RETRIES="0",
        NEWSDESK_QUEUE_TICK_SECONDS="1",
        NEWSDESK_EMBEDDINGS="off",
    )
    if database_url:
        env["NEWSDESK_DATABASE_URL"] = database_url
    return env


def register_sources(env: dict[str, str], hosts: list[str]) -> None:
    opml = "".join(
        f"<outline type='rss' text='Wire {n}' xmlUrl='http://{h}:{PORT}/feed.xml'/>"
        for n, h in enumerate(hosts)
    )
    with tempfile.NamedTemporaryFile("w", suffix=".opml", delete=False) as handle:
        handle.write(f"<?xml version='1.0'?><opml version='2.0'><body>{opml}</body></opml>")
    for step in (["db", "upgrade"], ["sources", "import", handle.name]):
        done = subprocess.run(newsdesk(*step), env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"{' '.join(step)} failed: {done.stderr}")
    os.unlink(handle.name)


def pages_served(log_path: Path) -> int:
    if not log_path.exists():
        return 0
    return sum(" /story-" in line for line in log_path.read_text().splitlines())


def count_articles(engine: object) -> int:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.execute(text("SELECT count(*) FROM articles")).scalar_one())


def connections(engine: object) -> int:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(
            connection.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            ).scalar_one()
        )


def one_run(
    kind: str, processes: int, hosts: list[str], items: int, delay: float, server_url: str
) -> dict[str, float]:
    """kind 'run' (newsdesk run on SQLite) or 'worker' (processes workers on PostgreSQL)."""
    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-workers-"))
    schema = None
    if kind == "worker":
        database_url, schema = fresh_schema(server_url)
    else:
        database_url = None
    env = environment(database_url, work / "data", hosts, delay)
    register_sources(env, hosts)
    engine = create_engine(
        database_url or f"sqlite:///{work / 'data' / 'newsdesk.db'}", poolclass=NullPool
    )
    monitor = create_engine(server_url, poolclass=NullPool)
    log_path = work / "requests.log"
    files = build_site(hosts, items)
    ready = multiprocessing.Event()
    site = multiprocessing.Process(
        target=serve_site, args=(hosts, files, str(log_path), ready), daemon=True
    )
    site.start()
    ready.wait(60)
    expected = len(hosts) * items
    load = os.getloadavg()[0]
    started = time.time()
    if kind == "worker":
        commands = [
            newsdesk("worker", "--concurrency", "8", "--queues", "schedule,poll")
            for _ in range(processes)
        ]
    else:
        commands = [newsdesk("run", "--port", str(PORT + 1))]
    procs = [
        subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for c in commands
    ]
    most_connections = 0
    stored, last_change = 0, started
    try:
        # Done when every article is stored, or when every page was served and nothing was
        # stored for SETTLE_SECONDS (a few Reuters stories are near-duplicates of others:
        # dedup links them to their story instead of storing them).
        while stored < expected:
            now = time.time()
            if now - started > 900:
                raise SystemExit(f"{kind} x{processes}: not done after 900 s")
            count = count_articles(engine)
            if count != stored:
                stored, last_change = count, now
            elif now - last_change > SETTLE_SECONDS and pages_served(log_path) >= expected:
                break
            if kind == "worker":
                most_connections = max(most_connections, connections(monitor))
            time.sleep(0.2)
        seconds = last_change - started
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
        site.terminate()
        engine.dispose()
        monitor.dispose()
        if schema:
            drop_schema(server_url, schema)
    hits: dict[str, list[tuple[float, float, str]]] = {}
    for line in log_path.read_text().splitlines():
        host, start, end, path = line.split(" ", 3)
        hits.setdefault(host, []).append((float(start), float(end), path))
    violations = 0
    first_polls = []
    for requests in hits.values():
        requests.sort()
        violations += sum(
            1 for (_, end, _), (start, _, _) in itertools.pairwise(requests) if start - end < delay
        )
        feed = [start for start, _, path in requests if path == "/feed.xml"]
        if feed:
            first_polls.append(feed[0])
    # From the first feed request on: process start-up and the phase of the first tick (30 s
    # for `newsdesk run`, 1 s for the workers here) are left out of every figure.
    origin = min(first_polls)
    lags = sorted(t - origin for t in first_polls)
    busy = seconds - (origin - started)
    return {
        "articles": stored,
        "articles_per_s": stored / busy,
        "seconds": busy,
        "p95_poll_lag_s": lags[int(0.95 * (len(lags) - 1))] if lags else float("nan"),
        "violations": violations,
        "connections": most_connections,
        "load": load,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--items", type=int, default=3)
    parser.add_argument("--delay", type=float, default=0.5, help="per-host delay in seconds")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    server_url = os.environ.get("NEWSDESK_TEST_DATABASE_URL")
    if not server_url:
        raise SystemExit('start PostgreSQL: export NEWSDESK_TEST_DATABASE_URL="$(scripts/pg.sh)"')
    hosts = [f"127.0.0.{2 + n}" for n in range(args.hosts)]
    configurations = [("run", 1)] + [("worker", int(n)) for n in args.workers.split(",")]
    results: dict[str, list[dict[str, float]]] = {}
    for round_no in range(args.runs):
        for kind, processes in configurations:  # interleaved: load changes hit every one alike
            label = "newsdesk run (SQLite)" if kind == "run" else f"{processes} worker(s) (PG)"
            figures = one_run(kind, processes, hosts, args.items, args.delay, server_url)
            results.setdefault(label, []).append(figures)
            shown = json.dumps({k: round(v, 2) for k, v in figures.items()})
            print(f"round {round_no + 1}: {label}: {shown}", flush=True)
    print(
        f"\n{args.hosts} hosts x {args.items} Reuters stories, host delay {args.delay} s, "
        f"medians of {args.runs} runs, {os.cpu_count()} CPUs"
    )
    print(
        f"{'configuration':24} {'articles/s':>10} {'p95 lag s':>10} {'violations':>10} "
        f"{'db conns':>9} {'load':>6}"
    )
    for label, runs in results.items():
        rate, lag, conns, load = (
            statistics.median(r[key] for r in runs)
            for key in ("articles_per_s", "p95_poll_lag_s", "connections", "load")
        )
        violations = max(r["violations"] for r in runs)
        print(f"{label:24} {rate:10.1f} {lag:10.1f} {violations:10.0f} {conns:9.0f} {load:6.1f}")


if __name__ == "__main__":
    run_benchmark(main)
