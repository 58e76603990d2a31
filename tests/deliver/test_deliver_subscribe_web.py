"""Sign-up, double opt-in, preference centre and unsubscribe through the site's routes, with the
emails read back from a real SMTP server on loopback."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.deliver.links import SubscriberLinks, confirm_token, links_for
from newsdesk.domain.models import utcnow
from newsdesk.domain.subscribers import ConsentAction, SubscriberStatus
from newsdesk.store import SqlStore
from site_fixtures import ADMIN_AUTH
from site_viewers import as_viewer
from smtp_sink import ReceivedMessage, SmtpSink

Site = tuple[TestClient, SqlStore, Settings, SmtpSink]
ORIGIN = {"Origin": "https://insights.example"}
URL = re.compile(r"https://insights\.example/[a-z]+\?token=[A-Za-z0-9_.%=-]+")


def _sign_up(
    client: TestClient, email: str, sectors: tuple[str, ...] = ("oil-gas",), **extra: str
) -> object:
    form = {"email": email, "sectors": list(sectors), "consent": "on", "form": "home", **extra}
    return client.post("/subscribe", data=form, headers=ORIGIN)


def _text(received: ReceivedMessage) -> str:
    part = received.message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def _link(received: ReceivedMessage, path: str) -> str:
    for url in URL.findall(_text(received)):
        if urlsplit(url).path == path:
            return url
    raise AssertionError(f"no {path} link in: {_text(received)}")


def _links(settings: Settings, store: SqlStore, subscriber_id: int) -> SubscriberLinks:
    """The subscriber's current links, as the next digest would carry them."""
    subscriber = store.get_subscriber(subscriber_id)
    assert subscriber is not None
    return links_for(
        settings.site.base_url,
        settings.security.secret_key.get_secret_value(),
        subscriber_id,
        "x@example.com",
        version=subscriber.token_version,
    )


def _token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def _confirm_by_mail(client: TestClient, sink: SmtpSink, email: str) -> None:
    (mail,) = sink.messages_to(email)[-1:]
    response = client.post("/confirm", data={"token": _token(_link(mail, "/confirm"))})
    assert response.status_code == 200


def test_sign_up_sends_a_confirmation_and_records_consent(subscribe_site: Site) -> None:
    client, store, _, sink = subscribe_site
    response = _sign_up(client, "Ada@Example.COM", ("oil-gas", "mining-metals"))
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "confirmation email" in response.text  # type: ignore[attr-defined]
    (mail,) = sink.wait_for(1)
    assert mail.rcpt_tos == ("ada@example.com",)  # one identity: lower-cased whole
    # The configured site name, as in the digest (not the product's default name).
    assert mail.message["Subject"] == "Confirm your subscription to Insights Example"
    subscriber = store.get_subscriber_by_email("Ada@example.com")  # found in any case
    assert subscriber is not None
    assert subscriber.status is SubscriberStatus.PENDING
    assert subscriber.sectors == ("oil-gas", "mining-metals")
    (given,) = store.consent_history(subscriber.id or 0)
    assert given.action is ConsentAction.GIVEN
    assert (given.policy_version, given.terms_version) == ("privacy-2026-01", "terms-2026-02")
    assert (given.ip, given.form) == ("testclient", "home")


def test_known_and_unknown_addresses_get_the_same_answer(subscribe_site: Site) -> None:
    client, store, _, sink = subscribe_site
    _sign_up(client, "known@example.com")
    _confirm_by_mail(client, sink, "known@example.com")
    sink.clear()
    # Everything that depends on the address runs after the response (a background task),
    # so the answer cannot differ in content or in the work done before it is sent.
    answers = {
        email: _sign_up(client, email) for email in ("known@example.com", "unknown@example.com")
    }
    known, unknown = answers["known@example.com"], answers["unknown@example.com"]
    assert known.status_code == unknown.status_code == 200  # type: ignore[attr-defined]
    assert known.text == unknown.text  # type: ignore[attr-defined]
    # The known one is told (by email only) that it is subscribed already; no new pending link.
    (note,) = sink.messages_to("known@example.com")
    assert "already subscribed" in _text(note)
    assert "/confirm" not in _text(note)
    (confirmation,) = sink.messages_to("unknown@example.com")
    assert "/confirm?token=" in _text(confirmation)
    active = store.get_subscriber_by_email("known@example.com")
    assert active is not None and active.status is SubscriberStatus.ACTIVE


def test_json_api_answers_202_the_same_for_known_and_unknown(subscribe_site: Site) -> None:
    client, store, _, sink = subscribe_site
    body = {"email": "api@example.com", "sectors": ["oil-gas"], "consent": True}
    first = client.post("/api/v1/subscribe", json=body)
    second = client.post("/api/v1/subscribe", json=body)
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert first.json()["status"] == "pending"
    assert "post" in client.get("/openapi.json").json()["paths"]["/api/v1/subscribe"]
    assert len(sink.wait_for(2)) == 2
    subscriber = store.get_subscriber_by_email("api@example.com")
    assert subscriber is not None
    assert [e.form for e in store.consent_history(subscriber.id or 0)] == ["api", "api"]


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        ({"email": "not-an-address", "sectors": ["oil-gas"], "consent": "on"}, "valid email"),
        (
            {
                "email": "a@example.com\r\nBcc: b@example.com",
                "sectors": ["oil-gas"],
                "consent": "on",
            },
            "valid email",
        ),
        ({"email": "a@example.com", "sectors": ["oil-gas"]}, "agree"),
        ({"email": "a@example.com", "sectors": ["no-such-sector"], "consent": "on"}, "sectors"),
        ({"email": "a@example.com", "consent": "on"}, "at least one sector"),
    ],
)
def test_bad_sign_ups_are_refused_and_nothing_is_sent(
    subscribe_site: Site, form: dict[str, object], problem: str
) -> None:
    client, store, _, sink = subscribe_site
    response = client.post("/subscribe", data=form, headers=ORIGIN)
    assert response.status_code == 400
    assert problem in response.text
    assert store.get_subscriber_by_email("a@example.com") is None
    assert sink.messages == []


def test_a_json_sign_up_with_an_api_key_is_refused_as_documented(subscribe_site: Site) -> None:
    """The sign-up counts against the asker's API quota, so it reads the credentials sent;
    API keys are read-only, so one sent with this write is refused (documented)."""
    client, store, _, sink = subscribe_site
    body = {"email": "keyed@example.com", "sectors": ["oil-gas"], "consent": True}
    refused = client.post("/api/v1/subscribe", json=body, headers=as_viewer("free key"))
    assert refused.status_code == 403 and "read-only" in refused.json()["error"]
    documented = client.get("/openapi.json").json()["paths"]["/api/v1/subscribe"]["post"]
    assert {"401", "403", "429"} <= set(documented["responses"])
    assert store.get_subscriber_by_email("keyed@example.com") is None and sink.messages == []


def test_api_refuses_bad_input_with_json(subscribe_site: Site) -> None:
    client, _, _, _ = subscribe_site
    response = client.post(
        "/api/v1/subscribe", json={"email": "x@@example", "sectors": ["oil-gas"], "consent": True}
    )
    assert response.status_code == 400
    assert "valid email" in response.json()["error"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://insights.example.evil.example"},
    ],
)
def test_cross_site_form_post_is_refused(subscribe_site: Site, headers: dict[str, str]) -> None:
    client, store, _, _ = subscribe_site
    form = {"email": "victim@example.com", "sectors": ["oil-gas"], "consent": "on"}
    response = client.post("/subscribe", data=form, headers=headers)
    assert response.status_code == 403
    assert store.get_subscriber_by_email("victim@example.com") is None


def test_per_address_rate_limit(subscribe_site: Site) -> None:
    client, _, settings, sink = subscribe_site
    limit = settings.subscribe.rate_per_address
    codes = [_sign_up(client, "flood@example.com").status_code for _ in range(limit + 2)]  # type: ignore[attr-defined]
    assert codes == [200] * limit + [429, 429]
    assert len(sink.messages_to("flood@example.com")) == limit


def test_per_ip_rate_limit(subscribe_site: Site) -> None:
    client, _, settings, _ = subscribe_site
    limit = settings.subscribe.rate_per_ip
    codes = [
        client.post(
            "/api/v1/subscribe",
            json={"email": f"ip{i}@example.com", "sectors": ["oil-gas"], "consent": True},
        ).status_code
        for i in range(limit + 1)
    ]
    assert codes == [202] * limit + [429]


def test_get_never_confirms_and_post_confirms_once(subscribe_site: Site) -> None:
    client, store, _, sink = subscribe_site
    _sign_up(client, "scan@example.com")
    (mail,) = sink.wait_for(1)
    url = _link(mail, "/confirm")
    for _ in range(3):  # a link scanner opening the link
        page = client.get(url)
        assert page.status_code == 200
        assert "Confirm my subscription" in page.text
        assert "<title>Confirm your subscription" in page.text
    subscriber = store.get_subscriber_by_email("scan@example.com")
    assert subscriber is not None and subscriber.status is SubscriberStatus.PENDING
    confirmed = client.post("/confirm", data={"token": _token(url)})
    assert confirmed.status_code == 200
    assert "You are subscribed" in confirmed.text
    assert "<title>You are subscribed" in confirmed.text
    reused = client.post("/confirm", data={"token": _token(url)})
    assert reused.status_code == 200
    assert "already confirmed" in reused.text
    assert "<title>You are subscribed" in reused.text
    history = store.consent_history(subscriber.id or 0)
    assert [e.action for e in history] == [ConsentAction.GIVEN, ConsentAction.CONFIRMED]
    confirmed_event = history[1]
    assert (confirmed_event.ip, confirmed_event.form) == ("testclient", "confirm")
    assert confirmed_event.policy_version == "privacy-2026-01"


def test_a_new_sign_up_invalidates_the_previous_link(subscribe_site: Site) -> None:
    client, store, _, sink = subscribe_site
    _sign_up(client, "twice@example.com")
    _sign_up(client, "twice@example.com", ("mining-metals",))
    first, second = sink.wait_for(2)
    old = client.post("/confirm", data={"token": _token(_link(first, "/confirm"))})
    assert old.status_code == 400
    assert client.get(_link(first, "/confirm")).status_code == 200  # signature still fine
    new = client.post("/confirm", data={"token": _token(_link(second, "/confirm"))})
    assert new.status_code == 200
    subscriber = store.get_subscriber_by_email("twice@example.com")
    assert subscriber is not None
    assert (subscriber.status, subscriber.sectors) == (
        SubscriberStatus.ACTIVE,
        ("mining-metals",),
    )


def test_expired_and_forged_confirmation_tokens_are_refused(subscribe_site: Site) -> None:
    client, store, settings, sink = subscribe_site
    _sign_up(client, "late@example.com")
    (mail,) = sink.wait_for(1)
    subscriber = store.get_subscriber_by_email("late@example.com")
    assert subscriber is not None and subscriber.confirm_nonce is not None
    secret = settings.security.secret_key.get_secret_value()
    expired = confirm_token(
        secret, subscriber.id or 0, subscriber.confirm_nonce, now=time.time() - 73 * 3600
    )
    forged = confirm_token("another-secret", subscriber.id or 0, subscriber.confirm_nonce)
    genuine = _token(_link(mail, "/confirm"))
    tampered = genuine[:-3] + ("AAA" if not genuine.endswith("AAA") else "BBB")
    for token in (expired, forged, tampered, "", "garbage"):
        assert client.get("/confirm", params={"token": token}).status_code == 400
        assert client.post("/confirm", data={"token": token}).status_code == 400
    still = store.get_subscriber(subscriber.id or 0)
    assert still is not None and still.status is SubscriberStatus.PENDING


def _active(client: TestClient, store: SqlStore, sink: SmtpSink, email: str) -> int:
    _sign_up(client, email)
    sink.wait_for(1)
    _confirm_by_mail(client, sink, email)
    subscriber = store.get_subscriber_by_email(email)
    assert subscriber is not None and subscriber.id is not None
    return subscriber.id


def test_one_click_unsubscribe_without_cookies_is_immediate_and_idempotent(
    subscribe_site: Site,
) -> None:
    client, store, settings, sink = subscribe_site
    subscriber_id = _active(client, store, sink, "leaver@example.com")
    links = _links(settings, store, subscriber_id)
    bare = TestClient(client.app, base_url="https://insights.example", cookies=None)
    page = bare.get(links.unsubscribe)
    assert page.status_code == 200
    assert "Stop sending" in page.text
    assert store.get_subscriber(subscriber_id).status is SubscriberStatus.ACTIVE  # type: ignore[union-attr]
    for _ in range(2):
        response = bare.post(
            links.unsubscribe,
            content=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
        assert response.status_code == 200
        assert "set-cookie" not in response.headers
    assert list(store.iter_deliverable_subscribers()) == []
    assert "is unsubscribed" in bare.get(links.unsubscribe).text
    history = store.consent_history(subscriber_id)
    withdrawn = [e for e in history if e.action is ConsentAction.WITHDRAWN]
    assert [(e.form, e.ip) for e in withdrawn] == [("one-click", "testclient")]


def test_forged_unsubscribe_token_is_refused(subscribe_site: Site) -> None:
    client, store, _, sink = subscribe_site
    subscriber_id = _active(client, store, sink, "stay@example.com")
    forged = links_for(
        "https://insights.example", "wrong-secret", subscriber_id, "x@example.com", version=1
    )
    response = client.post(forged.unsubscribe, content=b"List-Unsubscribe=One-Click")
    assert response.status_code == 400
    assert store.get_subscriber(subscriber_id).status is SubscriberStatus.ACTIVE  # type: ignore[union-attr]


def test_preference_centre_changes_and_records(subscribe_site: Site) -> None:
    client, store, settings, sink = subscribe_site
    subscriber_id = _active(client, store, sink, "prefs@example.com")
    links = _links(settings, store, subscriber_id)
    page = client.get(links.preferences)
    assert page.status_code == 200
    assert 'name="timezone"' in page.text and "Europe/Berlin" in page.text
    form = {
        "token": _token(links.preferences),
        "sectors": ["mining-metals", "ai-semiconductors"],
        "delivery_time": "06:30",
        "timezone": "Europe/Berlin",
        "paused": "on",
    }
    saved = client.post("/preferences", data=form, headers=ORIGIN)
    assert saved.status_code == 200
    assert "Saved." in saved.text
    subscriber = store.get_subscriber(subscriber_id)
    assert subscriber is not None
    assert subscriber.sectors == ("mining-metals", "ai-semiconductors")
    assert (subscriber.delivery_time, subscriber.timezone, subscriber.paused) == (
        "06:30",
        "Europe/Berlin",
        True,
    )
    assert list(store.iter_deliverable_subscribers()) == []  # paused
    last = store.consent_history(subscriber_id)[-1]
    assert (last.action, last.form) == (ConsentAction.PREFERENCES, "preferences")


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("timezone", "Mars/Olympus_Mons", "time zone"),
        ("timezone", "../../etc/passwd", "time zone"),
        ("delivery_time", "25:00", "HH:MM"),
        ("delivery_time", "7am", "HH:MM"),
    ],
)
def test_preference_centre_refuses_bad_values(
    subscribe_site: Site, field: str, value: str, problem: str
) -> None:
    client, store, settings, sink = subscribe_site
    subscriber_id = _active(client, store, sink, "bad@example.com")
    links = _links(settings, store, subscriber_id)
    form = {
        "token": _token(links.preferences),
        "sectors": ["oil-gas"],
        "delivery_time": "07:00",
        "timezone": "UTC",
        field: value,
    }
    response = client.post("/preferences", data=form, headers=ORIGIN)
    assert response.status_code == 400
    assert problem in response.text
    subscriber = store.get_subscriber(subscriber_id)
    assert subscriber is not None
    assert (subscriber.delivery_time, subscriber.timezone) == ("07:00", "UTC")


def test_preference_centre_refuses_cross_site_and_forged_tokens(subscribe_site: Site) -> None:
    client, store, settings, sink = subscribe_site
    subscriber_id = _active(client, store, sink, "csrf@example.com")
    good = _token(_links(settings, store, subscriber_id).preferences)
    unsubscribe = _token(_links(settings, store, subscriber_id).unsubscribe)
    form = {"sectors": ["oil-gas"], "delivery_time": "05:00", "timezone": "UTC"}
    cross = client.post(
        "/preferences", data={**form, "token": good}, headers={"Origin": "https://evil.example"}
    )
    assert cross.status_code == 403
    for token in (unsubscribe, "forged.token", ""):  # another purpose's token never passes
        response = client.post("/preferences", data={**form, "token": token}, headers=ORIGIN)
        assert response.status_code == 400
    subscriber = store.get_subscriber(subscriber_id)
    assert subscriber is not None and subscriber.delivery_time == "07:00"


def test_unsubscribed_reader_re_subscribes_only_by_confirming_again(subscribe_site: Site) -> None:
    client, store, _, sink = subscribe_site
    subscriber_id = _active(client, store, sink, "back@example.com")
    assert store.unsubscribe(subscriber_id, at=utcnow(), ip=None, form="one-click")
    sink.clear()
    _sign_up(client, "back@example.com")
    (mail,) = sink.wait_for(1)
    assert store.get_subscriber(subscriber_id).status is SubscriberStatus.UNSUBSCRIBED  # type: ignore[union-attr]
    client.post("/confirm", data={"token": _token(_link(mail, "/confirm"))})
    assert store.get_subscriber(subscriber_id).status is SubscriberStatus.ACTIVE  # type: ignore[union-attr]


def test_suppressed_address_gets_the_same_answer_and_no_mail(subscribe_site: Site) -> None:
    client, store, _, sink = subscribe_site
    subscriber_id = _active(client, store, sink, "bounced@example.com")
    store.suppress_subscriber(subscriber_id, "550 5.1.1 no such user")
    sink.clear()
    suppressed = _sign_up(client, "bounced@example.com")
    fresh = _sign_up(client, "fresh@example.com")
    assert suppressed.text == fresh.text  # type: ignore[attr-defined]
    sink.wait_for(1)
    assert sink.messages_to("bounced@example.com") == []


def test_admin_pages_need_the_admin_login(subscribe_site: Site) -> None:
    client, store, _, sink = subscribe_site
    subscriber_id = _active(client, store, sink, "listed@example.com")
    assert client.get("/admin/subscribers").status_code == 401
    listing = client.get("/admin/subscribers", auth=ADMIN_AUTH)
    assert listing.status_code == 200
    assert "listed@example.com" in listing.text
    detail = client.get(f"/admin/subscribers/{subscriber_id}", auth=ADMIN_AUTH)
    assert "confirmed" in detail.text and "privacy-2026-01" in detail.text


def test_preference_centre_unsubscribe_button_and_no_edits_afterwards(subscribe_site: Site) -> None:
    client, store, settings, sink = subscribe_site
    subscriber_id = _active(client, store, sink, "exit@example.com")
    preferences = _links(settings, store, subscriber_id).preferences
    page = client.get(preferences)
    actions = re.findall(r'<form action="([^"]+)" method="post">', page.text)
    (button,) = [a.replace("&amp;", "&") for a in actions if a.startswith("/unsubscribe")]
    assert client.post(button, headers=ORIGIN).status_code == 200
    withdrawn = store.consent_history(subscriber_id)[-1]
    assert (withdrawn.action, withdrawn.form) == (ConsentAction.WITHDRAWN, "unsubscribe-page")
    assert "is unsubscribed" in client.get(preferences).text
    form = {
        "token": _token(preferences),
        "sectors": ["oil-gas"],
        "delivery_time": "05:00",
        "timezone": "UTC",
    }
    client.post("/preferences", data=form, headers=ORIGIN)
    subscriber = store.get_subscriber(subscriber_id)
    assert subscriber is not None
    assert (subscriber.status, subscriber.delivery_time) == (SubscriberStatus.UNSUBSCRIBED, "07:00")


@pytest.mark.parametrize(("path", "form_name"), [("/", "home")])
def test_sign_up_box_has_nine_labelled_sectors_and_the_consent_line(
    subscribe_site: Site, path: str, form_name: str
) -> None:
    client, _, _, _ = subscribe_site
    html = client.get(path).text
    box = html[html.index('<form class="subscribe-form"') :]
    box = box[: box.index("</form>")]
    assert len(re.findall(r'<label><input type="checkbox" name="sectors"', box)) == 9
    assert 'for="subscribe-email"' in box and 'id="subscribe-email"' in box
    assert "By clicking subscribe you agree to our privacy and cookie policy and terms" in box
    assert f'name="form" value="{form_name}"' in box


def test_the_sign_up_address_shows_the_form_when_opened(subscribe_site: Site) -> None:
    """/subscribe is where the sign-up result page lives: reloaded after the browser's warning,
    bookmarked or shared, a GET of it answered "405 Method Not Allowed"."""
    client, _, _, _ = subscribe_site
    page = client.get("/subscribe")
    assert page.status_code == 200
    assert 'action="/subscribe" method="post"' in page.text
    assert 'role="alert"' not in page.text
    assert client.head("/subscribe").status_code == 200
