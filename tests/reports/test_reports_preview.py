"""A report's preview (what a reader without Pro gets) names its subject as the reader knows
it, and there is none for a subject that does not exist. The dossier preview was headed by the
entity's id ("country:US" where the Pro page says "United States") and answered 200 for any
id at all ("/reports/entities/nonexistent"), while Pro got 404 for the same URL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from report_world import SECRETCO, SECTOR, WEEK, World, add_gated, build

from newsdesk.bootstrap import build_site
from newsdesk.domain.access import Plan, Viewer, ViewerKind
from newsdesk.domain.reports import iso_week_of
from newsdesk.publish.web.context import current_viewer
from newsdesk.store import open_store
from site_fixtures import site_settings

PRO = Viewer(ViewerKind.MEMBER, 1, Plan.PRO)
FREE = Viewer(ViewerKind.MEMBER, 2, Plan.FREE)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, object]]:
    settings = site_settings(tmp_path)
    store = open_store(settings.store.sqlalchemy_url)
    world: World = build(store)
    add_gated(store, world)  # Secretco Mining: named only past a Pro piece's break
    app = build_site(settings, store)
    try:
        with TestClient(app) as client:
            yield client, app
    finally:
        store.close()


def heading(html: str) -> str:
    return str(lxml.html.fromstring(html).xpath("string(//main//h1)")).strip()


@pytest.mark.parametrize("viewer", [None, FREE], ids=["anonymous", "free"])
def test_the_preview_is_headed_by_the_name_the_pro_page_gives(
    site: tuple[TestClient, object], viewer: Viewer | None
) -> None:
    client, app = site
    if viewer is not None:
        app.dependency_overrides[current_viewer] = lambda: viewer  # type: ignore[attr-defined]
    dossier = client.get("/reports/entities/org:jogmec")
    assert dossier.status_code == 200 and "/pro" in dossier.text
    assert heading(dossier.text) == "JOGMEC"
    briefing = client.get(f"/reports/sectors/{SECTOR}/{WEEK}")
    assert heading(briefing.text) == "Rare Earths & Commodities"


@pytest.mark.parametrize(
    "path",
    [
        "/reports/entities/org:nobody",
        "/api/v1/reports/entities/org:nobody",
        "/reports/entities/org:nobody.pdf",
        f"/reports/entities/{SECRETCO.id}",  # the reader may read nothing that names it
        f"/api/v1/reports/entities/{SECRETCO.id}",
    ],
)
def test_no_preview_of_a_subject_the_reader_has_no_page_for(
    site: tuple[TestClient, object], path: str
) -> None:
    client, app = site
    answer = client.get(path)
    assert answer.status_code == 404, answer.text[:300]
    assert SECRETCO.name not in answer.text
    assert client.get(f"/entities/{SECRETCO.id}").status_code == 404  # as its own page
    app.dependency_overrides[current_viewer] = lambda: PRO  # type: ignore[attr-defined]
    if "nobody" not in path:
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("viewer", [None, FREE, PRO], ids=["anonymous", "free", "pro"])
@pytest.mark.parametrize(
    ("week", "status"),
    [
        ("2999-W01", 404),
        ("2026-W99", 400),
        ("2026-W1", 400),
        ("0001-W02", 404),
        ("this week", 200),  # under way: its briefing so far
    ],
)
def test_no_briefing_for_a_week_that_cannot_have_one(
    site: tuple[TestClient, object], viewer: Viewer | None, week: str, status: int
) -> None:
    """A preview answered 200 for any ISO week, 2999-W01 included: a week that has not begun
    has no briefing, whoever asks, as a week outside the calendar has none."""
    client, app = site
    if viewer is not None:
        app.dependency_overrides[current_viewer] = lambda: viewer  # type: ignore[attr-defined]
    if week == "this week":
        week = iso_week_of(datetime.now(UTC))
    for path in (f"/reports/sectors/{SECTOR}/{week}", f"/api/v1/reports/sectors/{SECTOR}/{week}"):
        assert client.get(path).status_code == status, path
