"""Report PDFs: they open, cite their sources, and fetch or embed nothing from outside the
package (a loopback server records every request; no file: URL is read)."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from pypdf import PdfReader
from report_world import MONDAY, NAMIBIA, SECTOR, WEEK, World, add_article, enrich
from sqlalchemy import select

from newsdesk.domain.enrichment import FactRecord
from newsdesk.domain.reports import iso_week_of, sector_scope
from newsdesk.reports.build import ReportOptions, build_report
from newsdesk.reports.pdf import ASSET_BASE, RefusedResourceError, asset_bytes, render_pdf
from newsdesk.reports.render import RenderOptions, render_html
from newsdesk.store import SqlStore, open_store
from newsdesk.store.schema import articles
from site_fixtures import site_settings

RENDER = RenderOptions("http://site.example", "site")
OPTIONS = ReportOptions("http://site.example", "site", {SECTOR: "Rare Earths & Commodities"})


class Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        body = b"root:x:0:0:SECRET-FROM-LOOPBACK"
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[str]:
    Recorder.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def embedded_files(pdf: bytes) -> dict[str, list[bytes]]:
    return dict(PdfReader(io.BytesIO(pdf)).attachments)


def hostile_markup(base: str) -> str:
    return (
        f'<img src="{base}/title.png"><link rel="attachment" href="{base}/attach.txt">'
        '<link rel="attachment" href="file:///etc/passwd"><img src="file:///etc/passwd">'
        f'<link rel="stylesheet" href="{base}/style.css">'
    )


def test_article_markup_in_a_report_fetches_and_embeds_nothing(
    store: SqlStore, world: World, loopback: str
) -> None:
    markup = hostile_markup(loopback)
    article = add_article(store, "markup", MONDAY + timedelta(days=3), title=markup)
    assert article.id is not None
    fact = FactRecord("policy:markup", "policy", {"action": markup, "by": ["country:NA"]}, markup)
    enrich(store, article.id, (NAMIBIA,), (fact,), summary=markup)
    pdf = render_pdf(render_html(build_report(store, sector_scope(SECTOR, WEEK), OPTIONS), RENDER))
    assert Recorder.hits == []
    assert embedded_files(pdf) == {}
    assert b"SECRET-FROM-LOOPBACK" not in pdf and b"root:x:0" not in pdf
    assert "title.png" in pdf_text(pdf)  # the markup is printed as text


def test_the_fetcher_refuses_everything_but_the_package_assets(loopback: str) -> None:
    """The second wall: even unescaped markup reaches nothing through the URL fetcher."""
    html = (
        "<!doctype html><html><head><link rel=stylesheet href=report.css></head>"
        f"<body><p>x</p>{hostile_markup(loopback)}</body></html>"
    )
    pdf = render_pdf(html)
    assert Recorder.hits == []
    assert embedded_files(pdf) == {}
    assert b"root:x:0" not in pdf and b"SECRET-FROM-LOOPBACK" not in pdf
    body, media_type = asset_bytes(ASSET_BASE + "report.css")
    assert media_type == "text/css" and b"@page" in body
    for refused in (
        f"{loopback}/x.png",
        "file:///etc/passwd",
        ASSET_BASE + "../pdf.py",
        ASSET_BASE + "%2e%2e/pdf.py",
        "data:text/plain,hi",
        ASSET_BASE + "missing.css",
    ):
        with pytest.raises(RefusedResourceError):
            asset_bytes(refused)


def test_the_demo_rare_earths_week_as_a_pdf_names_its_parties_and_cites(
    demo_data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = site_settings(demo_data_dir)
    store = open_store(settings.store.sqlalchemy_url, migrate=False)
    try:
        with store.engine.connect() as connection:
            published = connection.execute(
                select(articles.c.published).where(articles.c.title.like("%JOGMEC and Epangelo%"))
            ).scalar_one()
        week = iso_week_of(published.replace(tzinfo=UTC))
        options = ReportOptions(
            settings.site.base_url, "demo", {"rare-earths-commodities": "Rare Earths & Commodities"}
        )
        report = build_report(store, sector_scope("rare-earths-commodities", week), options)
        with caplog.at_level(logging.WARNING, logger="weasyprint"):
            pdf = render_pdf(render_html(report, RENDER, print_values=True))
    finally:
        store.close()
    # the stylesheet is one WeasyPrint reads whole: a property it ignores is a warning in the
    # operator's log on every render (the chart scroll box's overflow-x was)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    text = pdf_text(pdf)
    for name in ("JOGMEC", "Epangelo", "Namibia", "Sources"):
        assert name in text
    assert "[1" in text and "Original:" in text
    (tmp_path / "rare-earths.pdf").write_bytes(pdf)
