"""A poll fenced out by a later poll of its source ends at the refused write: the entries after
it are neither decided nor written, while the entries before it were decided in the feed's
order, and no entry is left waiting on the turn of one that failed."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest_site import FixtureSite
from pipeline_helpers import add_feed, options_for
from pipeline_pages import article_page, rss
from pipeline_texts import COPPER, COPPER_REREPORT, GRAIN, LNG

from newsdesk.domain import Article, FencedOut, Source
from newsdesk.pipeline.ingest import IngestRunner, IngestSummary
from newsdesk.store import SqlStore

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
PAGES = {
    "copper": ("Zambia sells Kansanshi stake for $1.1 billion", COPPER),
    "lng": ("Qatar signs 27-year LNG deal with Sinopec", LNG),
    "grain": ("Egypt buys 420,000 tonnes of wheat", GRAIN),
    "kansanshi": ("Gulf Minerals buys a fifth of Kansanshi", COPPER_REREPORT),
}


def _feed(site: FixtureSite) -> str:
    items = []
    for n, (slug, (title, paragraphs)) in enumerate(PAGES.items()):
        url = site.add(f"/wire/{slug}.html", article_page(title, paragraphs))
        items.append({"title": title, "link": url, "published": T0 + timedelta(hours=n)})
    return site.add("/wire/feed.xml", rss(items), content_type="application/rss+xml")


async def _poll(store: SqlStore, runner: IngestRunner, source: Source) -> IngestSummary:
    assert source.id is not None
    async with runner.session():
        fence = store.begin_poll(source.id, holder="worker-a")
        assert fence is not None
        return await asyncio.wait_for(runner.poll(source, fence=fence), 120)  # a hang fails


@pytest.mark.parametrize("superseded_after", [0, 2])
def test_a_fenced_out_poll_stops_at_the_refused_write(
    site: FixtureSite,
    store: SqlStore,
    monkeypatch: pytest.MonkeyPatch,
    superseded_after: int,
) -> None:
    source = add_feed(store, _feed(site), "Wire")
    assert source.id is not None
    tried: list[str] = []
    save_article = store.save_article

    def save_then_supersede(article: Article, **kwargs: Any) -> Any:
        if len(tried) == superseded_after:
            assert store.begin_poll(source.id or 0, holder="worker-b") is not None
        tried.append(article.title)
        return save_article(article, **kwargs)

    monkeypatch.setattr(store, "save_article", save_then_supersede)
    # The refused entry is ready last, so every later entry is waiting for its turn then.
    slugs = list(PAGES)
    ready: set[str] = set()
    prepare = IngestRunner._prepare

    async def prepare_refused_last(runner: IngestRunner, *args: Any) -> Any:
        prepared = await prepare(runner, *args)
        slug = args[2].url.rsplit("/", 1)[-1].removesuffix(".html")
        ready.add(slug)
        while slug == slugs[superseded_after] and not ready.issuperset(slugs):
            await asyncio.sleep(0.01)
        return prepared

    monkeypatch.setattr(IngestRunner, "_prepare", prepare_refused_last)
    options = replace(options_for(site.port), entries_in_flight=4)
    with pytest.raises(FencedOut):
        asyncio.run(_poll(store, IngestRunner(store, options), source))
    titles = [title for title, _ in PAGES.values()]
    # Feed order: the entries before the refused one were written, none after it was tried.
    assert tried == titles[: superseded_after + 1]
    assert sorted(a.title for a in store.list_articles()) == sorted(titles[:superseded_after])
