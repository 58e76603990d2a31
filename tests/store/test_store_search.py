"""Full-text search of SqlStore (migration 0004 + search_repo), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from old_schema_rows import add_old_article
from sqlalchemy import text

from newsdesk.domain.enrichment import Enrichment, EntityRecord, MentionRecord, SectorLabel
from newsdesk.domain.insights import SearchFilters
from newsdesk.domain.models import Article, Source
from newsdesk.domain.paging import BadCursorError, Cursor
from newsdesk.store import SqlStore, open_store
from newsdesk.store.migrate import upgrade

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
CODELCO = EntityRecord("org:codelco", "Codelco", "organisation", ("Codelco",))

STORIES = [
    ("Copper prices rally on Chile strike", "Miners at Escondida walked out; copper rose 3%."),
    ("Lithium output climbs in Australia", "Producers shipped more lithium concentrate."),
    ("Codelco cuts copper forecast", "The state miner Codelco expects lower copper output."),
    ("Oil steadies", "Crude oil was flat as traders weighed OPEC supply and copper demand."),
    ("Rare earths deal signed", "Iluka agreed a supply deal for rare earths."),
]


def add(store: SqlStore, n: int, title: str, body: str, source_id: int | None = None) -> int:
    saved = store.save_article(
        Article(
            source_id=source_id,
            url=f"https://news.example/{n}",
            canonical_url=f"https://news.example/{n}",
            title=title,
            text=body,
            published=T0 + timedelta(days=n),
            content_hash=f"hash-{n}",
        )
    )
    assert saved.id is not None
    return saved.id


@pytest.fixture
def corpus(store: SqlStore) -> list[int]:
    return [add(store, n, title, body) for n, (title, body) in enumerate(STORIES)]


def titles(store: SqlStore, query: str, **kwargs: object) -> list[str]:
    return [hit.title for hit in store.search(query, **kwargs).hits]  # type: ignore[arg-type]


def test_every_word_must_match_and_stems_match(store: SqlStore, corpus: list[int]) -> None:
    assert sorted(titles(store, "copper")) == sorted([STORIES[0][0], STORIES[2][0], STORIES[3][0]])
    assert titles(store, "copper codelco") == [STORIES[2][0]]
    # Stemming: "forecasts" finds "forecast".
    assert titles(store, "forecasts") == [STORIES[2][0]]
    assert titles(store, "nothing-like-this-anywhere") == []


def test_title_matches_rank_above_text_matches(store: SqlStore, corpus: list[int]) -> None:
    ranked = titles(store, "copper", sort="relevance")
    assert ranked[-1] == STORIES[3][0]  # copper only in the body of the oil story
    by_date = titles(store, "copper", sort="date")
    assert by_date == [STORIES[3][0], STORIES[2][0], STORIES[0][0]]


def test_snippets_are_escaped_then_marked(store: SqlStore) -> None:
    add(
        store,
        1,
        "<script>alert(1)</script> copper",
        'Copper & "zinc" <img src=x onerror=alert(1)> rose',
    )
    hit = store.search("copper").hits[0]
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>copper</mark>"
    assert "<img" not in hit.snippet_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in hit.snippet_html
    assert hit.snippet_html.startswith("<mark>Copper</mark> &amp; &quot;zinc&quot;")


@pytest.mark.parametrize(
    ("hostile", "matches"),
    [
        ('"', 0),
        ('copper"', 3),
        ("*", 0),
        ("copper*", 3),
        ("NEAR(copper lithium", 0),
        ("copper OR lithium", 0),
        ("OR", 0),
        ("((copper", 3),
        ("copper))(", 3),
        ("text:copper", 0),
        ("'; DROP TABLE articles; --", 0),
        ("\x00copper\x00", 3),
        ("^copper +oil", 1),
    ],
)
def test_query_syntax_never_reaches_the_engine(
    store: SqlStore, corpus: list[int], hostile: str, matches: int
) -> None:
    hits = store.search(hostile).hits
    assert len(hits) == matches
    assert all("<mark>" in hit.title_html + hit.snippet_html for hit in hits)
    assert store.count_articles() == len(STORIES)


def test_empty_and_wordless_queries_say_so(store: SqlStore, corpus: list[int]) -> None:
    empty = store.search("   ")
    assert empty.hits == () and empty.terms == ()
    assert empty.notice == "Type one or more words to search for."
    wordless = store.search('"*()')
    assert wordless.hits == () and wordless.notice == "Your search has no words to look for."


def test_ten_kilobyte_query_is_cut_not_refused(store: SqlStore, corpus: list[int]) -> None:
    results = store.search("copper " * 1500)
    assert len(results.terms) == 1
    assert "cut" in (results.notice or "")
    assert results.hits
    many_words = " ".join(f"word{n}" for n in range(40))
    assert len(store.search(many_words).terms) == 12


def test_filters_by_source_sector_entity_and_dates(store: SqlStore, corpus: list[int]) -> None:
    source = store.add_source(Source(url="https://wire.example/feed", name="Wire"))
    assert source.id is not None
    wired = add(store, 9, "Copper smelter fire", "A copper smelter burned.", source.id)
    store.save_enrichment(
        Enrichment(
            article_id=corpus[2],
            version="v",
            sectors=(SectorLabel("mining", 0.9),),
            entities=(CODELCO,),
            mentions=(MentionRecord("org:codelco", "Codelco", 0, 7, "title"),),
        )
    )
    store.save_enrichment(
        Enrichment(article_id=corpus[0], version="v", sectors=(SectorLabel("mining", 0.2),))
    )
    hit_ids = lambda filters: [h.article_id for h in store.search("copper", filters=filters).hits]  # noqa: E731
    assert hit_ids(SearchFilters(source_id=source.id)) == [wired]
    assert hit_ids(SearchFilters(sectors=("mining",))) == [corpus[2]]  # 0.2 is below the bar
    assert hit_ids(SearchFilters(entity_id="org:codelco")) == [corpus[2]]
    assert sorted(
        hit_ids(SearchFilters(since=T0 + timedelta(days=1), until=T0 + timedelta(days=4)))
    ) == sorted([corpus[2], corpus[3]])
    store.set_editor_sectors(corpus[0], ["mining"])
    assert sorted(hit_ids(SearchFilters(sectors=("mining",)))) == sorted([corpus[0], corpus[2]])


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_cursor_pages_cover_every_hit_once(store: SqlStore, sort: str) -> None:
    for n in range(7):
        add(store, n, f"Nickel note {n}", "nickel " * (n + 1))
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        page = store.search("nickel", sort=sort, limit=3, cursor=cursor)  # type: ignore[arg-type]
        seen += [hit.article_id for hit in page.hits]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == 7 and len(set(seen)) == 7


def test_unknown_sort_is_refused(store: SqlStore, corpus: list[int]) -> None:
    with pytest.raises(ValueError, match="unknown sort"):
        store.search("copper", sort="id; DROP TABLE articles")  # type: ignore[arg-type]


def test_index_follows_updates_and_deletes(store: SqlStore, corpus: list[int]) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            text("UPDATE articles SET title = 'Tin tumbles', text = 'Tin fell.' WHERE id = :id"),
            {"id": corpus[1]},
        )
        connection.execute(text("DELETE FROM articles WHERE id = :id"), {"id": corpus[2]})
    assert titles(store, "lithium") == []
    assert titles(store, "tin") == ["Tin tumbles"]
    assert STORIES[2][0] not in titles(store, "copper")


def test_migration_indexes_articles_that_existed_before(database_url: str) -> None:
    upgrade(database_url, "0003")
    before = open_store(database_url, migrate=False)
    try:
        add_old_article(
            before,
            url="https://news.example/0",
            title="Cobalt supply tightens",
            text="Cobalt from Congo.",
            published=T0,
            content_hash="hash-0",
        )
    finally:
        before.close()
    upgraded = open_store(database_url)
    try:
        assert titles(upgraded, "cobalt") == ["Cobalt supply tightens"]
    finally:
        upgraded.close()


def test_date_order_puts_undated_articles_last_across_pages(store: SqlStore) -> None:
    dated = [add(store, n, f"Zinc note {n}", "zinc") for n in range(3)]
    undated = []
    for n in range(3):
        saved = store.save_article(
            Article(
                source_id=None,
                url=f"https://undated.example/{n}",
                canonical_url=f"https://undated.example/{n}",
                title=f"Zinc undated {n}",
                text="zinc",
                content_hash=f"undated-{n}",
            )
        )
        assert saved.id is not None
        undated.append(saved.id)
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        page = store.search("zinc", sort="date", limit=2, cursor=cursor)
        seen += [hit.article_id for hit in page.hits]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == dated[::-1] + undated[::-1]
    with pytest.raises(ValueError, match="cursor"):  # a naive time is no position
        store.search("zinc", sort="date", cursor=Cursor(datetime(2026, 1, 1), 1))
    with pytest.raises(ValueError, match="cursor"):  # a relevance position is not a date one
        store.search("zinc", sort="date", cursor=Cursor(1.5, 1))


def pages(store: SqlStore, query: str, *, limit: int, **kwargs: object) -> list[list[int]]:
    """Every page of a search, as lists of article ids."""
    found: list[list[int]] = []
    cursor = None
    for _ in range(50):
        page = store.search(query, limit=limit, cursor=cursor, **kwargs)  # type: ignore[arg-type]
        found.append([hit.article_id for hit in page.hits])
        cursor = page.next_cursor
        if cursor is None:
            return found
    raise AssertionError("the pages never ended")


def test_relevance_ranks_the_newest_tier_first_then_older_tiers(store: SqlStore) -> None:
    # Ids grow with time; in each tier of three the title match comes first.
    ids = [
        add(store, n, f"Cobalt {n}" if n % 3 == 0 else f"Note {n}", f"cobalt note {n}")
        for n in range(8)
    ]
    store.search_tier_size = 3  # type: ignore[misc]
    flat = [i for page in pages(store, "cobalt", limit=2) for i in page]
    assert sorted(flat) == sorted(ids)
    assert len(flat) == len(set(flat))
    # Tiers: ids 7 6 5 | 4 3 2 | 1 0 (newest first), best match first within each.
    assert set(flat[:3]) == set(ids[5:8]) and flat[0] == ids[6]
    assert set(flat[3:6]) == set(ids[2:5]) and flat[3] == ids[3]
    assert set(flat[6:]) == set(ids[:2]) and flat[6] == ids[0]
    # A query with fewer matches than a tier is ranked over all of them.
    store.search_tier_size = 100  # type: ignore[misc]
    assert titles(store, "cobalt")[:3] == ["Cobalt 6", "Cobalt 3", "Cobalt 0"]


def test_articles_stored_while_paging_do_not_shift_the_pages(store: SqlStore) -> None:
    ids = [add(store, n, f"Tin {n}", "tin " * (n + 1)) for n in range(7)]
    store.search_tier_size = 3  # type: ignore[misc]
    first = store.search("tin", limit=2)
    for n in range(7, 12):  # newer articles, better matches, all in a newer tier
        add(store, n, f"Tin tin tin {n}", "tin " * 20)
    seen = [hit.article_id for hit in first.hits]
    cursor = first.next_cursor
    while cursor is not None:
        page = store.search("tin", limit=2, cursor=cursor)
        seen += [hit.article_id for hit in page.hits]
        cursor = page.next_cursor
    assert sorted(seen) == sorted(ids)


@pytest.mark.parametrize("scan", [1000, 2])
def test_date_order_is_exact_whether_matches_are_few_or_many(store: SqlStore, scan: int) -> None:
    # Ids out of date order, as a backfill stores them: the newest-published comes last.
    days = [5, 1, 9, 3, 7, 0, 8, 2, 6, 4]
    ids = {add(store, day, f"Lead {day}", "lead smelter"): day for day in days}
    add(store, 20, "Zinc only", "zinc")
    store.search_date_scan = scan  # type: ignore[misc]
    flat = [i for page in pages(store, "lead smelters", limit=3, sort="date") for i in page]
    assert [ids[i] for i in flat] == sorted(days, reverse=True)
    since = SearchFilters(since=T0 + timedelta(days=4))
    dated = [h.article_id for h in store.search("lead", sort="date", filters=since).hits]
    assert [ids[i] for i in dated] == [9, 8, 7, 6, 5, 4]


def test_filters_reach_past_the_first_tier(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [add(store, n, f"Nickel {n}", "nickel mine") for n in range(9)]
    for article_id in ids[:2]:  # the two oldest, far below the newest tier of three
        store.save_enrichment(
            Enrichment(
                article_id=article_id,
                version="v",
                sectors=(SectorLabel("mining", 0.9),),
                entities=(CODELCO,),
                mentions=(MentionRecord("org:codelco", "Codelco", 0, 7, "text"),),
            )
        )
    store.search_tier_size = 3  # type: ignore[misc]
    store.search_date_scan = 3  # type: ignore[misc]
    for sort in ("relevance", "date"):
        by_sector = store.search("nickel", sort=sort, filters=SearchFilters(sectors=("mining",)))  # type: ignore[arg-type]
        assert sorted(h.article_id for h in by_sector.hits) == sorted(ids[:2])
        for busy in (10_000, 0):  # a rarely named entity (a list of ids) and a busy one
            monkeypatch.setattr("newsdesk.store.search_repo.BUSY_ENTITY", busy)
            named = store.search(
                "nickel",
                sort=sort,  # type: ignore[arg-type]
                filters=SearchFilters(entity_id="org:codelco"),
            )
            assert sorted(h.article_id for h in named.hits) == sorted(ids[:2])


@pytest.mark.parametrize("key", [-3.5, -0.25, float(2**31), 1e300])
def test_a_relevance_cursor_outside_every_tier_is_refused(store: SqlStore, key: float) -> None:
    # Beyond the largest id a row can have, the tier's anchor would not fit an INTEGER.
    add(store, 0, "Iron", "iron")
    with pytest.raises(BadCursorError, match="cursor"):
        store.search("iron", cursor=Cursor(key, 1))
    # The largest anchor is read (on PostgreSQL too): a key of exactly n is past tier n's end.
    assert store.search("iron", cursor=Cursor(float(2**31 - 1), 1)).hits == ()


def test_newest_matches_read_window_by_window_find_the_same_hits(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL reads a common query's newest matches in id windows sized from the planner's
    # estimate; claiming one match in two forces windows here (SQLite walks its index).
    ids = [add(store, n, f"Silver {n}" if n % 2 else f"Note {n}", f"silver {n}") for n in range(9)]
    add(store, 30, "Gold", "gold only")
    expected = {
        sort: [i for page in pages(store, "silver", limit=2, sort=sort) for i in page]
        for sort in ("relevance", "date")
    }
    monkeypatch.setattr(
        "newsdesk.store.search_index._estimates", lambda connection, terms: (5000.0, 10000.0)
    )
    store.search_tier_size = 3  # type: ignore[misc]
    store.search_date_scan = 3  # type: ignore[misc]
    windowed = [i for page in pages(store, "silver", limit=2) for i in page]
    assert sorted(windowed) == sorted(ids)
    assert set(windowed[:3]) == set(ids[-3:])  # the newest tier first
    store.search_tier_size = 1000  # type: ignore[misc]
    assert [i for page in pages(store, "silver", limit=2) for i in page] == expected["relevance"]
    by_date = [i for page in pages(store, "silver", limit=2, sort="date") for i in page]
    assert by_date == expected["date"] == ids[::-1]
