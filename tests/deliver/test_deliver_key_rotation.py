"""Changing NEWSDESK_SECRET_KEY with the old key in NEWSDESK_SECRET_KEYS_PREVIOUS: every link
and token signed before the change keeps working, everything new is signed with the new key,
and dropping the old key ends the old links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from newsdesk.bootstrap import build_site
from newsdesk.config import Settings
from newsdesk.config.groups import SecuritySettings
from newsdesk.deliver.links import CONFIRM_PURPOSE, links_for
from newsdesk.domain.signing import BadTokenError, verify
from newsdesk.domain.subscribers import SubscriberStatus
from newsdesk.store import SqlStore
from site_fixtures import ADMIN_AUTH
from smtp_sink import ReceivedMessage, SmtpSink

Site = tuple[TestClient, SqlStore, Settings, SmtpSink]
BASE = "https://insights.example"
ORIGIN = {"Origin": BASE}
NEW_KEY = "a-new-long-random-key-after-the-change"
ADMIN = ADMIN_AUTH


def _with_keys(settings: Settings, current: str, *previous: str) -> Settings:
    keys = SecuritySettings(secret_key=current, secret_keys_previous=",".join(previous))  # type: ignore[arg-type]
    return settings.model_copy(update={"security": keys})


@contextmanager
def _site(settings: Settings, store: SqlStore) -> Iterator[TestClient]:
    with TestClient(build_site(settings, store), base_url=BASE) as client:
        yield client


def _confirm_token(mail: ReceivedMessage) -> str:
    part = mail.message.get_body(preferencelist=("plain",))
    assert part is not None
    url = re.search(r"https://insights\.example/confirm\?token=\S+", str(part.get_content()))  # type: ignore[attr-defined]
    assert url is not None
    return parse_qs(urlsplit(url.group()).query)["token"][0]


def _path(url: str) -> str:
    """The path and query of a mailed link, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _sign_up(client: TestClient, sink: SmtpSink, email: str) -> str:
    form = {"email": email, "sectors": ["oil-gas"], "consent": "on"}
    before = len(sink.messages)
    assert client.post("/subscribe", data=form, headers=ORIGIN).status_code == 200
    sink.wait_for(before + 1)
    (mail,) = sink.messages_to(email)
    return _confirm_token(mail)


def test_links_mailed_before_a_key_change_keep_working(subscribe_site: Site) -> None:
    client, store, settings, sink = subscribe_site
    old_key = settings.security.secret_key.get_secret_value()
    confirm_old = _sign_up(client, sink, "ada@example.com")  # mailed, not clicked yet
    bob_confirm = _sign_up(client, sink, "bob@example.com")
    assert client.post("/confirm", data={"token": bob_confirm}).status_code == 200
    bob = store.get_subscriber_by_email("bob@example.com")
    assert bob is not None and bob.id is not None
    mailed = links_for(  # as in a digest
        BASE, old_key, bob.id, str(settings.mail.sender), version=bob.token_version
    )

    rotated = _with_keys(settings, NEW_KEY, old_key)
    with _site(rotated, store) as after:
        assert after.get(_path(mailed.preferences)).status_code == 200
        assert "Confirm" in after.get(f"/confirm?token={confirm_old}").text
        assert after.post("/confirm", data={"token": confirm_old}).status_code == 200
        one_click = after.post(_path(mailed.unsubscribe), content=b"List-Unsubscribe=One-Click")
        assert one_click.status_code == 200
        # What is mailed from now on is signed with the new key alone.
        fresh = _sign_up(after, sink, "cy@example.com")
        assert verify(NEW_KEY, CONFIRM_PURPOSE, fresh)["s"]
        with pytest.raises(BadTokenError):
            verify(old_key, CONFIRM_PURPOSE, fresh)
    ada = store.get_subscriber_by_email("ada@example.com")
    bob = store.get_subscriber_by_email("bob@example.com")
    assert ada is not None and ada.status is SubscriberStatus.ACTIVE
    assert bob is not None and bob.status is SubscriberStatus.UNSUBSCRIBED


def test_dropping_the_old_key_ends_its_links(subscribe_site: Site) -> None:
    client, store, settings, sink = subscribe_site
    old_key = settings.security.secret_key.get_secret_value()
    confirm_old = _sign_up(client, sink, "dee@example.com")
    dee = store.get_subscriber_by_email("dee@example.com")
    assert dee is not None and dee.id is not None
    mailed = links_for(BASE, old_key, dee.id, str(settings.mail.sender), version=dee.token_version)
    with _site(_with_keys(settings, NEW_KEY), store) as after:
        assert after.get(_path(mailed.preferences)).status_code == 400
        assert after.post("/confirm", data={"token": confirm_old}).status_code == 400
    dee = store.get_subscriber_by_email("dee@example.com")
    assert dee is not None and dee.status is SubscriberStatus.PENDING


def test_admin_form_tokens_survive_the_change(subscribe_site: Site) -> None:
    client, store, settings, _ = subscribe_site
    article_id = next(a.id for a in store.list_articles() if a.id is not None)
    page = client.get(f"/admin/articles/{article_id}/sectors", auth=ADMIN)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    form = {"csrf_token": found.group(1), "sector": ["oil-gas"], "action": "save"}
    old_key = settings.security.secret_key.get_secret_value()
    path = f"/admin/articles/{article_id}/sectors"
    with _site(_with_keys(settings, NEW_KEY), store) as without_old:
        refused = without_old.post(path, data=form, auth=ADMIN, follow_redirects=False)
        assert refused.status_code == 403
    with _site(_with_keys(settings, NEW_KEY, "an-older-key", old_key), store) as rotated:
        saved = rotated.post(path, data=form, auth=ADMIN, follow_redirects=False)
        assert saved.status_code == 303
    assert store.editor_corrections([article_id]) == {article_id: ("oil-gas",)}
