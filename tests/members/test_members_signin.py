"""Sign-in by emailed link and code, sessions, sign-out and next=, through the site with a real
SMTP server, on SQLite and PostgreSQL: each hostile case of the issue is a test here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from member_flows import ask, confirm_link, csrf_of, mail_to, probe, sign_in, type_code
from sqlalchemy import update

from newsdesk.bootstrap import members_options
from newsdesk.domain.models import utcnow
from newsdesk.members.web.common import form_token
from newsdesk.store.schema import signin_requests

PROBE = "/api/v1/probe/viewer"


def who(client):
    return client.get(PROBE).json()


def session_cookie(client):
    values = [c for c in client.cookies.jar if c.name == "__Host-nd_session"]
    return values[0] if values else None


def test_signing_in_by_the_emailed_link(member_site):
    client, sink = member_site.client, member_site.mail
    asked = ask(client, "ann@example.com")
    assert asked.status_code == 200
    assert "Check your email" in asked.text
    mail = mail_to(sink, "ann@example.com")
    assert "The code and the link work once, for 15 minutes" in mail.text
    page = client.get("/signin/confirm", params={"token": mail.token})
    assert page.status_code == 200 and "Press the button" in page.text
    assert who(client)["kind"] == "anonymous"  # opening the link signs no one in
    done = client.post(
        "/signin/confirm",
        data={"token": mail.token, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/account"
    cookie = done.headers["set-cookie"]
    assert "__Host-nd_session=" in cookie
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=lax" in lowered and "secure" in lowered
    assert "path=/" in lowered and "domain" not in lowered
    shown = who(client)
    assert (shown["kind"], shown["plan"]) == ("member", "free")
    member = member_site.store.member_by_email("ann@example.com")
    assert shown["member"] == member.id  # a new address became a free member


def test_signing_in_by_the_code_typed_where_it_was_asked(member_site):
    client, sink = member_site.client, member_site.mail
    member_site.store.ensure_member("bob@example.com", now=utcnow())
    asked = ask(client, "bob@example.com")
    mail = mail_to(sink, "bob@example.com")
    assert "Sign in to" in mail.text
    done = type_code(client, asked.text, mail.code.replace(" ", "-"))
    assert done.status_code == 303
    assert who(client)["kind"] == "member"


def test_a_mail_scanner_opening_the_link_signs_no_one_in_and_uses_nothing(member_site):
    client, sink = member_site.client, member_site.mail
    ask(client, "ann@example.com")
    mail = mail_to(sink, "ann@example.com")
    scanner = member_site.browser()
    for _ in range(3):
        assert scanner.get(mail.link).status_code == 200
    assert who(scanner)["kind"] == "anonymous"
    assert confirm_link(client, mail.token).status_code == 303


def test_a_replayed_link_and_a_reused_code_are_refused(member_site):
    client, sink = member_site.client, member_site.mail
    asked = ask(client, "ann@example.com")
    mail = mail_to(sink, "ann@example.com")
    page = client.get("/signin/confirm", params={"token": mail.token})
    token = csrf_of(page.text)
    assert (
        client.post(
            "/signin/confirm",
            data={"token": mail.token, "csrf_token": token},
            follow_redirects=False,
        ).status_code
        == 303
    )
    # Replayed with a form token that is valid for the replaying browser: still refused.
    replayer = member_site.browser()
    replayer.cookies.set("__Host-nd_signin", "replayer", domain="insights.example")
    options = members_options(member_site.settings)
    replay = replayer.post(
        "/signin/confirm",
        data={"token": mail.token, "csrf_token": form_token(options, "replayer")},
        follow_redirects=False,
    )
    assert replay.status_code == 400 and "expired or was used" in replay.text
    assert who(replayer)["kind"] == "anonymous"
    stale = client.post(
        "/signin/confirm", data={"token": mail.token, "csrf_token": token}, follow_redirects=False
    )
    assert stale.status_code == 403  # the attempt cookie went with the sign-in
    assert client.get("/signin/confirm", params={"token": mail.token}).status_code == 400
    replayer.cookies.set("__Host-nd_signin", "x", domain="insights.example")
    code_replay = replayer.post(
        "/signin/code",
        data={"code": mail.code, "csrf_token": form_token(options, "x")},
        follow_redirects=False,
    )
    assert code_replay.status_code == 400
    del asked


def test_the_code_dies_with_the_link_and_the_link_with_the_code(member_site):
    client, sink = member_site.client, member_site.mail
    asked = ask(client, "ann@example.com")
    mail = mail_to(sink, "ann@example.com")
    assert type_code(client, asked.text, mail.code).status_code == 303
    second = member_site.browser()
    assert second.get("/signin/confirm", params={"token": mail.token}).status_code == 400


def _expire_requests(store):
    with store.engine.begin() as connection:
        connection.execute(
            update(signin_requests).values(expires_at=utcnow() - timedelta(seconds=1))
        )


def test_an_expired_link_or_code_is_refused(member_site):
    client, sink = member_site.client, member_site.mail
    asked = ask(client, "ann@example.com")
    mail = mail_to(sink, "ann@example.com")
    page = client.get("/signin/confirm", params={"token": mail.token})
    _expire_requests(member_site.store)
    late = client.post(
        "/signin/confirm",
        data={"token": mail.token, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert late.status_code == 400
    assert type_code(client, asked.text, mail.code).status_code == 400
    assert who(client)["kind"] == "anonymous"


def test_only_the_newest_email_works(member_site):
    client, sink = member_site.client, member_site.mail
    ask(client, "ann@example.com")
    first = mail_to(sink, "ann@example.com", 1)
    ask(client, "ann@example.com")
    second = mail_to(sink, "ann@example.com", 2)
    assert (
        member_site.browser().get("/signin/confirm", params={"token": first.token}).status_code
        == 400
    )
    assert confirm_link(client, second.token).status_code == 303


def test_a_code_from_another_accounts_email_does_not_sign_in(member_site):
    alice_browser, sink = member_site.client, member_site.mail
    mallory = member_site.browser()
    ask(alice_browser, "alice@example.com")
    alice_mail = mail_to(sink, "alice@example.com")
    mallory_page = ask(mallory, "mallory@example.com")
    # Mallory types Alice's code on her own attempt: wrong for it, and Alice's still works.
    assert type_code(mallory, mallory_page.text, alice_mail.code).status_code == 400
    assert who(mallory)["kind"] == "anonymous"
    assert confirm_link(alice_browser, alice_mail.token).status_code == 303
    assert who(alice_browser)["member"] == member_site.store.member_by_email("alice@example.com").id


def test_anothers_link_in_a_signed_in_browser_replaces_the_session(member_site):
    client, sink = member_site.client, member_site.mail
    sign_in(client, sink, "bob@example.com")
    bob_session = session_cookie(client).value
    ask(member_site.browser(), "alice@example.com")
    alice_mail = mail_to(sink, "alice@example.com")
    assert confirm_link(client, alice_mail.token).status_code == 303
    alice = member_site.store.member_by_email("alice@example.com")
    assert who(client)["member"] == alice.id
    replay = member_site.browser()
    replay.cookies.set("__Host-nd_session", bob_session, domain="insights.example")
    assert who(replay)["kind"] == "anonymous"  # Bob's session in this browser ended


def test_guessing_codes_burns_the_request(member_site):
    client, sink = member_site.client, member_site.mail
    asked = ask(client, "ann@example.com")
    mail = mail_to(sink, "ann@example.com")
    wrong = "000 000" if mail.code != "000 000" else "111 111"
    for _ in range(5):
        assert type_code(client, asked.text, wrong).status_code == 400
    assert type_code(client, asked.text, mail.code).status_code == 400
    assert member_site.browser().get(mail.link).status_code == 400


def test_guessing_across_requests_is_limited_per_address(member_site):
    client, sink = member_site.client, member_site.mail
    pages = []
    for count in range(1, 4):
        pages.append(ask(client, "ann@example.com"))
        mail_to(sink, "ann@example.com", count)
        for _ in range(4):
            type_code(client, pages[-1].text, "not a code")
    newest = mail_to(sink, "ann@example.com", 3)
    assert type_code(client, pages[-1].text, newest.code).status_code == 400


def test_sign_in_requests_are_rate_limited_alike_for_known_and_unknown_addresses(member_site):
    member_site.store.ensure_member("known@example.com", now=utcnow())
    for address in ("known@example.com", "unknown@example.com"):
        statuses = [ask(member_site.client, address).status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]
    limited = ask(member_site.client, "known@example.com")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert "Too many sign-in requests" in limited.text


def test_known_and_unknown_addresses_get_the_same_answer(member_site):
    member_site.store.ensure_member("known@example.com", now=utcnow())
    known = ask(member_site.browser(), "known@example.com")
    unknown = ask(member_site.browser(), "unknown@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace(csrf_of(known.text), "") == unknown.text.replace(
        csrf_of(unknown.text), ""
    )
    assert set(known.headers) == set(unknown.headers)


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x" * 400, "=?utf-8?q?x?=@ex.com"])
def test_a_malformed_address_is_a_400_with_the_form(member_site, email):
    response = ask(member_site.client, email)
    assert response.status_code in {400, 422}
    assert len(member_site.mail.messages) == 0


def test_a_planted_session_id_is_never_adopted(member_site):
    client, sink = member_site.client, member_site.mail
    planted = "attacker-chosen-session-id"
    client.cookies.set("__Host-nd_session", planted, domain="insights.example")
    assert who(client)["kind"] == "anonymous"
    sign_in(client, sink, "ann@example.com")
    assert session_cookie(client).value != planted
    attacker = member_site.browser()
    attacker.cookies.set("__Host-nd_session", planted, domain="insights.example")
    assert who(attacker)["kind"] == "anonymous"


def test_the_session_id_changes_at_every_sign_in(member_site):
    client, sink = member_site.client, member_site.mail
    sign_in(client, sink, "ann@example.com")
    first = session_cookie(client).value
    sign_in(client, sink, "ann@example.com", count=2)
    second = session_cookie(client).value
    assert first != second
    old = member_site.browser()
    old.cookies.set("__Host-nd_session", first, domain="insights.example")
    assert who(old)["kind"] == "anonymous"


def test_signing_out_ends_the_session_on_the_server(member_site):
    client, sink = member_site.client, member_site.mail
    sign_in(client, sink, "ann@example.com")
    value = session_cookie(client).value
    account = client.get("/account")
    out = client.post(
        "/signout", data={"csrf_token": csrf_of(account.text)}, follow_redirects=False
    )
    assert out.status_code == 303 and out.headers["location"] == "/"
    assert who(client)["kind"] == "anonymous"
    replay = member_site.browser()
    replay.cookies.set("__Host-nd_session", value, domain="insights.example")
    assert who(replay)["kind"] == "anonymous"


OPEN_REDIRECTS = [
    "//evil.example",
    "https://evil.example/account",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%0d%0aSet-Cookie:%20x=1",
    "/account\r\nLocation: https://evil.example",
    "evil.example",
]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_next_after_sign_in_never_leaves_the_site(member_site, target):
    client, sink = member_site.client, member_site.mail
    ask(client, "ann@example.com", next=target)
    mail = mail_to(sink, "ann@example.com")
    done = confirm_link(client, mail.token)
    assert done.status_code == 303
    assert done.headers["location"] == "/account"


def test_next_after_sign_in_keeps_a_local_path(member_site):
    client, sink = member_site.client, member_site.mail
    ask(client, "ann@example.com", next="/search?q=oil&sort=date")
    mail = mail_to(sink, "ann@example.com")
    assert confirm_link(client, mail.token).headers["location"] == "/search?q=oil&sort=date"


def test_with_closed_sign_up_an_unknown_address_gets_the_same_page_and_no_mail(
    member_site, tmp_path
):
    from fastapi.testclient import TestClient

    from newsdesk.bootstrap import build_site
    from site_fixtures import site_settings

    settings = site_settings(
        tmp_path / "closed",
        base_url="https://insights.example",
        smtp_host=member_site.mail.host,
        smtp_port=member_site.mail.port,
        members_open_signup=False,
    )
    member_site.store.ensure_member("known@example.com", now=utcnow())
    with TestClient(
        build_site(settings, member_site.store), base_url="https://insights.example"
    ) as client:
        known = ask(client, "known@example.com")
        unknown = ask(client, "stranger@example.com")
        assert known.status_code == unknown.status_code == 200
        mail_to(member_site.mail, "known@example.com")
        assert member_site.mail.messages_to("stranger@example.com") == []
        assert member_site.store.member_by_email("stranger@example.com") is None


class _Recorder:
    """The store, noting the name of every method called on it."""

    def __init__(self, store, log):
        self._store, self._log = store, log

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            self._log.append(name)
            return attr(*args, **kwargs)

        return call


class _MarkResponse:
    """ASGI middleware noting when a response starts."""

    def __init__(self, app, log):
        self.app, self.log = app, log

    async def __call__(self, scope, receive, send):
        async def marked(message):
            if message["type"] == "http.response.start":
                self.log.append("-- response --")
            await send(message)

        await self.app(scope, receive, marked)


def test_nothing_that_depends_on_the_address_runs_before_the_answer(member_site, tmp_path):
    """No timing difference by construction: before the response, known and unknown addresses
    cause exactly the same store calls, none of which asks whether the address is a member;
    the lookup and the email happen after the response has been sent."""
    from fastapi.testclient import TestClient

    from newsdesk.bootstrap import build_site

    log: list[str] = []
    member_site.store.ensure_member("known@example.com", now=utcnow())
    app = build_site(member_site.settings, _Recorder(member_site.store, log))
    app.add_middleware(_MarkResponse, log=log)
    before = {}
    with TestClient(app, base_url="https://insights.example") as client:
        for address in ("known@example.com", "unknown@example.com"):
            log.clear()
            assert ask(client, address).status_code == 200
            mail_to(member_site.mail, address)
            cut = log.index("-- response --")
            before[address] = log[:cut]
            assert "member_by_email" in log[cut:]
    assert before["known@example.com"] == before["unknown@example.com"]
    assert before["known@example.com"] == ["add_signin_request"]


def test_two_web_processes_share_sign_ins_sessions_and_limits(member_site, database_url):
    """Everything sign-in keeps is in the database: a request made on one web process is
    confirmed on another, the session works on both, and the limits count both."""
    from fastapi.testclient import TestClient

    from newsdesk.bootstrap import build_site
    from newsdesk.store import open_store

    # Two processes: two apps, each with its own store (its own connections) on one database,
    # counting their limits in the database as several web processes do.
    settings = member_site.settings.model_copy(
        update={
            "site": member_site.settings.site.model_copy(update={"rate_limit_backend": "database"})
        }
    )
    stores = [open_store(database_url), open_store(database_url)]
    apps = [build_site(settings, opened) for opened in stores]
    for app in apps:
        app.include_router(probe)
    try:
        with (
            TestClient(apps[0], base_url="https://insights.example") as first,
            TestClient(apps[1], base_url="https://insights.example") as second,
        ):
            asked = ask(first, "ann@example.com")
            mail = mail_to(member_site.mail, "ann@example.com")
            # The same browser, load-balanced to the other process, then back.
            for cookie in first.cookies.jar:
                second.cookies.set(cookie.name, cookie.value, domain="insights.example")
            assert type_code(second, asked.text, mail.code).status_code == 303
            session = session_cookie(second).value
            first.cookies.set("__Host-nd_session", session, domain="insights.example")
            assert who(first)["kind"] == "member"
            assert who(second)["kind"] == "member"
            assert type_code(first, asked.text, mail.code).status_code in {400, 403}
            for client in (first, second, first, second):
                assert ask(client, "bob@example.com").status_code == 200
            assert ask(second, "bob@example.com").status_code == 200
            assert ask(first, "bob@example.com").status_code == 429
    finally:
        for opened in stores:
            opened.close()
