"""Bulk sender hygiene: one recipient, Message-ID and Date, text part, no header injection."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from newsdesk.deliver.messages import build_message, clean_header

SENDER = "Top Insights Today <insights@news.example>"

HOSTILE_TITLES = [
    "Rare earths\r\nBcc: victim@example.com",
    "Rare earths\nBcc: victim@example.com",
    "Rare earths\rBcc: victim@example.com",
    "Rare earths\x00Bcc: victim@example.com",
    "Rare earths =?utf-8?q?=0D=0ABcc:_victim@example.com?=",
    "Rare earths =?utf-8?b?DQpCY2M6IHZpY3RpbUBleGFtcGxlLmNvbQ==?=",
    "Rare earths =?utf-8?q?=3D=3Futf-8=3Fq=3F=3D0A=3F=3D?=Bcc: victim@example.com",
    "Rare earths\u2028Bcc: victim@example.com",
    "Rare earths\u2029Bcc: victim@example.com",
    "Rare earths\x85Bcc: victim@example.com",
]


def _wire(message: object) -> bytes:
    return message.as_bytes(policy=policy.SMTP)  # type: ignore[attr-defined]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_never_inject_a_header(title: str) -> None:
    message = build_message(
        sender=SENDER,
        recipient="reader@example.com",
        subject=f"Top Insights Today: {title}",
        text="body",
        headers={"X-Story-Title": title},
    )
    parsed = message_from_bytes(_wire(message), policy=policy.default)
    assert parsed["Bcc"] is None
    assert "\n" not in str(parsed["Subject"]) and "\r" not in str(parsed["Subject"])
    assert "victim@example.com" in str(parsed["Subject"])  # kept as text, on the one line
    assert parsed.get_all("To") == ["reader@example.com"]
    header_block = _wire(message).split(b"\r\n\r\n", 1)[0]
    assert not any(line.startswith(b"Bcc") for line in header_block.split(b"\r\n"))


@pytest.mark.parametrize(
    "value",
    ["a\r\nb", "a\x00b", "a\u2028b", "a\x85b", "a =?utf-8?q?=0D=0A?= b", "a\tb"],
)
def test_clean_header_is_one_line_without_controls(value: str) -> None:
    cleaned = clean_header(value)
    assert cleaned.startswith("a") and cleaned.endswith("b")
    assert all(ch.isprintable() for ch in cleaned)


def test_clean_header_keeps_ordinary_text() -> None:
    assert clean_header("Japan–Namibia rare-earths deal: 4 more") == (
        "Japan–Namibia rare-earths deal: 4 more"
    )


@pytest.mark.parametrize(
    "recipient",
    ["a@example.com, b@example.com", "a@example.com\r\nCc: b@example.com", "", "not-an-address"],
)
def test_exactly_one_recipient(recipient: str) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        build_message(sender=SENDER, recipient=recipient, subject="s", text="t")


def test_hostile_display_name_stays_in_the_display_name() -> None:
    message = build_message(
        sender=SENDER,
        recipient='"Eve\r\nBcc: x@example.com" <eve@example.com>',
        subject="s",
        text="t",
    )
    parsed = message_from_bytes(_wire(message), policy=policy.default)
    assert parsed["Bcc"] is None
    assert parsed["To"].addresses[0].addr_spec == "eve@example.com"


def test_message_id_date_and_text_part_always_present() -> None:
    message = build_message(
        sender=SENDER, recipient="reader@example.com", subject="Hello", text="plain body"
    )
    parsed = message_from_bytes(_wire(message), policy=policy.default)
    assert parsed["Message-ID"].endswith("@news.example>")
    assert parsed["Date"].datetime is not None
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content().strip() == "plain body"


def test_html_makes_multipart_alternative_with_text_first() -> None:
    message = build_message(
        sender=SENDER,
        recipient="reader@example.com",
        subject="Hello",
        text="plain body",
        html="<p>html body</p>",
        headers={"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    parsed = message_from_bytes(_wire(message), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in parsed.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("name", ["Bcc", "To", "X-Bad\r\nBcc", "X Bad", "Subject"])
def test_extra_headers_cannot_override_or_smuggle(name: str) -> None:
    with pytest.raises(ValueError, match="not allowed"):
        build_message(
            sender=SENDER, recipient="r@example.com", subject="s", text="t", headers={name: "v"}
        )


@pytest.mark.parametrize(
    "recipient",
    ["=?utf-8?q?a=0D=0A?=@example.com", "a b@example.com", "<a@example.com>>"],
)
def test_addresses_that_could_be_reinterpreted_are_refused(recipient: str) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        build_message(sender=SENDER, recipient=recipient, subject="s", text="t")


def test_list_unsubscribe_urls_go_out_unencoded_and_within_line_limits() -> None:
    from newsdesk.deliver.links import links_for

    links = links_for("https://insights.example", "k" * 40, 123456, SENDER)
    message = build_message(
        sender=SENDER,
        recipient="reader@example.com",
        subject="Top Insights Today: Japan–Namibia rare-earths deal and 4 more",
        text="t",
        headers=links.list_unsubscribe_headers(),
    )
    wire = _wire(message)
    header_block = wire.split(b"\r\n\r\n", 1)[0]
    assert b"List-Unsubscribe: <https://insights.example/unsubscribe?token=" in header_block
    assert all(len(line) <= 998 for line in header_block.split(b"\r\n"))
    parsed = message_from_bytes(wire, policy=policy.default)
    value = str(parsed["List-Unsubscribe"])
    assert "=?" not in value
    assert value == f"<{links.unsubscribe}>, <{links.unsubscribe_mailto}>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
