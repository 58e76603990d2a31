import json

import pytest

from newsdesk.domain.signing import (
    BadTokenError,
    SigningKeys,
    _mac,
    claimed_row_id,
    sign,
    verify,
)
from newsdesk.domain.urlsafe import b64encode


def test_round_trip_keeps_the_payload():
    token = sign("k", "confirm", {"sid": 7, "nonce": "abc"})
    assert verify("k", "confirm", token) == {"sid": 7, "nonce": "abc"}


def test_another_purpose_or_secret_is_refused():
    token = sign("k", "confirm", {"sid": 7})
    with pytest.raises(BadTokenError):
        verify("k", "unsubscribe", token)
    with pytest.raises(BadTokenError):
        verify("other", "confirm", token)


def test_expired_token_is_refused():
    token = sign("k", "confirm", {"sid": 7}, max_age=60, now=1000)
    assert verify("k", "confirm", token, now=1059) == {"sid": 7}
    with pytest.raises(BadTokenError, match="expired"):
        verify("k", "confirm", token, now=1061)


@pytest.mark.parametrize("token", ["", ".", "abc", "abc.", ".def", "a.b.c", "x" * 5000])
def test_garbage_is_refused(token):
    with pytest.raises(BadTokenError):
        verify("k", "confirm", token)


@pytest.mark.parametrize("value", [0, -1, 2**31, 2**63, 10**30, True, "7", 7.0, None])
def test_a_claimed_row_id_is_one_a_row_can_have(value):
    with pytest.raises(BadTokenError):
        claimed_row_id({"s": value}, "s")
    assert claimed_row_id({"s": 2**31 - 1}, "s") == 2**31 - 1
    assert claimed_row_id({"s": 1}, "s") == 1


def test_tampered_payload_is_refused():
    token = sign("k", "confirm", {"sid": 7})
    body, mac = token.split(".")
    forged = sign("k", "confirm", {"sid": 8}).split(".")[0]
    with pytest.raises(BadTokenError):
        verify("k", "confirm", f"{forged}.{mac}")
    assert body != forged


def test_rotation_signs_with_the_current_key_and_accepts_the_previous_ones():
    old = sign("old-key", "unsubscribe", {"s": 7})
    rotated = SigningKeys("new-key", ("old-key",))
    assert verify(rotated, "unsubscribe", old) == {"s": 7}  # links already mailed still work
    fresh = sign(rotated, "unsubscribe", {"s": 8})
    assert verify("new-key", "unsubscribe", fresh) == {"s": 8}  # signed with the current key
    with pytest.raises(BadTokenError):
        verify("old-key", "unsubscribe", fresh)
    with pytest.raises(BadTokenError):  # once the old key is dropped, its links stop working
        verify(SigningKeys("new-key"), "unsubscribe", old)
    with pytest.raises(BadTokenError):  # a previous key does not cross purposes either
        verify(rotated, "preferences", old)


def test_expiry_still_holds_for_a_previous_key():
    token = sign("old-key", "confirm", {"s": 7}, max_age=60, now=1000)
    rotated = SigningKeys("new-key", ("older", "old-key"))
    assert verify(rotated, "confirm", token, now=1059) == {"s": 7}
    with pytest.raises(BadTokenError, match="expired"):
        verify(rotated, "confirm", token, now=1061)


def test_keys_never_show_in_a_repr():
    keys = SigningKeys("very-secret-current", ("very-secret-old",))
    assert "very-secret" not in repr(keys) and "very-secret" not in str(keys)


@pytest.mark.parametrize("expiry", ["soon", [], {}, True, float("nan"), float("inf"), None])
def test_an_expiry_that_is_no_time_is_a_malformed_token(expiry):
    # Only a holder of the key can sign such a claim (sign() writes a whole number), but the
    # default key of a loopback site is public: comparing the clock with "soon" was a TypeError
    # (a 500 on every link route), NaN a token that never expired.
    body = b64encode(json.dumps({"s": 1, "exp": expiry}).encode())
    token = f"{body}.{_mac('k', 'confirm', body)}"
    with pytest.raises(BadTokenError, match="malformed"):
        verify("k", "confirm", token)
