"""The weekly report email's switch on the account page: off and on again behind the session
and its CSRF token, the link from the email turning it off without either (SQLite and
PostgreSQL, through the site)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from member_flows import csrf_of, sign_in

from newsdesk.domain.mail_off import report_mail_off_url


@pytest.fixture
def ann(member_site):
    """member_site's client signed in as ann@example.com; returns her member id."""
    sign_in(member_site.client, member_site.mail, "ann@example.com")
    return member_site.store.member_by_email("ann@example.com").id


def switch(client, mail: str, token: str | None = None):
    csrf = csrf_of(client.get("/account").text) if token is None else token
    return client.post(
        "/account/report-mail", data={"csrf_token": csrf, "mail": mail}, follow_redirects=False
    )


def test_the_account_page_turns_the_report_email_off_and_on(member_site, ann):
    client, store = member_site.client, member_site.store
    assert "Turn the weekly report email off" in client.get("/account").text
    off = switch(client, "off")
    assert off.status_code == 303 and off.headers["location"] == "/account?done=report-mail-off"
    page = client.get(off.headers["location"]).text
    assert "The weekly report email is off." in page and "Turn the weekly report email on" in page
    assert store.get_member(ann).report_mail_off_at is not None
    on = switch(client, "on")
    assert on.status_code == 303 and store.get_member(ann).report_mail_off_at is None
    assert "Turn the weekly report email off" in client.get("/account").text


def test_the_switch_needs_the_session_and_its_csrf_token(member_site, ann):
    client, store = member_site.client, member_site.store
    assert switch(client, "off", token="0" * 40).status_code == 403
    stranger = member_site.browser()
    signed_out = stranger.post("/account/report-mail", data={"mail": "off"}, follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/signin")
    assert store.get_member(ann).report_mail_off_at is None


@pytest.mark.parametrize("mail", ["", "ON", "true", "1", "onn"])
def test_a_value_that_is_neither_on_nor_off_changes_nothing(member_site, ann, mail):
    answer = switch(member_site.client, mail)
    assert answer.status_code == (422 if len(mail) > 3 else 400)  # the field takes 3 characters
    assert member_site.store.get_member(ann).report_mail_off_at is None


def test_the_emailed_link_turns_it_off_and_the_account_page_shows_it(member_site, ann):
    keys = member_site.settings.security.signing_keys
    url = urlsplit(report_mail_off_url("https://insights.example", keys, ann))
    link = f"{url.path}?{url.query}"
    stranger = member_site.browser()  # no cookie: a mail client's one-click POST
    done = stranger.post(link, content=b"List-Unsubscribe=One-Click")
    assert done.status_code == 200 and "is off now" in done.text
    assert "Turn the weekly report email on" in member_site.client.get("/account").text
