"""Percolation index, retry schedule and webhook signatures (pure)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from newsdesk.alerts.match import AlertIndex, alert_matches, document_terms
from newsdesk.alerts.payloads import MatchNotice, body, headers, new_message_id, new_secret
from newsdesk.alerts.retry import DISABLE_AFTER, SCHEDULE, Outcome, decide_attempt, total_schedule
from newsdesk.domain.alerts import (
    Alert,
    AlertKind,
    FactConstraint,
    PayloadFormat,
    PercolationDoc,
    WebhookEndpoint,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
PACT = ("agreement", {"parties": ["org:jogmec", "org:epangelo"], "countries": ["country:NA"]})


def doc(
    n: int,
    text: str = "",
    entities: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    facts: tuple = (),
) -> PercolationDoc:  # type: ignore[type-arg]
    return PercolationDoc(
        article_id=n,
        title="",
        entity_ids=frozenset(entities),
        sectors=frozenset(sectors),
        facts=facts,
        terms=document_terms(text),
    )


def test_each_kind_of_alert_matches_what_it_watches() -> None:
    alerts = [
        Alert(1, 1, AlertKind.ENTITY, "e", entity_ids=("org:jogmec",)),
        Alert(2, 1, AlertKind.SECTOR, "s", sectors=("mining-metals",)),
        Alert(3, 1, AlertKind.QUERY, "q", query="Rare EARTH magnets", sectors=("mining-metals",)),
        Alert(4, 1, AlertKind.FACT, "f", fact=FactConstraint("agreement", ("country:NA",))),
        Alert(5, 1, AlertKind.FACT, "f2", fact=FactConstraint("agreement", ("country:CL",))),
        Alert(6, 1, AlertKind.QUERY, "q2", query="lithium"),
    ]
    index = AlertIndex.build(alerts)
    article = doc(9, "Rare earth magnets for Japan", ("org:jogmec",), ("mining-metals",), (PACT,))
    assert [a.id for a in index.match(article)] == [1, 2, 3, 4]
    other_sector = doc(10, "rare earth magnets", (), ("oil-gas",))
    assert [a.id for a in index.match(other_sector)] == []  # the search's sector filter holds


def test_the_index_finds_exactly_what_checking_every_alert_finds() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(60)]
    entities = [f"org:{n}" for n in range(40)]
    alerts = []
    for n in range(1, 400):
        kind = rng.choice(list(AlertKind))
        alerts.append(
            Alert(
                n,
                1,
                kind,
                str(n),
                query=" ".join(rng.sample(vocabulary, rng.randint(1, 3)))
                if kind is AlertKind.QUERY
                else "",
                entity_ids=(rng.choice(entities),) if kind is AlertKind.ENTITY else (),
                sectors=(rng.choice(["a", "b", "c"]),) if kind is AlertKind.SECTOR else (),
                fact=FactConstraint("agreement", (rng.choice(entities),))
                if kind is AlertKind.FACT
                else None,
            )
        )
    index = AlertIndex.build(alerts)
    for n in range(200):
        named = tuple(rng.sample(entities, 5))
        article = doc(
            n,
            " ".join(rng.sample(vocabulary, 12)),
            named,
            (rng.choice("abc"),),
            (("agreement", {"parties": list(named[:2])}),),
        )
        brute = [a.id for a in alerts if alert_matches(a, article)]
        assert [a.id for a in index.match(article)] == brute


def test_the_retry_schedule_spans_about_three_days_with_jitter() -> None:
    assert timedelta(days=2.9) <= total_schedule() <= timedelta(days=3.1)
    rng = random.Random(1)
    for attempt, base in enumerate(SCHEDULE, start=1):
        decision = decide_attempt(
            500, None, attempts=attempt, endpoint_failures=0, now=NOW, rng=rng
        )
        assert decision.outcome is Outcome.RETRY and decision.next_attempt_at is not None
        waited = (decision.next_attempt_at - NOW).total_seconds()
        assert 0.8 * base <= waited <= 1.2 * base
    last = decide_attempt(
        500, None, attempts=len(SCHEDULE) + 1, endpoint_failures=0, now=NOW, rng=rng
    )
    assert last.outcome is Outcome.GIVE_UP and not last.disable_endpoint
    worn = decide_attempt(
        None,
        "refused",
        attempts=len(SCHEDULE) + 1,
        endpoint_failures=DISABLE_AFTER - 1,
        now=NOW,
        rng=rng,
    )
    assert worn.disable_endpoint


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, Outcome.DELIVERED),
        (204, Outcome.DELIVERED),
        (410, Outcome.GONE),
        (301, Outcome.RETRY),
        (302, Outcome.RETRY),
        (500, Outcome.RETRY),
        (None, Outcome.RETRY),
    ],
)
def test_what_each_answer_means(status: int | None, outcome: Outcome) -> None:
    decision = decide_attempt(
        status, None, attempts=1, endpoint_failures=0, now=NOW, rng=random.Random(2)
    )
    assert decision.outcome is outcome
    if status in (301, 302):
        assert "redirect" in decision.reason


NOTICE = MatchNotice(
    1,
    "Namibia <deals> & more",
    9,
    "<script>x</script> *bold* <!channel>",
    "https://x.example/a",
    "https://site.example/articles/9",
    "Ledger",
    None,
    NOW,
)


def test_signatures_verify_and_rotation_signs_with_both_secrets() -> None:
    at = datetime.now(UTC)  # receivers refuse timestamps far from their clock
    old, new = new_secret(), new_secret()
    endpoint = WebhookEndpoint(
        1,
        1,
        "https://r.example",
        secret=new,
        previous_secret=old,
        previous_until=at + timedelta(hours=1),
    )
    message_id = new_message_id()
    payload = body(endpoint, NOTICE)
    signed = headers(endpoint, message_id, at, payload)
    assert signed["webhook-id"] == message_id and len(signed["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        data = Webhook(secret).verify(payload, signed)
        assert data["data"]["article"]["id"] == 9 and data["type"] == "alert.match"
    later = headers(endpoint, message_id, at + timedelta(hours=2), payload)
    assert len(later["webhook-signature"].split(" ")) == 1  # the rotation's grace is over
    with pytest.raises(WebhookVerificationError):
        Webhook(new).verify(payload.replace(b"Ledger", b"Forged"), signed)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(payload, signed)


def test_slack_payloads_cannot_make_links_or_mentions() -> None:
    endpoint = WebhookEndpoint(
        1, 1, "https://hooks.example", secret=new_secret(), payload=PayloadFormat.SLACK
    )
    message = json.loads(body(endpoint, NOTICE))
    text = message["blocks"][0]["text"]["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "<script>" not in message["text"] and "&lt;script&gt;" in message["text"]
    assert "<https://site.example/articles/9|" in text  # the one link is ours


def test_an_alert_stored_with_a_sector_id_in_its_name_is_shown_by_the_sectors_name() -> None:
    """Alerts made before names were in the site's words were stored as "Sector: <id>"; they are
    shown (page, feed, email, webhook) by the taxonomy's name; every other name as stored."""
    from newsdesk.alerts.payloads import alert_label

    names = {"oil-gas": "Oil & Gas", "ai-semiconductors": "AI & Semiconductors"}

    def sector(name: str, sector_id: str = "oil-gas", kind: AlertKind = AlertKind.SECTOR) -> Alert:
        return Alert(7, 1, kind, name, sectors=(sector_id,))

    assert alert_label(sector("Sector: oil-gas"), names) == "Sector: Oil & Gas"
    assert alert_label(sector("Sector: ai-semiconductors", "ai-semiconductors"), names) == (
        "Sector: AI & Semiconductors"
    )
    assert alert_label(sector("Sector: oil-gas"), None) == "Sector: oil-gas"  # no taxonomy
    assert alert_label(sector("Sector: gone", "gone"), names) == "Sector: gone"  # not in it
    assert alert_label(sector("Sector: oil-gas", "ai-semiconductors"), names) == "Sector: oil-gas"
    assert alert_label(sector("My oil-gas watch"), names) == "My oil-gas watch"
    assert alert_label(sector("Sector: oil-gas", kind=AlertKind.QUERY), names) == "Sector: oil-gas"
    assert alert_label(sector(""), names) == "Alert 7"
