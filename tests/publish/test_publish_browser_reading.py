"""A reader in headless Chromium on the demo data: home → article → Read more → sector."""

from __future__ import annotations

import re

import pytest

PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 360, "height": 740}


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_reader_goes_from_home_to_an_article_and_reads_more(page, live_site):
    page.goto(live_site + "/")
    assert page.locator("h1").inner_text() == "Top insights today"
    first_card = page.locator("article.story-card .story-title a").first
    headline = first_card.inner_text()
    first_card.click()
    page.wait_for_url(re.compile(r".*/articles/\d+$"))
    assert page.locator("h1").inner_text() == headline
    assert page.locator("section.read-more h2").inner_text() == "Read more insights"
    # Dates are shown in the reader's format by site.js (no JavaScript errors allowed).
    shown = page.locator("header time").first
    assert shown.get_attribute("datetime")
    related = page.locator("section.read-more li a").first
    related_title = related.inner_text()
    before = page.url
    related.click()
    page.wait_for_url(re.compile(r".*/articles/\d+$"))
    assert page.url != before
    assert page.locator("h1").inner_text() == related_title


def test_reader_filters_by_sector(page, live_site):
    page.goto(live_site + "/")
    page.locator('nav[aria-label="Sectors"] a', has_text="Mining & Metals").click()
    page.wait_for_url(re.compile(r".*/sectors/mining-metals$"))
    assert page.locator("h1").inner_text() == "Mining & Metals"
    current = page.locator('nav[aria-label="Sectors"] a[aria-current="page"]')
    assert current.inner_text() == "Mining & Metals"
    rows = page.locator("ul.story-rows a.story-row-title")
    assert rows.count() > 0
    rows.first.click()
    page.wait_for_url(re.compile(r".*/stories/\d+$"))
    assert page.locator("ol.coverage li").count() >= 1
    assert page.locator('ul.tags a[href="/sectors/mining-metals"]').count() == 1


def test_keyboard_reaches_the_skip_link_first(page, live_site):
    page.goto(live_site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("viewport", [PHONE, NARROWEST], ids=["390px", "360px"])
def test_nothing_overflows_on_a_phone(page, live_site, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_site + "/")
    article_link = page.locator("article.story-card .story-title a").first.get_attribute("href")
    story_link = page.locator('article.story-card a[href^="/stories/"]').first.get_attribute("href")
    for path in (
        "/",
        article_link,
        "/sectors/oil-gas",
        "/stories",
        story_link,
        "/sources",
        "/search?q=oil",
        "/reports",
        "/facts",
        "/trends",
        "/entities",
        "/pro",
        "/account",
    ):
        page.goto(live_site + path)
        assert no_horizontal_overflow(page), path


@pytest.mark.parametrize(
    "viewport", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "desktop"]
)
def test_the_footer_sits_at_the_bottom_of_a_short_page(page, live_site, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_site + "/search?q=zzqxqzz")
    footer = page.locator("footer.site-footer").bounding_box()
    main = page.locator("main").bounding_box()
    assert footer is not None and main is not None
    bottom = footer["y"] + footer["height"]
    # the footer ends the page, and the page is at least as tall as the window
    assert bottom >= viewport["height"] - 1
    assert bottom == pytest.approx(page.evaluate("document.scrollingElement.scrollHeight"), abs=1)
    # main still spans the page's width (auto margins in a flex column would shrink it)
    assert main["width"] >= min(viewport["width"], 1152) - 1
    assert no_horizontal_overflow(page)


def test_a_wide_tables_caption_stays_on_a_phones_screen(page, live_site):
    """A report's tables are wider than a phone; their captions were centred across the whole
    table, so "Investments (amounts as reported, never converted)" showed as a clipped middle."""
    page.set_viewport_size(PHONE)
    cells = "".join(f"<td>column number {i} of a wide table</td>" for i in range(8))
    caption = "Investments (amounts as reported, never converted) in a caption of some length"
    page.goto(live_site + "/static/site.css")  # same origin: the stylesheet loads
    page.set_content(
        f'<link rel="stylesheet" href="{live_site}/static/site.css"><main class="wrap">'
        f'<div class="table-scroll"><table><caption>{caption}</caption><tr>{cells}</tr>'
        "</table></div></main>"
    )
    box = page.locator("caption").bounding_box()
    table = page.locator("table").bounding_box()
    assert box is not None and table is not None
    assert table["width"] > PHONE["width"]  # the case in question: the table scrolls
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_an_article_tables_words_stay_whole_on_a_phone(page, live_site):
    """A house piece's table on a phone broke its words mid-word ("Panaso nic", "Year s"):
    the article's break-anywhere rule for long URLs let cells shrink below their words."""
    page.set_viewport_size(PHONE)
    words = ["Panasonic", "Albemarle", "Floor (USD/t)", "Years", "Seller", "Contract"]
    row = "".join(f"<td>{word}</td>" for word in words)
    page.goto(live_site + "/static/site.css")  # same origin: the stylesheet loads
    page.set_content(
        f'<link rel="stylesheet" href="{live_site}/static/site.css"><main class="wrap">'
        f'<article class="article"><div class="body"><table><tr>{row}</tr><tr>{row}</tr>'
        "</table></div></article></main>"
    )
    lines = page.evaluate(
        """() => [...document.querySelectorAll("td")].map(td => {
            const range = document.createRange();
            range.selectNodeContents(td);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        })"""
    )
    words_on_lines = dict(zip(words * 2, lines, strict=True))
    assert all(words_on_lines[word] == 1 for word in ("Panasonic", "Albemarle", "Years")), lines


def test_a_charts_figure_takes_the_pages_full_width_on_a_phone(page, live_site):
    """A figure's default 40px side margins took 80px of a phone's 390 from a chart's table."""
    page.set_viewport_size(PHONE)
    page.goto(live_site + "/trends/deals")
    figure = page.locator("figure.chart-figure").first.bounding_box()
    main = page.locator("main h1").bounding_box()
    assert figure is not None and main is not None
    assert figure["x"] == main["x"] and figure["width"] >= PHONE["width"] - 2 * main["x"] - 1


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_a_date_without_a_time_is_that_day_in_every_zone(chromium, live_site, zone):
    """site.js localises <time>: a house piece's bare date (published: 2026-12-01) showed
    "12:00 AM" with the date style asked for, and "Nov 30" west of Greenwich."""
    context = chromium.new_context(timezone_id=zone, locale="en-US")
    try:
        page = context.new_page()
        page.goto(live_site + "/")  # the site's own origin, so its CSP lets site.js run
        page.set_content(
            '<p><time datetime="2026-12-01" data-style="date">1 Dec 2026</time>'
            '<time datetime="2026-12-01T09:30:00+00:00" data-style="datetime">x</time></p>'
            f'<script src="{live_site}/static/site.js"></script>'
        )
        page.wait_for_function("document.querySelector('time').textContent != '1 Dec 2026'")
        shown = page.locator("time").all_inner_texts()
        assert shown[0] == "Dec 1, 2026"
        assert ":30" in shown[1]  # a given time is still localised
    finally:
        context.close()


def test_search_filter_labels_stay_beside_their_controls_on_a_phone(page, live_site):
    """The filters wrapped as one run of words: at 390px "To" ended one line and its date box
    began the next, "Source" sat on a line of its own above its menu."""
    page.set_viewport_size(PHONE)
    page.goto(live_site + "/search?q=oil")
    apart = page.evaluate(
        """() => [...document.querySelectorAll('form.search-filters label[for]')].filter(label => {
            const a = label.getBoundingClientRect();
            const b = document.getElementById(label.htmlFor).getBoundingClientRect();
            return a.bottom <= b.top || b.bottom <= a.top;
        }).map(label => label.textContent.trim())"""
    )
    assert apart == []
    assert no_horizontal_overflow(page)


def test_the_header_lines_up_on_a_phone(page, live_site):
    """Stacked on a phone, the Account link stood 12px in from the brand and the search box
    (a margin meant for the desktop's row), and its focus ring spanned the whole header."""
    page.set_viewport_size(PHONE)
    page.goto(live_site + "/")
    brand = page.locator(".site-header .brand").bounding_box()
    account = page.locator(".site-header .account-link").bounding_box()
    assert brand is not None and account is not None
    assert abs(account["x"] - brand["x"]) < 1
    assert account["width"] < PHONE["width"] / 2


def test_a_focused_sector_link_is_wholly_on_a_phones_screen(page, live_site):
    """The sector menu scrolls sideways on a phone; tabbing onto a half-hidden link left it
    half hidden (the browser scrolls only a wholly hidden one), its focus ring cut."""
    page.set_viewport_size(PHONE)
    page.goto(live_site + "/")
    links = page.locator('nav[aria-label="Sectors"] a').count()
    assert links > 3
    page.locator(".site-header .account-link").focus()
    cut = []
    for _ in range(links):
        page.keyboard.press("Tab")
        box = page.evaluate(
            "(() => { const r = document.activeElement.getBoundingClientRect();"
            " return [document.activeElement.textContent, r.left, r.right]; })()"
        )
        if box[1] < 0 or box[2] > PHONE["width"]:
            cut.append(box[0])
    assert cut == []
