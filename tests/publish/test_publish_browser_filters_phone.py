"""In headless Chromium at phone widths: every filter form's labels stay beside their
controls. The search filters were fixed for this (test_publish_browser_reading); the facts
tracker's still wrapped as one run of words, so at 375px "Commodity" ended the Type line and
its menu began the next, and "Country" likewise, each label reading as if it named the
control before it."""

from __future__ import annotations

import pytest

PHONES = [{"width": 375, "height": 812}, {"width": 390, "height": 844}]
PAGES = ("/facts", "/search?q=oil", "/entities", "/trends", "/trends/deals")


@pytest.mark.parametrize("viewport", PHONES, ids=["375px", "390px"])
def test_filter_labels_stay_beside_their_controls(page, live_site, viewport):  # type: ignore[no-untyped-def]
    page.set_viewport_size(viewport)
    apart = {}
    for path in PAGES:
        page.goto(live_site + path)
        split = page.evaluate(
            """() => [...document.querySelectorAll('main form label[for]')].filter(label => {
                const control = document.getElementById(label.htmlFor);
                if (!control || ['checkbox', 'radio'].includes(control.type)) return false;
                const a = label.getBoundingClientRect();
                const b = control.getBoundingClientRect();
                return a.bottom <= b.top || b.bottom <= a.top;
            }).map(label => label.textContent.trim())"""
        )
        if split:
            apart[path] = split
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), path
    assert apart == {}
