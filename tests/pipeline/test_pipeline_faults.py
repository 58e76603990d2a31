"""Faults stay contained: one bad source never hurts the others, crashes lose nothing."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest_site import FixtureSite
from pipeline_helpers import add_feed, ingest, options_for, sqlite_store
from pipeline_pages import article_page, rss
from pipeline_texts import COPPER, GRAIN, LNG

from newsdesk.domain import FetchOutcome


def _feed_of(site: FixtureSite, prefix: str, count: int, delay: float = 0.0) -> str:
    items = []
    for n in range(count):
        base = [COPPER, LNG, GRAIN][n % 3]
        paragraphs = [f"Dispatch {prefix}-{n}: " + base[0], *base[1:], f"Reference {prefix}{n}."]
        # Distinct wording per article so that near-duplicate linking does not merge them.
        paragraphs = [p.replace("said", f"said ({prefix}{n})") for p in paragraphs]
        url = site.add(
            f"/{prefix}/{n}.html", article_page(f"{prefix} {n}", paragraphs), delay=delay
        )
        items.append({"title": f"{prefix} story {n}", "link": url})
    return site.add(f"/{prefix}/feed.xml", rss(items), content_type="application/rss+xml")


def test_failing_sources_are_logged_and_others_unaffected(
    site: FixtureSite, tmp_path: Path
) -> None:
    good = _feed_of(site, "good", 2)
    broken = site.add("/broken.xml", "oops", status=500, content_type="text/plain")
    missing = site.base_url + "/missing.xml"
    gone = site.add("/gone.xml", "gone", status=410, content_type="text/plain")
    store = sqlite_store(tmp_path)
    sources = {
        "good": add_feed(store, good),
        "broken": add_feed(store, broken),
        "missing": add_feed(store, missing),
        "gone": add_feed(store, gone),
        "nowhere": add_feed(store, "http://no-such-host.invalid/feed.xml"),
    }
    summary = ingest(store, options_for(site.port))
    assert summary.new == 2
    assert summary.failed == 4
    for name in ("broken", "missing", "gone", "nowhere"):
        source = store.get_source(sources[name].id)  # type: ignore[arg-type]
        assert source is not None
        assert source.consecutive_failures == 1, name
        assert source.last_error, name
        (attempt,) = store.recent_fetch_attempts(source.id)
        assert attempt.outcome is FetchOutcome.ERROR and attempt.error
    gone_source = store.get_source(sources["gone"].id)  # type: ignore[arg-type]
    assert gone_source is not None and not gone_source.enabled
    assert gone_source.disabled_reason and "410" in gone_source.disabled_reason
    healthy = store.get_source(sources["good"].id)  # type: ignore[arg-type]
    assert healthy is not None and healthy.enabled and healthy.consecutive_failures == 0


def test_blocked_destination_through_the_pipeline(site: FixtureSite, tmp_path: Path) -> None:
    canary = socket.socket()
    canary.bind(("127.0.0.1", 0))
    canary.listen(5)
    canary.settimeout(0.5)
    accepted: list[object] = []

    def watch() -> None:
        with contextlib.suppress(OSError):
            accepted.append(canary.accept())

    watcher = threading.Thread(target=watch)
    watcher.start()
    port = canary.getsockname()[1]
    store = sqlite_store(tmp_path)
    source = add_feed(store, f"http://2130706433:{port}/feed.xml")
    redirect = site.add(
        "/redirect.xml", "", status=302, headers={"Location": f"http://0177.0.0.1:{port}/x"}
    )
    via_redirect = add_feed(store, redirect)
    summary = ingest(store, options_for(site.port))
    watcher.join()
    canary.close()
    assert summary.failed == 2
    for sid in (source.id, via_redirect.id):
        stored = store.get_source(sid)  # type: ignore[arg-type]
        assert stored is not None and "blocked destination" in (stored.last_error or "")
    assert accepted == []


def _env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        NEWSDESK_DATA_DIR=str(tmp_path / "data"),
        NEWSDESK_FETCH_ALLOW_HOSTS=f"127.0.0.1:{port}",
        NEWSDESK_FETCH_HOST_DELAY="0",
        NEWSDESK_LOG_LEVEL="WARNING",
    )
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsdesk.cli", *args]


def _count(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute("select count(*) from articles").fetchone()[0])


def test_kill_9_mid_ingest_then_rerun_loses_and_duplicates_nothing(
    site: FixtureSite, tmp_path: Path
) -> None:
    feed = _feed_of(site, "slow", 24, delay=0.15)
    env = _env(tmp_path, site.port)
    subprocess.run(_cli("init"), env=env, check=True, capture_output=True)
    subprocess.run(
        _cli("sources", "add", feed, "--kind", "feed"), env=env, check=True, capture_output=True
    )
    db = tmp_path / "data" / "newsdesk.db"
    proc = subprocess.Popen(_cli("ingest", "--once"), env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _count(db) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _count(db)
    assert 5 <= partial < 24
    done = subprocess.run(
        _cli("ingest", "--all", "--format", "json"),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("select canonical_url, text, story_id from articles").fetchall()
    assert len(rows) == 24
    assert len({r[0] for r in rows}) == 24
    assert all(r[1] and r[2] is not None for r in rows)


def test_two_ingest_processes_at_once(site: FixtureSite, tmp_path: Path) -> None:
    feeds = [_feed_of(site, f"p{n}", 10) for n in range(3)]
    env = _env(tmp_path, site.port)
    subprocess.run(_cli("init"), env=env, check=True, capture_output=True)
    for feed in feeds:
        subprocess.run(
            _cli("sources", "add", feed, "--kind", "feed"),
            env=env,
            check=True,
            capture_output=True,
        )
    procs = [
        subprocess.Popen(
            _cli("ingest", "--all"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    reader_errors: list[str] = []
    db = tmp_path / "data" / "newsdesk.db"

    def read_meanwhile() -> None:
        while any(p.poll() is None for p in procs):
            try:
                _count(db)
            except sqlite3.Error as error:
                reader_errors.append(str(error))
            time.sleep(0.02)

    reader = threading.Thread(target=read_meanwhile)
    reader.start()
    outputs = [p.communicate(timeout=120) for p in procs]
    reader.join()
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    assert reader_errors == []
    with sqlite3.connect(db) as conn:
        urls = [r[0] for r in conn.execute("select canonical_url from articles")]
    assert len(urls) == 30 == len(set(urls))
