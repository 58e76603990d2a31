"""A Pro reader opens a weekly briefing on a phone: the sources list ends with each article's
original URL, long and without spaces, which widened the page past the screen."""

from __future__ import annotations

from datetime import datetime

import pytest

from newsdesk.domain.reports import iso_week_of
from site_viewers import SESSION_COOKIES, session_token

PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 360, "height": 740}


def newest_briefing(page, live_site):
    """The briefing of the first sector /reports lists, for the week of that sector's newest
    article: /reports lists this week and the three before, and this week's briefing is still
    empty on a Monday before the sector's first story."""
    page.goto(live_site + "/reports")
    first = page.locator('a[href^="/reports/sectors/"]').first.get_attribute("href")
    sector = first.split("/")[3]
    answer = page.request.get(f"{live_site}/api/v1/articles?sector={sector}&limit=1").json()
    week = iso_week_of(datetime.fromisoformat(answer["items"][0]["published"]))
    return f"/reports/sectors/{sector}/{week}"


@pytest.mark.parametrize("viewport", [PHONE, NARROWEST], ids=["390px", "360px"])
def test_a_report_with_its_sources_fits_a_phone(page, live_site, viewport):
    page.context.add_cookies(
        [{"name": SESSION_COOKIES[0], "value": session_token("pro"), "url": live_site}]
    )
    page.set_viewport_size(viewport)
    page.goto(live_site + newest_briefing(page, live_site))
    originals = page.locator("ol.references .original a")
    assert originals.count() > 0  # the full report, not the Pro teaser
    assert max(len(url) for url in originals.all_inner_texts()) > 40
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def chart_text_heights(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('svg.chart')].map(svg => {
            const label = svg.querySelector('text');
            return label ? label.getBoundingClientRect().height : 0;
        })"""
    )


@pytest.mark.parametrize("path", ["report", "/trends"])
def test_chart_labels_stay_readable_on_a_phone(page, live_site, path):
    """A chart is drawn 640 units wide: scaled into a 390px screen its 11-unit labels were 6px.
    It keeps a width that leaves them about 10px and scrolls in its own box, not the page."""
    page.context.add_cookies(
        [{"name": SESSION_COOKIES[0], "value": session_token("pro"), "url": live_site}]
    )
    page.set_viewport_size(PHONE)
    if path == "report":
        path = newest_briefing(page, live_site)
    page.goto(live_site + path)
    heights = chart_text_heights(page)
    assert heights and min(heights) >= 9, heights
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(
        "[...document.querySelectorAll('.chart-scroll')].every(box =>"
        " box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX == 'auto')"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    assert min(chart_text_heights(page)) >= 11  # a wide screen draws it at its own size
