"""Reports as HTML and text: escaped, cited, and stating only stored figures (checked against
the database by report_checks)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest
from report_checks import check_report
from report_world import HOSTILE, SECTOR, WEEK, World

from newsdesk.bootstrap import site_sectors
from newsdesk.domain.reports import entity_scope, iso_week_of, sector_scope
from newsdesk.reports.build import ReportOptions, build_report
from newsdesk.reports.render import RenderOptions, render_html, render_text
from newsdesk.store import SqlStore, open_store
from site_fixtures import site_settings

OPTIONS = ReportOptions("http://site.example", "site", {SECTOR: "Rare Earths & Commodities"})
RENDER = RenderOptions("http://site.example", "site")


def test_html_cites_every_claim_and_states_only_stored_figures(
    store: SqlStore, world: World
) -> None:
    report = build_report(store, sector_scope(SECTOR, WEEK), OPTIONS)
    html = render_html(report, RENDER)
    assert check_report(html, store.engine) >= 10


def test_hostile_titles_and_facts_are_escaped(store: SqlStore, world: World) -> None:
    html = render_html(build_report(store, sector_scope(SECTOR, WEEK), OPTIONS), RENDER)
    document = lxml.html.fromstring(html)
    assert not document.cssselect("script") and not document.cssselect("img")
    assert not [e for e in document.iter() if e.get("onerror")]
    assert HOSTILE in document.text_content()  # shown as the text it is
    assert "<script>alert" not in html


def test_text_part_keeps_the_reference_marks(store: SqlStore, world: World) -> None:
    text = render_text(build_report(store, sector_scope(SECTOR, WEEK), OPTIONS), RENDER)
    assert "[1" in text and "SOURCES" in text
    assert f"http://site.example/articles/{world.ids['pact-1']}" in text


def test_every_demo_report_keeps_both_promises(demo_data_dir: Path) -> None:
    """Each sector's briefing for the demo's newest weeks and the dossiers of its most named
    entities: every claim cites, every figure is in a stored fact of what it cites."""
    settings = site_settings(demo_data_dir)
    store = open_store(settings.store.sqlalchemy_url, migrate=False)
    try:
        newest = store.newest_published()
        assert newest is not None
        options = ReportOptions(
            "http://site.example", "demo", {s.id: s.name for s in site_sectors(settings)}
        )
        checked = 0
        for sector_id in options.sector_names:
            for back in (0, 1):
                week = iso_week_of(newest - timedelta(weeks=back))
                report = build_report(store, sector_scope(sector_id, week), options)
                checked += check_report(render_html(report, RENDER), store.engine)
        for listing in store.entity_listing(limit=5):
            scope = entity_scope(
                listing.entity.id, newest.date() - timedelta(days=27), newest.date()
            )
            checked += check_report(
                render_html(build_report(store, scope, options), RENDER), store.engine
            )
    finally:
        store.close()
    assert checked > 100


def test_a_house_piece_cites_its_page_with_no_original_to_follow() -> None:
    """A house piece's URL is house:<slug>; printed as an "Original" link it was a dead link
    in the page, the PDF and the email. Only http(s) originals are linked."""
    from datetime import date

    from newsdesk.reports.model import Reference, Report

    references = (
        Reference(1, 7, "Our analysis", "site", None, "house:lithium-floors"),
        Reference(2, 8, "A wire story", "Wire", None, "https://news.example/a"),
        Reference(3, 9, "Odd import", "Files", None, "javascript:alert(1)"),
    )
    report = Report(
        "sector", SECTOR, "Briefing", "Sector briefing", "Week", date(2026, 11, 30),
        date(2026, 12, 6), 3, 0, references=references,
    )  # fmt: skip
    document = lxml.html.fromstring(render_html(report, RENDER))
    hrefs = [a.get("href") for a in document.cssselect("li[id^=ref-] a")]
    assert hrefs == [
        "http://site.example/articles/7",
        "http://site.example/articles/8",
        "https://news.example/a",
        "http://site.example/articles/9",
    ]
    assert "house:" not in document.text_content()


def test_no_table_has_two_columns_of_one_name(store: SqlStore, world: World) -> None:
    """Top stories had "Sources" twice: the count of publications and the citations."""
    html = render_html(build_report(store, sector_scope(SECTOR, WEEK), OPTIONS), RENDER)
    tables = lxml.html.fromstring(html).cssselect("table")
    assert len(tables) >= 3
    for table in tables:
        headers = [th.text_content().strip() for th in table.cssselect("thead th")]
        assert len(headers) == len(set(headers)), headers


@pytest.mark.parametrize(
    ("week", "articles", "said"),
    [
        ("2026-W49", 11, "11 articles (1 the week before)"),
        (None, 1, "1 article (1 the period before)"),
    ],
)
def test_the_period_line_counts_in_words_that_fit(
    week: str | None, articles: int, said: str
) -> None:
    """A dossier of one article said "1 articles"; a weekly briefing "(1 the period before)"."""
    from datetime import date

    from newsdesk.reports.model import Report

    report = Report(
        "sector" if week else "entity", SECTOR, "t", "l", "p", date(2026, 11, 30),
        date(2026, 12, 6), articles, 1, week=week,
    )  # fmt: skip
    line = lxml.html.fromstring(render_html(report, RENDER)).cssselect(".report-period")[0]
    assert said in " ".join(line.text_content().split())
