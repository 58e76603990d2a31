"""`newsdesk serve --workers N`: several uvicorn processes, each building the site itself."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.bootstrap import site_app_from_environment
from newsdesk.domain import Article
from newsdesk.store import open_store
from ports import listening_port


def _article(n: int) -> Article:
    return Article(
        source_id=None,
        url=f"https://example.com/{n}",
        canonical_url=f"https://example.com/{n}",
        title=f"Story {n}",
        text="Copper prices rose.",
        content_hash=f"hash-{n}",
        published=datetime(2026, 11, 1, tzinfo=UTC),
    )


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_app_factory_reads_the_data_dir_from_the_environment(newsdesk, tmp_path):
    assert newsdesk("init").exit_code == 0
    store = open_store(f"sqlite:///{tmp_path / 'data' / 'newsdesk.db'}")
    store.save_article(_article(1))
    store.save_article(_article(2))
    store.close()
    with TestClient(site_app_from_environment()) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "articles": 2}


def test_workers_must_be_at_least_one(newsdesk):
    result = newsdesk("serve", "--workers", "0")
    assert result.exit_code == 2
    assert "--workers" in result.output


@pytest.mark.slow
def test_serve_with_two_workers_answers_from_two_processes(newsdesk, tmp_path):
    assert newsdesk("init").exit_code == 0
    executable = shutil.which("newsdesk", path=str(Path(sys.executable).parent))
    assert executable is not None
    log = tmp_path / "serve.log"
    with log.open("wb") as errors:
        server = subprocess.Popen(  # port 0: it binds a free one, read back from /proc
            [executable, "serve", "--host", "127.0.0.1", "--port", "0", "--workers", "2"],
            env={**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data")},
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
    try:
        port = listening_port(server.pid, timeout=120)
        deadline = time.monotonic() + 120
        body = b""
        while time.monotonic() < deadline and not body:
            assert server.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    body = r.read()
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert body == b'{"status":"ok","articles":0}', "no answer within 120 s"
        # uvicorn's supervisor runs the workers as its children (plus a resource tracker).
        workers = [
            pid
            for pid in _children(server.pid)
            if b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()
            and b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(workers) == 2
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
    assert server.returncode == 0
