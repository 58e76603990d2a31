"""The JSON API keeps the contract /openapi.json states: a property-based API tester
(Schemathesis) generates requests from the document, valid and invalid, and every check it
has must pass: no 5xx, only documented statuses, bodies and headers as documented, requests
valid by the schema accepted and invalid ones refused.

One deliberate gap: cursors are opaque tokens the API hands out (next_cursor). A made-up one
that happens to match their pattern is refused with a documented 400, which the tester's
"schema-valid request accepted" check would count against us, so requests that carry a
generated cursor are not sent in the positive phase; tests/publish/test_publish_cursors.py
and the route fuzzer cover cursors, hostile ones included.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.engine import events

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
        generated_cursor = bool((case.query or {}).get("cursor"))
        return not (generated_cursor and case.meta.generation.mode.is_positive)

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
    ],
)
def test_values_outside_the_schema_are_refused(api_app: Any, path: str) -> None:
    with TestClient(api_app) as client:
        answer = client.get(path)
    assert answer.status_code == 400
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
