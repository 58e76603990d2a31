"""The JSON API keeps the contract /openapi.json states: a property-based API tester
(Schemathesis) generates requests from the document, valid and invalid, and every check it
has must pass: no 5xx, only documented statuses, bodies and headers as documented, requests
valid by the schema accepted and invalid ones refused.

Nothing is filtered out of what it sends. Two things OpenAPI cannot state are answered so that
every request of the documented form is accepted: a cursor of the documented form that names no
page of the listing (made up, or another listing's) is a 404, not a refusal of the request; and
an entity dossier's from/to always make a period (28 days from `from` when `to` is left out; at
most the last 366 days up to `to`) unless it ends before it starts or leaves the calendar, which
is a 404 (no dossier has that period).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
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
        "/api/v1/reports/entities/org:x?from=2026-02-30",  # no such day
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
        "/api/v1/reports/entities/org:x?from=2026-03-01&to=2026-02-01",  # ends before it starts
        "/api/v1/reports/entities/org:x?to=0001-01-02",  # its previous period: before the calendar
        "/api/v1/reports/entities/org:x?from=9999-12-31",  # 28 days from it: after the calendar
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


@pytest.mark.parametrize(
    ("first", "last", "period"),
    [
        (None, None, ("2026-11-08", "2026-12-05")),  # the last 28 days up to today
        ("2026-03-01", None, ("2026-03-01", "2026-03-28")),  # 28 days from `from`
        (None, "2026-03-28", ("2026-03-01", "2026-03-28")),  # 28 days up to `to`
        ("2026-03-01", "2026-03-01", ("2026-03-01", "2026-03-01")),
        ("2024-01-01", "2026-01-01", ("2025-01-01", "2026-01-01")),  # the last 366 days of it
        ("", "", ("2026-11-08", "2026-12-05")),  # empty fields, as the site's form sends them
    ],
)
def test_every_documented_from_to_makes_a_dossier_period(
    first: str | None, last: str | None, period: tuple[str, str]
) -> None:
    scope = dossier_scope("org:x", first, last, date(2026, 12, 5))
    days = (scope.start.date(), (scope.end - scope.start).days)
    first_day = date.fromisoformat(period[0])
    assert days == (first_day, (date.fromisoformat(period[1]) - first_day).days + 1)


@pytest.mark.parametrize(
    ("first", "last", "status"),
    [
        ("2026-03-02", "2026-03-01", 404),  # ends before it starts
        (None, "0001-01-02", 404),  # the previous period would start before the calendar
        ("2026-02-30", None, 400),  # no such day
        ("20260301", None, 400),  # not the documented form
    ],
)
def test_from_to_without_a_dossier(first: str | None, last: str | None, status: int) -> None:
    with pytest.raises(HTTPException) as raised:
        dossier_scope("org:x", first, last, date(2026, 12, 5))
    assert raised.value.status_code == status
