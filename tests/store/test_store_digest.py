"""The digest's candidate stories and the outbox ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from newsdesk.domain.enrichment import Enrichment, EntityRecord, MentionRecord, SectorLabel
from newsdesk.domain.models import Article, Source
from newsdesk.domain.subscribers import OutboxStatus, Subscriber
from newsdesk.store import SqlStore

T = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)


def _article(
    store: SqlStore,
    n: int,
    source_id: int | None,
    story_id: int | None,
    at: datetime,
    title: str = "Rare earths deal",
) -> Article:
    return store.save_article(
        Article(
            source_id=source_id,
            url=f"https://pub.example/{n}",
            canonical_url=f"https://pub.example/{n}",
            title=title,
            text=f"First sentence of {n}. Second sentence.",
            content_hash=f"h{n}",
            story_id=story_id,
            created_at=at,
        )
    )


def test_candidates_aggregate_each_storys_articles(store: SqlStore) -> None:
    s1 = store.add_source(Source(url="https://one.example/feed")).id
    s2 = store.add_source(Source(url="https://two.example/feed")).id
    lead = _article(store, 1, s1, None, T - timedelta(hours=3))
    copy = _article(store, 2, s1, lead.story_id, T - timedelta(hours=2))
    other = _article(store, 3, s2, lead.story_id, T - timedelta(hours=1))
    jogmec = EntityRecord("org:jogmec", "JOGMEC", "organisation")
    store.save_enrichment(
        Enrichment(lead.id or 0, "v", summary="", sectors=(SectorLabel("mining", 0.8),))
    )
    store.save_enrichment(
        Enrichment(
            copy.id or 0,
            "v",
            summary="The copy's summary.",
            sectors=(
                SectorLabel("mining", 0.6),
                SectorLabel("energy", 0.7),
                SectorLabel("power", 0.3),
            ),
            entities=(jogmec,),
            mentions=(MentionRecord("org:jogmec", "JOGMEC", 0, 6),),
        )
    )
    store.save_enrichment(Enrichment(other.id or 0, "v", sectors=(SectorLabel("energy", 0.9),)))
    store.set_editor_sectors(other.id or 0, ["politics"])  # the editor's labels win
    old = _article(store, 4, s2, None, T - timedelta(hours=30), title="Old news")

    (row,) = store.digest_candidates(T - timedelta(hours=24), T)
    assert row.story_id == lead.story_id
    assert row.title == "Rare earths deal"
    assert row.sectors == ("politics", "mining", "energy")  # editor 1.0, max 0.8, 0.7
    assert row.best_sector_score == 1.0
    assert (row.source_count, row.article_count) == (2, 3)
    assert row.entities == (("org:jogmec", "JOGMEC"),)
    assert row.lead_url == "https://pub.example/1"
    assert row.summary == "The copy's summary."  # the lead has none
    store.save_story_summaries({lead.story_id or 0: "Summary over all three reports."})
    (row,) = store.digest_candidates(T - timedelta(hours=24), T)
    assert row.summary == "Summary over all three reports."  # the story's own wins
    assert row.last_seen_at == T - timedelta(hours=1)
    (old_row,) = store.digest_candidates(T - timedelta(hours=48), T - timedelta(hours=24))
    assert old_row.story_id == old.story_id
    assert old_row.summary.startswith("First sentence of 4.")  # no summary: the text
    assert old_row.sectors == () and old_row.source_count == 1


def test_claims_are_unique_per_subscriber_and_date(store: SqlStore) -> None:
    store.import_subscribers(
        [Subscriber(email="a@x.example"), Subscriber(email="b@x.example")], at=T
    )
    ids = [s.id or 0 for s in store.iter_subscribers()]
    first = store.claim_digests(DAY, ids, T)
    again = store.claim_digests(DAY, ids, T + timedelta(minutes=1))
    assert {k: v.id for k, v in first.items()} == {k: v.id for k, v in again.items()}
    assert {e.status for e in again.values()} == {OutboxStatus.PENDING}
    entry = first[ids[0]]
    assert store.start_digest_send(entry.id or 0, message_id="<m@x>", subject="S", now=T)
    assert not store.start_digest_send(entry.id or 0, message_id="<n@x>", subject="S", now=T)
    assert store.finish_digest_send(entry.id or 0, OutboxStatus.SENT, now=T)
    assert not store.finish_digest_send(entry.id or 0, OutboxStatus.FAILED, now=T)
    assert store.skip_digests([e.id or 0 for e in first.values()], reason="r", now=T) == 1
    assert store.outbox_counts(DAY) == {OutboxStatus.SENT: 1, OutboxStatus.SKIPPED: 1}
    assert store.claim_digests(DAY + timedelta(days=1), ids[:1], T)[ids[0]].status == "pending"
