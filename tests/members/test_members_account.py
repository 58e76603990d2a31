"""The account page and its forms: plan, digest of the same address, API keys, feed URLs,
sessions, team seats, trial, export and deletion; CSRF on every member form (SQLite and
PostgreSQL, through the site)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from member_flows import csrf_of, sign_in

from newsdesk.domain.access import Plan
from newsdesk.domain.alerts import Alert, AlertKind, PayloadFormat
from newsdesk.domain.leads import Lead
from newsdesk.domain.models import utcnow
from newsdesk.domain.subscribers import ConsentAction, Subscriber, SubscriberStatus
from newsdesk.members.secrets import digest
from site_fixtures import ADMIN_AUTH

PROBE = "/api/v1/probe/viewer"


@pytest.fixture
def ann(member_site):
    """member_site's client signed in as ann@example.com; returns her member row."""
    sign_in(member_site.client, member_site.mail, "ann@example.com")
    return member_site.store.member_by_email("ann@example.com")


def csrf(client) -> str:
    return csrf_of(client.get("/account").text)


def post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf(client), **data}, follow_redirects=False)


def test_the_account_page_needs_a_session(member_site):
    response = member_site.client.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Faccount"


def test_the_account_page_is_private_and_shows_the_plan(member_site, ann):
    page = member_site.client.get("/account")
    assert page.status_code == 200
    assert "ann@example.com" in page.text
    assert 'data-plan="free"' in page.text
    assert "no-store" in page.headers["cache-control"]
    assert "private" in page.headers["cache-control"]
    member_site.store.grant_plan(
        ann.id, Plan.PRO, until=None, source="admin", reason="", actor="admin", now=utcnow()
    )
    assert 'data-plan="pro"' in member_site.client.get("/account").text


def test_the_plan_line_reads_as_a_sentence(member_site, ann):
    # The template's line breaks used to leave "Your plan: Pro ." with a space before the stop.
    def plan_line() -> str:
        page = member_site.client.get("/account").text
        html = re.search(r'<p data-plan="[a-z]+">(.*?)</p>', page, re.S).group(1)
        return " ".join(re.sub(r"<[^>]+>", "", html).split())

    assert plan_line() == "Your plan: Free."
    member_site.store.grant_plan(
        ann.id, Plan.PRO, until=None, source="admin", reason="", actor="admin", now=utcnow()
    )
    assert plan_line() == "Your plan: Pro."
    member_site.store.grant_plan(
        ann.id,
        Plan.PRO,
        until=utcnow() + timedelta(days=30),
        source="admin",
        reason="",
        actor="admin",
        now=utcnow(),
    )
    line = plan_line()
    assert line.startswith("Your plan: Pro — ends ") and line.endswith("."), line
    assert " ." not in line


def test_the_digest_subscriber_of_the_same_address_is_the_same_person(member_site, ann):
    store = member_site.store
    store.import_subscribers(
        [Subscriber(email="ann@example.com", sectors=("oil-gas",), delivery_time="06:30")],
        at=utcnow(),
    )
    page = member_site.client.get("/account").text
    assert "You receive the digest at 06:30" in page
    link = re.search(r'href="(https://insights\.example/preferences\?token=[^"]+)"', page)
    assert link, "no preference-centre link"
    preferences = member_site.client.get(link.group(1).replace("&amp;", "&"))
    assert preferences.status_code == 200 and "a•••@e•••.com" in preferences.text  # masked


def test_an_api_key_is_shown_once_works_and_is_revoked_from_the_page(member_site, ann):
    client = member_site.client
    created = post(client, "/account/keys", name="dashboard")
    assert created.status_code == 200
    key = re.search(r'<code class="new-key">(ndk_[A-Za-z0-9]{40})</code>', created.text).group(1)
    assert "no-store" in created.headers["cache-control"]
    page = client.get("/account").text
    assert key not in page and key[:12] in page and "dashboard" in page
    other = member_site.browser()
    bearer = {"Authorization": f"Bearer {key}"}
    assert other.get(PROBE, headers=bearer).json()["member"] == ann.id
    revoked = post(client, f"/account/keys/{key[:12]}/revoke")
    assert revoked.status_code == 303
    assert other.get(PROBE, headers=bearer).status_code == 401


def test_a_member_cannot_revoke_another_members_key(member_site, ann):
    from newsdesk.bootstrap import members_options
    from newsdesk.members.accounts import create_api_key

    store = member_site.store
    bob = store.ensure_member("bob@example.com", now=utcnow())
    bobs = create_api_key(store, members_options(member_site.settings), bob, "b", now=utcnow())
    post(member_site.client, f"/account/keys/{bobs.token.prefix}/revoke")
    assert [t.prefix for t in store.member_tokens(bob.id)] == [bobs.token.prefix]


def test_a_private_feed_url_reads_as_its_member_until_revoked(member_site, ann):
    client = member_site.client
    assert post(client, "/account/feeds", name="reader").status_code == 303
    page = client.get("/account").text
    url = re.search(r"https://insights\.example/feeds/private/(ndf_[A-Za-z0-9]{40})/top\.xml", page)
    assert url, "no private feed URL on the account page"
    probe = f"/feeds/private/{url.group(1)}/probe"
    other = member_site.browser()
    assert other.get(probe).json()["member"] == ann.id
    assert post(client, f"/account/feeds/{url.group(1)[:12]}/revoke").status_code == 303
    assert other.get(probe).status_code == 404


def test_sessions_are_listed_and_ended_one_by_one_or_all(member_site, ann):
    laptop = member_site.browser()
    sign_in(laptop, member_site.mail, "ann@example.com", count=2)
    sessions = member_site.store.member_sessions(ann.id, now=utcnow())
    assert len(sessions) == 2
    page = member_site.client.get("/account").text
    assert page.count('/end" method="post"') == 2 and "(this browser)" in page
    laptop_session = next(s for s in sessions if f"/account/sessions/{s.id}/end" in page)
    mine = member_site.client.get(PROBE).json()["credential"]
    other_id = next(s.id for s in sessions if f"session {s.id}" != mine)
    assert post(member_site.client, f"/account/sessions/{other_id}/end").status_code == 303
    assert laptop.get(PROBE).json()["kind"] == "anonymous"
    assert member_site.client.get(PROBE).json()["kind"] == "member"
    sign_in(laptop, member_site.mail, "ann@example.com", count=3)
    assert post(member_site.client, "/account/sessions/end-all").status_code == 303
    assert laptop.get(PROBE).json()["kind"] == "anonymous"
    assert member_site.client.get(PROBE).json()["kind"] == "anonymous"
    del laptop_session


def test_a_team_owner_gives_and_takes_back_seats(member_site, ann):
    store, client = member_site.store, member_site.client
    store.grant_plan(
        ann.id, Plan.TEAM, until=None, seats=2, source="admin", reason="", actor="", now=utcnow()
    )
    assert post(client, "/account/team/seats", email="bea@example.com").status_code == 303
    invite = member_site.mail.wait_for(2)[-1]
    assert invite.rcpt_tos == ("bea@example.com",)
    assert post(client, "/account/team/seats", email="cy@example.com").headers["location"] == (
        "/account?done=seat-not-added"  # two people: Ann and Bea
    )
    bea = member_site.browser()
    sign_in(bea, member_site.mail, "bea@example.com", count=2)  # the first was the seat note
    assert bea.get(PROBE).json()["plan"] == "team"
    assert "You have a seat on the team of ann@example.com" in bea.get("/account").text
    seat = store.team_seats(ann.id)[0]
    assert post(client, f"/account/team/seats/{seat.id}/remove").status_code == 303
    assert bea.get(PROBE).json()["plan"] == "free"


def test_a_seat_holder_cannot_give_seats_of_the_owners_team(member_site, ann):
    store = member_site.store
    owner = store.ensure_member("owner@example.com", now=utcnow())
    store.grant_plan(
        owner.id, Plan.TEAM, until=None, seats=5, source="admin", reason="", actor="", now=utcnow()
    )
    store.add_team_seat(owner.id, "ann@example.com", now=utcnow(), actor="o", limit=4)
    post(member_site.client, "/account/team/seats", email="friend@example.com")
    assert [s.email for s in store.team_seats(owner.id)] == ["ann@example.com"]
    assert store.team_seats(ann.id) == []


def test_the_trial_starts_once(member_site, ann):
    client = member_site.client
    assert "Start a 14-day Pro trial" in client.get("/account").text
    assert post(client, "/account/trial").headers["location"] == "/account?done=trial-started"
    assert client.get(PROBE).json()["plan"] == "pro"
    assert "Start a 14-day Pro trial" not in client.get("/account").text
    member_site.store.revoke_plan(ann.id, source="admin", reason="", actor="", now=utcnow())
    assert post(client, "/account/trial").headers["location"] == "/account?done=no-trial"
    assert client.get(PROBE).json()["plan"] == "free"


def test_export_holds_the_persons_data_and_no_secrets(member_site, ann):
    store, client = member_site.store, member_site.client
    store.import_subscribers(
        [Subscriber(email="ann@example.com", sectors=("oil-gas",))], at=utcnow()
    )
    created = post(client, "/account/keys", name="dash")
    key = re.search(r"(ndk_[A-Za-z0-9]{40})", created.text).group(1)
    post(client, "/account/feeds", name="reader")
    feed = re.search(r"/feeds/private/(ndf_[A-Za-z0-9]{40})/", client.get("/account").text).group(1)
    hook_secret = "whsec_" + "S" * 32
    endpoint = store.add_webhook_endpoint(
        ann.id,
        "https://hooks.example/ann",
        secret=hook_secret,
        payload=PayloadFormat.STANDARD,
        now=utcnow(),
    )
    store.add_alert(
        Alert(
            id=None,
            member_id=ann.id,
            kind=AlertKind.QUERY,
            name="lithium",
            query="lithium",
            webhook_id=endpoint.id,
            feed_prefix="ndf_ANNANNAN",
        ),
        feed_hash="f" * 64,
        now=utcnow(),
    )
    store.add_lead(
        Lead(
            name="Ann",
            email="ann@example.com",
            company="Ann Co",
            message="a team plan?",
            created_at=utcnow(),
        )
    )
    response = client.get("/account/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["member"]["email"] == "ann@example.com"
    assert data["plan"]["plan"] == "free"
    assert data["digest"]["subscriber"]["sectors"] == ["oil-gas"]
    assert data["digest"]["consent_record"][0]["action"] == "given"
    assert [k["prefix"] for k in data["api_keys"]] == [key[:12]]
    assert len(data["sessions"]) == 1
    assert [(a["name"], a["query"], a["webhook_id"]) for a in data["alerts"]] == [
        ("lithium", "lithium", endpoint.id)
    ]
    assert [e["url"] for e in data["webhook_endpoints"]] == ["https://hooks.example/ann"]
    assert [(x["company"], x["message"]) for x in data["pro_leads"]] == [("Ann Co", "a team plan?")]
    raw = response.text
    session_value = next(c.value for c in client.cookies.jar if c.name == "__Host-nd_session")
    assert [t["prefix"] for t in data["feed_tokens"]] == [feed[:12]]
    # what is stored to check a key or a feed URL is no more the member's than the secret
    hashes = (digest(key), digest(feed), "token_hash")
    for secret in (key, feed, session_value, "confirm_nonce", hook_secret, "f" * 64, *hashes):
        assert secret not in raw
    json.loads(raw)


def test_deleting_the_account_stops_everything_at_once_and_keeps_consent_evidence(member_site, ann):
    store, client = member_site.store, member_site.client
    store.import_subscribers(
        [Subscriber(email="ann@example.com", sectors=("oil-gas",))], at=utcnow()
    )
    store.grant_plan(
        ann.id, Plan.PRO, until=None, source="admin", reason="", actor="", now=utcnow()
    )
    key = re.search(r"(ndk_[A-Za-z0-9]{40})", post(client, "/account/keys", name="k").text).group(1)
    post(client, "/account/feeds", name="f")
    feed = re.search(r"/feeds/private/(ndf_[A-Za-z0-9]{40})/", client.get("/account").text).group(1)
    laptop = member_site.browser()
    sign_in(laptop, member_site.mail, "ann@example.com", count=2)
    wrong = post(client, "/account/delete", confirm_email="someone@example.com")
    assert wrong.status_code == 400 and store.member_by_email("ann@example.com") is not None
    gone = post(client, "/account/delete", confirm_email="ANN@example.com")
    assert gone.status_code == 200 and "Your account is deleted" in gone.text
    other = member_site.browser()
    assert client.get(PROBE).json()["kind"] == "anonymous"
    assert laptop.get(PROBE).json()["kind"] == "anonymous"
    assert other.get(PROBE, headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert other.get(f"/feeds/private/{feed}/probe").status_code == 404
    assert store.member_by_email("ann@example.com") is None
    subscriber = store.get_subscriber_by_email("ann@example.com")
    assert subscriber.status is SubscriberStatus.UNSUBSCRIBED
    actions = [e.action for e in store.consent_history(subscriber.id)]
    assert actions == [ConsentAction.GIVEN, ConsentAction.WITHDRAWN]
    assert store.entitlement_records(ann.id)[-1].source == "account"


MEMBER_FORMS = [
    ("/signout", {}),
    ("/account/keys", {"name": "x"}),
    ("/account/keys/ndk_AAAAAAAA/revoke", {}),
    ("/account/feeds", {"name": "x"}),
    ("/account/feeds/ndf_AAAAAAAA/revoke", {}),
    ("/account/sessions/1/end", {}),
    ("/account/sessions/end-all", {}),
    ("/account/team/seats", {"email": "x@example.com"}),
    ("/account/team/seats/1/remove", {}),
    ("/account/trial", {}),
    ("/account/delete", {"confirm_email": "ann@example.com"}),
]


@pytest.mark.parametrize(("path", "fields"), MEMBER_FORMS, ids=[p for p, _ in MEMBER_FORMS])
def test_every_member_form_refuses_a_post_without_this_sessions_token(
    member_site, ann, path, fields
):
    client = member_site.client
    good = csrf(client)
    assert client.post(path, data=fields, follow_redirects=False).status_code == 403
    forged = {**fields, "csrf_token": "0" * 40}
    assert client.post(path, data=forged, follow_redirects=False).status_code == 403
    cross = client.post(
        path,
        data={**fields, "csrf_token": good},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert cross.status_code == 403
    fetched = client.post(
        path,
        data={**fields, "csrf_token": good},
        headers={"Sec-Fetch-Site": "cross-site"},
        follow_redirects=False,
    )
    assert fetched.status_code == 403
    # Another member's valid token is not this session's.
    bob = member_site.browser()
    sign_in(bob, member_site.mail, "bob@example.com")
    bobs = csrf(bob)
    stolen = client.post(path, data={**fields, "csrf_token": bobs}, follow_redirects=False)
    assert stolen.status_code == 403
    assert client.get(PROBE).json()["kind"] == "member"  # nothing happened
    assert member_site.store.member_by_email("ann@example.com") is not None
    assert member_site.store.member_tokens(ann.id) == []


@pytest.mark.parametrize("path", ["/signin/confirm", "/signin/code"])
def test_the_sign_in_forms_refuse_a_post_without_the_browsers_token(member_site, path):
    client = member_site.client
    response = client.post(path, data={"token": "x", "code": "123456"}, follow_redirects=False)
    assert response.status_code == 403
    cross = client.post(
        path,
        data={"token": "x", "code": "123456"},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert cross.status_code == 403


def test_the_sign_in_request_refuses_a_cross_site_post(member_site):
    response = member_site.client.post(
        "/signin", data={"email": "ann@example.com"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert member_site.mail.messages == []


@pytest.mark.parametrize(
    "path",
    [
        "/account/sessions/99999999999999999999999/end",
        "/account/sessions/-1/end",
        "/account/team/seats/2147483648/remove",
        "/account/keys/%C3%A9%00/revoke",
    ],
)
def test_hostile_paths_and_tokens_get_a_clear_refusal_never_a_500(member_site, ann, path):
    client = member_site.client
    response = client.post(path, data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert response.status_code in {303, 404, 422}
    odd = client.post(
        "/account/keys", data={"csrf_token": "abc.\u00e9", "name": "x"}, follow_redirects=False
    )
    assert odd.status_code == 403
    code = client.post("/signin/code", data={"csrf_token": "\u00e9" * 10, "code": "\u0661" * 6})
    assert code.status_code == 403


def test_a_non_ascii_admin_form_token_is_refused(member_site):
    ann = member_site.store.ensure_member("ann@example.com", now=utcnow())
    response = member_site.client.post(
        f"/admin/members/{ann.id}/revoke",
        data={"csrf_token": "abc.\u00e9", "reason": "x"},
        auth=ADMIN_AUTH,
    )
    assert response.status_code == 403
