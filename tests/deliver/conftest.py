"""Fixtures for deliver tests: a real SMTP server on loopback, and the demo site (the site
fixtures come from tests/site_fixtures.py, a plugin of tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store import SqlStore, open_store
from site_fixtures import site_settings
from smtp_sink import SmtpSink


@pytest.fixture
def subscribe_site(
    demo_copy: Path, smtp_sink: SmtpSink
) -> Iterator[tuple[TestClient, SqlStore, Settings, SmtpSink]]:
    """(client, store, settings, sink): the site over a private copy of the demo data,
    mailing through the SMTP sink; like tests/publish's writable_demo, plus mail."""
    from newsdesk.bootstrap import build_site

    settings = site_settings(
        demo_copy,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        base_url="https://insights.example",
        site_name="Insights Example",
        mail_from="Top Insights Today <insights@insights.example>",
        policy_version="privacy-2026-01",
        terms_version="terms-2026-02",
    )
    store = open_store(settings.store.sqlalchemy_url)
    try:
        with TestClient(build_site(settings, store), base_url="https://insights.example") as client:
            yield client, store, settings, smtp_sink
    finally:
        store.close()
