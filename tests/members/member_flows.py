"""Steps of the sign-in flow the members tests share (a uniquely named helper module)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter
from fastapi.testclient import TestClient

from newsdesk.domain.access import Viewer
from newsdesk.publish.web.context import CurrentViewer
from smtp_sink import SmtpSink

LINK = re.compile(r"https://insights\.example/signin/confirm\?token=[A-Za-z0-9_\-%=]+")
CODE = re.compile(r"Your code: (\d{3} \d{3})")
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@dataclass(frozen=True)
class SignInMail:
    link: str
    token: str
    code: str
    text: str


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1)


def ask(client: TestClient, email: str, next: str | None = None):
    data = {"email": email}
    if next is not None:
        data["next"] = next
    return client.post("/signin", data=data)


def mail_to(sink: SmtpSink, email: str, count: int = 1) -> SignInMail:
    """The count-th sign-in email to email (waits for it)."""
    deadline = time.monotonic() + 10
    while len(sink.messages_to(email)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    messages = sink.messages_to(email)
    assert len(messages) >= count, f"{len(messages)} emails to {email}"
    body = messages[count - 1].message.get_body(preferencelist=("plain",))
    text = str(body.get_content())
    link = LINK.search(text)
    code = CODE.search(text)
    assert link and code, text
    token = parse_qs(urlsplit(link.group(0)).query)["token"][0]
    return SignInMail(link.group(0), token, code.group(1), text)


def confirm_link(client: TestClient, token: str):
    page = client.get("/signin/confirm", params={"token": token})
    assert page.status_code == 200, page.text
    return client.post(
        "/signin/confirm",
        data={"token": token, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def type_code(client: TestClient, sent_page_html: str, code: str):
    return client.post(
        "/signin/code",
        data={"code": code, "csrf_token": csrf_of(sent_page_html)},
        follow_redirects=False,
    )


def sign_in(client: TestClient, sink: SmtpSink, email: str, *, count: int = 1):
    """The whole flow by the emailed link; returns the response of the confirming POST."""
    asked = ask(client, email)
    assert asked.status_code == 200, asked.text
    mail = mail_to(sink, email, count)
    done = confirm_link(client, mail.token)
    assert done.status_code == 303, done.text
    return done


# Routes that show the resolved viewer (the tests mount them on the site).
probe = APIRouter()


@probe.get("/api/v1/probe/viewer")
@probe.post("/api/v1/probe/viewer")
def viewer_probe(viewer: CurrentViewer) -> dict[str, object]:
    return _shown(viewer)


@probe.get("/feeds/private/{feed_token}/probe")
def feed_probe(feed_token: str, viewer: CurrentViewer) -> dict[str, object]:
    return _shown(viewer)


def _shown(viewer: Viewer) -> dict[str, object]:
    return {
        "kind": str(viewer.kind),
        "member": viewer.member_id,
        "plan": None if viewer.plan is None else str(viewer.plan),
        "until": None if viewer.plan_until is None else viewer.plan_until.isoformat(),
        "credential": viewer.credential,
    }
