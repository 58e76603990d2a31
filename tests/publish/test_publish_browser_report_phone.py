"""A Pro reader opens a weekly briefing on a phone: the sources list ends with each article's
original URL, long and without spaces, which widened the page past the screen."""

from __future__ import annotations

import pytest

from site_viewers import SESSION_COOKIES, session_token

PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 360, "height": 740}


@pytest.mark.parametrize("viewport", [PHONE, NARROWEST], ids=["390px", "360px"])
def test_a_report_with_its_sources_fits_a_phone(page, live_site, viewport):
    page.context.add_cookies(
        [{"name": SESSION_COOKIES[0], "value": session_token("pro"), "url": live_site}]
    )
    page.set_viewport_size(viewport)
    page.goto(live_site + "/reports")
    briefing = page.locator('a[href^="/reports/sectors/"]').first.get_attribute("href")
    page.goto(live_site + briefing)
    originals = page.locator("ol.references .original a")
    assert originals.count() > 0  # the full report, not the Pro teaser
    assert max(len(url) for url in originals.all_inner_texts()) > 40
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
