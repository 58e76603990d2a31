"""Sign-up and preference decisions apart from HTTP: addresses, sectors, times, zones."""

from __future__ import annotations

import pytest

from newsdesk.deliver.subscriptions import (
    SignupError,
    normalise_email,
    parse_preferences,
    parse_signup,
    valid_timezone,
)

SECTORS = ("oil-gas", "mining-metals")


def test_address_is_normalised_without_dns() -> None:
    assert normalise_email("  Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com"
    # A domain that cannot exist still passes the syntax check: no look-ups are made.
    assert normalise_email("x@no-such-host-here.com") == "x@no-such-host-here.com"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "plain",
        "a@b@example.com",
        "a@example.com\r\nBcc: b@example.com",
        "a@example.com\nBcc: b@example.com",
        "a@example.com\x00",
        "a@example.com, b@example.com",
        "Ada <ada@example.com>",
        "ünïcode@example.com",
        "a" * 250 + "@example.com",
        "=?utf-8?q?a=0D=0A?=@example.com",
    ],
)
def test_hostile_or_invalid_addresses_are_refused(raw: str) -> None:
    with pytest.raises(SignupError):
        normalise_email(raw)


def test_signup_needs_consent_and_known_sectors() -> None:
    with pytest.raises(SignupError, match="agree"):
        parse_signup(email="a@example.com", sectors=SECTORS, consent=False, known_sectors=SECTORS)
    with pytest.raises(SignupError, match="from the list"):
        parse_signup(
            email="a@example.com", sectors=["oil-gas", "x"], consent=True, known_sectors=SECTORS
        )
    parsed = parse_signup(
        email="a@example.com",
        sectors=["oil-gas", "oil-gas", " mining-metals "],
        consent=True,
        entities=["org:jogmec"],
        known_sectors=SECTORS,
    )
    assert parsed.sectors == ("oil-gas", "mining-metals")
    assert parsed.entities == ("org:jogmec",)


@pytest.mark.parametrize(
    "entities", [["<script>"], ["a b"], ["x" * 121], [f"e{i}" for i in range(51)]]
)
def test_watched_entities_are_bounded(entities: list[str]) -> None:
    with pytest.raises(SignupError, match="entities"):
        parse_signup(
            email="a@example.com",
            sectors=SECTORS,
            consent=True,
            entities=entities,
            known_sectors=SECTORS,
        )


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Europe/Berlin", True),
        ("America/Argentina/Buenos_Aires", True),
        ("UTC", True),
        ("Mars/Olympus", False),
        ("../../etc/passwd", False),
        ("/etc/localtime", False),
        ("", False),
        ("Europe/Berlin\x00", False),
        ("Asia", False),  # a folder of tzdata
        ("America/Argentina", False),
    ],
)
def test_time_zones_are_checked_with_zoneinfo(name: str, valid: bool) -> None:
    assert valid_timezone(name) is valid


def test_preferences_collect_every_problem() -> None:
    change = parse_preferences(
        sectors=[],
        entities=["ok"],
        delivery_time="24:00",
        timezone="Nowhere/City",
        paused=False,
        known_sectors=SECTORS,
    )
    assert len(change.problems) == 3
