"""The Pro page's lead form without Stripe: stored, mailed to the sales address through a
real SMTP server on loopback (aiosmtpd), listed for admins; CSRF, rate limits, length limits
and hostile input (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest
from member_flows import sign_in

from newsdesk.domain.access import Plan
from newsdesk.domain.leads import LeadMail
from newsdesk.domain.models import utcnow
from site_fixtures import ADMIN_AUTH

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
LEAD = {
    "name": "Dana Ortiz",
    "email": "Dana.Ortiz@Example.COM",
    "company": "Norvik Resources",
    "message": "We need sector analysis\nfor 12 analysts.",
}


def lead_form(client) -> str:
    page = client.get("/pro")
    assert page.status_code == 200
    assert 'action="/pro/lead"' in page.text
    assert "Interested in learning more?" in page.text
    form = page.text.split('action="/pro/lead"', 1)[1]
    match = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert match, "no csrf_token on the lead form"
    return match.group(1)


def send(client, **fields):
    data = {**LEAD, "csrf_token": lead_form(client), **fields}
    return client.post("/pro/lead", data=data)


def wait_for_status(store, status: LeadMail, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        leads = store.recent_leads()
        if leads and leads[0].mail_status is status:
            return leads[0]
        time.sleep(0.02)
    raise AssertionError(f"the lead never became {status}: {store.recent_leads()}")


def test_a_lead_is_stored_mailed_to_sales_and_listed_for_admins(member_site):
    client = member_site.client
    response = send(client)
    assert response.status_code == 200, response.text
    assert "We will be in touch" in response.text
    lead = wait_for_status(member_site.store, LeadMail.SENT)
    assert (lead.name, lead.email, lead.company) == (
        "Dana Ortiz",
        "dana.ortiz@example.com",
        "Norvik Resources",
    )
    assert lead.message == LEAD["message"] and lead.member_id is None
    [mail] = member_site.mail.messages_to("sales@insights.example")
    message = mail.message
    assert message["Reply-To"] == "dana.ortiz@example.com"
    assert message["Subject"] == "Pro lead: Dana Ortiz (Norvik Resources)"
    text = str(message.get_body(preferencelist=("plain",)).get_content())
    assert "for 12 analysts." in text and "https://insights.example/admin/leads" in text
    assert client.get("/admin/leads").status_code == 401
    listing = client.get("/admin/leads", auth=ADMIN_AUTH)
    assert listing.status_code == 200
    assert "dana.ortiz@example.com" in listing.text and 'data-mail="sent"' in listing.text
    assert "no-store" in listing.headers["cache-control"]


def test_hostile_input_is_escaped_on_the_admin_page_and_in_the_email(member_site):
    client = member_site.client
    response = send(
        client,
        name=f"Eve {HOSTILE}\r\nBcc: victim@example.com",
        company=HOSTILE,
        message=f"{HOSTILE}\n</td></tr></table><h1>owned</h1>",
    )
    assert response.status_code == 200
    lead = wait_for_status(member_site.store, LeadMail.SENT)
    assert "\n" not in lead.name and "\r" not in lead.name  # one-line fields stay one line
    listing = client.get("/admin/leads", auth=ADMIN_AUTH).text
    assert "<script>" not in listing and "<img" not in listing and "<h1>owned" not in listing
    assert "&lt;script&gt;" in listing
    [mail] = member_site.mail.messages_to("sales@insights.example")
    assert mail.rcpt_tos == ("sales@insights.example",)  # no header smuggled a recipient
    assert mail.message["Bcc"] is None
    html = str(mail.message.get_body(preferencelist=("html",)).get_content())
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_signed_in_member_finds_the_address_filled_in_and_is_noted(member_site):
    client = member_site.client
    sign_in(client, member_site.mail, "ann@example.com")
    page = client.get("/pro").text
    assert 'value="ann@example.com"' in page
    send(client, email="ann@example.com")
    lead = member_site.store.recent_leads()[0]
    assert lead.member_id == member_site.store.member_by_email("ann@example.com").id


def test_a_pro_member_is_told_their_plan_above_the_form(member_site):
    """Without Stripe a Pro member got only the pitch and "we will get back to you with a
    price", as if they had no plan; now the page says which plan and where its tools are."""
    client = member_site.client
    sign_in(client, member_site.mail, "ann@example.com")
    assert "Your plan:" not in client.get("/pro").text  # free: the form alone
    ann = member_site.store.member_by_email("ann@example.com")
    member_site.store.grant_plan(
        ann.id, Plan.PRO, until=None, source="admin", reason="", actor="admin", now=utcnow()
    )
    page = client.get("/pro").text
    assert "Your plan: Pro." in page and 'href="/reports"' in page
    assert 'action="/pro/lead"' in page  # more seats or a team: still a form away


def test_pro_and_the_account_name_the_plan_alike(member_site):
    """/pro said "Your plan: pro." while /account said "Pro": one name for people, kept by
    the plan itself; the rest of the line (the end date, in UTC) is not re-cased."""
    client = member_site.client
    sign_in(client, member_site.mail, "ann@example.com")
    ann = member_site.store.member_by_email("ann@example.com")
    member_site.store.grant_plan(
        ann.id,
        Plan.TEAM,
        until=datetime(2031, 1, 31, tzinfo=UTC),
        seats=3,
        source="admin",
        reason="",
        actor="admin",
        now=utcnow(),
    )
    assert "Your plan: Team (3 seats) until 2031-01-31 00:00 UTC." in client.get("/pro").text
    assert "Your plan: <strong>Team</strong>" in client.get("/account").text


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"name": "  "}, "your name"),
        ({"email": "not-an-address"}, "valid work email"),
        ({"email": "x@example.com\r\nBcc: a@b.c"}, "valid work email"),
        ({"name": "n" * 201}, "too long"),
        ({"company": "c" * 201}, "too long"),
        ({"message": "m" * 5001}, "too long"),
    ],
)
def test_bad_fields_get_the_form_back_with_what_to_fix(member_site, fields, problem):
    response = send(member_site.client, **fields)
    assert response.status_code == 400
    assert problem in response.text
    assert 'action="/pro/lead"' in response.text  # typed values come back in a fresh form
    assert member_site.store.recent_leads() == []


def test_oversized_fields_are_refused_before_anything_is_stored(member_site):
    response = send(member_site.client, message="m" * 20_000)
    assert response.status_code == 422
    assert member_site.store.recent_leads() == []


def test_the_lead_form_needs_its_token_and_this_site(member_site):
    client = member_site.client
    good = lead_form(client)
    for data, headers in (
        ({**LEAD}, {}),
        ({**LEAD, "csrf_token": "forged.token"}, {}),
        ({**LEAD, "csrf_token": good}, {"Origin": "https://evil.example"}),
        ({**LEAD, "csrf_token": good}, {"Sec-Fetch-Site": "cross-site"}),
    ):
        assert client.post("/pro/lead", data=data, headers=headers).status_code == 403
    assert member_site.store.recent_leads() == []


def test_leads_are_rate_limited_per_address(member_site):
    client = member_site.client
    codes = [send(client).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]  # three an hour for one address (the default)
    assert len(member_site.store.recent_leads()) == 3
    assert send(client, email="other@example.com").status_code == 200


def test_leads_are_rate_limited_per_client(member_site):
    client = member_site.client
    codes = [send(client, email=f"p{i}@example.com").status_code for i in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_without_a_sales_address_leads_are_only_listed(site_without_sales):
    site = site_without_sales
    response = send(site.client)
    assert response.status_code == 200
    [lead] = site.store.recent_leads()
    assert lead.mail_status is LeadMail.OFF
    assert site.mail.messages == []
    listing = site.client.get("/admin/leads", auth=ADMIN_AUTH).text
    assert "NEWSDESK_PRO_SALES_ADDRESS" in listing and "Dana Ortiz" in listing


def test_a_mail_server_that_refuses_marks_the_lead_failed(member_site):
    member_site.mail.reject_recipient("sales@insights.example")
    assert send(member_site.client).status_code == 200
    lead = wait_for_status(member_site.store, LeadMail.FAILED)
    assert lead.name == "Dana Ortiz"
    listing = member_site.client.get("/admin/leads", auth=ADMIN_AUTH).text
    assert re.search(r'data-mail="failed"', listing)
