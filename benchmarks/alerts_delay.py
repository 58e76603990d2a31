"""Ingest-to-webhook delay under `newsdesk run`: from an article being stored to its signed
webhook arriving at a receiver, in one process as operators run it.

A loopback feed server publishes a new item every --every seconds, each naming a word the
member's saved search watches; `newsdesk run` (real process, SQLite data dir) ingests, enriches,
percolates and delivers; a loopback receiver verifies each webhook's signature and records when
it came. The delay of each is arrival minus the article's stored time (read from the database
afterwards). Prints the median and the worst, with `uptime`'s load.

    .venv/bin/python benchmarks/alerts_delay.py [--items 5] [--every 65]
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from standardwebhooks.webhooks import Webhook

ITEMS: list[tuple[str, str, datetime]] = []  # (guid, title, published)
ARRIVALS: list[tuple[str, float]] = []  # (webhook-id, wall time)
SECRET: list[str] = []


class Feed(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        items = "".join(
            f"<item><guid>{guid}</guid><title>{title}</title><link>http://{self.headers['host']}/a/{guid}</link>"
            f"<pubDate>{format_datetime(when)}</pubDate><description>{title}. Zirconium miners "
            f"signed a supply agreement in Namibia, officials said.</description></item>"
            for guid, title, when in ITEMS
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title><link>http://x/</link><description>d</description>{items}</channel></rss>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        payload = self.rfile.read(int(self.headers.get("content-length") or 0))
        if SECRET:
            Webhook(SECRET[0]).verify(payload, {k.lower(): v for k, v in self.headers.items()})
        ARRIVALS.append((self.headers["webhook-id"], time.time()))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def newsdesk(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--every", type=float, default=65.0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"127.0.0.1:{server.server_address[1]}"
    port = free_port()
    with tempfile.TemporaryDirectory() as directory:
        data = Path(directory)
        env = {
            **os.environ,
            "NEWSDESK_DATA_DIR": str(data),
            "NEWSDESK_FETCH_ALLOW_HOSTS": address,
            "NEWSDESK_FETCH_HOST_DELAY": "0",
            "NEWSDESK_SOURCE_DEFAULT_INTERVAL": "60",
            "NEWSDESK_BASE_URL": f"http://127.0.0.1:{port}",
            "NEWSDESK_LOG_LEVEL": "WARNING",
        }
        newsdesk(env, "init")
        newsdesk(env, "members", "add", "bench@example.com", "--plan", "pro")
        newsdesk(
            env, "sources", "add", f"http://{address}/feed.xml", "--feed-only", "--interval", "60"
        )
        added = newsdesk(
            env,
            "alerts",
            "add",
            "bench@example.com",
            "--query",
            "zirconium",
            "--webhook",
            f"http://{address}/hook",
        )
        SECRET.append(added.splitlines()[1])
        run = subprocess.Popen(
            [sys.executable, "-m", "newsdesk.cli", "run", "--port", str(port)], env=env
        )
        try:
            for n in range(args.items):
                ITEMS.append((f"item-{n}", f"Zirconium deal number {n}", datetime.now(UTC)))
                deadline = time.time() + args.every
                while time.time() < deadline and len(ARRIVALS) <= n:
                    time.sleep(0.2)
                time.sleep(max(0.0, deadline - time.time()))
        finally:
            run.terminate()
            run.wait(timeout=60)
        database = sqlite3.connect(data / "newsdesk.db")
        stored = {
            message_id: datetime.fromisoformat(created).replace(tzinfo=UTC).timestamp()
            for message_id, created in database.execute(
                "SELECT d.message_id, a.created_at FROM alert_deliveries d "
                "JOIN articles a ON a.id = d.article_id"
            )
        }
    delays = [
        arrived - stored[message_id] for message_id, arrived in ARRIVALS if message_id in stored
    ]
    load = os.getloadavg()[0]
    if not delays:
        raise SystemExit("no webhook arrived")
    print(
        f"{len(delays)} of {args.items} items delivered; ingest-to-webhook delay median "
        f"{statistics.median(delays):.1f} s, worst {max(delays):.1f} s (target < 60 s); "
        f"load {load:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
