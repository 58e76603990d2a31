"""Reports through the one access policy: each article's visibility is read from the store
(its own, else its source's), and a report drafted for a reader — its page, PDF, JSON and the
weekly email — carries only what that reader may read in full. With the shipped policy only
Pro reads reports, and Pro reads everything; an operator policy that opens reports to other
readers is where a report built from every article would hand them Pro pieces."""

from __future__ import annotations

import email
import io
from dataclasses import replace
from datetime import UTC, datetime
from email import policy as email_policy
from pathlib import Path

import pytest
from fastapi import HTTPException
from pypdf import PdfReader
from report_world import (
    SECRET_MARKERS,
    SECTOR,
    STORY_SUMMARY,
    WEEK,
    World,
    add_gated,
)
from test_reports_mailing import OPTIONS as MAIL_OPTIONS
from test_reports_mailing import Members, drop

from newsdesk.domain.access import (
    ANONYMOUS,
    AccessPolicy,
    Plan,
    Resource,
    Viewer,
    ViewerKind,
    Visibility,
)
from newsdesk.domain.reports import entity_scope, sector_scope
from newsdesk.reports.build import ReportOptions
from newsdesk.reports.mailing import send_weekly_reports
from newsdesk.reports.pdf import render_pdf
from newsdesk.reports.render import RenderOptions, render_html, render_text
from newsdesk.reports.web import ReportsContext
from newsdesk.store import SqlStore

OPTIONS = ReportOptions("http://site.example", "site", {SECTOR: "Rare Earths & Commodities"})
RENDER = RenderOptions("http://site.example", "site")
# An operator's policy under which reports are no longer Pro-only.
OPEN = AccessPolicy(pro_resources=AccessPolicy().pro_resources - {Resource.REPORT})
FREE = Viewer(ViewerKind.MEMBER, 2, Plan.FREE)
PRO = Viewer(ViewerKind.MEMBER, 1, Plan.PRO)
NOW = datetime(2026, 6, 10, tzinfo=UTC)


def test_report_rows_carry_each_articles_visibility(store: SqlStore, world: World) -> None:
    add_gated(store, world)
    data = store.report_data(sector_scope(SECTOR, WEEK), label="Rare earths")
    visibility = {article_id: a.visibility for article_id, a in data.articles.items()}
    assert visibility[world.ids["pro-piece"]] is Visibility.PRO
    assert visibility[world.ids["club"]] is Visibility.MEMBERS  # its source's
    assert visibility[world.ids["pact-1"]] is Visibility.PUBLIC
    pact = next(s for s in data.stories if world.ids["pact-1"] in s.article_ids)
    assert pact.visibilities == {Visibility.PUBLIC, Visibility.PRO}


def _shown(store: SqlStore, viewer: Viewer, *, pdf: bool = False) -> str:
    """The sector briefing as the report pages build it for viewer: HTML, text, PDF text."""
    report = ReportsContext(store, OPTIONS, policy=OPEN).report(
        sector_scope(SECTOR, WEEK), viewer, NOW
    )
    html = render_html(report, RENDER, now=NOW)
    shown = html + render_text(report, RENDER)
    if pdf:
        reader = PdfReader(io.BytesIO(render_pdf(render_html(report, RENDER, now=NOW))))
        shown += "".join(page.extract_text() for page in reader.pages)
    return shown


def test_a_report_shows_each_reader_only_what_they_may_read(store: SqlStore, world: World) -> None:
    add_gated(store, world)
    anonymous = _shown(store, ANONYMOUS, pdf=True)
    assert "JOGMEC" in anonymous  # the public articles are reported
    assert not [m for m in SECRET_MARKERS if m in anonymous]
    assert "Club note" not in anonymous and STORY_SUMMARY not in anonymous
    free = _shown(store, FREE)
    assert "Club note" in free and not [m for m in SECRET_MARKERS if m in free]
    pro = _shown(store, PRO, pdf=True)
    assert "Secretco Mining" in pro and "Club note" in pro
    assert STORY_SUMMARY.split(";")[0] in pro  # the story's summary, drawn from every report


def test_a_dossier_of_an_entity_known_only_from_a_pro_piece_is_not_found(
    store: SqlStore, world: World
) -> None:
    add_gated(store, world)
    context = ReportsContext(store, OPTIONS, policy=OPEN)
    scope = entity_scope("org:secretco", NOW.date().replace(day=1), NOW.date())
    with pytest.raises(HTTPException) as refused:
        context.report(scope, FREE, NOW)
    assert refused.value.status_code == 404
    assert context.report(scope, PRO, NOW).label == "Secretco Mining"


def test_the_weekly_email_is_drafted_for_each_recipient(
    store: SqlStore, world: World, tmp_path: Path
) -> None:
    add_gated(store, world)
    options = replace(MAIL_OPTIONS, policy=OPEN)
    report = send_weekly_reports(store, Members(), drop(tmp_path), options, week=WEEK)
    assert report.sent == 2  # reports are open to free members under this policy
    bodies = {}
    for path in sorted(tmp_path.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email_policy.default)
        bodies[str(message["To"])] = "".join(
            part.get_content()  # type: ignore[attr-defined]
            for part in message.walk()
            if part.get_content_maintype() == "text"
        )
    assert "Secretco Mining" in bodies["pro@example.com"]
    free = bodies["free@example.com"]
    assert "JOGMEC" in free and not [m for m in SECRET_MARKERS if m in free]
