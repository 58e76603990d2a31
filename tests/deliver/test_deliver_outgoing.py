"""Mail without an SMTP server: each message becomes one complete .eml file, nothing is lost,
and only files newsdesk wrote are ever listed or read back."""

from __future__ import annotations

import base64
import subprocess
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from newsdesk.formats.mail import WireMessageBuilder
from newsdesk.mail.outgoing import (
    MESSAGE_NAME,
    MailDrop,
    dropped_bytes,
    list_dropped,
    open_sender,
    read_dropped,
)
from newsdesk.mail.smtp import SendOutcome, SmtpOptions, SmtpSender

SENDER = "Top Insights Today <insights@news.example>"


def _message(recipient: str, subject: str = "Confirm your subscription") -> object:
    return WireMessageBuilder(SENDER).build(
        recipient=recipient,
        subject=subject,
        text="Open https://news.example/confirm?token=abc.def to confirm.",
        html="<p>Open <a href='https://news.example/confirm?token=abc.def'>this</a>.</p>",
    )


def test_no_smtp_host_means_a_mail_drop_and_a_host_means_smtp(tmp_path: Path) -> None:
    assert isinstance(open_sender(SmtpOptions(host="", port=25, drop_dir=tmp_path)), MailDrop)
    assert isinstance(open_sender(SmtpOptions(host="mail.example", port=25)), SmtpSender)
    with pytest.raises(ValueError, match="no SMTP host"):
        open_sender(SmtpOptions(host="", port=25))


def test_each_message_is_one_complete_file_readable_by_its_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    with open_sender(SmtpOptions(host="", port=25, drop_dir=folder)) as sender:
        result = sender.send(_message("Reader@Example.org"))  # type: ignore[arg-type]
    assert result.outcome is SendOutcome.SENT
    files = list(folder.iterdir())
    assert len(files) == 1 and MESSAGE_NAME.match(files[0].name)
    assert "reader@example.org" in files[0].name
    assert files[0].stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    parsed = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    for header in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
        assert parsed[header], header
    assert parsed.get_content_type() == "multipart/alternative"
    shown = read_dropped(folder, files[0].name)
    assert shown is not None
    assert shown.subject == "Confirm your subscription"
    assert "https://news.example/confirm?token=abc.def" in shown.text


def test_messages_sent_at_once_from_threads_are_all_kept(tmp_path: Path) -> None:
    drop = MailDrop(tmp_path, SmtpOptions(host="", port=25))
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: drop.send(_message(f"r{i}@example.org")), range(40)))  # type: ignore[arg-type]
    assert all(r.outcome is SendOutcome.SENT for r in results)
    assert len(list(tmp_path.glob("*.eml"))) == 40
    assert not list(tmp_path.glob(".*"))  # no partial files left behind
    assert len(list_dropped(tmp_path)) == 40


def test_an_unwritable_folder_defers_the_message_instead_of_losing_it(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    result = MailDrop(blocked, SmtpOptions(host="", port=25)).send(_message("r@example.org"))  # type: ignore[arg-type]
    assert result.outcome is SendOutcome.DEFERRED and "cannot write" in result.detail


@pytest.mark.parametrize(
    "name",
    [
        "../newsdesk.db",
        "/etc/passwd",
        "notes.txt",
        ".20260101T000000000000Z-a-0123abcd.eml.partial",
    ],
)
def test_only_names_newsdesk_writes_are_read_back(tmp_path: Path, name: str) -> None:
    (tmp_path / "notes.txt").write_text("not mail")
    assert dropped_bytes(tmp_path, name) is None
    assert read_dropped(tmp_path, name) is None
    assert list_dropped(tmp_path) == []


def test_dkim_signs_dropped_messages_when_configured(tmp_path: Path) -> None:
    import dkim

    key = tmp_path / "dkim.pem"
    subprocess.run(["/usr/bin/openssl", "genrsa", "-out", str(key), "2048"], check=True)
    public = subprocess.run(
        ["/usr/bin/openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    options = SmtpOptions(
        host="",
        port=25,
        dkim_domain="news.example",
        dkim_selector="s1",
        dkim_private_key=key.read_bytes(),
    )
    MailDrop(tmp_path / "mail", options).send(_message("r@example.org"))  # type: ignore[arg-type]
    raw = next((tmp_path / "mail").glob("*.eml")).read_bytes()
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    assert raw.startswith(b"DKIM-Signature:")
    assert dkim.verify(raw, dnsfunc=lambda name, timeout=5: record)
