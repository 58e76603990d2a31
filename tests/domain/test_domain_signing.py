import pytest

from newsdesk.domain.signing import BadTokenError, sign, verify


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


def test_tampered_payload_is_refused():
    token = sign("k", "confirm", {"sid": 7})
    body, mac = token.split(".")
    forged = sign("k", "confirm", {"sid": 8}).split(".")[0]
    with pytest.raises(BadTokenError):
        verify("k", "confirm", f"{forged}.{mac}")
    assert body != forged
