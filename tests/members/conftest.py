"""Fixtures for the members tests: the site over a fresh store (SQLite and PostgreSQL), with
members' resolver and routers as bootstrap wires them, plus probe routes showing the viewer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from member_flows import probe
from stripe_fake import PRICE, SECRET_KEY, WEBHOOK_SECRET, FakeStripe

from newsdesk.config import Settings
from newsdesk.store import SqlStore
from site_fixtures import site_settings
from smtp_sink import SmtpSink  # tests/conftest.py's smtp_sink fixture: a real SMTP server

BASE_URL = "https://insights.example"


@dataclass
class MemberSite:
    client: TestClient
    store: SqlStore
    settings: Settings
    mail: SmtpSink

    def browser(self) -> TestClient:
        """Another browser (its own cookies) on the same site."""
        other = TestClient(self.client.app, base_url=BASE_URL)
        self._others.append(other)
        return other

    def __post_init__(self) -> None:
        self._others: list[TestClient] = []


def _site(
    store: SqlStore, tmp_path: Path, smtp_sink: SmtpSink, **overrides: object
) -> Iterator[MemberSite]:
    from newsdesk.bootstrap import build_site

    settings = site_settings(
        tmp_path,
        base_url=BASE_URL,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        mail_from="Insights <insights@insights.example>",
        members_trial_days=14,
        **overrides,
    )
    app = build_site(settings, store)
    app.include_router(probe)
    with TestClient(app, base_url=BASE_URL) as client:
        yield MemberSite(client, store, settings, smtp_sink)


@pytest.fixture
def member_site(store: SqlStore, tmp_path: Path, smtp_sink: SmtpSink) -> Iterator[MemberSite]:
    """The site as bootstrap builds it, mailing through a real SMTP server on loopback, plus
    probe routes that show the resolved viewer. No Stripe settings: the Pro page offers the
    lead form, mailed to sales@insights.example."""
    yield from _site(store, tmp_path, smtp_sink, pro_sales_address="sales@insights.example")


@pytest.fixture
def site_without_sales(
    store: SqlStore, tmp_path: Path, smtp_sink: SmtpSink
) -> Iterator[MemberSite]:
    """member_site with no sales address: leads are stored and listed, not mailed."""
    yield from _site(store, tmp_path, smtp_sink)


@pytest.fixture
def fake_stripe() -> Iterator[FakeStripe]:
    with FakeStripe() as fake:
        yield fake


@pytest.fixture
def stripe_site(
    store: SqlStore, tmp_path: Path, smtp_sink: SmtpSink, fake_stripe: FakeStripe
) -> Iterator[MemberSite]:
    """member_site with Stripe configured, its API faked at the network edge (a local HTTP
    server given as NEWSDESK_STRIPE_API_BASE)."""
    yield from _site(
        store,
        tmp_path,
        smtp_sink,
        stripe_secret_key=SECRET_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_price_id=PRICE,
        stripe_api_base=fake_stripe.base_url,
        stripe_grace_days=3,
        pro_price="€49 a month",
    )
