"""The rendered-page cache of anonymous article, sector and search pages and API search
answers: kept per process, dropped by any edit (through any process) on the next request,
never served to a member, never holding a member's page; the anonymous quotas still count its
hits; many spellings of one request stay within its memory bound."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from leak_world import CANARY_MARKERS, CANARY_QUERY
from sqlalchemy import text

from newsdesk.domain import Article, Source, utcnow
from newsdesk.domain.enrichment import Enrichment, SectorLabel
from newsdesk.publish.web.page_cache import CachedPage, PageCache
from newsdesk.store import SqlStore, open_store
from site_fixtures import ADMIN_AUTH, site_settings
from site_viewers import as_viewer, use_test_viewers

Demo = tuple[TestClient, SqlStore, Any]
PUBLIC_PAGE = "public, max-age=0, s-maxage=30"


def _labelled_article(store: SqlStore) -> int:
    ids = [a.id for a in store.list_articles() if a.id is not None]
    labels = store.article_sectors(ids)
    return next(a for a in ids if labels[a])


def _sector_ids(page: str) -> list[str]:
    header = page.split('class="page-head"')[1].split('id="article-title"', maxsplit=1)[0]
    return re.findall(r'class="tag" href="/sectors/([^"]+)"', header)


def test_a_kept_page_is_served_until_an_edit(writable_demo: Demo) -> None:
    client, store, _ = writable_demo
    article_id = _labelled_article(store)
    path = f"/articles/{article_id}"
    first = client.get(path)
    second = client.get(path)
    assert first.headers["x-page-cache"] == "miss" and second.headers["x-page-cache"] == "hit"
    assert second.content == first.content and second.headers["etag"] == first.headers["etag"]
    assert second.headers["cache-control"] == first.headers["cache-control"]
    assert "default-src 'self'" in second.headers["content-security-policy"]
    revalidated = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304 and revalidated.headers["x-page-cache"] == "hit"
    # An editor's correction, made the way editors make it: the admin form.
    form = client.get(f"/admin/articles/{article_id}/sectors", auth=ADMIN_AUTH).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    shown = _sector_ids(first.text)
    chosen = next(s for s in ("aerospace-defense", "business-politics") if s not in shown)
    saved = client.post(
        f"/admin/articles/{article_id}/sectors",
        data={"csrf_token": token.group(1), "sector": [chosen], "action": "save"},
        auth=ADMIN_AUTH,
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text[-600:]
    corrected = client.get(path)
    assert corrected.headers["x-page-cache"] == "miss"
    assert _sector_ids(corrected.text) == [chosen]
    assert corrected.headers["etag"] != first.headers["etag"]
    stale = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert stale.status_code == 200
    # The sector page follows the correction too.
    sector = client.get(f"/sectors/{chosen}")
    assert client.get(f"/sectors/{chosen}").headers["x-page-cache"] == "hit"
    store.set_editor_sectors(article_id, ["sanctions-regulation"])
    after = client.get(f"/sectors/{chosen}")
    assert after.headers["x-page-cache"] == "miss" and after.text != sector.text


def test_enrichment_changes_and_story_merges_show_on_the_next_request(
    writable_demo: Demo,
) -> None:
    client, store, _ = writable_demo
    article_id = _labelled_article(store)
    path = f"/articles/{article_id}"
    client.get(path)
    assert client.get(path).headers["x-page-cache"] == "hit"
    enrichment = store.get_enrichment(article_id)
    assert enrichment is not None
    store.save_enrichment(
        Enrichment(
            article_id=article_id,
            version=enrichment.version,
            summary="A summary the enricher wrote just now.",
            sectors=enrichment.sectors,
        )
    )
    resummarised = client.get(path)
    assert "A summary the enricher wrote just now." in resummarised.text
    assert client.get(path).headers["x-page-cache"] == "hit"
    # A story merge: another story's reports join this article's story.
    article = store.get_article(article_id)
    assert article is not None and article.story_id is not None
    before = len(store.story_articles(article.story_id))
    other = next(a for a in store.list_articles() if a.story_id not in (None, article.story_id))
    with store.engine.begin() as connection:
        connection.execute(
            text("UPDATE articles SET story_id = :story WHERE story_id = :other"),
            {"story": article.story_id, "other": other.story_id},
        )
    merged = client.get(path)
    count = len(store.story_articles(article.story_id))
    assert count > before
    assert f"{count} reports of this story" in merged.text


def test_a_member_never_gets_the_kept_page_nor_leaves_theirs(writable_demo: Demo) -> None:
    client, store, _ = writable_demo
    path = f"/articles/{_labelled_article(store)}"
    member = client.get(path, headers=as_viewer("pro"))
    assert member.headers["x-page-cache"] == "miss"
    anonymous = client.get(path)
    assert anonymous.headers["x-page-cache"] == "miss"  # the member's page was not kept
    assert anonymous.headers["etag"] != member.headers["etag"]
    assert client.get(path).headers["x-page-cache"] == "hit"
    again = client.get(path, headers=as_viewer("pro"))
    assert again.headers["x-page-cache"] == "miss" and again.text == member.text
    assert again.headers["cache-control"] == "private, no-cache"
    # A revoked API key is refused as always, not answered from the anonymous copy.
    refused = client.get(path, headers=as_viewer("revoked key"))
    assert refused.status_code == 401 and refused.headers.get("x-page-cache") != "hit"
    # A stale session cookie is an anonymous reader: the kept page is theirs.
    stale = client.get(path, headers={"cookie": "nd_session=no-such-session"})
    assert stale.headers["x-page-cache"] == "hit"


def test_the_anonymous_quota_counts_kept_pages(demo_copy: Path) -> None:
    from newsdesk.bootstrap import build_site

    settings = site_settings(demo_copy, pro_quota_scale=0.01)
    store = open_store(settings.store.sqlalchemy_url)
    try:
        with TestClient(build_site(settings, store)) as client:
            use_test_viewers(client.app)
            answers = [client.get("/articles/1") for _ in range(30)]
    finally:
        store.close()
    statuses = [answer.status_code for answer in answers]
    assert statuses[0] == 200 and answers[1].headers.get("x-page-cache") == "hit"
    assert 429 in statuses and statuses.index(429) < 30
    assert set(statuses[statuses.index(429) :]) == {429}


def _article(store: SqlStore, source: Source, slug: str) -> int:
    saved = store.save_article(
        Article(
            source_id=source.id,
            url=f"https://news.example/{slug}",
            canonical_url=f"https://news.example/{slug}",
            title=f"Refinery news {slug}",
            text="First paragraph.\n\nSecond paragraph.",
            published=utcnow() - timedelta(hours=1),
        )
    )
    assert saved.id is not None
    return saved.id


def _summarise(store: SqlStore, article_id: int, summary: str) -> None:
    store.save_enrichment(
        Enrichment(
            article_id=article_id,
            version="t",
            summary=summary,
            sectors=(SectorLabel("oil-gas", 0.9),),
        )
    )


def test_two_web_processes_on_one_database_see_each_others_edits(empty_site: Any) -> None:
    first_app, first_store, _ = empty_site()
    second_app, second_store, _ = empty_site()
    source = first_store.add_source(Source(url="https://wire.example/f", name="Wire"))
    article_id = _article(first_store, source, "a")
    _summarise(first_store, article_id, "The first summary.")
    path = f"/articles/{article_id}"
    with TestClient(first_app) as first, TestClient(second_app) as second:
        for client in (first, second):
            assert "The first summary." in client.get(path).text
            assert client.get(path).headers["x-page-cache"] == "hit"
            client.get("/sectors/oil-gas")
            assert client.get("/sectors/oil-gas").headers["x-page-cache"] == "hit"
        # An edit through the second process's store is seen by the first on its next request.
        _summarise(second_store, article_id, "The corrected summary.")
        for client in (first, second):
            page = client.get(path)
            assert page.headers["x-page-cache"] == "miss"
            assert "The corrected summary." in page.text and "The first summary." not in page.text
        # A new article in the sector shows on both sector pages.
        newer = _article(second_store, source, "b")
        _summarise(second_store, newer, "Another one.")
        for client in (first, second):
            assert "Refinery news b" in client.get("/sectors/oil-gas").text


def test_the_page_cache_can_be_turned_off(empty_site: Any) -> None:
    app, store, _ = empty_site(page_cache_megabytes=0)
    source = store.add_source(Source(url="https://wire.example/f", name="Wire"))
    article_id = _article(store, source, "a")
    with TestClient(app) as client:
        first = client.get(f"/articles/{article_id}")
        assert first.status_code == 200 and "x-page-cache" not in first.headers
        again = client.get(
            f"/articles/{article_id}", headers={"If-None-Match": first.headers["etag"]}
        )
        assert again.status_code == 304


def _page(version: int, at: float, body: bytes = b"x") -> CachedPage:
    return CachedPage(
        version=version,
        stored_at=at,
        status=200,
        headers=(),
        body=body,
        etag='"e"',
        last_modified=utcnow(),
    )


def test_pages_expire_change_version_and_stay_within_their_memory() -> None:
    now = [0.0]
    cache = PageCache(max_bytes=64 * 1024, seconds=30, clock=lambda: now[0])
    cache.put("/a", _page(1, 0.0))
    assert cache.get("/a", 1) is not None
    assert cache.get("/a", 2) is None and cache.get("/a", 1) is None  # a new version drops it
    cache.put("/a", _page(2, 0.0))
    now[0] = 29.9
    assert cache.get("/a", 2) is not None
    now[0] = 30.0
    assert cache.get("/a", 2) is None
    body = b"x" * 4000
    for n in range(40):
        cache.put(f"/p{n}", _page(2, now[0], body))
        cache.get("/p0", 2)  # keeps /p0 the most recently used
    assert cache.bytes <= 64 * 1024 and cache.get("/p0", 2) is not None
    assert cache.get("/p1", 2) is None and cache.get("/p39", 2) is not None
    cache.put("/huge", _page(2, now[0], b"x" * 9000))  # over an eighth of the bound
    assert cache.get("/huge", 2) is None
    assert not PageCache(max_bytes=0, seconds=30).enabled
    assert not PageCache(max_bytes=1024, seconds=0).enabled


# Search pages and API search answers: kept for anonymous readers like article pages.

SEARCHES = ("/search?q={q}", "/api/v1/search?q={q}")


def test_search_answers_are_kept_for_anonymous_readers_and_never_shared_with_members(
    leak_client: TestClient,
) -> None:
    for template in SEARCHES:
        path = template.format(q=CANARY_QUERY) + "&sort=date"
        # A Pro member asks first: their answer finds the piece, and is kept for nobody.
        pro = leak_client.get(path, headers=as_viewer("pro key"))
        assert pro.headers["x-page-cache"] == "miss", path
        assert pro.headers["cache-control"] == "private, no-cache"
        assert any(marker in pro.text for marker in CANARY_MARKERS), path
        anonymous = leak_client.get(path)
        assert anonymous.headers["x-page-cache"] == "miss", path
        assert anonymous.headers["cache-control"] == PUBLIC_PAGE
        assert not any(marker in anonymous.text for marker in CANARY_MARKERS), path
        kept = leak_client.get(path)
        assert kept.headers["x-page-cache"] == "hit", path
        assert kept.content == anonymous.content
        assert kept.headers["etag"] == anonymous.headers["etag"]
        assert kept.headers["cache-control"] == PUBLIC_PAGE
        # Every signed-in viewer is answered for themself, never from the anonymous copy.
        for viewer in ("pro", "pro key", "team seat", "free", "free key"):
            answer = leak_client.get(path, headers=as_viewer(viewer))
            assert answer.status_code == 200 and answer.headers["x-page-cache"] == "miss"
            assert answer.headers["cache-control"] == "private, no-cache", (viewer, path)
            if viewer.startswith("pro") or viewer == "team seat":
                assert any(marker in answer.text for marker in CANARY_MARKERS), (viewer, path)
        refused = leak_client.get(path, headers=as_viewer("revoked key"))
        assert refused.status_code == 401 and refused.headers.get("x-page-cache") != "hit"
        assert leak_client.get(path).headers["x-page-cache"] == "hit"


def test_an_edit_shows_in_the_next_search(empty_site: Any) -> None:
    app, store, _ = empty_site()
    source = store.add_source(Source(url="https://wire.example/f", name="Wire"))
    first = _article(store, source, "a")
    with TestClient(app) as client:
        for template in SEARCHES:
            path = template.format(q="refinery")
            assert client.get(path).headers["x-page-cache"] == "miss"
            assert client.get(path).headers["x-page-cache"] == "hit"
        second = _article(store, source, "b")  # a new article that matches
        page = client.get("/search?q=refinery")
        assert page.headers["x-page-cache"] == "miss"
        assert _hit_ids(page.text) == {first, second}
        titles = {item["title"] for item in client.get("/api/v1/search?q=refinery").json()["items"]}
        assert titles == {"Refinery news a", "Refinery news b"}
        assert client.get("/api/v1/search?q=refinery").headers["x-page-cache"] == "hit"
        # A corrected title: the next search no longer finds the old words.
        with store.engine.begin() as connection:
            connection.execute(
                text("UPDATE articles SET title = 'Pipeline news a' WHERE id = :id"),
                {"id": first},
            )
        page = client.get("/search?q=refinery")
        assert page.headers["x-page-cache"] == "miss" and _hit_ids(page.text) == {second}
        answer = client.get("/api/v1/search?q=refinery").json()
        assert [item["title"] for item in answer["items"]] == ["Refinery news b"]
        assert _hit_ids(client.get("/search?q=pipeline").text) == {first}


def _hit_ids(page: str) -> set[int]:
    return {int(found) for found in re.findall(r'<h3><a href="/articles/([0-9]+)">', page)}


def test_the_anonymous_api_quota_counts_kept_search_answers(demo_copy: Path) -> None:
    from newsdesk.bootstrap import build_site

    settings = site_settings(demo_copy, pro_quota_scale=0.05)  # 5 API requests an hour
    store = open_store(settings.store.sqlalchemy_url)
    try:
        with TestClient(build_site(settings, store)) as client:
            use_test_viewers(client.app)
            answers = [client.get("/api/v1/search?q=oil") for _ in range(12)]
    finally:
        store.close()
    statuses = [answer.status_code for answer in answers]
    assert statuses[:5] == [200] * 5 and answers[1].headers["x-page-cache"] == "hit"
    assert set(statuses[5:]) == {429}


def test_many_spellings_of_a_search_stay_within_the_memory_bound(empty_site: Any) -> None:
    app, store, _ = empty_site(page_cache_megabytes=1)
    source = store.add_source(Source(url="https://wire.example/f", name="Wire"))
    _article(store, source, "a")
    with TestClient(app) as client:
        cache: PageCache = client.app.state.page_cache  # type: ignore[attr-defined]
        padding = "x" * 1500
        for n in range(1200):  # ignored parameters: each a distinct key, the same answer
            answer = client.get(f"/api/v1/search?q=refinery&pad{n}={padding}")
            assert answer.status_code == 200 and answer.headers["x-page-cache"] == "miss"
        assert 0 < len(cache) < 1200
        assert cache.bytes <= cache.max_bytes
        # Keys count: a kept answer costs at least its body and its key.
        assert cache.bytes >= len(cache) * (1500 + len(answer.content))
        # A query string longer than any search needs is answered, never kept.
        long = f"/api/v1/search?q=refinery&pad={'y' * 3000}"
        assert client.get(long).status_code == 200
        assert "x-page-cache" not in client.get(long).headers


def test_a_kept_page_counts_its_key() -> None:
    cache = PageCache(max_bytes=64 * 1024, seconds=30, clock=lambda: 0.0)
    page = _page(1, 0.0, b"x" * 100)
    cache.put("/a", page)
    short = cache.bytes
    cache.put("/b?" + "k" * 5000, page)
    assert cache.bytes - short == page.size + len("/b?") + 5000
    cache.put("/c?" + "k" * 9000, page)  # with its key, over an eighth of the bound
    assert cache.get("/c?" + "k" * 9000, 1) is None
