"""Webhook alerts end to end on SQLite and PostgreSQL: percolation, signed deliveries to a
loopback receiver (allow-listed), retries with the same webhook-id, 410, redirects, slow and
absent receivers, private addresses, a member who loses Pro, and a sender killed mid-way
(kill -9 of a real process while the receiver holds its POST)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alert_world import JOGMEC, NAMIBIA, PACT, Owners, Receiver, enriched_article, receiver
from standardwebhooks.webhooks import Webhook

from newsdesk.alerts.create import AlertError, AlertRequest, create_alert
from newsdesk.alerts.percolate import percolate_new
from newsdesk.alerts.webhooks import LEASE, WebhookOptions, deliver_webhooks
from newsdesk.domain.access import Plan
from newsdesk.domain.alerts import AlertKind, Channel, DeliveryStatus
from newsdesk.store import SqlStore

SECTORS = {"mining-metals": "Mining & Metals", "oil-gas": "Oil & Gas"}


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def host() -> Iterator[str]:
    with receiver() as address:
        yield address


def new_alert(store: SqlStore, owners: Owners, url: str, allow: tuple[str, ...], **kind: str):  # type: ignore[no-untyped-def]
    ((name, value),) = kind.items()
    return create_alert(
        store,
        owners,
        AlertRequest("pro@example.com", AlertKind(name), value, webhook_url=url),
        sectors=SECTORS,
        entity_name=lambda entity_id: getattr(store.get_entity(entity_id), "name", None),
        allow_hosts=allow,
        now=datetime.now(UTC),
    )


def options(host: str, **extra: object) -> WebhookOptions:
    values: dict[str, object] = {"allow_hosts": (host,), **extra}
    return WebhookOptions(
        base_url="http://site.example",
        user_agent="newsdesk-test",
        **values,  # type: ignore[arg-type]
    )


def setup(store: SqlStore, host: str) -> tuple[Owners, str, int]:
    owners = Owners(store)
    owners.add("pro@example.com")
    enriched_article(store, "seed", title="Seed", entities=(JOGMEC, NAMIBIA))  # entities exist
    percolate_new(store)
    created = new_alert(store, owners, f"http://{host}/hook", (host,), entity="org:jogmec")
    assert created.webhook_secret is not None and created.webhook_secret.startswith("whsec_")
    article = enriched_article(
        store, "pact", title="JOGMEC <b>signs</b> & more", entities=(JOGMEC, NAMIBIA), facts=(PACT,)
    )
    return owners, created.webhook_secret, article


def test_a_match_is_posted_once_signed(store: SqlStore, host: str) -> None:
    owners, secret, article = setup(store, host)
    report = percolate_new(store)
    assert report.matches == 1 and percolate_new(store).matches == 0  # each article once
    sent = deliver_webhooks(store, owners, options(host))
    assert sent.delivered == 1 and len(Receiver.requests) == 1
    headers, payload = Receiver.requests[0]
    data = Webhook(secret).verify(payload, headers)
    assert data["data"]["article"]["id"] == article
    assert data["data"]["article"]["title"] == "JOGMEC <b>signs</b> & more"  # JSON, not markup
    assert deliver_webhooks(store, owners, options(host)).delivered == 0  # at most once


def test_a_failing_receiver_is_retried_with_the_same_id(store: SqlStore, host: str) -> None:
    owners, secret, _ = setup(store, host)
    percolate_new(store)
    clock = Clock()
    Receiver.status = 500
    first = deliver_webhooks(store, owners, options(host), clock=clock, rng=random.Random(3))
    assert first.retrying == 1
    assert deliver_webhooks(store, owners, options(host), clock=clock).retrying == 0  # not yet due
    Receiver.status = 200
    clock.now += timedelta(seconds=10)
    assert deliver_webhooks(store, owners, options(host), clock=clock).delivered == 1
    ids = [headers["webhook-id"] for headers, _ in Receiver.requests]
    assert len(ids) == 2 and ids[0] == ids[1]
    for headers, payload in Receiver.requests:
        Webhook(secret).verify(payload, headers)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_a_failure(store: SqlStore, host: str, status: int) -> None:
    owners, _, _ = setup(store, host)
    percolate_new(store)
    Receiver.status = status
    report = deliver_webhooks(store, owners, options(host))
    assert report.retrying == 1 and report.delivered == 0 and len(Receiver.requests) == 1
    deliveries = [d for a in store.list_alerts() for d in store.alert_deliveries_of(a.id or 0)]
    assert "redirects are not followed" in (deliveries[0].error or "")


def test_410_disables_the_endpoint_and_tells_the_member(store: SqlStore, host: str) -> None:
    owners, _, _ = setup(store, host)
    percolate_new(store)
    told: list[tuple[int, str, str]] = []
    Receiver.status = 410
    report = deliver_webhooks(store, owners, options(host), notify=lambda *m: told.append(m))
    assert len(report.disabled) == 1
    endpoint = store.get_webhook_endpoint(report.disabled[0])
    assert (
        endpoint is not None and not endpoint.enabled and "410" in (endpoint.disabled_reason or "")
    )
    assert told and told[0][0] == 1
    enriched_article(store, "later", title="JOGMEC again", entities=(JOGMEC,))
    percolate_new(store)
    assert deliver_webhooks(store, owners, options(host)).delivered == 0
    assert len(Receiver.requests) == 1  # nothing more goes to a disabled endpoint


def test_repeated_failure_disables_the_endpoint(store: SqlStore, host: str) -> None:
    owners, _, _ = setup(store, host)
    endpoint_id = store.list_alerts()[0].webhook_id
    assert endpoint_id is not None
    store.set_webhook_endpoint_state(endpoint_id, enabled=True, reason=None, failures=4)
    percolate_new(store)
    clock = Clock()
    Receiver.status = 503
    told: list[tuple[int, str, str]] = []
    for _ in range(12):  # the whole schedule, with the clock moved past each wait
        deliver_webhooks(
            store, owners, options(host), clock=clock, notify=lambda *m: told.append(m)
        )
        clock.now += timedelta(days=1)
    endpoint = store.get_webhook_endpoint(endpoint_id)
    assert (
        endpoint is not None
        and not endpoint.enabled
        and "gave up after 11 attempts" in (endpoint.disabled_reason or "")
    )
    assert len(Receiver.requests) == 11 and told


def test_a_slow_or_absent_receiver_is_retried(store: SqlStore, host: str) -> None:
    owners, _, _ = setup(store, host)
    percolate_new(store)
    Receiver.delay = 1.5
    slow = deliver_webhooks(store, owners, options(host, timeout=0.5))
    assert slow.retrying == 1
    deliveries = store.alert_deliveries_of(store.list_alerts()[0].id or 0)
    assert "no answer within 0.5 s" in (deliveries[0].error or "")


def test_an_absent_receiver_is_retried(store: SqlStore) -> None:
    with receiver() as closed:
        pass  # the port is free again: nobody listens
    owners, _, _ = setup(store, closed)
    percolate_new(store)
    report = deliver_webhooks(store, owners, options(closed))
    assert report.retrying == 1


def test_private_addresses_are_refused_at_creation_and_at_delivery(
    store: SqlStore, host: str
) -> None:
    owners = Owners(store)
    owners.add("pro@example.com")
    enriched_article(store, "seed", title="Seed", entities=(JOGMEC,))
    percolate_new(store)  # before any alert: matches nothing
    for url in (
        "http://127.0.0.1:9/x",
        "http://10.0.0.1/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest",
        "file:///etc/passwd",
        "http://localhost/x",
    ):
        with pytest.raises(AlertError, match="webhook URL refused"):
            new_alert(store, owners, url, (), entity="org:jogmec")
    created = new_alert(store, owners, f"http://{host}/hook", (host,), entity="org:jogmec")
    enriched_article(store, "pact", title="JOGMEC", entities=(JOGMEC,))
    percolate_new(store)
    report = deliver_webhooks(store, owners, options(host, allow_hosts=()))  # allow-list gone
    assert report.retrying == 1 and Receiver.requests == []
    delivery = store.alert_deliveries_of(created.alert.id or 0)[0]
    assert "blocked destination" in (delivery.error or "")


def test_a_member_who_loses_pro_gets_nothing_more(store: SqlStore, host: str) -> None:
    owners, _, _ = setup(store, host)
    percolate_new(store)
    owners.set_plan(1, Plan.FREE)
    report = deliver_webhooks(store, owners, options(host))
    assert report.cancelled == 1 and Receiver.requests == []
    delivery = store.alert_deliveries_of(store.list_alerts()[0].id or 0)[0]
    assert delivery.status is DeliveryStatus.CANCELLED


def test_a_sender_killed_mid_delivery_is_retried_with_the_same_id(
    store: SqlStore, host: str
) -> None:
    owners, secret, _ = setup(store, host)
    percolate_new(store)
    clock = Clock()
    [due] = store.due_deliveries(Channel.WEBHOOK, now=clock())
    assert store.claim_delivery(due, now=clock(), lease_until=clock() + timedelta(seconds=60))
    # ...the process dies here: the row stays SENDING with its lease
    assert deliver_webhooks(store, owners, options(host), clock=clock).delivered == 0
    clock.now += timedelta(seconds=61)
    assert deliver_webhooks(store, owners, options(host), clock=clock).delivered == 1
    headers, payload = Receiver.requests[0]
    assert headers["webhook-id"] == due.message_id
    Webhook(secret).verify(payload, headers)


CHILD = """
import sys
sys.path.insert(0, {tests!r})
from alert_world import Owners
from newsdesk.alerts.webhooks import LEASE, WebhookOptions, deliver_webhooks
from newsdesk.store import open_store

store = open_store({url!r})
options = WebhookOptions("http://site.example", "newsdesk-test", allow_hosts=({host!r},))
deliver_webhooks(store, Owners(store), options)
"""


def test_a_sender_killed_with_sigkill_mid_post_is_retried_with_the_same_id(
    store: SqlStore, database_url: str, host: str
) -> None:
    owners, secret, _ = setup(store, host)
    percolate_new(store)
    Receiver.delay = 60.0  # the receiver holds the request: the sender dies waiting
    script = CHILD.format(tests=str(Path(__file__).parent), host=host, url=database_url)
    child = subprocess.Popen([sys.executable, "-c", script], env={**os.environ})
    try:
        deadline = time.monotonic() + 60
        while not Receiver.requests:
            assert child.poll() is None and time.monotonic() < deadline, "child did not post"
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    Receiver.delay = 0.0
    assert deliver_webhooks(store, owners, options(host)).delivered == 0  # its lease holds
    later = datetime.now(UTC) + LEASE + timedelta(seconds=1)
    assert deliver_webhooks(store, owners, options(host), clock=lambda: later).delivered == 1
    (first, _), (again, payload) = Receiver.requests
    assert again["webhook-id"] == first["webhook-id"]
    Webhook(secret).verify(payload, again)


def test_a_set_stop_event_ends_the_pass_and_leaves_the_delivery_due(
    store: SqlStore, host: str
) -> None:
    owners, _, _ = setup(store, host)
    percolate_new(store)
    stop = threading.Event()
    stop.set()
    stopped = deliver_webhooks(store, owners, options(host), stop_event=stop)
    assert stopped.delivered == 0 and not Receiver.requests
    assert deliver_webhooks(store, owners, options(host)).delivered == 1  # the next pass
    assert len(Receiver.requests) == 1


def test_deleting_the_account_stops_its_alerts_and_erases_its_webhook(
    store: SqlStore, host: str
) -> None:
    owners, _, _ = setup(store, host)
    percolate_new(store)  # a notice is due
    (alert,) = store.list_alerts()
    member_id = alert.member_id
    assert store.delete_member(member_id, now=datetime.now(UTC), actor="member", reason="asked")
    assert store.list_alerts(member_id=member_id) == []
    (delivery,) = store.alert_deliveries_of(alert.id or 0)
    assert delivery.status is DeliveryStatus.CANCELLED and delivery.error == "account deleted"
    endpoint = store.get_webhook_endpoint(alert.webhook_id or 0)
    assert endpoint is not None and not endpoint.enabled
    assert endpoint.url == "" and endpoint.secret == "" and endpoint.previous_secret == ""
    assert deliver_webhooks(store, owners, options(host)).delivered == 0
    enriched_article(store, "after", title="JOGMEC after", entities=(JOGMEC,))
    assert percolate_new(store).matches == 0
    assert Receiver.requests == []
