"""The member admin pages: list and find, grant (complimentary with an end), revoke, sign a
member out, import a CSV; every change on record with source "admin"; forms need their
token (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from member_flows import sign_in

from newsdesk.domain.access import Plan
from newsdesk.domain.models import utcnow
from site_fixtures import ADMIN_AUTH

ADMIN = ADMIN_AUTH
PROBE = "/api/v1/probe/viewer"


def token_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def admin_post(client, path, page, **data):
    token = token_of(client.get(page, auth=ADMIN).text)
    return client.post(path, data={"csrf_token": token, **data}, auth=ADMIN, follow_redirects=False)


def test_the_member_pages_need_the_admin(member_site):
    assert member_site.client.get("/admin/members").status_code == 401
    assert member_site.client.get("/admin/members", auth=("admin", "wrong")).status_code == 401


def test_the_list_shows_each_members_plan_and_finds_by_address(member_site):
    store = member_site.store
    ann = store.ensure_member("ann@example.com", now=utcnow())
    store.ensure_member("bob@example.com", now=utcnow())
    store.grant_plan(ann.id, Plan.PRO, until=None, source="cli", reason="", actor="", now=utcnow())
    page = member_site.client.get("/admin/members", auth=ADMIN)
    assert page.status_code == 200 and "no-store" in page.headers["cache-control"]
    assert "ann@example.com" in page.text and "bob@example.com" in page.text
    found = member_site.client.get("/admin/members", params={"q": "ANN"}, auth=ADMIN).text
    assert "ann@example.com" in found and "bob@example.com" not in found


def test_a_complimentary_grant_with_an_end_and_a_revoke_are_on_record(member_site):
    store, client = member_site.store, member_site.client
    ann = store.ensure_member("ann@example.com", now=utcnow())
    page = f"/admin/members/{ann.id}"
    last_day = (date.today() + timedelta(days=30)).isoformat()
    granted = admin_post(
        client, f"{page}/grant", page, plan="pro", until=last_day, reason="complimentary: pilot"
    )
    assert granted.status_code == 303
    state = store.plan_of(ann.id, utcnow())
    assert state.plan is Plan.PRO and state.until.date() == date.fromisoformat(
        last_day
    ) + timedelta(days=1)
    detail = client.get(page, auth=ADMIN).text
    assert "complimentary: pilot" in detail and 'data-plan="pro"' in detail
    assert admin_post(client, f"{page}/revoke", page, reason="pilot over").status_code == 303
    assert store.plan_of(ann.id, utcnow()).plan is Plan.FREE
    records = store.entitlement_records(ann.id)
    assert [(r.action, r.source, r.actor, r.reason) for r in records] == [
        ("grant", "admin", "admin", "complimentary: pilot"),
        ("revoke", "admin", "admin", "pilot over"),
    ]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"plan": "gold", "reason": "x"}, "plan must be"),
        ({"plan": "pro", "until": "2001-01-01", "reason": "x"}, "today or later"),
        ({"plan": "pro", "until": "9999-12-31", "reason": "x"}, "before 9999-12-31"),
        ({"plan": "team", "reason": "x"}, "needs --seats"),
        ({"plan": "pro", "reason": "  "}, "Say why"),
    ],
)
def test_a_bad_grant_is_a_400_and_changes_nothing(member_site, fields, problem):
    store = member_site.store
    ann = store.ensure_member("ann@example.com", now=utcnow())
    page = f"/admin/members/{ann.id}"
    response = admin_post(member_site.client, f"{page}/grant", page, **fields)
    assert response.status_code == 400 and problem in response.text
    assert store.entitlement_records(ann.id) == []


def test_admin_forms_need_their_token_and_this_site(member_site):
    store, client = member_site.store, member_site.client
    ann = store.ensure_member("ann@example.com", now=utcnow())
    path = f"/admin/members/{ann.id}/grant"
    fields = {"plan": "pro", "reason": "x"}
    assert client.post(path, data=fields, auth=ADMIN).status_code == 403
    forged = client.post(path, data={**fields, "csrf_token": "x.y"}, auth=ADMIN)
    assert forged.status_code == 403
    token = token_of(client.get(f"/admin/members/{ann.id}", auth=ADMIN).text)
    cross = client.post(
        path,
        data={**fields, "csrf_token": token},
        auth=ADMIN,
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert store.entitlement_records(ann.id) == []


def test_unknown_or_deleted_members_are_404(member_site):
    store = member_site.store
    gone = store.ensure_member("gone@example.com", now=utcnow())
    store.delete_member(gone.id, now=utcnow(), actor="t", reason="t")
    for member_id in (gone.id, 999999, 2**70):
        assert member_site.client.get(f"/admin/members/{member_id}", auth=ADMIN).status_code in {
            404,
            422,
        }


def test_the_admin_signs_a_member_out_everywhere(member_site):
    sign_in(member_site.client, member_site.mail, "ann@example.com")
    ann = member_site.store.member_by_email("ann@example.com")
    page = f"/admin/members/{ann.id}"
    other = member_site.browser()
    assert admin_post(other, f"{page}/sessions/end-all", page).status_code == 303
    assert member_site.client.get(PROBE).json()["kind"] == "anonymous"


CSV = b"email,plan,until,seats,reason\nann@example.com,pro,2099-01-31,,press\nbad,pro,,,\n"


def test_a_csv_upload_grants_and_a_second_upload_changes_nothing(member_site):
    client = member_site.client
    token = token_of(client.get("/admin/members", auth=ADMIN).text)
    files = {"file": ("grants.csv", CSV, "text/csv")}
    first = client.post(
        "/admin/members/import", data={"csrf_token": token}, files=files, auth=ADMIN
    )
    assert first.status_code == 200
    assert "1 granted, 0 already imported, 1 invalid" in first.text
    assert "Line 3" in first.text
    second = client.post(
        "/admin/members/import", data={"csrf_token": token}, files=files, auth=ADMIN
    )
    assert "0 granted, 1 already imported" in second.text
    ann = member_site.store.member_by_email("ann@example.com")
    assert member_site.store.plan_of(ann.id, utcnow()).plan is Plan.PRO


@pytest.mark.parametrize(
    "content", [b"", b"\xff\xfe\x00bad", b"address,level\nann@example.com,pro\n"]
)
def test_a_bad_csv_upload_is_a_400(member_site, content):
    client = member_site.client
    token = token_of(client.get("/admin/members", auth=ADMIN).text)
    response = client.post(
        "/admin/members/import",
        data={"csrf_token": token},
        files={"file": ("x.csv", content, "text/csv")},
        auth=ADMIN,
    )
    assert response.status_code == 400


def test_a_csv_larger_than_the_request_limit_is_a_413(member_site):
    client = member_site.client
    token = token_of(client.get("/admin/members", auth=ADMIN).text)
    big = b"email,plan\n" + b"someone@example.com,pro\n" * 5000
    response = client.post(
        "/admin/members/import",
        data={"csrf_token": token},
        files={"file": ("big.csv", big, "text/csv")},
        auth=ADMIN,
    )
    assert response.status_code == 413
    assert member_site.store.member_by_email("someone@example.com") is None


def test_every_control_of_the_members_page_has_a_label(member_site):
    """The CSV upload's file input had none: a screen reader announced "file, button"."""
    import lxml.html

    doc = lxml.html.fromstring(member_site.client.get("/admin/members", auth=ADMIN).text)
    labelled = {label.get("for") for label in doc.cssselect("label[for]")}
    controls = doc.cssselect("main input:not([type=hidden]), main select, main textarea")
    assert controls
    unlabelled = [
        c.get("name")
        for c in controls
        if c.get("id") not in labelled and c.getparent().tag != "label" and not c.get("aria-label")
    ]
    assert unlabelled == []
