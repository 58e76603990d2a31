"""The one MIME builder (newsdesk.formats.mail): the bytes it writes, parsed back with the email
package, keep every bulk-sender guarantee: one recipient, Message-ID and Date, a text part,
no header injection, List-Unsubscribe whole and within line limits."""

from __future__ import annotations

import base64
import sys
import unicodedata
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from newsdesk.deliver.links import links_for
from newsdesk.formats.mail import LINE_BREAKING, WireMessage, WireMessageBuilder, clean_header
from newsdesk.mail.smtp import SendOutcome, SmtpOptions, SmtpSender
from smtp_sink import SmtpSink

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
    "Japan–Namibia\r\nBcc: victim@example.com",  # non-ASCII: goes out as encoded words
]


def _build(sender: str = SENDER, **changes: object) -> WireMessage:
    values: dict[str, object] = {
        "recipient": "reader@example.com",
        "subject": "Hello",
        "text": "plain body",
        **changes,
    }
    return WireMessageBuilder(sender).build(**values)  # type: ignore[arg-type]


def _parse(message: WireMessage) -> EmailMessage:
    parsed = message_from_bytes(message.data, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _text_of(part: object) -> str:
    """A part's decoded text; the parser keeps the wire's CRLF line ends."""
    assert isinstance(part, EmailMessage)
    return str(part.get_content()).replace("\r\n", "\n")


def _header_lines(message: WireMessage) -> list[bytes]:
    return message.data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_never_inject_a_header(title: str) -> None:
    message = _build(subject=f"Top Insights Today: {title}", headers={"X-Story-Title": title})
    parsed = _parse(message)
    assert parsed["Bcc"] is None
    assert not any(line.lower().startswith(b"bcc") for line in _header_lines(message))
    subject = str(parsed["Subject"])
    assert "\n" not in subject and "\r" not in subject
    assert "victim@example.com" in subject  # kept as text, on the one line
    assert subject == clean_header(f"Top Insights Today: {title}")
    assert parsed.get_all("To") == ["reader@example.com"]
    assert message.envelope_to == "reader@example.com"


@pytest.mark.parametrize(
    "recipient",
    [
        "a@example.com, b@example.com",
        "a@example.com\r\nCc: b@example.com",
        "",
        "not-an-address",
        "=?utf-8?q?a=0D=0A?=@example.com",
        "a b@example.com",
        "<a@example.com>>",
        "x" * 300 + "@example.com",
    ],
)
def test_exactly_one_usable_recipient(recipient: str) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        _build(recipient=recipient)


def test_an_address_needing_smtputf8_is_refused_not_mangled() -> None:
    with pytest.raises(ValueError, match="SMTPUTF8"):
        _build(recipient="jürgen@example.com")


def test_hostile_display_names_stay_in_the_display_name() -> None:
    message = _build(
        sender='"Desk\r\nBcc: x@example.com" <desk@news.example>',
        recipient='"Eve\r\nBcc: x@example.com" <eve@example.com>',
    )
    parsed = _parse(message)
    assert parsed["Bcc"] is None
    assert parsed["To"].addresses[0].addr_spec == "eve@example.com"
    assert parsed["From"].addresses[0].addr_spec == "desk@news.example"
    assert (message.envelope_from, message.envelope_to) == ("desk@news.example", "eve@example.com")


def test_non_ascii_sender_name_is_encoded_and_reads_back() -> None:
    parsed = _parse(_build(sender='"Schöne Grüße, Redaktion" <desk@news.example>'))
    assert parsed["From"].addresses[0].display_name == "Schöne Grüße, Redaktion"


def test_message_id_date_mime_version_and_text_part_always_present() -> None:
    message = _build()
    parsed = _parse(message)
    assert parsed["Message-ID"] == message.message_id
    assert message.message_id.endswith("@news.example>")
    assert parsed["Date"].datetime is not None
    assert parsed["MIME-Version"] == "1.0"
    assert parsed.get_content_type() == "text/plain"
    assert _text_of(parsed) == "plain body\n"
    assert _build().message_id != message.message_id


TRICKY_TEXT = (
    "Japan–Namibia: 5 € = 5.4 $\n"
    ".\n"
    ".a line starting with a dot\n"
    "From the desk\n"
    "trailing spaces   \n"
    "--=_not-a-boundary\n" + "x" * 2000 + "\n" + "ü" * 700 + "\r\nwindows line\rold mac line\n"
)


def test_bodies_round_trip_exactly_as_7bit_lines_within_limits() -> None:
    html = "<p>Japan–Namibia <a href='https://x.example/?a=1&b=2'>deal</a></p>" * 50
    message = _build(text=TRICKY_TEXT, html=html)
    parsed = _parse(message)
    assert parsed.get_content_type() == "multipart/alternative"
    plain, rich = parsed.iter_parts()
    assert [plain.get_content_type(), rich.get_content_type()] == ["text/plain", "text/html"]
    expected = TRICKY_TEXT.replace("\r\n", "\n").replace("\r", "\n")
    assert _text_of(plain) == expected
    assert _text_of(rich) == html + "\n"
    assert message.data.isascii()
    lines = message.data.split(b"\r\n")
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert all(len(line) <= 998 for line in lines)


def test_list_unsubscribe_urls_go_out_unencoded_and_within_line_limits() -> None:
    links = links_for("https://insights.example", "k" * 40, 123456, SENDER, version=3)
    message = _build(
        subject="Top Insights Today: Japan–Namibia rare-earths deal and 4 more " * 3,
        headers=links.list_unsubscribe_headers(),
    )
    header_block = b"\r\n".join(_header_lines(message))
    assert b"List-Unsubscribe: <https://insights.example/unsubscribe?token=" in header_block
    assert all(len(line) <= 998 for line in _header_lines(message))
    parsed = _parse(message)
    value = str(parsed["List-Unsubscribe"])
    assert "=?" not in value
    assert value == f"<{links.unsubscribe}>, <{links.unsubscribe_mailto}>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    long_subject = clean_header(
        "Top Insights Today: Japan–Namibia rare-earths deal and 4 more " * 3
    )
    assert str(parsed["Subject"]) == long_subject


@pytest.mark.parametrize(
    "name", ["Bcc", "To", "X-Bad\r\nBcc", "X Bad", "Subject", "Content-Type", "X-" + "a" * 80]
)
def test_extra_headers_cannot_override_or_smuggle(name: str) -> None:
    with pytest.raises(ValueError, match="not allowed"):
        _build(headers={name: "v"})


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


def test_line_breaking_characters_are_exactly_the_control_and_separator_categories() -> None:
    expected = {
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in {"Cc", "Zl", "Zp", "Cs"}
    }
    found = {chr(code) for code in range(sys.maxunicode + 1) if LINE_BREAKING.match(chr(code))}
    assert found == expected


def test_wire_message_is_sent_as_is_and_dkim_signed(smtp_sink: SmtpSink, tmp_path: Path) -> None:
    import subprocess

    import dkim

    private = tmp_path / "dkim.pem"
    subprocess.run(["/usr/bin/openssl", "genrsa", "-out", str(private), "2048"], check=True)
    public_der = subprocess.run(
        ["/usr/bin/openssl", "rsa", "-in", str(private), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    options = SmtpOptions(
        host=smtp_sink.host,
        port=smtp_sink.port,
        timeout=5.0,
        dkim_domain="news.example",
        dkim_selector="nd",
        dkim_private_key=private.read_bytes(),
    )
    links = links_for("https://insights.example", "k" * 40, 7, SENDER, version=0)
    message = _build(html="<p>hi</p>", headers=links.list_unsubscribe_headers())
    with SmtpSender(options) as sender:
        assert sender.send(message).outcome is SendOutcome.SENT
    (received,) = smtp_sink.wait_for(1)
    assert received.mail_from == "insights@news.example"
    assert received.rcpt_tos == ("reader@example.com",)
    signature = str(received.message["DKIM-Signature"])
    assert "list-unsubscribe" in signature.lower()

    def dns(name: bytes, timeout: int = 5) -> bytes:
        del timeout
        assert name == b"nd._domainkey.news.example."
        return b"v=DKIM1; k=rsa; p=" + base64.b64encode(public_der)

    assert dkim.verify(received.data, dnsfunc=dns)
    assert received.data.endswith(message.data)  # the built bytes, never re-serialised


def test_wire_messages_map_smtp_replies_like_sendmail(smtp_sink: SmtpSink) -> None:
    smtp_sink.answer_data_with("451 4.3.0 try again later")
    smtp_sink.answer_rcpt_with("452 4.2.2 mailbox full")
    smtp_sink.reject_recipient("gone@example.com", "550 5.1.1 no such user")
    options = SmtpOptions(host=smtp_sink.host, port=smtp_sink.port, timeout=5.0)
    with SmtpSender(options) as sender:
        full = sender.send(_build())
        data_later = sender.send(_build())
        gone = sender.send(_build(recipient="gone@example.com"))
        sent = sender.send(_build(recipient="ok@example.com"))
    assert (full.outcome, full.code) == (SendOutcome.DEFERRED, 452)
    assert (data_later.outcome, data_later.code) == (SendOutcome.DEFERRED, 451)
    assert (gone.outcome, gone.code) == (SendOutcome.REJECTED, 550)
    assert "no such user" in gone.detail
    assert sent.outcome is SendOutcome.SENT
    (received,) = smtp_sink.wait_for(1)
    assert received.rcpt_tos == ("ok@example.com",)
    assert smtp_sink.connections == 1  # refusals reset the transaction, not the connection
