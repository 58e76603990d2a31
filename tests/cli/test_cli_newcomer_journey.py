"""A newcomer's first hour, end to end, with no SMTP server: the demo, a sign-up on the page
for each of the nine sectors, the confirmation mail as an .eml file in the data dir, the
confirmation, and `newsdesk digest send` writing today's digest as an .eml file."""

from __future__ import annotations

import json
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from cli_support import Invoke
from fastapi.testclient import TestClient

from newsdesk.enrich.sectors.taxonomy import load_taxonomy

ADMIN = ("admin", "newcomer-admin-password")


def _mails(folder: Path) -> dict[str, EmailMessage]:
    return {
        path.name: message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for path in sorted(folder.glob("*.eml"))
    }


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def _form(html: str, action: str) -> dict[str, list[str]]:
    """The named fields of the page's form posting to action, as a browser would send them
    with every checkbox left as the page set it."""
    page = lxml.html.fromstring(html)
    forms = [f for f in page.forms if f.get("action") == action]
    assert forms, f"no form posting to {action}"
    fields: dict[str, list[str]] = {}
    for field in forms[0].inputs:
        name = field.get("name")
        if not name or field.get("type") == "checkbox":
            continue
        fields.setdefault(name, []).append(field.get("value") or "")
    return fields


def test_demo_signup_confirm_and_todays_digest_arrive_as_files(
    newsdesk: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.bootstrap import build_site, open_store
    from newsdesk.config import Settings

    monkeypatch.setenv("NEWSDESK_ADMIN_PASSWORD", ADMIN[1])
    demo = newsdesk("demo", "--no-serve", "--port", "0")  # any free port
    assert demo.exit_code == 0, demo.output
    settings = Settings()
    assert settings.smtp.host == "", "the newcomer has configured no SMTP server"
    mail_dir = settings.store.data_dir / "mail"
    sector_ids = load_taxonomy().ids
    assert len(sector_ids) == 9

    store = open_store(settings)
    try:
        with TestClient(build_site(settings, store), base_url=settings.site.base_url) as client:
            home = client.get("/")
            assert home.status_code == 200
            signup = _form(home.text, "/subscribe")
            offered = lxml.html.fromstring(home.text).xpath(
                '//form[@action="/subscribe"]//input[@name="sectors"]/@value'
            )
            assert sorted(offered) == sorted(sector_ids)
            for sector in sector_ids:
                fields = {**signup, "email": [f"reader-{sector}@example.org"]}
                answer = client.post(
                    "/subscribe", data={**fields, "sectors": [sector], "consent": ["on"]}
                )
                assert answer.status_code == 200, answer.text

            confirmations = _mails(mail_dir)
            assert len(confirmations) == 9
            for name, message in confirmations.items():
                assert message["To"].startswith("reader-")
                links = re.findall(r"https?://\S+/confirm\S*", _text(message))
                assert len(links) == 1, (name, _text(message))
                target = urlsplit(links[0])
                page = client.get(f"{target.path}?{target.query}")
                assert page.status_code == 200 and "Confirm my subscription" in page.text
                done = client.post("/confirm", data=_form(page.text, "/confirm"))
                assert done.status_code == 200 and "You are subscribed" in done.text

            listing = client.get("/admin/mail", auth=ADMIN)
            assert listing.status_code == 200
            assert listing.headers["cache-control"] == "no-store"
            first = sorted(confirmations)[0]
            assert f'href="/admin/mail/{first}"' in listing.text
            shown = client.get(f"/admin/mail/{first}", auth=ADMIN)
            assert shown.status_code == 200 and '<a href="http' in shown.text
            assert client.get(f"/admin/mail/{first}").status_code == 401
            assert client.get("/admin/mail/..%2Fnewsdesk.db", auth=ADMIN).status_code == 404
    finally:
        store.close()

    sent = newsdesk("digest", "send", "--format", "json")
    assert sent.exit_code == 0, sent.output
    report = json.loads(sent.output.strip().splitlines()[-1])
    assert report["sent"] == 9, report
    digests = {n: m for n, m in _mails(mail_dir).items() if n not in confirmations}
    assert len(digests) == 9
    for message in digests.values():
        text = _text(message)
        assert message["List-Unsubscribe"], "every digest carries List-Unsubscribe"
        assert re.search(r"\d+ stor(y|ies)", str(message["Subject"]) + text), text[:400]
