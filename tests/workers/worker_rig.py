"""The rig of the worker tests: a fixture newsroom on loopback aliases that logs every request,
`newsdesk worker` processes to start, stop, pause and kill, and the queue's tables to read.
(A uniquely named helper module: test directories are not packages.)"""

from __future__ import annotations

import html
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg

from newsdesk.domain import Source, SourceKind
from newsdesk.queue.procrastinate_queue import conninfo_from_url
from newsdesk.store import SqlStore

_WORDS = [
    f"{a}{b}{c}"
    for a in ("bar", "cor", "del", "fen", "gar", "hol", "jin", "kel")
    for b in ("a", "e", "i", "o", "u")
    for c in ("mos", "tik", "vun", "rap", "sel", "dor")
]


def article_text(seed: str, words: int = 140) -> list[str]:
    """Three paragraphs of words drawn for this seed alone: no two articles near-duplicates."""
    rng = random.Random(seed)
    drawn = [rng.choice(_WORDS) for _ in range(words)]
    third = words // 3
    return [" ".join(drawn[i : i + third]).capitalize() + "." for i in range(0, third * 3, third)]


def article_page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><main><article>"
        f"<h1>{html.escape(title)}</h1>{body}</article></main></body></html>"
    )


def rss(links: list[tuple[str, str]]) -> str:
    items = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link>"
        f"<guid>{html.escape(u)}</guid></item>"
        for t, u in links
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Wire</title><link>http://example.invalid/</link>{items}</channel></rss>"
    )


@dataclass(frozen=True)
class Hit:
    host: str  # host:port
    path: str
    start: float  # time.monotonic() when the request arrived
    end: float  # … and when its response was written


class Newsroom:
    """Publications on loopback aliases (127.0.0.2, 127.0.0.3, …), one server each.

    feeds(host, n_feeds, n_items) adds feeds whose items are article pages on the same host.
    hold(path) makes requests for path wait until release(); every request is logged."""

    def __init__(self, hosts: int = 1, *, delay: float = 0.0) -> None:
        self.delay = delay  # seconds every response takes
        self.routes: dict[tuple[str, str], bytes] = {}
        self.hits: list[Hit] = []
        self._held: dict[str, threading.Event] = {}
        self._arrived: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._servers = [self._server(f"127.0.0.{2 + n}") for n in range(hosts)]
        self.hosts = [f"{s.server_address[0]}:{s.server_address[1]}" for s in self._servers]

    def _server(self, address: str) -> ThreadingHTTPServer:
        room = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                start = time.monotonic()
                host = f"{self.server.server_address[0]}:{self.server.server_address[1]}"
                path = self.path.split("?", 1)[0]
                with room._lock:
                    body = room.routes.get((host, path))
                    held = room._held.get(path)
                    arrived = room._arrived.setdefault(path, threading.Event())
                arrived.set()
                if held is not None:
                    held.wait(30)
                if room.delay:
                    time.sleep(room.delay)
                if body is None and path == "/robots.txt":
                    body = b"User-agent: *\nAllow: /\n"
                status = 200 if body is not None else 404
                payload = body if body is not None else b"not found"
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                finally:
                    with room._lock:
                        room.hits.append(Hit(host, path, start, time.monotonic()))

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # killed workers hang up mid-response

        return Server((address, 0), Handler)

    def feeds(self, host: str, n_feeds: int, n_items: int, *, prefix: str = "f") -> list[str]:
        urls = []
        for f in range(n_feeds):
            links = []
            for i in range(n_items):
                path = f"/{prefix}{f}/a{i}.html"
                title = f"Report {prefix}{f}-{i} from {host}"
                page = article_page(title, article_text(f"{host}{path}"))
                self.routes[(host, path)] = page.encode()
                links.append((title, f"http://{host}{path}"))
            self.routes[(host, f"/{prefix}{f}.xml")] = rss(links).encode()
            urls.append(f"http://{host}/{prefix}{f}.xml")
        return urls

    def hold(self, path: str) -> threading.Event:
        """Requests for path wait until the returned event is set (or release(path))."""
        with self._lock:
            event = self._held[path] = threading.Event()
            self._arrived[path] = threading.Event()
        return event

    def arrived(self, path: str) -> threading.Event:
        with self._lock:
            return self._arrived.setdefault(path, threading.Event())

    def release(self, path: str) -> None:
        with self._lock:
            event = self._held.pop(path, None)
        if event is not None:
            event.set()

    def hits_of(self, host: str) -> list[Hit]:
        with self._lock:
            return sorted((h for h in self.hits if h.host == host), key=lambda h: h.start)

    def __enter__(self) -> Newsroom:
        for server in self._servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            held = list(self._held.values())
        for event in held:
            event.set()
        for server in self._servers:
            server.shutdown()
            server.server_close()


def add_feeds(store: SqlStore, urls: list[str]) -> list[int]:
    ids = []
    for url in urls:
        source = store.add_source(Source(url=url, name=url, kind=SourceKind.FEED))
        assert source.id is not None
        ids.append(source.id)
    return ids


def worker_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        NEWSDESK_DATABASE_URL=database_url,
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_CONFIG="/nonexistent/newsdesk.toml",
        NEWSDESK_LOG_LEVEL="WARNING",
        NEWSDESK_QUEUE_TICK_SECONDS="1",
        NEWSDESK_QUEUE_HEARTBEAT_SECONDS="0.2",
        NEWSDESK_QUEUE_STALLED_SECONDS="10",
        NEWSDESK_QUEUE_POLL_SECONDS="0.3",
        # Enrichment loads the taxonomy and gazetteer in every worker at start-up (its periodic
        # job): only the tests that need it take the enrich (or mail) queue.
        NEWSDESK_QUEUE_QUEUES="schedule,poll",
        NEWSDESK_FETCH_TIMEOUT="2",
        NEWSDESK_FETCH_RETRIES="0",
        NEWSDESK_FETCH_HOST_DELAY="0",
        NEWSDESK_INGEST_WORKERS="1",
        NEWSDESK_EMBEDDINGS="off",
    )
    env.update(extra)
    return env


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsdesk.cli", *args]


class Worker:
    """One `newsdesk worker` process; its stderr goes to a file read by .log()."""

    def __init__(self, env: dict[str, str], log_path: Path, *args: str) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            cli("worker", *args), env=env, stdout=subprocess.DEVNULL, stderr=self._log
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.stop()  # closes its log

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def terminate(self) -> None:
        """Ask it to stop (SIGTERM): it finishes the jobs in flight; stop() waits for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 20) -> int:
        if self._log.closed:
            return int(self.process.returncode)
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        # Shown by pytest only when the test fails: what the worker said.
        print(f"--- {self.log_path.name} (pid {self.pid}):\n{self.log()[-20000:]}")
        return int(self.process.returncode)


@contextmanager
def workers(env: dict[str, str], directory: Path, count: int, *args: str) -> Iterator[list[Worker]]:
    started = [Worker(env, directory / f"worker{n}.log", *args) for n in range(count)]
    try:
        yield started
    finally:
        for worker in started:
            worker.terminate()  # all at once: each finishes its jobs in flight meanwhile
        for worker in started:
            worker.stop()


def wait_until(
    check: Callable[[], bool], timeout: float, what: str, *, every: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


def upgrade(database_url: str, data_dir: Path) -> None:
    done = subprocess.run(
        cli("db", "upgrade"),
        env=worker_env(database_url, data_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def queue_rows(database_url: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows of a query on the queue's tables (procrastinate_jobs, _events, _workers)."""
    with psycopg.connect(conninfo_from_url(database_url)) as connection:
        return list(connection.execute(query, params).fetchall())  # type: ignore[arg-type]
