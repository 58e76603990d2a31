"""The demo looks like an instance that has been running: whatever the hour `newsdesk demo` is
run, today's 07:00 UTC digest finds stories in each of the nine sectors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.deliver.digest.schedule import digest_window
from newsdesk.enrich.sectors.taxonomy import load_taxonomy
from newsdesk.store import open_store
from site_fixtures import ingest_demo, site_settings

DEMO_RUN = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # the demo's clock in this test
DIGEST_TIME = timedelta(hours=7)  # the default delivery time, for a subscriber in UTC


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo-any-hour")
    ingest_demo(data_dir, now=DEMO_RUN)
    return data_dir


def test_each_sector_has_a_story_in_todays_digest_window_at_every_hour(demo_dir: Path) -> None:
    store = open_store(site_settings(demo_dir).store.sqlalchemy_url)
    try:
        missing: list[str] = []
        for hour in range(24):
            # Run at hour H of its day, the demo stores each article `age` hours before then;
            # today's digest covers the 24 h before today's 07:00. Shifted onto this test's
            # clock, that is the 24 h before DEMO_RUN + 7 h - H.
            send_at = DEMO_RUN + DIGEST_TIME - timedelta(hours=hour)
            start, end = digest_window(send_at)
            covered = {s for row in store.digest_candidates(start, end) for s in row.sectors}
            missing += [f"{hour:02d}:00 {s}" for s in load_taxonomy().ids if s not in covered]
    finally:
        store.close()
    assert not missing, f"demo run at these hours gives these sectors no story: {missing}"


def test_stored_and_seen_times_follow_publication(demo_dir: Path) -> None:
    store = open_store(site_settings(demo_dir).store.sqlalchemy_url)
    try:
        articles = store.list_articles(limit=500)
        assert articles
        for article in articles:
            assert article.published is not None and article.created_at == article.published
        for story in store.list_stories():
            assert story.last_seen_at <= DEMO_RUN
    finally:
        store.close()
