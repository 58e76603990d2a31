"""GET /sources: every source's last fetch, last success, failures, error and articles/day."""

from __future__ import annotations

from datetime import timedelta

from lxml import html

from newsdesk.domain import Source, SourceKind, utcnow
from newsdesk.publish.web.routes.search import source_options
from newsdesk.store import open_store
from site_fixtures import site_settings


def rows_by_url(page):
    """Each row by its source's address: two sources may share a name (a publication's feed
    and its news sitemap), never an address."""
    tree = html.fromstring(page)
    rows = {}
    for row in tree.xpath("//table[contains(@class, 'sources')]/tbody/tr"):
        url = row.xpath('string(.//span[contains(@class, "url")])')
        name = row.xpath('string(.//span[@class="source-name"])')
        rows[url] = [name] + [cell.text_content().strip() for cell in row.xpath("./td")]
    return rows


def test_every_source_is_listed_with_its_health(writable_demo):
    client, store, _ = writable_demo
    sources = store.list_sources()
    week_ago = utcnow() - timedelta(days=7)
    rows = rows_by_url(client.get("/sources").text)
    assert set(rows) == {source.url for source in sources}
    rates = []
    for source in sources:
        name, state, rights, last_fetch, last_success, failures, per_day, total, error = rows[
            source.url
        ]
        assert name == source.name
        assert state == "ok" and rights == source.rights and failures == "0"
        assert last_fetch != "never" and last_success != "never"
        stored = store.list_articles(source_id=source.id)
        assert total == str(len(stored))
        # The demo's articles are dated relative to when it was built, so which of them are
        # within the last week depends on how long ago that was: count them as the page does.
        recent = sum(
            1 for article in stored if (article.published or article.created_at) >= week_ago
        )
        assert per_day == f"{recent / 7:.1f}"
        assert error == ""
        rates.append(float(per_day))
    assert any(rate > 0 for rate in rates)  # the demo reads as running: this week has news


def test_readers_see_publications_not_fetch_methods(demo_client, demo_data_dir):
    """The demo's Meridian sitemap source showed readers "Meridian Resource Review (news
    sitemap)" in bylines and read-at links; how the site fetches is the operator's business."""
    store = open_store(site_settings(demo_data_dir).store.sqlalchemy_url)
    try:
        sources = store.list_sources()
        assert any(source.kind is SourceKind.SITEMAP for source in sources)
        for source in sources:  # an article of each, the sitemap's included: its byline
            article = store.list_articles(source_id=source.id)[0]
            assert "sitemap" not in demo_client.get(f"/articles/{article.id}").text.lower()
    finally:
        store.close()
    options = html.fromstring(demo_client.get("/search").text).xpath(
        "//select[@name='source']/option/text()"
    )
    # the search filter tells the publication's two sources apart, and only those two
    assert len(set(options)) == len(options)
    assert sorted(option for option in options if "Meridian" in option) == [
        "Meridian Resource Review (feed)",
        "Meridian Resource Review (news sitemap)",
    ]


def test_failing_and_disabled_sources_show_why(writable_demo):
    client, store, _ = writable_demo
    failing, disabled = store.list_sources()[:2]
    failing.consecutive_failures = 4
    failing.last_error = "HTTP 503 from upstream"
    failing.last_attempt_at = utcnow()
    store.update_source(failing)
    disabled.enabled = False
    disabled.disabled_reason = "HTTP 410 Gone"
    store.update_source(disabled)
    page = client.get("/sources").text
    rows = rows_by_url(page)
    assert rows[failing.url][1] == "failing"
    assert rows[failing.url][5] == "4"
    assert rows[failing.url][8] == "HTTP 503 from upstream"
    assert rows[disabled.url][1] == "disabled: HTTP 410 Gone"
    assert "1 failing, 1 disabled" in page


def test_articles_per_day_counts_the_last_week(writable_demo):
    _, store, _ = writable_demo
    now = utcnow()
    health = {row.source.id: row for row in store.source_health(now, window_days=7)}
    for source in store.list_sources():
        recent = [
            a
            for a in store.list_articles(source_id=source.id)
            if (a.published or a.created_at) >= now - timedelta(days=7)
        ]
        assert health[source.id].articles_recent == len(recent)
        assert health[source.id].articles_per_day == len(recent) / 7


def test_the_source_filter_tells_sources_of_one_name_apart():
    sources = [
        Source(url="https://a.example/feed.xml", name="Alpha", id=1),
        Source(url="https://a.example/news.xml", name="Alpha", kind=SourceKind.SITEMAP, id=2),
        Source(url="https://b.example/feed.xml", name="Beta", id=3),
        Source(url="https://b.example/other.xml", name="Beta", id=4),
        Source(url="https://c.example/feed.xml", id=5),
    ]
    assert source_options(sources) == [
        (1, "Alpha (feed)"),
        (2, "Alpha (news sitemap)"),
        (3, "Beta (feed) (https://b.example/feed.xml)"),
        (4, "Beta (feed) (https://b.example/other.xml)"),
        (5, "https://c.example/feed.xml"),
    ]
