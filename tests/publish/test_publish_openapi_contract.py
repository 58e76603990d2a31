"""The JSON API keeps the contract /openapi.json states: a property-based API tester
(Schemathesis) generates requests from the document, valid and invalid, and every check it
has must pass: no 5xx, only documented statuses, bodies and headers as documented, requests
valid by the schema accepted and invalid ones refused.

One deliberate gap: cursors are opaque tokens the API hands out (next_cursor). A made-up one
that happens to match their pattern is refused with a documented 400, which the tester's
"schema-valid request accepted" check would count against us, so requests that carry a
generated cursor are not sent in the positive phase; tests/publish/test_publish_cursors.py
and the route fuzzer cover cursors, hostile ones included.

Another: an entity dossier's period relates two parameters (from before to, at most 366 days,
inside the calendar), which OpenAPI cannot state. A period that is not reportable is refused
with a documented 400 (tests/reports/test_reports_web.py, and below), so the positive phase
does not send one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import HTTPException
from fastapi.testclient import TestClient
from schemathesis.engine import events

from newsdesk.reports.web.common import dossier_scope
from newsdesk.store import open_store
from site_fixtures import site_settings


@pytest.fixture(scope="module")
def api_app(demo_data_dir: Path) -> Iterator[Any]:
    from newsdesk.bootstrap import build_site

    # Quotas off: the tester's thousands of requests would otherwise mostly get the (documented)
    # 429 and never reach the routes' own checks.
    settings = site_settings(demo_data_dir, pro={"quota_scale": 0.0})
    store = open_store(settings.store.sqlalchemy_url)
    try:
        app = build_site(settings, store)
        with TestClient(app):  # runs the app's start-up
            yield app
    finally:
        store.close()


# Every check, every phase (examples, boundary coverage, fuzzing, stateful links); bounded.
CONFIG = f"""
seed = 1
[generation]
max-examples = {int(os.environ.get("NEWSDESK_API_EXAMPLES", "30"))}
deterministic = true
[checks]
enabled = true
"""


def run_api_tester(app: Any) -> list[str]:
    """Schemathesis over the app's own document, in process; its failures, one line each."""
    config = schemathesis.Config.from_str(CONFIG)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)

    @schema.hook
    def filter_case(context: Any, case: Any) -> bool:
        if not case.meta.generation.mode.is_positive:
            return True
        query = case.query or {}
        if query.get("cursor"):
            return False
        return case.operation.path != DOSSIER or reportable_period(case)

    failures: list[str] = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for checks in event.recorder.checks.values():
                failures += [
                    f"{event.label}: {check.name}: {check.failure_info.failure.title}; "
                    + check.failure_info.code_sample
                    for check in checks
                    if check.failure_info is not None
                ]
        elif isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(f"{getattr(event, 'label', 'run')}: error {event!r}")
    return sorted(set(failures))


DOSSIER = "/api/v1/reports/entities/{entity_id}"


def reportable_period(case: Any) -> bool:
    """The dossier route's own verdict on the period from/to (the last 28 days if absent)."""
    query, path = case.query or {}, case.path_parameters or {}
    today = datetime.now(UTC).date()
    try:
        dossier_scope(str(path.get("entity_id", "")), query.get("from"), query.get("to"), today)
    except HTTPException as error:
        return error.status_code != 400
    return True


def test_the_public_schema_leaves_admin_and_pages_out(api_app: Any) -> None:
    document = api_app.openapi()
    assert document["paths"]
    assert all(path.startswith("/api/v1/") for path in document["paths"])
    for methods in document["paths"].values():
        for operation in methods.values():
            assert "HTTPValidationError" not in str(operation["responses"])


def test_an_api_tester_finds_nothing_against_the_schema(api_app: Any) -> None:
    assert run_api_tester(api_app) == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/search?q=oil&from=20260101",  # ISO basic form: fromisoformat reads it
        "/api/v1/facts?to=2026-W01-1",  # an ISO week date: likewise
        "/api/v1/search?q=oil&source=%20",  # whitespace is not "any source"
        "/api/v1/trends?" + "&".join(["entity="] * 21),  # 21 values, even empty ones
        "/api/v1/trends/momentum?weeks=5",
        "/api/v1/trends/deals?by=currency",
        "/api/v1/reports/sectors/oil-gas/2026-W00",  # weeks are 01 to 53
        "/api/v1/reports/sectors/oil-gas/%202026-W10",  # no space around it
        "/api/v1/reports/entities/org:x?from=20260101",
        "/api/v1/reports/entities/org:x?from=2026-03-01&to=2026-02-01",  # ends before it starts
        "/api/v1/reports/entities/org:x?from=2024-01-01&to=2026-01-01",  # over 366 days
        "/api/v1/reports/entities/org:x?to=0001-01-02",  # starts before the calendar
    ],
)
def test_values_outside_the_schema_are_refused(api_app: Any, path: str) -> None:
    with TestClient(api_app) as client:
        answer = client.get(path)
    assert answer.status_code == 400
    assert set(answer.json()) == {"error"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reports/sectors/no-such-sector/2026-W10",
        "/api/v1/reports/sectors/oil-gas/2027-W53",  # 2027 has 52 weeks
        "/api/v1/reports/sectors/oil-gas/0000-W01",  # no year 0
        "/api/v1/reports/sectors/oil-gas/9999-W52",  # its next week is beyond the calendar
        "/api/v1/reports/entities/" + "x" * 201,
    ],
)
def test_names_of_nothing_are_not_found(api_app: Any, path: str) -> None:
    with TestClient(api_app) as client:
        answer = client.get(path)
    assert answer.status_code == 404
    assert set(answer.json()) == {"error"}


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"consent": "yes"}, 422),  # a boolean, not a word for one
        ({"consent": False}, 400),
        ({"sectors": []}, 422),
        ({"sectors": [" oil-gas"]}, 400),  # the form trims; the API takes ids as given
        ({"entities": [" org:x"]}, 400),
        ({"entities": [""]}, 400),
        ({"email": "someone@example.test"}, 400),
        ({"unknown": 1}, 422),
    ],
)
def test_a_sign_up_outside_the_schema_is_refused(
    api_app: Any, change: dict[str, Any], status: int
) -> None:
    body = {"email": "someone@example.com", "sectors": ["oil-gas"], "consent": True, **change}
    with TestClient(api_app) as client:
        answer = client.post("/api/v1/subscribe", json=body)
    assert answer.status_code == status
    assert set(answer.json()) == {"error"}
