"""End to end in a real browser: the sign-up box on the home page → the confirmation email at a
real SMTP server → the link, the button → an active subscriber with a complete consent record
→ one-click unsubscribe as a mail client does it."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.deliver.links import links_for
from newsdesk.domain.subscribers import ConsentAction, SubscriberStatus
from newsdesk.store import SqlStore, open_store
from ports import bound_socket, port_of
from smtp_sink import SmtpSink


@pytest.fixture
def live_subscribe_site(
    demo_copy: Path, smtp_sink: SmtpSink
) -> Iterator[tuple[str, SqlStore, Settings, SmtpSink]]:
    """The demo site on a writable copy, served by uvicorn on loopback, mailing to the sink."""
    import uvicorn

    from newsdesk.bootstrap import build_site
    from newsdesk.config import Settings

    sock = bound_socket()  # uvicorn listens on it: no other process can take the port
    port = port_of(sock)
    base_url = f"http://127.0.0.1:{port}"
    settings = Settings(
        data_dir=demo_copy,
        secret_key="e2e-secret",  # type: ignore[arg-type]
        base_url=base_url,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        mail_from="Top Insights Today <insights@insights.example>",
        policy_version="privacy-2026-01",
        terms_version="terms-2026-02",
    )
    store = open_store(settings.store.sqlalchemy_url)
    server = uvicorn.Server(
        uvicorn.Config(
            build_site(settings, store), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield base_url, store, settings, smtp_sink
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()


def test_sign_up_in_the_browser_confirm_by_email_then_one_click_unsubscribe(
    live_subscribe_site: tuple[str, SqlStore, Settings, SmtpSink], page: Any
) -> None:
    base_url, store, settings, sink = live_subscribe_site
    page.goto(base_url + "/")
    box = page.locator("form.subscribe-form")
    box.get_by_label("Email address").fill("reader@example.org")
    box.get_by_label("Oil & Gas").check()
    box.get_by_label("Mining & Metals").check()
    box.get_by_label(
        "By clicking subscribe you agree to our privacy and cookie policy and terms"
    ).check()
    box.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state()
    assert "confirmation email is on its way" in page.locator("main").inner_text()

    (mail,) = sink.wait_for(1)
    assert mail.rcpt_tos == ("reader@example.org",)
    text_part = mail.message.get_body(preferencelist=("plain",))
    assert text_part is not None
    links = re.findall(re.escape(base_url) + r"/confirm\?token=\S+", text_part.get_content())  # type: ignore[attr-defined]
    assert len(links) == 1
    html_part = mail.message.get_body(preferencelist=("html",))
    assert html_part is not None and "Confirm my subscription" in html_part.get_content()  # type: ignore[attr-defined]

    page.goto(links[0])
    pending = store.get_subscriber_by_email("reader@example.org")
    assert pending is not None and pending.status is SubscriberStatus.PENDING  # GET did nothing
    page.get_by_role("button", name="Confirm my subscription").click()
    page.wait_for_load_state()
    assert "You are subscribed" in page.locator("main").inner_text()

    subscriber = store.get_subscriber_by_email("reader@example.org")
    assert subscriber is not None and subscriber.id is not None
    assert subscriber.status is SubscriberStatus.ACTIVE
    assert subscriber.sectors == ("oil-gas", "mining-metals")
    assert [s.email for s in store.iter_deliverable_subscribers()] == ["reader@example.org"]
    given, confirmed = store.consent_history(subscriber.id)
    assert (given.action, confirmed.action) == (ConsentAction.GIVEN, ConsentAction.CONFIRMED)
    for event in (given, confirmed):
        assert (event.policy_version, event.terms_version) == ("privacy-2026-01", "terms-2026-02")
        assert event.ip == "127.0.0.1"
    assert (given.form, confirmed.form) == ("home", "confirm")
    assert given.at <= confirmed.at == subscriber.confirmed_at

    # One-click unsubscribe as a mail client sends it: no cookies, no browser, no redirect.
    unsubscribe = links_for(
        base_url,
        "e2e-secret",
        subscriber.id,
        settings.mail.sender,
        version=subscriber.token_version,
    ).unsubscribe
    response = httpx.post(
        unsubscribe,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 200
    assert list(store.iter_deliverable_subscribers()) == []
    assert store.consent_history(subscriber.id)[-1].action is ConsentAction.WITHDRAWN
