"""In headless Chromium: walk the trends, then set up an alert ("any new agreement involving
Namibia", with a webhook) on the account page; a new matching article reaches the loopback
receiver signed with the secret the page showed once."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from alert_site import alert_site
from alert_world import JOGMEC, NAMIBIA, PACT, Owners, Receiver, enriched_article, receiver
from standardwebhooks.webhooks import Webhook

from newsdesk.alerts.percolate import percolate_new
from newsdesk.alerts.webhooks import WebhookOptions, deliver_webhooks
from newsdesk.domain.access import Plan, Viewer, ViewerKind
from newsdesk.store import SqlStore, open_store
from ports import bound_socket, port_of
from site_fixtures import ARTIFACTS, site_settings


@pytest.fixture
def served(demo_copy: Path) -> Iterator[tuple[str, SqlStore, Owners, str]]:
    with receiver() as host:
        sock = bound_socket()  # uvicorn listens on it: no other process can take the port
        port = port_of(sock)
        settings = site_settings(
            demo_copy, base_url=f"http://127.0.0.1:{port}", fetch_allow_hosts=host
        )
        store = open_store(settings.store.sqlalchemy_url)
        percolate_new(store)  # the demo's own articles are not news to the new alert
        owners = Owners(store)
        member_id = owners.add("pro@example.com", Plan.PRO)
        app = alert_site(settings, store, [Viewer(ViewerKind.MEMBER, member_id, Plan.PRO)])
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}", store, owners, host
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            store.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"alerts_{name}.png"), full_page=True)


def test_walk_the_trends_then_set_up_an_alert(
    page: Any, served: tuple[str, SqlStore, Owners, str]
) -> None:
    site, store, owners, host = served
    page.goto(site + "/trends")
    page.get_by_role("link", name="Emerging", exact=True).click()
    page.wait_for_url(re.compile(r"/trends/emerging$"))
    page.get_by_role("link", name="Deal flow", exact=True).click()
    page.wait_for_url(re.compile(r"/trends/deals$"))
    assert page.locator("svg.chart").count() == 1
    shot(page, "deals")

    page.goto(site + "/account/alerts")
    page.select_option("#alert-kind", "fact")
    page.fill("#alert-value", "agreement")
    page.fill("#alert-involving", "country:NA")
    page.fill("#alert-name", "Any new agreement involving Namibia")
    page.select_option("#alert-email", "off")
    page.fill("#alert-webhook", f"http://{host}/hook")
    page.click("form.alert-form button[type=submit]")
    page.wait_for_selector("section.created")
    secret = page.locator("#webhook-secret").inner_text()
    feed = page.locator("#feed-url").inner_text()
    assert secret.startswith("whsec_") and "/feeds/alerts/alf_" in feed
    assert (
        page.locator("table.alerts th[scope=row]").inner_text()
        == "Any new agreement involving Namibia"
    )
    shot(page, "created")

    enriched_article(
        store, "pact", title="JOGMEC and Namibia sign", entities=(JOGMEC, NAMIBIA), facts=(PACT,)
    )
    percolate_new(store)
    options = WebhookOptions(site, "newsdesk-test", allow_hosts=(host,))
    # Playwright's sync API keeps an event loop running on this thread; deliver as a worker
    # would, on a thread of its own.
    with ThreadPoolExecutor(1) as worker:
        sent = worker.submit(deliver_webhooks, store, owners, options).result()
    assert sent.delivered == 1
    headers, payload = Receiver.requests[0]
    assert (
        Webhook(secret).verify(payload, headers)["data"]["alert"]["name"]
        == "Any new agreement involving Namibia"
    )
    answer = page.goto(feed)
    assert answer is not None and answer.status == 200
    assert "JOGMEC and Namibia sign" in page.content()


@pytest.mark.parametrize("width", [390, 1280])
def test_each_alerts_actions_are_on_the_screen_of_a_phone_and_a_desktop(
    page: Any, served: tuple[str, SqlStore, Owners, str], width: int
) -> None:
    """At 390px the five-column table scrolled in its box and each Remove button (and the
    email's Save) began past the screen's right edge; on a phone each alert is now a card."""
    from newsdesk.alerts.create import AlertRequest, create_alert
    from newsdesk.domain.alerts import AlertKind
    from newsdesk.domain.models import utcnow

    site, store, owners, host = served

    def make(words: str) -> object:
        return create_alert(
            store,
            owners,
            AlertRequest(
                email="pro@example.com",
                kind=AlertKind.QUERY,
                value=words,
                webhook_url=f"http://{host}/hook",
            ),
            sectors={},
            entity_name=lambda _id: None,
            allow_hosts=(host,),
            now=utcnow(),
        )

    with ThreadPoolExecutor(1) as pool:  # create_alert runs its own event loop; playwright's is on
        list(pool.map(make, ["lithium", "rare earth refinery capacity in Namibia and Japan"]))
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(site + "/account/alerts")
    controls = page.locator("table.alerts button, table.alerts select, table.alerts a")
    assert controls.count() == 2 * 4  # Save, Remove, the email's select, the delivery log
    outside = page.evaluate(
        """() => [...document.querySelectorAll(
            'table.alerts button, table.alerts select, table.alerts a')]
            .map(e => [e.textContent.trim(), e.getBoundingClientRect()])
            .filter(([, r]) => r.left < 0 || r.right > window.innerWidth || r.width == 0)
            .map(([name]) => name)"""
    )
    assert outside == []
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(
        "[...document.querySelectorAll('.table-scroll')].every(b => b.scrollWidth <= b.clientWidth)"
    )
    table = page.evaluate("getComputedStyle(document.querySelector('table.alerts')).display")
    assert table == ("block" if width == 390 else "table")
    if width == 390:  # each line of a card says what it is
        watches = page.evaluate(
            "getComputedStyle(document.querySelector('td[data-label]'), '::before').content"
        )
        assert watches == '"Watches: "'
    shot(page, f"account_{width}")
