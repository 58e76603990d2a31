"""Loopback ports for the servers tests start, without picking a port by binding and releasing
it: between the release and the server's own bind another process (another test run, any
outgoing connection) may take that port, and the test then fails to start its server or, worse,
talks to someone else's.

- an in-process server is handed a socket already bound to a free port (``bound_socket``);
- a server in a child process binds port 0 itself, and the test reads the port it listens on
  from /proc (``listening_port``);
- "a port nothing listens on" stays bound, never listening, while the test runs
  (``refused_port``): connections to it are refused and nobody else can take it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

LOOPBACK = "127.0.0.1"
_LISTEN = "0A"  # TCP_LISTEN in /proc/net/tcp


def bound_socket(host: str = LOOPBACK) -> socket.socket:
    """A TCP socket bound to a free port of host, for a server to listen on (the caller closes
    it, or hands it to a server that does)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((host, 0))
    except OSError:
        sock.close()
        raise
    return sock


def port_of(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port where connections are refused, held for the block."""
    with bound_socket() as sock:
        yield port_of(sock)


def listening_port(pid: int, *, timeout: float = 60.0) -> int:
    """The TCP port process pid listens on (it was told to bind port 0), once it listens.

    Linux only, like the rest of the suite: the process's socket inodes matched with the
    listening sockets in /proc/net/tcp. AssertionError if it exits or never listens."""
    deadline = time.monotonic() + timeout
    while True:
        port = _listening_port_now(pid)
        if port is not None:
            return port
        assert Path(f"/proc/{pid}").exists(), f"process {pid} exited before it listened"
        assert time.monotonic() < deadline, f"process {pid} listened on no port"
        time.sleep(0.1)


def _listening_port_now(pid: int) -> int | None:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:[") : -1])
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            next(lines)  # the header
            for line in lines:
                fields = line.split()
                if fields[3] == _LISTEN and fields[9] in inodes:
                    return int(fields[1].rsplit(":", 1)[1], 16)
    return None
