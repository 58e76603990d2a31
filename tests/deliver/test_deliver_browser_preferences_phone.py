"""In headless Chromium: the preference centre's checkboxes each sit with their own name. The
labels ran on as one paragraph, so on a phone a line ended "Mining & Metals ☐" and the next
began "EVs & Battery Technology": the box at the end of a line was the next line's sector,
and names broke in two ("Rare Earths & / Commodities"), on desktop widths too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from layout_checks import SPLIT_CHECKBOXES
from newsdesk import bootstrap
from newsdesk.deliver.subscriptions import subscriber_links
from newsdesk.domain.models import utcnow
from newsdesk.domain.subscribers import Subscriber
from newsdesk.store import open_store
from site_fixtures import serve_site, site_settings

VIEWPORTS = [{"width": 375, "height": 812}, {"width": 1280, "height": 900}]


@pytest.fixture
def preferences_page(demo_copy: Path) -> Iterator[str]:
    """The URL of a demo subscriber's preference centre on a live site."""
    settings = site_settings(demo_copy)
    store = open_store(settings.store.sqlalchemy_url)
    try:
        store.import_subscribers([Subscriber(email="reader@example.com")], at=utcnow())
        subscriber = store.get_subscriber_by_email("reader@example.com")
        assert subscriber is not None
        options = bootstrap.subscribe_options(settings, bootstrap.site_sectors(settings))
        link = urlsplit(subscriber_links(options, subscriber).preferences)
    finally:
        store.close()
    for base in serve_site(demo_copy):
        yield f"{base}{link.path}?{link.query}"


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["375px", "1280px"])
def test_each_checkbox_label_stays_on_one_line_with_its_box(  # type: ignore[no-untyped-def]
    chromium, preferences_page: str, viewport: dict[str, int]
) -> None:
    context: Any = chromium.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(preferences_page)
        boxes = page.locator("main form input[type=checkbox]").count()
        assert boxes > 20  # nine sectors, the demo's entities and "Pause"
        split = page.evaluate(SPLIT_CHECKBOXES)
        assert split == []
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
