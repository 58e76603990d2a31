"""Report PDFs as the site serves them: rendered once per content, kept on disk, the access
policy asked on every request before the cache, 503 when every render slot is busy, and a
PDF served whatever state the cache directory is in."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from report_world import (
    MONDAY,
    NAMIBIA,
    SECRET_MARKERS,
    SECTOR,
    WEEK,
    World,
    add_article,
    add_gated,
    build,
    enrich,
)
from test_reports_access import OPEN

from newsdesk.bootstrap import build_site
from newsdesk.domain.access import DEFAULT_POLICY, AccessPolicy, Plan, Viewer, ViewerKind
from newsdesk.formats.disposition import attachment
from newsdesk.publish.web.context import current_viewer
from newsdesk.reports import pdf as report_pdf
from newsdesk.reports import pdf_cache
from newsdesk.reports.build import ReportOptions
from newsdesk.reports.model import Report
from newsdesk.reports.pdf import PdfUnavailableError
from newsdesk.reports.pdf_cache import PdfCache, pdf_key
from newsdesk.reports.render import download_names
from newsdesk.reports.web import ReportsContext, anonymous_viewer, build_router
from newsdesk.reports.web.pdf_renders import RETRY_AFTER_SECONDS, PdfRenders
from newsdesk.store import SqlStore, open_store
from site_fixtures import site_settings

PRO = Viewer(ViewerKind.MEMBER, 1, Plan.PRO)
FREE = Viewer(ViewerKind.MEMBER, 2, Plan.FREE)
# The same member once their Pro has run out (the clock of these tests is 10 June 2026).
LAPSED = Viewer(ViewerKind.MEMBER, 1, Plan.PRO, plan_until=datetime(2026, 6, 9, tzinfo=UTC))
PDF_URL = f"/reports/sectors/{SECTOR}/{WEEK}.pdf"
OPTIONS = ReportOptions("http://site.example", "site", {SECTOR: "Rare Earths & Commodities"})
MB = 1024 * 1024


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


class Reports:
    """The report routes alone over the test store, with a clock and a viewer to set."""

    def __init__(
        self, store: SqlStore, renders: PdfRenders, policy: AccessPolicy | None = None
    ) -> None:
        self.viewer = PRO
        self.now = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
        context = ReportsContext(
            store, OPTIONS, policy=policy or DEFAULT_POLICY, clock=lambda: self.now, pdfs=renders
        )
        app = FastAPI()
        app.include_router(build_router(context))
        app.dependency_overrides[anonymous_viewer] = lambda: self.viewer
        self.client = TestClient(app)


def cached(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pdf"))


@pytest.fixture
def pdfs(tmp_path: Path) -> Path:
    return tmp_path / "report-pdfs"


@pytest.fixture
def reports(store: SqlStore, world: World, pdfs: Path) -> Reports:
    del world
    return Reports(store, PdfRenders(PdfCache(pdfs, 64 * MB)))


def test_a_report_is_rendered_once_then_served_from_the_cache_by_every_process(
    store: SqlStore, reports: Reports, pdfs: Path
) -> None:
    first = reports.client.get(PDF_URL)
    assert first.status_code == 200 and first.headers["x-pdf-cache"] == "miss"
    assert "JOGMEC" in pdf_text(first.content)
    reports.now += timedelta(hours=5)  # drafted at another time: the same content
    second = reports.client.get(PDF_URL)
    assert second.headers["x-pdf-cache"] == "hit" and second.content == first.content
    other_process = Reports(store, PdfRenders(PdfCache(pdfs, 64 * MB)))
    third = other_process.client.get(PDF_URL)
    assert third.headers["x-pdf-cache"] == "hit" and third.content == first.content
    assert len(cached(pdfs)) == 1


def test_a_viewer_who_lost_pro_gets_403_and_nothing_from_the_cache(reports: Reports) -> None:
    assert reports.client.get(PDF_URL).status_code == 200
    reports.viewer = LAPSED
    refused = reports.client.get(PDF_URL)
    assert refused.status_code == 403 and b"%PDF" not in refused.content
    assert "x-pdf-cache" not in refused.headers


def test_a_new_article_in_the_week_gets_a_new_pdf(
    store: SqlStore, reports: Reports, pdfs: Path
) -> None:
    before = reports.client.get(PDF_URL)
    late = add_article(store, "late", MONDAY + timedelta(days=6), title="Late news from Windhoek")
    assert late.id is not None
    enrich(store, late.id, (NAMIBIA,), summary="Windhoek approved a rare-earths refinery.")
    after = reports.client.get(PDF_URL)
    assert after.headers["x-pdf-cache"] == "miss" and after.content != before.content
    assert "Windhoek" in pdf_text(after.content) and "Windhoek" not in pdf_text(before.content)
    assert len(cached(pdfs)) == 2


def test_readers_whose_access_differs_never_share_a_pdf(
    store: SqlStore, world: World, pdfs: Path
) -> None:
    """Under a policy that opens reports to free members, a Pro member's PDF (with the Pro
    piece) is kept first; a free member then gets their own, without it."""
    add_gated(store, world)
    reports = Reports(store, PdfRenders(PdfCache(pdfs, 64 * MB)), policy=OPEN)
    pro = reports.client.get(PDF_URL)
    assert "Secretco" in pdf_text(pro.content)
    reports.viewer = FREE
    free = reports.client.get(PDF_URL)
    assert free.status_code == 200 and free.headers["x-pdf-cache"] == "miss"
    text = pdf_text(free.content)
    assert "JOGMEC" in text and not [m for m in SECRET_MARKERS if m in text]
    reports.viewer = PRO
    assert reports.client.get(PDF_URL).content == pro.content


def test_a_damaged_cache_file_is_rendered_again(reports: Reports, pdfs: Path) -> None:
    first = reports.client.get(PDF_URL)
    (path,) = cached(pdfs)
    path.write_bytes(path.read_bytes()[:-500])
    again = reports.client.get(PDF_URL)
    assert again.headers["x-pdf-cache"] == "miss" and again.content.startswith(b"%PDF")
    assert pdf_text(again.content) == pdf_text(first.content)
    assert reports.client.get(PDF_URL).headers["x-pdf-cache"] == "hit"


def test_an_unwritable_cache_directory_still_serves_every_pdf(
    store: SqlStore, world: World, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    del world
    (tmp_path / "cache").write_text("a file where the directory should be")
    reports = Reports(store, PdfRenders(PdfCache(tmp_path / "cache" / "report-pdfs", 64 * MB)))
    with caplog.at_level(logging.WARNING, logger=pdf_cache.__name__):
        answers = [reports.client.get(PDF_URL) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.headers["x-pdf-cache"] for a in answers] == ["miss", "miss"]
    assert all("JOGMEC" in pdf_text(a.content) for a in answers)
    assert len([r for r in caplog.records if "cannot write" in r.getMessage()]) == 1


@pytest.fixture
def busy_slot() -> Iterator[tuple[PdfRenders, threading.Event]]:
    """Render slots (one) taken by a render that waits until the test lets it finish."""
    renders = PdfRenders(slots=1, wait_seconds=0)
    started, release = threading.Event(), threading.Event()

    def slow() -> bytes:
        started.set()
        release.wait(60)
        return b"%PDF"

    thread = threading.Thread(target=renders.pdf, args=(pdf_key("other report"), slow))
    thread.start()
    assert started.wait(60)
    try:
        yield renders, release
    finally:
        release.set()
        thread.join(60)


def test_every_render_slot_busy_answers_503_with_retry_after(
    store: SqlStore, world: World, busy_slot: tuple[PdfRenders, threading.Event]
) -> None:
    del world
    renders, release = busy_slot
    reports = Reports(store, renders)
    refused = reports.client.get(PDF_URL)
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    release.set()
    assert reports.client.get(PDF_URL).status_code == 200


def test_without_weasyprint_readers_get_503_the_operator_a_log_line_and_nothing_is_kept(
    reports: Reports, pdfs: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def missing() -> None:
        raise PdfUnavailableError("PDF reports need WeasyPrint: pip install 'newsdesk[pdf]'")

    with monkeypatch.context() as patch:
        patch.setattr(report_pdf, "_weasyprint", missing)
        for _ in range(2):
            refused = reports.client.get(PDF_URL)
            assert refused.status_code == 503
            assert "report PDFs are not available on this site" in refused.text
    told = [r.getMessage() for r in caplog.records if "report PDFs are off" in r.getMessage()]
    assert len(told) <= 1  # once per process (an earlier test may have said it already)
    assert all("pip install 'newsdesk[pdf]'" in line for line in told)
    assert cached(pdfs) == []
    assert reports.client.get(PDF_URL).status_code == 200  # its slot was given back


def test_the_site_keeps_pdfs_under_its_data_directory_and_answers_a_repeat_with_304(
    tmp_path: Path,
) -> None:
    settings = site_settings(tmp_path)
    store = open_store(settings.store.sqlalchemy_url)
    build(store)
    app = build_site(settings, store)
    viewer = [PRO]
    app.dependency_overrides[current_viewer] = lambda: viewer[0]
    try:
        with TestClient(app) as client:
            first = client.get(PDF_URL)
            assert first.status_code == 200
            assert first.headers["cache-control"] == "private, no-cache"
            assert "Cookie" in first.headers["vary"]
            etag = first.headers["etag"]
            assert not etag.startswith("W/")
            second = client.get(PDF_URL)
            assert second.headers["x-pdf-cache"] == "hit" and second.headers["etag"] == etag
            repeat = client.get(PDF_URL, headers={"If-None-Match": etag})
            assert repeat.status_code == 304 and repeat.content == b""
            viewer[0] = replace(PRO, plan_until=datetime(2020, 1, 1, tzinfo=UTC))  # lapsed
            lapsed = client.get(PDF_URL, headers={"If-None-Match": etag})
            assert lapsed.status_code == 403
            viewer[0] = Viewer(ViewerKind.MEMBER, 9, Plan.PRO)  # another member: another tag
            assert client.get(PDF_URL, headers={"If-None-Match": etag}).status_code == 200
    finally:
        store.close()
    assert len(list((tmp_path / "cache" / "report-pdfs").glob("*.pdf"))) == 1


def test_pdf_file_names_say_the_entity_and_the_whole_range(reports: Reports) -> None:
    dossier = reports.client.get(
        "/reports/entities/org:jogmec.pdf", params={"from": "2026-06-01", "to": "2026-06-07"}
    )
    assert dossier.status_code == 200
    assert dossier.headers["content-disposition"] == (
        'attachment; filename="dossier-JOGMEC-2026-06-01-to-2026-06-07.pdf"'
    )
    week = reports.client.get(PDF_URL)
    assert week.headers["content-disposition"] == (
        f'attachment; filename="sector-{SECTOR}-{WEEK}.pdf"'
    )


def test_a_dossier_named_outside_ascii_has_an_ascii_name_and_a_utf8_one() -> None:
    report = Report(
        "entity",
        "org:societe-generale",
        "t",
        "Société Générale",
        "p",
        date(2026, 11, 9),
        date(2026, 12, 6),
        3,
        1,
    )
    name, fallback = download_names(report, "pdf")
    assert attachment(name, fallback) == (
        'attachment; filename="dossier-Societe-Generale-2026-11-09-to-2026-12-06.pdf"; '
        "filename*=UTF-8''dossier-Soci%C3%A9t%C3%A9-G%C3%A9n%C3%A9rale-2026-11-09-to-2026-12-06.pdf"
    )
    japanese = replace(report, key="org:mitsubishi-corp", label="三菱商事")
    assert attachment(*download_names(japanese, "pdf")).startswith(
        'attachment; filename="dossier-org-mitsubishi-corp-2026-11-09-to-2026-12-06.pdf"; '
        "filename*=UTF-8''dossier-%E4%B8%89"
    )
