"""In headless Chromium: search from the header box, filter by sector, open an entity, trends."""

from __future__ import annotations

import re
from typing import Any

from site_fixtures import ARTIFACTS


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"analysis_{name}.png"), full_page=True)


def test_search_filter_entity_and_trends(page: Any, live_site: str) -> None:
    page.goto(live_site + "/")
    page.fill("#site-search", "lithium")
    page.press("#site-search", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=lithium"))
    assert page.input_value("#site-search") == "lithium"
    hits = page.locator("li.search-hit")
    assert hits.count() > 1
    assert page.locator("li.search-hit mark").count() >= hits.count()
    assert page.locator("li.search-hit mark").first.inner_text().lower().startswith("lithium")
    shot(page, "search")
    everything = hits.count()

    page.select_option("#search-sector", "evs-battery-tech")
    page.click("form.search-filters button[type=submit]")
    page.wait_for_url(re.compile(r"sector=evs-battery-tech"))
    filtered = page.locator("li.search-hit")
    assert 0 < filtered.count() <= everything
    assert page.input_value("#search-sector") == "evs-battery-tech"
    shot(page, "search_sector")

    page.goto(live_site + "/entities?type=commodity")
    page.get_by_role("link", name="lithium", exact=True).click()
    page.wait_for_url(re.compile(r"/entities/commodity(:|%3A)lithium$"))
    assert page.locator("h1").inner_text().lower() == "lithium"
    chart = page.locator("svg.chart")
    assert chart.count() == 1 and chart.first.is_visible()
    assert page.locator("ol.timeline li").count() > 0
    shot(page, "entity")
    page.locator("ol.timeline li a").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+$"))

    page.goto(live_site + "/trends")
    charts = page.locator("svg.chart")
    assert charts.count() == 2
    assert charts.first.is_visible()
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    assert page.locator("svg.chart polyline").count() > 1
    page.locator("details summary").first.click()
    assert page.locator("details table").first.is_visible()
    shot(page, "trends")


def test_trends_walk_emerging_momentum_and_deals_with_values_on_focus(
    page: Any, live_site: str
) -> None:
    page.goto(live_site + "/trends")
    page.get_by_role("link", name="Emerging", exact=True).click()
    page.wait_for_url(re.compile(r"/trends/emerging$"))
    assert page.locator("h1").inner_text() == "Emerging entities and topics"
    assert page.get_by_role("link", name="CSV").count() == 1
    shot(page, "emerging")

    page.get_by_role("link", name="Sector momentum", exact=True).click()
    page.wait_for_url(re.compile(r"/trends/momentum$"))
    point = page.locator("svg.chart g.point").last
    value = point.locator("text.value")
    assert not value.is_visible()  # values appear on hover or focus only
    page.keyboard.press("Tab")
    point.focus()
    assert value.is_visible() and (value.text_content() or "").isdigit()
    shot(page, "momentum_focus")
    page.locator("details summary").first.click()
    assert page.locator("details table").first.is_visible()

    page.get_by_role("link", name="Deal flow", exact=True).click()
    page.wait_for_url(re.compile(r"/trends/deals$"))
    page.select_option("#deals-by", "country")
    page.click("form[aria-label='Choose the grouping'] button")
    page.wait_for_url(re.compile(r"by=country"))
    rows = page.locator("figure.chart-figure table tbody tr")
    assert rows.count() > 0
    shot(page, "deals")
