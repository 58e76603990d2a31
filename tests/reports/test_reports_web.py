"""The report pages, PDFs and API behind the access policy (Resource.REPORT): Pro reads the
report; anyone else gets its outline built from no stored text, or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from report_checks import check_report
from report_world import HOSTILE, SECTOR, WEEK, World, build

from newsdesk.bootstrap import build_site
from newsdesk.domain.access import AccessPolicy, Plan, Viewer, ViewerKind
from newsdesk.publish.web.context import current_viewer
from newsdesk.reports.build import ReportOptions
from newsdesk.reports.web import ReportsContext, anonymous_viewer, build_router
from newsdesk.store import open_store
from site_fixtures import site_settings

PRO = Viewer(ViewerKind.MEMBER, 1, Plan.PRO)
FREE = Viewer(ViewerKind.MEMBER, 2, Plan.FREE)
LAPSED = Viewer(ViewerKind.MEMBER, 3, Plan.PRO, plan_until=datetime(2020, 1, 1, tzinfo=UTC))
CANARY = "JOGMEC signed an exploration agreement"  # a stored sentence of the report's facts
PAGE = f"/reports/sectors/{SECTOR}/{WEEK}"
OPTIONS = ReportOptions("http://site.example", "site", {SECTOR: "Rare Earths & Commodities"})


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, World, object]]:
    settings = site_settings(tmp_path)
    store = open_store(settings.store.sqlalchemy_url)
    world = build(store)
    app = build_site(settings, store)
    try:
        with TestClient(app) as client:
            yield client, world, app
    finally:
        store.close()


def as_viewer(app: object, viewer: Viewer) -> None:
    """The site's one viewer dependency answers viewer (as the members' resolver would)."""
    app.dependency_overrides[current_viewer] = lambda: viewer  # type: ignore[attr-defined]


@pytest.mark.parametrize("viewer", [None, FREE, LAPSED], ids=["anonymous", "free", "lapsed"])
def test_without_pro_every_surface_shows_no_report_text(
    site: tuple[TestClient, World, object], viewer: Viewer | None
) -> None:
    client, _, app = site
    if viewer is not None:
        as_viewer(app, viewer)
    page = client.get(PAGE)
    assert page.status_code == 200 and "Rare Earths" in page.text and "/pro" in page.text
    assert CANARY not in page.text and "JOGMEC" not in page.text
    assert page.headers["cache-control"] == "private, no-store"
    assert client.get(PAGE + ".pdf").status_code == 403
    api = client.get(f"/api/v1/reports/sectors/{SECTOR}/{WEEK}")
    assert api.status_code == 200 and api.json()["access"]["level"] == "preview"
    assert "report" not in api.json() and CANARY not in api.text


def test_pro_reads_the_cited_report_as_page_pdf_and_json(
    site: tuple[TestClient, World, object],
) -> None:
    client, _, app = site
    as_viewer(app, PRO)
    page = client.get(PAGE)
    assert CANARY in page.text and "&lt;script&gt;" in page.text and HOSTILE not in page.text
    store = app.state.site.store  # type: ignore[attr-defined]
    assert check_report(page.text, store.engine) >= 10
    pdf = client.get(PAGE + ".pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    body = client.get(f"/api/v1/reports/sectors/{SECTOR}/{WEEK}").json()
    assert body["access"]["level"] == "full"
    first = body["report"]["sections"][0]["claims"][0]
    assert first["citations"] and body["report"]["references"][0]["page"].endswith(
        f"/articles/{body['report']['references'][0]['article_id']}"
    )
    dossier = client.get(
        "/api/v1/reports/entities/org:jogmec", params={"from": "2026-06-01", "to": "2026-06-07"}
    ).json()
    assert dossier["report"]["articles"] == 3


def test_a_policy_without_report_previews_answers_403(
    site: tuple[TestClient, World, object],
) -> None:
    _, _, app = site
    store = app.state.site.store  # type: ignore[attr-defined]
    closed = AccessPolicy(previewed_resources=frozenset())
    bare = FastAPI()
    bare.include_router(build_router(ReportsContext(store, OPTIONS, policy=closed)))
    with TestClient(bare) as client:
        assert client.get(PAGE).status_code == 403
        assert client.get(f"/api/v1/reports/sectors/{SECTOR}/{WEEK}").status_code == 403
        bare.dependency_overrides[anonymous_viewer] = lambda: PRO
        assert client.get(f"/api/v1/reports/sectors/{SECTOR}/{WEEK}").status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/reports/sectors/{SECTOR}/2026-W99", 400),
        (f"/reports/sectors/{SECTOR}/june", 400),
        ("/reports/sectors/no-such-sector/2026-W23", 404),
        ("/reports/entities/org:nobody", 404),
        ("/reports/entities/org:jogmec?from=2026-02-30", 400),
        ("/reports/entities/org:jogmec?from=2026-03-02&to=2026-03-01", 404),  # no such period
        (f"/api/v1/reports/sectors/{SECTOR}/2026-W00", 400),
        # In the calendar, but not the weeks before it that a report's volume chart reads.
        (f"/reports/sectors/{SECTOR}/0001-W02", 404),
        (f"/reports/sectors/{SECTOR}/0001-W12.pdf", 404),
        (f"/api/v1/reports/sectors/{SECTOR}/0001-W02", 404),
        ("/reports/entities/org:jogmec?from=0001-02-01&to=0001-02-03", 404),
        ("/api/v1/reports/entities/org:jogmec?from=0001-01-08&to=0001-01-09", 404),
    ],
)
def test_bad_input_gets_a_clear_error(
    site: tuple[TestClient, World, object], path: str, status: int
) -> None:
    client, _, app = site
    as_viewer(app, PRO)
    assert client.get(path).status_code == status


def test_a_period_over_366_days_is_cut_to_its_last_366(
    site: tuple[TestClient, World, object],
) -> None:
    client, _, app = site
    as_viewer(app, PRO)
    answer = client.get("/api/v1/reports/entities/org:jogmec?from=2020-01-01&to=2026-01-01")
    assert answer.status_code == 200
    assert (answer.json()["from"], answer.json()["to"]) == ("2025-01-01", "2026-01-01")


def test_index_links_every_sector_and_the_dossier_form(
    site: tuple[TestClient, World, object],
) -> None:
    client, _, _ = site
    index = client.get("/reports")
    assert index.status_code == 200 and f"/reports/sectors/{SECTOR}/" in index.text
    moved = client.get(
        "/reports/dossier",
        params={"entity": "org:jogmec", "from": "2026-06-01"},
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"] == (
        "/reports/entities/org:jogmec?from=2026-06-01"
    )
