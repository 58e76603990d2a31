"""A Pro member in headless Chromium: signs in through the emailed link (a real SMTP server on
loopback), reads a Pro piece in full, signs out and sees the preview again.

The site is served by uvicorn over a copy of the leak world (its Pro piece has a canary after
the preview break) with the real members of site_viewers; nothing about the viewer is
injected."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from leak_world import CANARY_FIGURE, CANARY_NAME, PREVIEW, LeakWorld

from site_fixtures import serve_site
from site_viewers import email_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deliver"))
from smtp_sink import SmtpSink

LINK = re.compile(r"http://127\.0\.0\.1:\d+/signin/confirm\?token=[A-Za-z0-9_\-%=]+")


@pytest.fixture
def signin_site(leak_world: LeakWorld, tmp_path: Path) -> Iterator[tuple[str, SmtpSink]]:
    data_dir = tmp_path / "data"
    shutil.copytree(leak_world.data_dir, data_dir)
    with SmtpSink() as sink:
        for base_url in serve_site(
            data_dir,
            smtp_host=sink.host,
            smtp_port=sink.port,
            mail_from="Insights <insights@insights.example>",
        ):
            yield base_url, sink


def reads_in_full(page) -> bool:
    """The canary (after the break) is on the page: in the summary, as the piece's source
    rights show an excerpt of the body (the leak matrix checks every other place)."""
    shown = page.locator("main").inner_text()
    full = page.locator("section.body").get_attribute("data-access") == "full"
    assert full is (CANARY_FIGURE in shown and CANARY_NAME in shown)
    return full


def sign_in(page, base: str, sink: SmtpSink, email: str) -> None:
    page.goto(f"{base}/signin")
    page.fill("#signin-email", email)
    page.click("form.signin-form button[type=submit]")
    page.wait_for_load_state()
    sink.wait_for(1)
    (mail,) = sink.messages_to(email)
    link = LINK.search(str(mail.message.get_body(preferencelist=("plain",)).get_content()))
    assert link is not None
    page.goto(link.group(0))
    page.click("form[action='/signin/confirm'] button[type=submit]")
    page.wait_for_load_state()


def test_long_urls_and_keys_wrap_on_a_phone(page, signin_site: tuple[str, SmtpSink]) -> None:
    """A private feed URL is about 80 characters of one word: on /account (three of them per
    feed) and in the alert-created box it stretched a 390px phone's page to 950px, header
    and all, so every line of the page scrolled sideways."""
    base, sink = signin_site
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, sink, email_of("pro"))

    def fits() -> bool:
        return bool(page.evaluate("document.scrollingElement.scrollWidth <= innerWidth"))

    page.goto(f"{base}/account")
    page.fill("#key-name", "dashboard")
    page.click("form[action='/account/keys'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("code.new-key").count() == 1 and fits()
    page.fill("#feed-name", "reader")
    page.click("form[action='/account/feeds'] button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/account")
    assert "/feeds/private/" in page.locator("main").inner_text() and fits()

    page.goto(f"{base}/account/alerts")
    page.fill("#alert-value", "copper")
    page.click("form.alert-form button[type=submit]")
    page.wait_for_selector("#feed-url")
    page.wait_for_load_state()  # the new page's stylesheet: unstyled, the URL is one long line
    assert fits()


def test_a_pro_member_signs_in_by_the_emailed_link_reads_in_full_and_signs_out(
    page, signin_site: tuple[str, SmtpSink], leak_world: LeakWorld
) -> None:
    base, sink = signin_site
    article = f"{base}/articles/{leak_world.pro_id}"
    email = email_of("pro")

    page.goto(article)
    assert not reads_in_full(page) and page.locator(".paywall").count() == 1
    assert PREVIEW[0][:40] in page.locator("section.body").inner_text()

    page.goto(f"{base}/signin")
    page.fill("#signin-email", email)
    page.click("form.signin-form button[type=submit]")
    page.wait_for_load_state()
    sink.wait_for(1)
    (mail,) = sink.messages_to(email)
    text = str(mail.message.get_body(preferencelist=("plain",)).get_content())
    link = LINK.search(text)
    assert link is not None, text

    # Opening the link (what a mail scanner does) signs no one in: only its button does.
    page.goto(link.group(0))
    page.goto(article)
    assert not reads_in_full(page)
    page.goto(link.group(0))
    page.click("form[action='/signin/confirm'] button[type=submit]")
    page.wait_for_load_state()
    assert "/signin" not in page.url

    page.goto(article)
    assert reads_in_full(page) and page.locator(".paywall").count() == 0

    page.goto(f"{base}/account")
    assert email in page.locator("main").inner_text()
    page.click("form[action='/signout'] button[type=submit]")
    page.wait_for_load_state()

    page.goto(article)
    assert not reads_in_full(page) and page.locator(".paywall").count() == 1


def test_the_new_alert_forms_labels_stay_beside_their_controls_on_a_phone(
    page, signin_site: tuple[str, SmtpSink]
) -> None:
    """At 390px "Webhook URL" ended one line and its box began the next; "Watch" sat alone
    above its menu."""
    base, sink = signin_site
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, sink, email_of("pro"))
    page.goto(f"{base}/account/alerts")
    apart = page.evaluate(
        """() => [...document.querySelectorAll('form.alert-form label[for]')].filter(label => {
            const a = label.getBoundingClientRect();
            const b = document.getElementById(label.htmlFor).getBoundingClientRect();
            return a.bottom <= b.top || b.bottom <= a.top;
        }).map(label => label.textContent.trim())"""
    )
    assert apart == []
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
