"""`newsdesk demo --no-serve`: the shipped corpus through the real fetch path."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cli_support import Invoke

from newsdesk.demo.corpus_loader import load_corpus


def test_demo_ingests_everything_and_links_every_rereport(newsdesk: Invoke) -> None:
    # Port 0: the publications take a free port themselves (tests/ports.py says why).
    result = newsdesk("demo", "--no-serve", "--port", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    corpus = load_corpus(datetime.now(UTC))
    assert summary["failed"] == 0
    assert summary["articles"] == len(corpus.articles) >= 60
    stories_by_key: dict[str, set[int]] = defaultdict(set)
    articles = [
        json.loads(line)
        for line in newsdesk("articles", "list", "--format", "jsonl").output.splitlines()
    ]
    slug_of = {a.slug: a for a in corpus.articles}
    keyed = 0
    for article in articles:
        slug = article["url"].rsplit("/", 1)[-1].removesuffix(".html")
        demo = slug_of[slug]
        if demo.story:
            stories_by_key[demo.story].add(article["story_id"])
            keyed += 1
    assert len(stories_by_key) >= 5
    for key, story_ids in stories_by_key.items():
        assert len(story_ids) == 1, f"re-reports of {key} are split over stories {story_ids}"
    all_story_ids = [a["story_id"] for a in articles]
    assert len(set(all_story_ids)) == len(articles) - keyed + len(stories_by_key)
    assert summary["enriched"] == summary["articles"]
    for article in articles:
        assert article["sectors"], f"no sector for {article['title']}"
    _assert_every_article_has_related(articles)
    # The same publications again: on the port the first run took (their URLs name it).
    port = str(urlsplit(str(articles[0]["url"])).port)
    again = newsdesk("demo", "--no-serve", "--port", port, "--format", "json")
    rerun = json.loads(again.output.strip().splitlines()[-1])
    assert rerun["new"] == 0 and rerun["articles"] == summary["articles"]


def _assert_every_article_has_related(articles: list[dict[str, object]]) -> None:
    from newsdesk.bootstrap import open_store
    from newsdesk.config import Settings

    store = open_store(Settings())
    try:
        for article in articles:
            enrichment = store.get_enrichment(int(str(article["id"])))
            assert enrichment is not None
            assert enrichment.summary
            assert enrichment.related, f"no related articles for {article['title']}"
            assert all(link.reason for link in enrichment.related)
            own_story = {a["id"] for a in articles if a["story_id"] == article["story_id"]}
            assert not {link.article_id for link in enrichment.related} & own_story
    finally:
        store.close()
