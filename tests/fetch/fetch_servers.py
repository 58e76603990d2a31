"""Local HTTP servers on 127.0.0.1 that misbehave in every way the fetcher must survive."""

from __future__ import annotations

import asyncio
import select
import socket
import threading
import time
import zlib
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import pytest

from newsdesk.fetch import FetchOptions

PAGE = b"<html><head><title>t</title></head><body><p>Hello caf\xc3\xa9</p></body></html>"
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 21 Oct 2026 07:28:00 GMT"
MIB = 1024 * 1024


T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def gzip_bomb_parts(gigabytes: int = 1) -> tuple[bytes, bytes, int, bytes]:
    """A gzip stream of ``gigabytes`` GiB of zeros, kept small: with a full flush after every
    MiB the compressor restarts, so every MiB after the first compresses to the same bytes.
    Returns (head, repeated block, repeat count, tail). The tail's CRC does not match; the
    fetcher must give up long before it gets there."""
    zeros = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()
    return head, block, gigabytes * 1024 - 1, tail


@dataclass
class ServerState:
    robots: bytes | None = b"User-agent: newsdesk\nDisallow: /private\n"
    robots_status: int = 200
    robots_redirect: str | None = None
    counters: dict[str, int] = field(default_factory=dict)
    log: list[tuple[str, float]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # /together waits here: shared by several servers, it passes only when all are in flight.
    barrier: threading.Barrier | None = None

    def count(self, key: str) -> int:
        with self.lock:
            self.counters[key] = self.counters.get(key, 0) + 1
            return self.counters[key]

    def paths(self) -> list[str]:
        with self.lock:
            return [path for path, _ in self.log]


class Handler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    protocol_version = "HTTP/1.1"
    server: LocalServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def reply(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        named = {name.replace("_", "-"): value for name, value in headers.items()}
        named.setdefault("Content-Type", "text/html; charset=utf-8")
        for name, value in named.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        state = self.server.state
        with state.lock:
            state.log.append((self.path, time.monotonic()))
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with state.lock:
                state.in_flight -= 1

    def route(self) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query, encoding="latin-1")
        key = query.get("key", [path])[0]
        if path == "/robots.txt":
            if state.robots_redirect is not None:
                self.reply(302, b"", Location=state.robots_redirect)
            elif state.robots is None:
                self.reply(404, b"no robots")
            else:
                self.reply(state.robots_status, state.robots, Content_Type="text/plain")
        elif path in {"/page", "/private/page"}:
            if self.headers.get("If-None-Match") == ETAG or (
                self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.end_headers()
            else:
                self.reply(200, PAGE, ETag=ETAG, Last_Modified=LAST_MODIFIED)
        elif path == "/together":
            if state.barrier is None:
                raise RuntimeError("/together needs a barrier on the server state")
            try:
                state.barrier.wait()
            except threading.BrokenBarrierError:
                self.reply(500, b"the other requests never came")
            else:
                self.reply(200, PAGE)
        elif path == "/slow":
            time.sleep(float(query.get("seconds", ["0.2"])[0]))
            self.reply(200, PAGE)
        elif path == "/ua":
            self.reply(200, self.headers.get("User-Agent", "").encode(), Content_Type="text/plain")
        elif path == "/status":
            self.reply(int(query["code"][0]), b"status")
        elif path == "/flaky":
            self.reply(500 if state.count(key) == 1 else 200, PAGE)
        elif path == "/busy":
            if state.count(key) == 1:
                self.reply(429, b"slow down", Retry_After=query.get("after", ["1"])[0])
            else:
                self.reply(200, PAGE)
        elif path == "/redirect":
            self.send_response(int(query.get("code", ["302"])[0]))
            self.send_header("Location", query["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path.startswith("/loop/"):
            other = "/loop/b" if path == "/loop/a" else "/loop/a"
            self.reply(302, b"", Location=other)
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            if left == 0:
                self.reply(200, PAGE)
            else:
                self.reply(301, b"", Location=f"/chain/{left - 1}")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.5)
        elif path == "/lying/short-close":
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"0123456789")
        elif path == "/lying/short-open":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            time.sleep(5)
        elif path == "/lying/long":
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"0123456789" * 100)
        elif path == "/lying/huge":
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Length", str(20 * MIB))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"tiny")
        elif path == "/big":
            self.stream_body(20 * MIB, declare_length=query.get("declare", ["1"])[0] == "1")
        elif path == "/bomb":
            self.gzip_bomb()
        elif path == "/gzip":
            compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            body = compressor.compress(PAGE) + compressor.flush()
            self.reply(200, body, Content_Encoding="gzip")
        elif path == "/deflate":
            wbits = -zlib.MAX_WBITS if query.get("raw") else zlib.MAX_WBITS
            compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
            body = compressor.compress(PAGE) + compressor.flush()
            self.reply(200, body, Content_Encoding="deflate")
        elif path == "/brotli":
            self.reply(200, b"\x0b\x02\x80hello\x03", Content_Encoding="br")
        elif path == "/charset":
            body = query.get("body", [""])[0].encode("latin-1")
            self.reply(200, body, Content_Type=query["type"][0])
        else:
            self.reply(404, b"not here")

    def stream_body(self, size: int, *, declare_length: bool) -> None:
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Connection", "close")
        if declare_length:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"a" * MIB
        for _ in range(size // MIB):
            self.wfile.write(chunk)

    def gzip_bomb(self) -> None:
        head, block, repeat, tail = self.server.bomb
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(head) + len(block) * repeat + len(tail)))
        self.end_headers()
        self.wfile.write(head)
        for _ in range(repeat):
            self.wfile.write(block)
        self.wfile.write(tail)


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    bomb = gzip_bomb_parts()

    def __init__(self, state: ServerState) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.state = state

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def hostport(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"http://{self.hostport}{path}"


@pytest.fixture
def make_server() -> Iterator[Callable[..., LocalServer]]:
    servers: list[LocalServer] = []

    def start(**state: Any) -> LocalServer:
        server = LocalServer(ServerState(**state))
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server(make_server: Callable[..., LocalServer]) -> LocalServer:
    return make_server()


def options_for(*servers: LocalServer | str, **overrides: Any) -> FetchOptions:
    """Fast options that allow-list exactly the given servers (or host[:port] strings)."""
    allow = tuple(s if isinstance(s, str) else s.hostport for s in servers)
    settings: dict[str, Any] = {
        "timeout": 2.0,
        "host_delay": 0.0,
        "retries": 0,
        "backoff_base": 0.05,
        "respect_robots": False,
        "allow_hosts": allow,
    }
    settings.update(overrides)
    return FetchOptions(**settings)


class Canary:
    """A TCP listener that never accepts: any connection attempt stays queued and visible."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = int(self.socket.getsockname()[1])

    def was_contacted(self) -> bool:
        readable, _, _ = select.select([self.socket], [], [], 0.05)
        return bool(readable)

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


class PlainTCPServer:
    """Answers anything with a plain-text line: what a TLS client sees as a broken handshake."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(4)
        self.port = int(self.socket.getsockname()[1])
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            with connection:
                connection.recv(4096)
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def plain_tcp() -> Iterator[PlainTCPServer]:
    server = PlainTCPServer()
    yield server
    server.close()
