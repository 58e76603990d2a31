"""`newsdesk run` as a real process: it serves the site, sends digests whose local delivery
time has passed, and on SIGTERM finishes the message in flight and exits 0."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from digest_world import add_story, add_subscribers, cli, cli_env, reader

from newsdesk.demo import DemoSourceServer
from newsdesk.domain.models import Source
from newsdesk.domain.subscribers import OutboxStatus
from newsdesk.store import open_store
from ports import listening_port
from smtp_sink import SmtpSink
from wall_clock import noon_zone

READERS = 200


def test_noon_zone_keeps_the_local_day_whatever_the_utc_hour() -> None:
    for hour in range(24):
        now = datetime(2026, 3, 1, hour, 59, 59, tzinfo=UTC)
        name, today, midnight = noon_zone(now)
        local = now.astimezone(ZoneInfo(name))
        assert 12 <= local.hour < 13
        assert (now + timedelta(hours=11)).astimezone(ZoneInfo(name)).date() == today
        assert midnight < now < midnight + timedelta(days=1)


def _wait_http(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "newsdesk run exited early"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return int(response.status)
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def _wait_for_articles(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        store = open_store(url, migrate=False)
        try:
            if store.count_articles() > 0:
                return
        finally:
            store.close()
        time.sleep(0.5)
    raise AssertionError("newsdesk run stored no article from the due source")


def test_run_serves_ingests_sends_due_digests_and_stops_cleanly_on_sigterm(
    tmp_path: Path, smtp_sink: SmtpSink
) -> None:
    url = f"sqlite:///{tmp_path / 'newsdesk.db'}"
    zone, today, midnight = noon_zone(datetime.now(UTC))
    publications = DemoSourceServer()
    publications.start()
    store = open_store(url)
    try:
        name, feed = publications.feed_urls()[0]
        store.add_source(Source(url=feed, name=name))
        # Delivery at local 00:00 passed about twelve hours ago; the story is in the 24 hours
        # before it.
        add_story(store, title="Rare earths deal", at=midnight - timedelta(hours=1))
        people = add_subscribers(
            store,
            [
                reader(f"r{n:03d}@readers.example", delivery_time="00:00", timezone=zone)
                for n in range(READERS)
            ],
        )
    finally:
        store.close()
    smtp_sink.data_delay = 0.5  # slow enough that SIGTERM lands with messages still to send
    process = subprocess.Popen(
        cli("run", "--host", "127.0.0.1", "--port", "0"),  # a free port, read back from /proc
        env=cli_env(
            url,
            smtp_sink.port,
            NEWSDESK_SMTP_POOL_SIZE="1",
            NEWSDESK_FETCH_ALLOW_HOSTS=publications.base_url.removeprefix("http://"),
            NEWSDESK_FETCH_HOST_DELAY="0",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port = listening_port(process.pid)
        assert _wait_http(f"http://127.0.0.1:{port}/healthz", process) == 200
        smtp_sink.wait_for(2, timeout=60)
        _wait_for_articles(url, timeout=90)  # the ingestion schedule fetched the feed
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        publications.stop()
    store = open_store(url)
    try:
        entries = store.outbox_entries(today)
    finally:
        store.close()
    statuses = [entries[p.id or 0].status if (p.id or 0) in entries else None for p in people]
    sent = statuses.count(OutboxStatus.SENT)
    assert OutboxStatus.SENDING not in statuses  # the message in flight was finished
    assert OutboxStatus.UNCERTAIN not in statuses
    assert sent == len(smtp_sink.messages) >= 2
    assert sent < READERS, "stopped early: the rest wait for the next run"
    with socket.socket() as probe:  # nobody listens any more: the server closed
        assert probe.connect_ex(("127.0.0.1", port)) != 0
