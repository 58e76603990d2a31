"""The one email normalisation: an address's identity ignores case; masked for link holders."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.formats.mail import WireMessageBuilder
from newsdesk.text.emails import InvalidEmailError, email_key, mask_email, normalise_email


def test_an_address_is_stored_lower_cased_whole() -> None:
    assert normalise_email("  Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com"
    assert normalise_email("ALICE@example.com") == normalise_email("alice@EXAMPLE.com")
    assert email_key(" Bob@Example.com") == "bob@example.com"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("a@bücher.de", "a@xn--bcher-kva.de"), ("A@XN--80AK6AA92E.com", "a@xn--80ak6aa92e.com")],
)
def test_an_internationalised_domain_is_stored_as_mail_can_reach_it(raw: str, stored: str) -> None:
    # Mail is built without SMTPUTF8: a Unicode domain stored as such was never mailed.
    assert normalise_email(raw) == stored
    WireMessageBuilder("desk@example.com").build(recipient=stored, subject="s", text="t")


@pytest.mark.parametrize(
    "raw", ["", "   ", "no-at-sign", "a@b", "=?utf-8?q?x?=@example.com", "é@example.com"]
)
def test_what_is_not_an_address_is_refused(raw: str) -> None:
    with pytest.raises(InvalidEmailError):
        normalise_email(raw)


@settings(deadline=None, max_examples=100, derandomize=True)
@given(st.emails())
def test_every_case_of_an_address_has_one_key(address: str) -> None:
    assert email_key(address.upper()) == email_key(address.swapcase()) == email_key(address)


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("alice.smith@example.com", "a•••@e•••.com"),
        ("bob@mail.energy-desk.co.uk", "b•••@m•••.uk"),
        ("x@localhost", "x•••@l•••"),
        ("broken", "•••"),
    ],
)
def test_masked_addresses_keep_only_first_letters_and_the_suffix(address: str, shown: str) -> None:
    assert mask_email(address) == shown
    assert "smith" not in mask_email(address) and "energy" not in mask_email(address)
