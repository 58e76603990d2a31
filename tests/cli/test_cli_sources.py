"""`newsdesk sources …`, `ingest`, `articles list` and `import` as a user runs them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cli_support import Invoke

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))

from conftest_site import serve_fixture_site
from pipeline_pages import article_page, rss
from pipeline_texts import COPPER, GRAIN, LNG


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with serve_fixture_site() as site:
        monkeypatch.setenv("NEWSDESK_FETCH_ALLOW_HOSTS", f"127.0.0.1:{site.port}")
        urls = [
            site.add("/copper.html", article_page("Kansanshi stake sold", COPPER)),
            site.add("/lng.html", article_page("Qatar LNG deal", LNG)),
        ]
        feed = site.add(
            "/feed.xml",
            rss(
                [
                    {"title": "Kansanshi stake sold", "link": urls[0]},
                    {"title": "Qatar LNG deal", "link": urls[1]},
                ],
                title="Fixture Wire",
            ),
            content_type="application/rss+xml",
        )
        site.add(
            "/",
            "<html><head><title>Fixture Wire</title><link rel='alternate' "
            f"type='application/rss+xml' href='{feed}'></head><body>Home</body></html>",
        )
        yield site


def test_add_discovers_the_feed_of_a_home_page(newsdesk: Invoke, published) -> None:  # type: ignore[no-untyped-def]
    result = newsdesk("sources", "add", published.base_url + "/")
    assert result.exit_code == 0, result.output
    assert "Fixture Wire" in result.output and "(feed)" in result.output
    listed = [
        json.loads(line)
        for line in newsdesk("sources", "list", "--format", "jsonl").output.splitlines()
    ]
    assert listed[0]["url"].endswith("/feed.xml")
    again = newsdesk("sources", "add", published.base_url + "/feed.xml")
    assert again.exit_code == 1 and "already exists" in again.output


def test_ingest_then_list_articles_as_jsonl(newsdesk: Invoke, published) -> None:  # type: ignore[no-untyped-def]
    assert newsdesk("sources", "add", published.base_url + "/feed.xml").exit_code == 0
    result = newsdesk("ingest", "--once", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["new"] == 2 and summary["failed"] == 0
    lines = newsdesk("articles", "list", "--format", "jsonl").output.splitlines()
    articles = [json.loads(line) for line in lines]
    assert len(articles) == 2
    required = {
        "id",
        "url",
        "canonical_url",
        "title",
        "text",
        "authors",
        "published",
        "source_id",
        "story_id",
    }
    assert all(required <= set(a) for a in articles)
    assert {a["title"] for a in articles} == {"Kansanshi stake sold", "Qatar LNG deal"}
    health = newsdesk("sources", "list").output
    assert "last success 20" in health and "failures in a row 0" in health


def test_sources_list_shows_failures(newsdesk: Invoke, published) -> None:  # type: ignore[no-untyped-def]
    published.add("/broken.xml", "no", status=503, content_type="text/plain")
    newsdesk("sources", "add", published.base_url + "/broken.xml", "--kind", "feed")
    newsdesk("ingest", "--once")
    listed = json.loads(newsdesk("sources", "list", "--format", "jsonl").output.splitlines()[0])
    assert listed["consecutive_failures"] == 1
    assert "503" in listed["last_error"]
    assert listed["last_success_at"] is None


def test_opml_export_import_round_trip(newsdesk: Invoke, tmp_path: Path) -> None:
    for n in range(3):
        url = f"https://feeds.example.org/{n}.xml?utm_source=x&a=<b>"
        assert (
            newsdesk("sources", "add", url, "--kind", "feed", "--name", f"Feed & {n}").exit_code
            == 0
        )
    out = tmp_path / "sources.opml"
    assert newsdesk("sources", "export", "--output", str(out)).exit_code == 0
    assert b"Feed &amp; 0" in out.read_bytes()
    for n in range(1, 4):
        newsdesk("sources", "remove", str(n))
    assert "no sources yet" in newsdesk("sources", "list").output
    result = newsdesk("sources", "import", str(out))
    assert "imported 3 sources" in result.output
    names = {
        json.loads(line)["name"]
        for line in newsdesk("sources", "list", "--format", "jsonl").output.splitlines()
    }
    assert names == {"Feed & 0", "Feed & 1", "Feed & 2"}
    assert "skipped 3" in newsdesk("sources", "import", str(out)).output


def test_add_refuses_non_http_and_private_addresses(newsdesk: Invoke) -> None:
    assert "must start with http" in newsdesk("sources", "add", "file:///etc/passwd").output
    result = newsdesk("sources", "add", "http://169.254.169.254/latest/meta-data/")
    assert result.exit_code == 1 and "blocked destination" in result.output


def test_import_jsonl_and_html_folder(newsdesk: Invoke, tmp_path: Path) -> None:
    records = [
        {
            "url": "https://example.org/a",
            "html": article_page("Copper deal", COPPER),
            "title": "Copper deal",
            "published": "2026-11-01T10:00:00Z",
        },
        {"url": "https://example.org/b", "text": "\n\n".join(GRAIN), "title": "Wheat"},
        "this line is not json",
    ]
    jsonl = tmp_path / "pages.jsonl"
    jsonl.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    result = newsdesk("import", str(jsonl), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["new"] == 2 and summary["failed"] == 1
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "lng.html").write_text(article_page("Qatar LNG", LNG), encoding="utf-8")
    summary = json.loads(
        newsdesk("import", str(folder), "--format", "json").output.splitlines()[-1]
    )
    assert summary["new"] == 1
    titles = {
        json.loads(line)["title"]
        for line in newsdesk("articles", "list", "--format", "jsonl").output.splitlines()
    }
    assert titles == {"Copper deal", "Wheat", "Qatar LNG"}
