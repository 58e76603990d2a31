"""In headless Chromium: every control of the member and admin pages has an accessible name
that says what it acts on. Each "Remove" button of the alerts table read just "Remove" to a
screen reader (and "Revoke", "Take back", "Sign out", "Save", "Edit" likewise in their lists):
a list of buttons that all read the same is a list of guesses.

Names are Chromium's own (its accessibility tree through the DevTools protocol), for a Team
member with two of everything a list holds; admin pages behind basic auth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from newsdesk.bootstrap import members_options
from newsdesk.domain.access import Plan
from newsdesk.domain.alerts import Alert, AlertKind, EmailMode, PayloadFormat
from newsdesk.domain.models import utcnow
from newsdesk.members.accounts import create_api_key, create_feed_token
from newsdesk.members.secrets import digest, new_opaque
from newsdesk.store import open_store
from site_fixtures import ADMIN_PASSWORD, serve_site, site_settings

# Roles a person operates; each needs a name of its own.
CONTROLS = {"button", "link", "textbox", "searchbox", "combobox", "checkbox", "radio", "spinbutton"}
MEMBER_PAGES = ("/account", "/account/alerts")
ADMIN_PAGES = ("/admin", "/admin/analysis", "/admin/members", "/admin/subscribers", "/admin/leads")


@pytest.fixture
def member_site(demo_copy: Path) -> Iterator[tuple[str, str, int]]:
    """(base URL, session token, member id) for a Team member with two API keys, two feed
    URLs, two seats given, two browser sessions and three alerts (one with a webhook)."""
    settings = site_settings(demo_copy)
    options = members_options(settings)
    store = open_store(settings.store.sqlalchemy_url)
    now = utcnow()
    try:
        owner = store.ensure_member("owner@example.com", now=now)
        store.grant_plan(
            owner.id, Plan.TEAM, until=None, seats=4, source="manual", reason="test",
            actor="tests", now=now,
        )  # fmt: skip
        token = new_opaque()
        for agent, secret in (("Firefox", new_opaque()), ("Firefox", token)):
            store.create_session(
                owner.id, digest(secret), now=now, expires_at=now + timedelta(days=1),
                user_agent=agent, ip=None,
            )  # fmt: skip
        for name in ("dashboard", "dashboard"):
            create_api_key(store, options, owner, name, now=now)
            create_feed_token(store, options, owner, name, now=now)
        for email in ("a@example.com", "b@example.com"):
            store.add_team_seat(owner.id, email, now=now, actor="tests", limit=3)
        hook = store.add_webhook_endpoint(
            owner.id, "https://hooks.example/x", secret="whsec_x", payload=PayloadFormat.STANDARD,
            now=now,
        )  # fmt: skip
        for name, sector in (("Lithium", "mining-metals"), ("Oil", "oil-gas")):
            alert = Alert(
                None, owner.id, AlertKind.SECTOR, name, sectors=(sector,),
                email=EmailMode.INSTANT, webhook_id=hook.id, feed_prefix=f"nf_{name}",
            )  # fmt: skip
            store.add_alert(alert, feed_hash=digest(new_opaque()), now=now)
        member_id = owner.id
    finally:
        store.close()
    for base in serve_site(demo_copy):
        yield base, token, member_id


def controls(page: Any) -> list[tuple[str, str]]:
    """(role, accessible name) of every control in <main> Chromium exposes."""
    session = page.context.new_cdp_session(page)
    full = session.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {node["nodeId"]: node for node in full}
    roots = [n["nodeId"] for n in full if n.get("role", {}).get("value") == "main"]
    assert roots, "no <main> in the accessibility tree"
    shown = []
    stack = list(roots)
    while stack:
        node = by_id.get(stack.pop())
        if node is None:
            continue
        stack.extend(node.get("childIds", []))
        role = node.get("role", {}).get("value", "")
        if role in CONTROLS and not node.get("ignored"):
            shown.append((role, str(node.get("name", {}).get("value", "")).strip()))
    return shown


def ambiguous(page: Any) -> tuple[list[str], list[tuple[str, str]]]:
    """(controls without a name, buttons sharing a name)."""
    found = controls(page)
    unnamed = [role for role, name in found if not name]
    buttons = Counter(name for role, name in found if role == "button")
    return unnamed, [("button", name) for name, count in buttons.items() if count > 1]


def test_member_pages_name_what_each_control_acts_on(
    page: Any, member_site: tuple[str, str, int]
) -> None:
    base, token, _ = member_site
    cookie = members_options(site_settings(Path("unused"))).session_cookie
    page.context.add_cookies([{"name": cookie, "value": token, "url": base}])
    for path in MEMBER_PAGES:
        page.goto(base + path)
        assert page.locator("main form").count() >= 2, path
        unnamed, shared = ambiguous(page)
        assert unnamed == [] and shared == [], (path, unnamed, shared)
    page.goto(base + "/account/alerts")
    for name in ("Lithium", "Oil"):
        page.get_by_role("button", name=f"Remove alert {name}", exact=True).wait_for()
        page.get_by_role("button", name=f"Save email for {name}", exact=True).wait_for()
        page.get_by_role("link", name=f"delivery log of {name}", exact=True).wait_for()
    page.goto(base + "/account")
    for email in ("a@example.com", "b@example.com"):
        page.get_by_role("button", name=f"Take back the seat of {email}", exact=True).wait_for()
    assert page.get_by_role("button", name="Sign out this browser", exact=True).count() == 1
    # The hidden words are for screen readers: the buttons look as they did.
    hidden = page.locator("form[action$='/revoke'] button .visually-hidden").first.bounding_box()
    assert hidden is not None and hidden["width"] <= 1 and hidden["height"] <= 1


def test_admin_pages_name_what_each_control_acts_on(  # type: ignore[no-untyped-def]
    chromium, member_site: tuple[str, str, int]
) -> None:
    base, _, member_id = member_site
    context = chromium.new_context(
        http_credentials={"username": "admin", "password": ADMIN_PASSWORD}
    )
    try:
        admin = context.new_page()
        for title in ("Lithium outlook", "Copper outlook"):  # two rows of "Edit" links
            admin.goto(base + "/admin/analysis/new")
            admin.fill("#piece-title", title)
            admin.fill("#piece-body", f"{title}: prices held in the week.")
            admin.get_by_role("button", name="Save", exact=True).click()
            admin.wait_for_load_state()
        admin.goto(base + "/admin/analysis")
        for title in ("Lithium outlook", "Copper outlook"):
            admin.get_by_role("link", name=f"Edit {title}", exact=True).wait_for()
        for path in (*ADMIN_PAGES, f"/admin/members/{member_id}"):
            response = admin.goto(base + path)
            assert response is not None and response.status == 200, path
            unnamed, shared = ambiguous(admin)
            assert unnamed == [] and shared == [], (path, unnamed, shared)
    finally:
        context.close()
