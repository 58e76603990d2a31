"""Extraction in worker processes (NEWSDESK_INGEST_WORKERS > 1) stores exactly what in-process
extraction stores: same texts, hashes, fingerprints, stories and failures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest_site import FixtureSite
from pipeline_helpers import add_feed, ingest, options_for, sqlite_store
from pipeline_pages import article_page, rss
from pipeline_texts import COPPER, COPPER_REREPORT, GRAIN, LNG

from newsdesk.config import Settings
from newsdesk.dedup import DedupOptions, StoryOptions
from newsdesk.domain import FeedEntry
from newsdesk.extract import ExtractOptions
from newsdesk.pipeline.content import PageJob, extract_and_digest
from newsdesk.pipeline.writer import digest_content
from newsdesk.store import SqlStore

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _publish(site: FixtureSite, prefix: str) -> str:
    pages = {
        "copper": ("Zambia sells Kansanshi stake for $1.1 billion", COPPER),
        "lng": ("Qatar signs 27-year LNG deal with Sinopec", LNG),
        "grain": ("Egypt buys 420,000 tonnes of wheat", GRAIN),
        "kansanshi": ("Gulf Minerals buys a fifth of Kansanshi", COPPER_REREPORT),
        "lng-copy": ("Qatar signs 27-year LNG deal with Sinopec", LNG),  # a syndicated copy
    }
    items = []
    for n, (slug, (title, paragraphs)) in enumerate(pages.items()):
        url = site.add(f"/{prefix}/{slug}.html", article_page(title, paragraphs))
        items.append({"title": title, "link": url, "published": T0 + timedelta(hours=n)})
    # A page that is there but holds no article: a per-entry failure, not a crash.
    empty = site.add(f"/{prefix}/empty.html", "<html><body><nav>Home</nav></body></html>")
    items.append({"title": "Nothing here", "link": empty, "published": T0 + timedelta(hours=9)})
    return site.add(f"/{prefix}/feed.xml", rss(items), content_type="application/rss+xml")


def _stored(store: SqlStore) -> dict[str, tuple[object, ...]]:
    articles = store.list_articles()
    story_of = {a.title: a.story_id for a in articles}
    return {
        a.canonical_url.rsplit("/", 1)[-1]: (
            a.title,
            a.text,
            a.content_hash,
            a.fingerprint,
            a.published,
            tuple(sorted(t for t, s in story_of.items() if s == a.story_id)),
        )
        for a in articles
    }


def test_two_workers_store_what_one_process_stores(site: FixtureSite, tmp_path: Path) -> None:
    feed = _publish(site, "wire")
    results = {}
    for workers in (1, 2):
        store = sqlite_store(tmp_path / f"w{workers}")
        add_feed(store, feed, "Wire")
        summary = ingest(store, replace(options_for(site.port), workers=workers))
        assert (summary.new, summary.duplicate, summary.related, summary.failed) == (4, 1, 1, 1)
        assert "empty.html" in summary.errors[0]
        results[workers] = _stored(store)
        store.close()
    assert results[2] == results[1]
    assert set(results[1]) == {"copper.html", "lng.html", "grain.html", "kansanshi.html"}
    copper_story = results[1]["copper.html"][5]
    assert copper_story == (
        "Gulf Minerals buys a fifth of Kansanshi",
        "Zambia sells Kansanshi stake for $1.1 billion",
    )


def test_consecutive_runs_each_start_and_stop_their_pool(site: FixtureSite, tmp_path: Path) -> None:
    feed = _publish(site, "wire")
    store = sqlite_store(tmp_path)
    add_feed(store, feed, "Wire")
    options = replace(options_for(site.port), workers=2)
    first = ingest(store, options)
    site.add("/wire/feed.xml", rss([]), content_type="application/rss+xml")  # new ETag
    second = ingest(store, options)
    assert first.new == 4 and second.new == 0 and second.failed == 0
    assert store.count_articles() == 4


def test_worker_digest_equals_the_writers_own() -> None:
    """The writer trusts a digest computed in a worker: it must be the one it would compute."""
    html = article_page("Zambia sells Kansanshi stake", COPPER)
    entry = FeedEntry(url="http://127.0.0.1/a/copper.html", title="Zambia sells Kansanshi stake")
    dedup, stories = DedupOptions(), StoryOptions()
    job = PageJob(html, entry.url, entry, ExtractOptions(date_search="off"), dedup, stories)
    result = extract_and_digest(job)
    assert not isinstance(result, str)
    assert result.canonical_url == "http://127.0.0.1/a/copper.html"
    digest = result.digest
    assert digest == digest_content(
        "Zambia sells Kansanshi stake", result.extracted.text, dedup, stories
    )
    assert digest.fingerprint and "e:kansa" in digest.features


def test_worker_reports_an_unreadable_page_as_a_message() -> None:
    entry = FeedEntry(url="http://127.0.0.1/a/empty.html")
    job = PageJob("", entry.url, entry, ExtractOptions(), DedupOptions(), StoryOptions())
    assert extract_and_digest(job) == "empty page"


def test_default_workers_use_up_to_two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDESK_INGEST_WORKERS", raising=False)
    expected = min(2, os.cpu_count() or 1)
    assert Settings(_env_file=None).ingest.workers == expected  # type: ignore[call-arg]


_PRELOAD_SCRIPT = """
import sys
from newsdesk.pipeline.concurrency import extraction_pool, process_pool

def loaded(name):
    return name in sys.modules

if __name__ == "__main__":
    extraction = extraction_pool(1)
    extraction.submit(loaded, "os").result(timeout=60)
    analysis = process_pool(1, preload="newsdesk.pipeline.analysis")
    print(analysis.submit(loaded, "newsdesk.pipeline.analysis").result(timeout=60), flush=True)
    extraction.shutdown()
    analysis.shutdown()
"""


def test_analysis_workers_after_extraction_start_with_the_analysis_imported(
    tmp_path: Path,
) -> None:
    # The forkserver imports only what the first pool names: the extraction pool names the
    # analysis too, so enrichment's workers do not import it again each.
    script = tmp_path / "preload.py"
    script.write_text(_PRELOAD_SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["True"]


_POOL_SCRIPT = """
import os, sys, time
from newsdesk.pipeline.concurrency import extraction_pool

if __name__ == "__main__":
    pool = extraction_pool(2)
    pids = {pool.submit(os.getpid).result(timeout=60) for _ in range(4)}
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(120)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in {"Z", "X"}


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_workers_exit_when_the_ingester_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "pool_owner.py"
    script.write_text(_POOL_SCRIPT)
    with subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    ) as owner:
        try:
            assert owner.stdout is not None
            workers = [int(pid) for pid in owner.stdout.readline().split()]
            assert workers and all(_running(pid) for pid in workers)
            owner.send_signal(signal.SIGKILL)
            owner.wait(10)
            deadline = time.monotonic() + 15
            while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not any(_running(pid) for pid in workers)
        finally:
            owner.kill()
