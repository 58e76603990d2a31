"""How member secrets look and are read back: keys, feed tokens, codes."""

from __future__ import annotations

import pytest

from newsdesk.domain.members import TokenKind
from newsdesk.domain.signing import SigningKeys
from newsdesk.members.accounts import feed_token_for
from newsdesk.members.secrets import (
    code_digest,
    new_code,
    new_member_token,
    split_member_token,
    token_prefix,
    typed_code,
)


def test_keys_and_feed_tokens_carry_their_kind_and_prefix():
    key, prefix = new_member_token(TokenKind.API_KEY)
    assert key.startswith("ndk_") and len(key) == 44 and key[:12] == prefix
    assert split_member_token(key, TokenKind.API_KEY) == prefix
    assert split_member_token(key, TokenKind.FEED) is None
    feed, feed_prefix = new_member_token(TokenKind.FEED)
    assert split_member_token(feed, TokenKind.FEED) == feed_prefix
    assert new_member_token(TokenKind.API_KEY)[0] != key


@pytest.mark.parametrize(
    "text", ["", "ndk_", "ndk_short", "ndk_AAAAAAAA" + "é" * 32, "ndk_AAAAAAAA" + "a" * 33]
)
def test_malformed_keys_are_not_keys(text):
    assert split_member_token(text, TokenKind.API_KEY) is None


def test_a_prefix_is_named_by_itself_or_by_the_whole_key():
    key, prefix = new_member_token(TokenKind.API_KEY)
    assert token_prefix(prefix) == prefix
    assert token_prefix(f"  {key} ") == prefix
    assert token_prefix("ndk_AAAA") is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("123456", "123456"),
        ("123 456", "123456"),
        ("123-456", "123456"),
        (" 1 2 3 4 5 6 ", "123456"),
    ],
)
def test_codes_are_read_as_typed(typed, code):
    assert typed_code(typed) == code


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12345a", "١٢٣٤٥٦", "12 34 5"])
def test_what_cannot_be_a_code_is_none(typed):
    assert typed_code(typed) is None


def test_codes_are_six_digits_and_bound_to_their_attempt():
    assert all(len(c) == 6 and c.isdigit() for c in (new_code() for _ in range(200)))
    assert code_digest("a" * 64, "123456") != code_digest("b" * 64, "123456")


def test_feed_tokens_follow_the_key_and_the_prefix():
    keys = SigningKeys("new", ("old",))
    token = feed_token_for(keys.current, "ndf_AAAAAAAA")
    assert split_member_token(token, TokenKind.FEED) == "ndf_AAAAAAAA"
    assert token == feed_token_for("new", "ndf_AAAAAAAA")
    assert token != feed_token_for("old", "ndf_AAAAAAAA")
    assert token != feed_token_for("new", "ndf_AAAAAAAB")


def test_a_feed_url_is_shown_again_under_the_key_that_made_it():
    from datetime import UTC, datetime

    from newsdesk.domain.members import MemberToken
    from newsdesk.members.accounts import private_feed_urls
    from newsdesk.members.options import MembersOptions
    from newsdesk.members.secrets import digest

    made = feed_token_for("old", "ndf_AAAAAAAA")
    token = MemberToken(
        1,
        1,
        TokenKind.FEED,
        "ndf_AAAAAAAA",
        "reader",
        "read",
        datetime.now(UTC),
        token_hash=digest(made),
    )
    rotated = MembersOptions(base_url="https://x.example", signing=SigningKeys("new", ("old",)))
    urls = dict(private_feed_urls(rotated, token))
    assert urls["RSS"] == f"https://x.example/feeds/private/{made}/top.xml"
    dropped = MembersOptions(base_url="https://x.example", signing=SigningKeys("new"))
    assert private_feed_urls(dropped, token) == []
