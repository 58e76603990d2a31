"""Storage applies a reader's scope to everything derived from bodies: search hits and
snippets, entities and their mentions, facts and digest candidates. A preview reader sees what
comes from before a piece's break, and nothing that exists only after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.domain.access import (
    ANONYMOUS,
    EVERYTHING,
    Plan,
    ReadScope,
    Viewer,
    ViewerKind,
    Visibility,
    read_scope,
)
from newsdesk.domain.enrichment import Enrichment, EntityRecord, FactRecord, MentionRecord
from newsdesk.domain.insights import FactFilters
from newsdesk.domain.models import Article, Source
from newsdesk.store import SqlStore

NOW = datetime.now(UTC)
ANON = read_scope(ANONYMOUS, NOW)
FREE = read_scope(Viewer(ViewerKind.MEMBER, 1, Plan.FREE), NOW)
OPEN = EntityRecord("org:openco", "Openco", "organisation")
SECRET = EntityRecord("org:zyxwv-mining", "Zyxwv Mining", "organisation")
TEXT = (
    "Cobalt output rose at Openco this quarter.\n\n"
    "Analysts expect more cobalt next year.\n\n"
    "Zyxwv Mining will invest $321.09 million in a cobalt smelter."
)


def add(
    store: SqlStore,
    n: int,
    *,
    source_id: int | None = None,
    visibility: Visibility | None = None,
    text: str = TEXT,
    paragraphs: tuple[int | None, int | None] = (0, 2),
) -> int:
    saved = store.save_article(
        Article(
            source_id=source_id,
            url=f"https://news.example/{n}",
            canonical_url=f"https://news.example/{n}",
            title=f"Cobalt report {n}",
            text=text,
            published=NOW - timedelta(hours=n),
            content_hash=f"h{n}",
            visibility=visibility,
        )
    )
    assert saved.id is not None
    open_at, secret_at = paragraphs
    store.save_enrichment(
        Enrichment(
            article_id=saved.id,
            version="test",
            summary="Cobalt output rose at Openco. Zyxwv Mining will invest $321.09 million.",
            summary_reach=2,
            lead="Cobalt output rose at Openco this quarter.",
            entities=(OPEN, SECRET),
            mentions=(
                MentionRecord(OPEN.id, "Openco", 22, 28, paragraph=open_at),
                MentionRecord(SECRET.id, "Zyxwv Mining", 83, 95, paragraph=secret_at),
            ),
            facts=(
                FactRecord(
                    f"investment:{n}",
                    "investment",
                    {"investor": SECRET.id},
                    "Zyxwv Mining will invest $321.09 million in a cobalt smelter.",
                    paragraph=secret_at,
                ),
                FactRecord(
                    f"quantity:{n}", "quantity", {"what": OPEN.id}, "Cobalt output rose.", 0, 10, 0
                ),
            ),
        )
    )
    return saved.id


@pytest.fixture
def pro_source(store: SqlStore) -> int:
    source = store.add_source(
        Source(url="https://wire.example/feed.xml", name="Wire", visibility=Visibility.PRO)
    )
    assert source.id is not None
    return source.id


def ids(store: SqlStore, query: str, scope: ReadScope, **kwargs: object) -> list[int]:
    results = store.search(query, scope=scope, **kwargs)  # type: ignore[arg-type]
    return [hit.article_id for hit in results.hits]


def test_search_finds_a_gated_piece_only_by_its_preview(store: SqlStore, pro_source: int) -> None:
    gated = add(store, 1, source_id=pro_source)
    assert ids(store, "Zyxwv", EVERYTHING) == [gated]
    assert ids(store, "Zyxwv", ANON) == [] and ids(store, "smelter cobalt", FREE) == []
    hit = store.search("analysts cobalt", scope=ANON).hits[0]
    assert hit.article_id == gated
    assert "Zyxwv" not in hit.snippet_html and "321.09" not in hit.snippet_html
    assert "<mark>Analysts</mark>" in hit.snippet_html
    full = store.search("smelter", scope=EVERYTHING).hits[0]
    assert "321.09" in full.snippet_html


def test_members_pieces_are_read_in_full_by_members(store: SqlStore) -> None:
    piece = add(store, 1, visibility=Visibility.MEMBERS)
    assert ids(store, "smelter", ANON) == []
    assert ids(store, "smelter", FREE) == [piece]


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_search_pages_past_dropped_hits_without_repeats(
    store: SqlStore, pro_source: int, sort: str
) -> None:
    public = [add(store, n) for n in (1, 3, 5)]
    for n in (2, 4, 6):
        add(store, n, source_id=pro_source)
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        results = store.search("smelter", scope=ANON, sort=sort, limit=1, cursor=cursor)  # type: ignore[arg-type]
        seen += [hit.article_id for hit in results.hits]
        cursor = results.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(public) and len(seen) == len(set(seen))


def test_an_entity_known_only_after_a_break_does_not_exist_for_a_preview(
    store: SqlStore, pro_source: int
) -> None:
    gated = add(store, 1, source_id=pro_source)
    assert store.get_entity(SECRET.id, scope=ANON) is None
    assert store.get_entity(SECRET.id, scope=EVERYTHING) == SECRET
    assert store.get_entity(OPEN.id, scope=ANON) == OPEN
    listed = {item.entity.id for item in store.entity_listing(scope=ANON)}
    assert listed == {OPEN.id}
    assert {e.id for e in store.entities_of_type(["organisation"], scope=ANON)} == {OPEN.id}
    assert [m.article_id for m in store.entity_timeline(OPEN.id, scope=ANON)[0]] == [gated]
    assert store.entity_timeline(SECRET.id, scope=ANON)[0] == []
    assert store.co_mentioned(OPEN.id, scope=ANON) == []
    assert [c.entity.id for c in store.co_mentioned(OPEN.id, scope=EVERYTHING)] == [SECRET.id]
    assert ids(store, "cobalt", ANON, filters=_entity(SECRET.id)) == []
    assert ids(store, "cobalt", EVERYTHING, filters=_entity(SECRET.id)) == [gated]
    trend = store.entity_weekly_counts(weeks=4, end=NOW, scope=ANON)
    assert {series.key for series in trend} == {OPEN.id}
    asked = store.entity_weekly_counts(weeks=4, end=NOW, entity_ids=[SECRET.id], scope=ANON)
    assert asked == []


def test_facts_from_after_a_break_stay_out_of_a_preview(store: SqlStore, pro_source: int) -> None:
    add(store, 1, source_id=pro_source)
    public = add(store, 2)
    rows, _ = store.find_facts(FactFilters(), scope=ANON)
    assert {row.key for row in rows} == {"quantity:1", "investment:2", "quantity:2"}
    everything, _ = store.find_facts(FactFilters(), scope=EVERYTHING)
    assert {row.key for row in everything} == {row.key for row in rows} | {"investment:1"}
    assert public


def test_a_piece_s_own_break_and_unknown_paragraphs(store: SqlStore, pro_source: int) -> None:
    gated = add(store, 1, source_id=pro_source)
    assert store.set_article_access(gated, visibility=None, preview_paragraphs=3)
    assert store.get_entity(SECRET.id, scope=ANON) == SECRET  # paragraph 2 < 3
    assert ids(store, "smelter", ANON) == [gated]
    assert store.set_article_access(gated, visibility=None, preview_paragraphs=0)
    assert store.get_entity(OPEN.id, scope=ANON) is None  # title only
    unknown = add(store, 2, source_id=pro_source, paragraphs=(None, None))
    assert store.get_entity(OPEN.id, scope=ANON) is None
    assert store.set_article_access(unknown, visibility=Visibility.PUBLIC, preview_paragraphs=None)
    assert store.get_entity(SECRET.id, scope=ANON) == SECRET  # its own visibility wins
    assert not store.set_article_access(9999, visibility=None, preview_paragraphs=None)
    with pytest.raises(ValueError, match="0 or more"):
        store.set_article_access(gated, visibility=None, preview_paragraphs=-1)


def test_removing_a_pro_source_opens_none_of_its_articles(store: SqlStore, pro_source: int) -> None:
    gated = add(store, 1, source_id=pro_source)
    own = add(store, 2, source_id=pro_source, visibility=Visibility.MEMBERS)
    assert store.remove_source(pro_source)
    assert store.get_article(gated).visibility is Visibility.PRO  # type: ignore[union-attr]
    assert store.get_article(own).visibility is Visibility.MEMBERS  # type: ignore[union-attr]
    assert ids(store, "smelter", ANON) == []


def test_briefs_and_details_carry_what_gating_needs(store: SqlStore, pro_source: int) -> None:
    gated = add(store, 1, source_id=pro_source)
    (brief,) = store.list_article_briefs().items
    assert brief.visibility is Visibility.PRO
    assert brief.summary_reach == 2 and brief.lead.startswith("Cobalt output rose")
    detail = store.article_detail(gated)
    assert detail is not None and detail.visibility is Visibility.PRO
    assert {item.entity.id: item.paragraphs for item in detail.entities} == {
        OPEN.id: (0,),
        SECRET.id: (2,),
    }
    assert {fact.key: fact.paragraph for fact in detail.facts} == {
        "investment:1": 2,
        "quantity:1": 0,
    }
    texts = store.article_texts([gated, 999])
    assert list(texts) == [gated] and texts[gated].visibility is Visibility.PRO


def test_digest_candidates_are_cut_to_the_recipient(store: SqlStore, pro_source: int) -> None:
    add(store, 1, source_id=pro_source)
    # The story's last_seen_at is the time of the write, not NOW (set when the module was
    # imported, which a long suite run on a loaded machine leaves more than an hour behind).
    written = datetime.now(UTC)
    since, until = NOW - timedelta(days=2), written + timedelta(hours=1)
    (anonymous,) = store.digest_candidates(since, until, scope=ANON)
    assert "Zyxwv" not in anonymous.summary and anonymous.summary.startswith("Cobalt output")
    assert [entity_id for entity_id, _ in anonymous.entities] == [OPEN.id]
    (everything,) = store.digest_candidates(since, until, scope=EVERYTHING)
    assert "321.09" in everything.summary
    assert {entity_id for entity_id, _ in everything.entities} == {OPEN.id, SECRET.id}


def _entity(entity_id: str) -> object:
    from newsdesk.domain.insights import SearchFilters

    return SearchFilters(entity_id=entity_id)
