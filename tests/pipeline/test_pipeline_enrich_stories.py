"""The enrichment stage keeps each story's summary in step with its reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.domain import Article
from newsdesk.enrich import StoryArticle, SummaryOptions, summarize_story
from newsdesk.pipeline.enrich import Enricher, EnrichOptions
from newsdesk.store import SqlStore

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
LEAD = (
    "Japan's JOGMEC and Namibia's Epangelo Mining signed an agreement to explore for rare "
    "earths in Namibia on Monday. The state agency will fund the first phase of the survey, "
    "officials said. Japan wants to cut its reliance on China for magnet metals. "
    "The two sides did not disclose the terms of the deal."
)
COPY = (  # a wire copy of the lead report, lightly rewritten
    "Japan's JOGMEC and Namibia's Epangelo Mining signed an agreement to explore for rare "
    "earths in Namibia on Monday. The state agency will fund the first phase of the survey, "
    "officials said. Japan wants to cut its dependence on China for magnet metals."
)
FOLLOW_UP = (
    "The rare earths exploration deal between JOGMEC and Epangelo covers 4,500 square "
    "kilometres in the Erongo region. The budget is roughly N$120 million ($6.5 million), "
    "mostly paid by Japan. Drilling is due to start next year."
)
ALONE = (
    "Indonesia's coal exports fell in the first half as Chinese demand weakened. Shipments "
    "totalled 74.89 million tons between January and June, down 9.3% from a year earlier. "
    "Miners said they would cut output in the second half of the year."
)


def _save(store: SqlStore, n: int, title: str, text: str, story_id: int | None) -> Article:
    return store.save_article(
        Article(
            source_id=None,
            url=f"https://news.example/{n}",
            canonical_url=f"https://news.example/{n}",
            title=title,
            text=text,
            published=NOW - timedelta(hours=10 - n),
            content_hash=f"hash-{n}",
            story_id=story_id,
        )
    )


def _enricher(store: SqlStore) -> Enricher:
    return Enricher(store, EnrichOptions(), clock=lambda: NOW)


def _summary_of(store: SqlStore, story_id: int | None) -> str:
    assert story_id is not None
    story = store.get_story(story_id)
    assert story is not None
    return story.summary


def test_story_summaries_follow_their_reports(store: SqlStore) -> None:
    lead = _save(store, 1, "JOGMEC, Epangelo sign Namibia rare earths deal", LEAD, None)
    copy = _save(store, 2, "Japan and Namibia agree rare earths exploration", COPY, lead.story_id)
    alone = _save(store, 3, "Indonesia coal exports fall", ALONE, None)
    ids = [a.id for a in (lead, copy, alone) if a.id is not None]
    assert _enricher(store).run(ids).articles == 3

    alone_enrichment = store.get_enrichment(ids[2])
    assert alone_enrichment is not None and "74.89 million tons" in alone_enrichment.summary
    assert _summary_of(store, alone.story_id) == alone_enrichment.summary

    shared = _summary_of(store, lead.story_id)
    assert shared.startswith("Japan's JOGMEC and Namibia's Epangelo Mining signed")
    # the copy repeats the lead: no sentence of it appears twice
    assert shared.count("signed an agreement") == 1 and shared.count("first phase") <= 1

    follow_up = _save(store, 4, "Namibia deal budget revealed", FOLLOW_UP, lead.story_id)
    assert follow_up.id is not None
    assert _enricher(store).run([follow_up.id]).articles == 1
    updated = _summary_of(store, lead.story_id)
    assert updated != shared
    assert "N$120 million ($6.5 million)" in updated  # the new figure, intact
    expected = summarize_story(
        [
            StoryArticle(a.title, a.text, a.published)
            for a in store.story_articles(lead.story_id or 0)
        ],
        options=SummaryOptions(),
    )
    assert updated == expected.text
    assert _summary_of(store, alone.story_id) == alone_enrichment.summary  # untouched


def test_story_listing_reads_the_summary_and_empty_text_gives_none(store: SqlStore) -> None:
    empty = _save(store, 1, "Untitled wire item", "", None)
    assert empty.id is not None
    fresh = store.get_story(empty.story_id or 0)
    assert fresh is not None and fresh.summary == ""
    _enricher(store).run([empty.id])
    assert _summary_of(store, empty.story_id) == ""
    assert [s.summary for s in store.list_stories()] == [""]
