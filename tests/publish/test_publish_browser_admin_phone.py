"""In headless Chromium at phone widths: the admin pages headed by a person's address. The
address is the page's <h1>, one unbreakable word at heading size, so a subscriber's or
member's page scrolled sideways on a 375px phone for an address as short as
reader.one@example.com (found walking the demo's admin pages after subscribing). And the
sector checkboxes of the admin forms, which ran on as one paragraph: a line ended with the
next line's box ("Mining & Metals ☐" over "EVs & Battery Technology")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from layout_checks import SPLIT_CHECKBOXES
from newsdesk.domain.models import utcnow
from newsdesk.domain.subscribers import Subscriber
from newsdesk.store import open_store
from site_fixtures import ADMIN_PASSWORD, serve_site, site_settings

ADDRESS = "procurement.analyst@industrial-insights.example.com"
PHONES = [{"width": 375, "height": 812}, {"width": 360, "height": 740}]


@pytest.fixture
def admin_site(demo_copy: Path) -> Iterator[tuple[str, int, int]]:
    """(base URL, subscriber id, member id), both with ADDRESS."""
    settings = site_settings(demo_copy)
    store = open_store(settings.store.sqlalchemy_url)
    try:
        store.import_subscribers([Subscriber(email=ADDRESS)], at=utcnow())
        subscriber = store.get_subscriber_by_email(ADDRESS)
        member = store.ensure_member(ADDRESS, now=utcnow())
        assert subscriber is not None and subscriber.id is not None and member.id is not None
        ids = (subscriber.id, member.id)
    finally:
        store.close()
    for base in serve_site(demo_copy):
        yield base, *ids


@pytest.mark.parametrize("viewport", PHONES, ids=["375px", "360px"])
def test_an_address_heading_wraps_instead_of_widening_the_page(  # type: ignore[no-untyped-def]
    chromium, admin_site: tuple[str, int, int], viewport: dict[str, int]
) -> None:
    base, subscriber_id, member_id = admin_site
    context: Any = chromium.new_context(
        viewport=viewport, http_credentials={"username": "admin", "password": ADMIN_PASSWORD}
    )
    try:
        page = context.new_page()
        for path in (f"/admin/subscribers/{subscriber_id}", f"/admin/members/{member_id}"):
            answer = page.goto(base + path)
            assert answer is not None and answer.status == 200, path
            assert page.locator("h1").inner_text() == ADDRESS, path
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= viewport["width"], (path, width)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", PHONES, ids=["375px", "360px"])
def test_each_sector_checkbox_stays_on_a_line_with_its_name(  # type: ignore[no-untyped-def]
    chromium, admin_site: tuple[str, int, int], viewport: dict[str, int]
) -> None:
    base = admin_site[0]
    context: Any = chromium.new_context(
        viewport=viewport, http_credentials={"username": "admin", "password": ADMIN_PASSWORD}
    )
    try:
        page = context.new_page()
        page.goto(base + "/")
        article = page.locator("article.story-card .story-title a").first.get_attribute("href")
        for path in ("/admin/analysis/new", f"/admin{article}/sectors"):
            answer = page.goto(base + path)
            assert answer is not None and answer.status == 200, path
            assert page.locator("main form input[type=checkbox]").count() >= 9, path
            assert page.evaluate(SPLIT_CHECKBOXES) == [], path
    finally:
        context.close()
