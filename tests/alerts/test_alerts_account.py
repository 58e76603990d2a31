"""/account/alerts and /account/webhooks/ID: a member's alerts, forms guarded against CSRF,
Pro for creating and re-sending, the delivery log with a re-send that keeps the webhook-id."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest
from alert_site import alert_site
from alert_world import JOGMEC, NAMIBIA, Owners, Receiver, enriched_article, receiver
from fastapi.testclient import TestClient

from newsdesk.alerts.percolate import percolate_new
from newsdesk.alerts.web.account import form_token
from newsdesk.alerts.webhooks import WebhookOptions, deliver_webhooks
from newsdesk.domain.access import ANONYMOUS, Plan, Viewer, ViewerKind
from newsdesk.domain.alerts import EmailMode
from newsdesk.domain.models import utcnow
from newsdesk.store import open_store
from site_fixtures import site_settings

PRO = Viewer(ViewerKind.MEMBER, 1, Plan.PRO)
FREE = Viewer(ViewerKind.MEMBER, 2, Plan.FREE)
OTHER_PRO = Viewer(ViewerKind.MEMBER, 3, Plan.PRO)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, list[Viewer], object, str]]:
    with receiver() as host:
        settings = site_settings(tmp_path, fetch_allow_hosts=host)
        store = open_store(settings.store.sqlalchemy_url)
        owners = Owners(store)
        assert owners.add("pro@example.com") == PRO.member_id
        assert owners.add("free@example.com", Plan.FREE) == FREE.member_id
        assert owners.add("other@example.com") == OTHER_PRO.member_id
        enriched_article(store, "seed", title="Seed", entities=(JOGMEC,))
        percolate_new(store)
        who = [PRO]
        try:
            with TestClient(alert_site(settings, store, who)) as client:
                yield client, who, (store, owners), host
        finally:
            store.close()


def token(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_create_an_alert_with_a_webhook_then_read_the_log_and_resend(site) -> None:  # type: ignore[no-untyped-def]
    client, _, (store, owners), host = site
    page = client.get("/account/alerts")
    assert page.status_code == 200 and "Create alert" in page.text
    made = client.post(
        "/account/alerts",
        data={
            "token": token(page.text),
            "kind": "entity",
            "value": "org:jogmec",
            "email_mode": "off",
            "webhook_url": f"http://{host}/hook",
        },
    )
    assert made.status_code == 200 and "/feeds/alerts/alf_" in made.text and "whsec_" in made.text
    enriched_article(store, "pact", title="JOGMEC <b>deal</b>", entities=(JOGMEC,))
    percolate_new(store)
    options = WebhookOptions("http://site.example", "newsdesk-test", allow_hosts=(host,))
    deliver_webhooks(store, owners, options)
    [alert] = store.list_alerts(member_id=1)
    log = client.get(f"/account/webhooks/{alert.webhook_id}")
    assert log.status_code == 200 and "HTTP 200" in log.text
    first_id = Receiver.requests[0][0]["webhook-id"]
    assert first_id in log.text
    delivery = re.search(r'/resend/(\d+)"', log.text)
    assert delivery
    again = client.post(
        f"/account/webhooks/{alert.webhook_id}/resend/{delivery.group(1)}",
        data={"token": token(log.text)},
    )
    assert "Queued again" in again.text
    deliver_webhooks(store, owners, options)
    assert [r[0]["webhook-id"] for r in Receiver.requests] == [first_id, first_id]
    assert "(re-send)" in client.get(f"/account/webhooks/{alert.webhook_id}").text


def test_forms_need_their_token_and_the_same_origin(site) -> None:  # type: ignore[no-untyped-def]
    client, who, _, _ = site
    form = {"kind": "sector", "value": "oil-gas"}
    assert client.post("/account/alerts", data={**form, "token": "forged"}).status_code == 403
    good = token(client.get("/account/alerts").text)
    cross = client.post(
        "/account/alerts", data={**form, "token": good}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross.status_code == 403
    who[0] = OTHER_PRO  # another member cannot reuse the first member's token
    assert client.post("/account/alerts", data={**form, "token": good}).status_code == 403


def test_without_pro_no_alert_is_made_and_others_alerts_stay_private(site) -> None:  # type: ignore[no-untyped-def]
    client, who, (store, _), _ = site
    mine = client.post(
        "/account/alerts",
        data={
            "token": token(client.get("/account/alerts").text),
            "kind": "sector",
            "value": "oil-gas",
        },
    )
    assert mine.status_code == 200
    [alert] = store.list_alerts(member_id=1)
    who[0] = FREE
    page = client.get("/account/alerts")
    assert "/pro" in page.text and "Create alert" not in page.text
    signed = form_token(site_settings(Path(".")).security.signing_keys, 2, "alerts")
    made = client.post(
        "/account/alerts", data={"token": signed, "kind": "sector", "value": "oil-gas"}
    )
    assert made.status_code == 403 and store.list_alerts(member_id=2) == []
    who[0] = OTHER_PRO
    assert alert.name == "Sector: Oil & Gas"
    assert escape(alert.name) not in client.get("/account/alerts").text
    removed = client.post(
        f"/account/alerts/{alert.id}/remove",
        data={"token": token(client.get("/account/alerts").text)},
    )
    assert removed.status_code == 404
    who[0] = ANONYMOUS
    signin = client.get("/account/alerts", follow_redirects=False)
    assert signin.status_code == 303
    assert signin.headers["location"] == "/signin?next=%2Faccount%2Falerts"
    # Found by a crawl from outside: these were 401s without the WWW-Authenticate a 401 needs.
    page = client.get("/account/webhooks/1", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=%2Faccount%2Fwebhooks%2F1"
    for path in ("/account/alerts", "/account/alerts/1/remove", "/account/webhooks/1/rotate"):
        posted = client.post(path, data={"token": "x"}, follow_redirects=False)
        assert posted.status_code == 403, path
        assert "sign in to manage your alerts" in posted.text


def test_bad_input_is_refused_clearly(site) -> None:  # type: ignore[no-untyped-def]
    client, _, _, _ = site
    good = token(client.get("/account/alerts").text)
    private = client.post(
        "/account/alerts",
        data={
            "token": good,
            "kind": "entity",
            "value": "org:jogmec",
            "webhook_url": "http://169.254.169.254/latest",
        },
    )
    assert private.status_code == 400 and "webhook URL refused" in private.text
    unknown = client.post("/account/alerts", data={"token": good, "kind": "planet", "value": "x"})
    assert unknown.status_code == 400
    hostile = client.post(
        "/account/alerts",
        data={"token": good, "kind": "query", "value": "<script>alert(1)</script> deal"},
    )
    assert hostile.status_code == 200 and "<script>alert(1)" not in hostile.text


@pytest.mark.parametrize(
    "path",
    [
        "/account/webhooks/99999999999999999999",  # beyond 64 bits: an overflow in the driver
        "/account/webhooks/2147483648",  # beyond a PostgreSQL INTEGER
        "/account/webhooks/0",
    ],
)
def test_ids_no_row_can_have_are_refused_not_looked_up(site, path: str) -> None:  # type: ignore[no-untyped-def]
    client, _, _, _ = site
    good = token(client.get("/account/alerts").text)
    assert client.get(path).status_code == 422
    assert client.post(f"{path}/rotate", data={"token": good}).status_code == 422
    assert client.post(f"{path}/resend/1", data={"token": good}).status_code == 422
    assert (
        client.post("/account/webhooks/1/resend/2147483648", data={"token": good}).status_code
        == 422
    )
    assert (
        client.post("/account/alerts/99999999999999999999/remove", data={"token": good}).status_code
        == 422
    )


def test_the_alerts_table_scrolls_in_its_own_box(site) -> None:  # type: ignore[no-untyped-def]
    """Five columns with Remove buttons made /account/alerts 491px wide on a 390px phone: the
    whole page scrolled sideways. Like every wide table of the site, it scrolls in a box."""
    import lxml.html

    client, _, _, _ = site
    page = client.get("/account/alerts")
    made = client.post(
        "/account/alerts",
        data={"token": token(page.text), "kind": "entity", "value": "org:jogmec"},
    )
    assert made.status_code == 200
    [table] = lxml.html.fromstring(made.text).cssselect("table.alerts")
    assert "table-scroll" in table.getparent().get("class", "")


def test_an_alerts_email_reads_the_same_in_its_row_as_in_the_new_alert_form(site) -> None:  # type: ignore[no-untyped-def]
    """The form offered "no email", "at once", "hourly"; the alert's row then showed the
    stored values "off", "instant", "hourly" for the same choice."""
    import lxml.html

    client, _, _, _ = site
    page = client.get("/account/alerts")
    made = client.post(
        "/account/alerts",
        data={
            "token": token(page.text),
            "kind": "entity",
            "value": "org:jogmec",
            "email_mode": "instant",
        },
    )
    doc = lxml.html.fromstring(made.text)

    def options(select: str) -> list[tuple[str, str]]:
        return [(o.get("value"), o.text_content()) for o in doc.cssselect(f"{select} option")]

    [row_select] = doc.cssselect("table.alerts select")
    assert options("#alert-email") == options(f"#{row_select.get('id')}")
    assert [o.text_content() for o in row_select.cssselect("option[selected]")] == ["at once"]
    assert {value for value, _ in options("#alert-email")} == {"off", "instant", "hourly"}


def test_the_email_of_an_alert_is_switched_on_the_page_and_only_by_its_owner(site) -> None:  # type: ignore[no-untyped-def]
    """The way back after an email's "stop" link: the alerts table sets each alert's email;
    turning it on needs Pro, turning it off does not; another member's alert is a 404."""
    client, who, (store, _), _ = site
    page = client.get("/account/alerts")
    made = client.post(
        "/account/alerts",
        data={"token": token(page.text), "kind": "entity", "value": "org:jogmec"},
    )
    assert made.status_code == 200
    [alert] = store.list_alerts(member_id=1)
    assert alert.email is EmailMode.OFF and '<option value="off" selected>' in made.text
    good = token(made.text)
    path = f"/account/alerts/{alert.id}/email"
    switched = client.post(path, data={"token": good, "mode": "hourly"}, follow_redirects=False)
    assert switched.status_code == 303 and store.get_alert(alert.id).email is EmailMode.HOURLY
    assert '<option value="hourly" selected>' in client.get("/account/alerts").text
    assert client.post(path, data={"token": good, "mode": "loud"}).status_code == 400
    assert client.post(path, data={"token": "x", "mode": "off"}).status_code == 403
    who[0] = OTHER_PRO
    other = token(client.get("/account/alerts").text)
    assert client.post(path, data={"token": other, "mode": "off"}).status_code == 404
    assert store.get_alert(alert.id).email is EmailMode.HOURLY
    who[0] = PRO
    store.revoke_plan(1, source="manual", reason="test", actor="tests", now=utcnow())
    who[0] = Viewer(ViewerKind.MEMBER, 1, Plan.FREE)
    mine = token(client.get("/account/alerts").text)
    assert client.post(path, data={"token": mine, "mode": "instant"}).status_code == 403
    off = client.post(path, data={"token": mine, "mode": "off"}, follow_redirects=False)
    assert off.status_code == 303 and store.get_alert(alert.id).email is EmailMode.OFF


@pytest.mark.parametrize(
    ("kind", "value", "involving", "named", "watching"),
    [
        (
            "sector",
            "rare-earths-commodities",
            "",
            "Sector: Rare Earths & Commodities",
            "sector: Rare Earths & Commodities",
        ),
        ("entity", "org:jogmec", "", "Entity: JOGMEC", "entity: JOGMEC"),
        (
            "fact",
            "agreement",
            "org:jogmec, country:NA",
            "New agreement involving JOGMEC, Namibia",
            "fact: agreement involving JOGMEC, Namibia",
        ),
        ("query", "lithium price", "", "Search: lithium price", "search: lithium price"),
    ],
)
def test_a_new_alert_is_named_by_what_the_site_calls_it_not_by_ids(  # type: ignore[no-untyped-def]
    site, kind: str, value: str, involving: str, named: str, watching: str
) -> None:
    """The default name is an email's subject and the account page's row: it read
    "Sector: rare-earths-commodities" and "Entity: org:jogmec"."""
    client, _, (store, _), _ = site
    enriched_article(store, "na", title="Namibia", entities=(NAMIBIA,))
    form = {"token": token(client.get("/account/alerts").text), "kind": kind, "value": value}
    if involving:
        form["involving"] = involving
    made = client.post("/account/alerts", data=form)
    assert made.status_code == 200, made.text
    [alert] = store.list_alerts(member_id=1)
    assert alert.name == named
    page = client.get("/account/alerts").text
    assert f'<th scope="row">{escape(named)}</th>' in page
    # what it watches, in the same names ("sector: rare-earths-commodities" before)
    assert f'<td data-label="Watches">{escape(watching)}</td>' in page


def test_a_name_of_ones_own_is_kept(site) -> None:  # type: ignore[no-untyped-def]
    client, _, (store, _), _ = site
    form = {"token": token(client.get("/account/alerts").text), "kind": "sector"}
    form |= {"value": "oil-gas", "name": "Sector: oil-gas"}
    assert client.post("/account/alerts", data=form).status_code == 200
    [alert] = store.list_alerts(member_id=1)
    assert alert.name == "Sector: oil-gas"


def test_the_new_alert_form_offers_the_sectors_by_name(site) -> None:  # type: ignore[no-untyped-def]
    """The form asked members to type a sector's id, listing the ids under it as a hint."""
    import lxml.html

    client, _, (store, _), _ = site
    page = client.get("/account/alerts")
    doc = lxml.html.fromstring(page.text)
    options = {o.get("value"): o.text_content() for o in doc.cssselect("#alert-sector option")}
    assert options["rare-earths-commodities"] == "Rare Earths & Commodities"
    assert options[""] == "—" and len(options) > 5
    assert "<code>oil-gas</code>" not in page.text
    [label] = doc.cssselect('label[for="alert-sector"]')
    assert "Sector" in label.text_content()
    form = {"token": token(page.text), "kind": "sector", "value": "", "sector": "oil-gas"}
    assert client.post("/account/alerts", data=form).status_code == 200
    # a search narrowed to a sector; a sector typed by its name
    form |= {"kind": "query", "value": "lithium", "sector": "oil-gas"}
    assert client.post("/account/alerts", data=form).status_code == 200
    form |= {"kind": "sector", "value": "rare earths & COMMODITIES", "sector": ""}
    assert client.post("/account/alerts", data=form).status_code == 200
    made = sorted(store.list_alerts(member_id=1), key=lambda alert: alert.id)
    assert [(a.kind.value, a.sectors, a.query) for a in made] == [
        ("sector", ("oil-gas",), ""),
        ("query", ("oil-gas",), "lithium"),
        ("sector", ("rare-earths-commodities",), ""),
    ]


def test_an_entity_is_named_as_the_site_shows_it_not_by_its_id(site) -> None:  # type: ignore[no-untyped-def]
    """The form asked for "org:jogmec"; a member knows "JOGMEC" (or one of its other names)."""
    from newsdesk.domain.enrichment import EntityRecord

    client, _, (store, _), _ = site
    enriched_article(store, "na", title="Namibia", entities=(NAMIBIA,))
    enriched_article(
        store,
        "jv",
        title="Japan",
        entities=(EntityRecord("org:jogmec", "JOGMEC", "organisation", ("Japan Oil Gas",)),),
    )
    good = token(client.get("/account/alerts").text)
    for typed in ("jogmec", "  Japan  oil GAS "):
        form = {"token": good, "kind": "entity", "value": typed}
        assert client.post("/account/alerts", data=form).status_code == 200, typed
    form = {"token": good, "kind": "fact", "value": "agreement", "involving": "namibia, JOGMEC"}
    assert client.post("/account/alerts", data=form).status_code == 200
    made = sorted(store.list_alerts(member_id=1), key=lambda alert: alert.id)
    assert [a.entity_ids for a in made[:2]] == [("org:jogmec",), ("org:jogmec",)]
    assert made[0].name == "Entity: JOGMEC"
    assert made[2].fact is not None and made[2].fact.involving == ("country:NA", "org:jogmec")


def test_an_unknown_or_ambiguous_entity_name_gives_the_form_back_as_typed(site) -> None:  # type: ignore[no-untyped-def]
    import lxml.html

    from newsdesk.domain.enrichment import EntityRecord

    client, _, (store, _), _ = site
    twins = (
        EntityRecord("org:mercury-inc", "Mercury", "organisation"),
        EntityRecord("commodity:mercury", "mercury", "commodity"),
    )
    enriched_article(store, "hg", title="Mercury", entities=twins)
    good = token(client.get("/account/alerts").text)
    asked = {
        "token": good,
        "kind": "entity",
        "value": "Jogmek <b>",
        "name": "My <watch>",
        "email_mode": "hourly",
        "slack": "on",
    }
    unknown = client.post("/account/alerts", data=asked)
    assert unknown.status_code == 400
    doc = lxml.html.fromstring(unknown.text)
    [problem] = doc.cssselect('[role="alert"]')
    assert "No entity is called “Jogmek <b>”" in problem.text_content()
    assert doc.cssselect("#alert-value")[0].get("value") == "Jogmek <b>"
    assert doc.cssselect("#alert-name")[0].get("value") == "My <watch>"
    assert doc.cssselect("#alert-kind option[selected]")[0].get("value") == "entity"
    assert doc.cssselect("#alert-email option[selected]")[0].get("value") == "hourly"
    assert doc.cssselect('input[name="slack"]')[0].get("checked") is not None
    assert "<b>" not in unknown.text.replace("&lt;b&gt;", "")
    both = client.post("/account/alerts", data={**asked, "value": "MERCURY"})
    assert both.status_code == 400
    said = lxml.html.fromstring(both.text).cssselect('[role="alert"]')[0].text_content()
    assert "more than one entity" in said
    assert "commodity:mercury" in said and "org:mercury-inc" in said
    fact = {"token": good, "kind": "fact", "value": "agreement", "involving": "Atlantis"}
    lost = client.post("/account/alerts", data=fact)
    assert lost.status_code == 400 and "No entity is called “Atlantis”" in lost.text
    assert store.list_alerts(member_id=1) == []


def test_an_entity_name_with_a_comma_can_be_typed_in_involving(site) -> None:  # type: ignore[no-untyped-def]
    """Involving is split at commas, so "Rio Tinto, plc" was two unknown names. The whole field
    is tried first as one name; among others, such a name goes in double quotes."""
    import lxml.html

    from newsdesk.domain.enrichment import EntityRecord

    client, _, (store, _), _ = site
    rio = EntityRecord("org:rio", "Rio Tinto, plc", "organisation", ("Rio Tinto",))
    enriched_article(store, "rt", title="Rio", entities=(rio, NAMIBIA))
    page = client.get("/account/alerts").text
    [field] = lxml.html.fromstring(page).cssselect("#alert-involving")
    [help_text] = lxml.html.fromstring(page).cssselect(f"#{field.get('aria-describedby')}")
    assert "double quotes" in help_text.text_content()
    good = token(page)
    cases = {
        "rio tinto,  PLC": ("org:rio",),
        '"Rio Tinto, plc", namibia': ("org:rio", "country:NA"),
        "Namibia, Rio Tinto": ("country:NA", "org:rio"),
        '"Rio Tinto, plc': ("org:rio",),  # an open quote runs to the end
    }
    seen: list[int | None] = []
    for typed, expected in cases.items():
        form = {"token": good, "kind": "fact", "value": "investment", "involving": typed}
        response = client.post("/account/alerts", data=form)
        assert response.status_code == 200, (typed, response.text)
        [alert] = [a for a in store.list_alerts(member_id=1) if a.id not in seen]
        seen.append(alert.id)
        assert alert.fact is not None and alert.fact.involving == expected, typed
    # Without quotes among others the name is two names, neither an entity: said, not a 500.
    for typed in ("Rio Tinto, plc, Namibia", 'a\x00"b, c'):
        form = {"token": good, "kind": "fact", "value": "investment", "involving": typed}
        refused = client.post("/account/alerts", data=form)
        assert refused.status_code == 400 and "No entity is called" in refused.text, typed
    assert len(store.list_alerts(member_id=1)) == len(cases)


def test_an_alert_stored_by_sector_id_is_listed_by_the_sectors_name(site) -> None:  # type: ignore[no-untyped-def]
    """Alerts made before names were in the site's words are stored "Sector: <id>": the page
    lists them (and names their buttons) by the taxonomy's name; the stored name is kept."""
    import lxml.html

    from newsdesk.bootstrap.alerts import alert_mail_options, webhook_options
    from newsdesk.domain.alerts import Alert, AlertKind

    client, _, (store, _), _ = site
    old = Alert(None, 1, AlertKind.SECTOR, "Sector: rare-earths-commodities")
    old = replace(old, sectors=("rare-earths-commodities",), feed_prefix="alf_oldform")
    saved = store.add_alert(old, feed_hash="0" * 64, now=utcnow())
    doc = lxml.html.fromstring(client.get("/account/alerts").text)
    [row] = doc.cssselect("table.alerts tbody th")
    assert row.text_content() == "Sector: Rare Earths & Commodities"
    [button] = doc.cssselect(f'form[action="/account/alerts/{saved.id}/remove"] button')
    assert button.text_content() == "Remove alert Sector: Rare Earths & Commodities"
    assert store.get_alert(saved.id).name == "Sector: rare-earths-commodities"
    # emails and webhooks get the same names from the same taxonomy
    settings = site_settings(Path("unused"))
    for options in (alert_mail_options(settings), webhook_options(settings)):
        assert options.sector_names["rare-earths-commodities"] == "Rare Earths & Commodities"
