"""SmtpSender against a real SMTP server on loopback: outcomes, reconnects, auth, DKIM."""

from __future__ import annotations

import base64
import logging
import socket
import subprocess
import time
from pathlib import Path

import pytest

from newsdesk.formats.mail import WireMessageBuilder
from newsdesk.mail import smtp as smtp_module
from newsdesk.mail.smtp import SendOutcome, SmtpOptions, SmtpPool, SmtpSender
from smtp_sink import SmtpSink, self_signed_certificate

SENDER = "Top Insights Today <insights@news.example>"


def _message(recipient: str = "reader@example.com", subject: str = "Hello") -> object:
    return WireMessageBuilder(SENDER).build(recipient=recipient, subject=subject, text="body")


def _options(sink: SmtpSink, **extra: object) -> SmtpOptions:
    values: dict[str, object] = {"host": sink.host, "port": sink.port, "timeout": 5.0, **extra}
    return SmtpOptions(**values)  # type: ignore[arg-type]


def test_sends_many_messages_over_one_connection(smtp_sink: SmtpSink) -> None:
    with SmtpSender(_options(smtp_sink)) as sender:
        results = [sender.send(_message(f"r{i}@example.com")) for i in range(5)]  # type: ignore[arg-type]
    assert [r.outcome for r in results] == [SendOutcome.SENT] * 5
    received = smtp_sink.wait_for(5)
    assert [m.rcpt_tos for m in received] == [(f"r{i}@example.com",) for i in range(5)]
    assert received[0].mail_from == "insights@news.example"
    assert smtp_sink.connections == 1


def test_4xx_is_deferred_and_5xx_rejected(smtp_sink: SmtpSink) -> None:
    smtp_sink.answer_data_with("451 4.3.0 try again later")
    smtp_sink.reject_recipient("gone@example.com", "550 5.1.1 no such user")
    with SmtpSender(_options(smtp_sink)) as sender:
        deferred = sender.send(_message())  # type: ignore[arg-type]
        rejected = sender.send(_message("gone@example.com"))  # type: ignore[arg-type]
        sent = sender.send(_message())  # type: ignore[arg-type]
    assert (deferred.outcome, deferred.code) == (SendOutcome.DEFERRED, 451)
    assert (rejected.outcome, rejected.code) == (SendOutcome.REJECTED, 550)
    assert "no such user" in rejected.detail
    assert sent.outcome is SendOutcome.SENT
    assert len(smtp_sink.wait_for(1)) == 1


def test_rcpt_4xx_is_deferred(smtp_sink: SmtpSink) -> None:
    smtp_sink.answer_rcpt_with("452 4.2.2 mailbox full")
    with SmtpSender(_options(smtp_sink)) as sender:
        result = sender.send(_message())  # type: ignore[arg-type]
    assert (result.outcome, result.code) == (SendOutcome.DEFERRED, 452)


def test_no_server_is_deferred_not_raised() -> None:
    with SmtpSink() as sink:
        options = _options(sink)
    with SmtpSender(options) as sender:
        result = sender.send(_message())  # type: ignore[arg-type]
    assert result.outcome is SendOutcome.DEFERRED
    assert result.code is None


def test_timeout_is_deferred(smtp_sink: SmtpSink) -> None:
    smtp_sink.data_delay = 2.0
    with SmtpSender(_options(smtp_sink, timeout=0.5)) as sender:
        result = sender.send(_message())  # type: ignore[arg-type]
    assert result.outcome is SendOutcome.DEFERRED


def test_reconnects_after_the_server_drops_the_connection(
    smtp_sink: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(smtp_module, "IDLE_CHECK_SECONDS", 0.0)
    with SmtpSender(_options(smtp_sink)) as sender:
        assert sender.send(_message()).outcome is SendOutcome.SENT  # type: ignore[arg-type]
        assert sender._connection is not None
        sender._connection.sock.shutdown(socket.SHUT_RDWR)  # type: ignore[union-attr]
        time.sleep(0.01)
        assert sender.send(_message()).outcome is SendOutcome.SENT  # type: ignore[arg-type]
    assert len(smtp_sink.wait_for(2)) == 2
    assert smtp_sink.connections == 2


def test_login_works_and_the_password_never_reaches_logs_or_repr(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with SmtpSink(credentials=("mailer", "s3cret-pw")) as sink:
        good = _options(sink, user="mailer", password="s3cret-pw")
        bad = _options(sink, user="mailer", password="wrong-pw")
        with SmtpSender(good) as sender:
            assert sender.send(_message()).outcome is SendOutcome.SENT  # type: ignore[arg-type]
        with SmtpSender(bad) as sender:
            failed = sender.send(_message())  # type: ignore[arg-type]
        assert sink.logins == ["mailer"]
        assert [m.login for m in sink.messages] == ["mailer"]
    assert failed.outcome is SendOutcome.DEFERRED
    assert "s3cret-pw" not in repr(good) and "wrong-pw" not in failed.detail
    assert "s3cret-pw" not in caplog.text


def test_pool_sends_from_several_threads(smtp_sink: SmtpSink) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with SmtpPool(_options(smtp_sink), size=3) as pool, ThreadPoolExecutor(3) as workers:
        results = list(
            workers.map(lambda i: pool.send(_message(f"p{i}@example.com")), range(30))  # type: ignore[arg-type]
        )
    assert all(r.outcome is SendOutcome.SENT for r in results)
    assert len(smtp_sink.wait_for(30)) == 30
    assert smtp_sink.connections <= 3


def _rsa_key_pair(directory: Path) -> tuple[bytes, bytes]:
    """(private PEM, public DER) made by the openssl command line tool."""
    private = directory / "dkim.pem"
    subprocess.run(
        ["/usr/bin/openssl", "genrsa", "-out", str(private), "2048"],
        check=True,
        capture_output=True,
    )
    public = subprocess.run(
        ["/usr/bin/openssl", "rsa", "-in", str(private), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    return private.read_bytes(), public


def test_dkim_signature_verifies(smtp_sink: SmtpSink, tmp_path: Path) -> None:
    import dkim

    private_pem, public_der = _rsa_key_pair(tmp_path)
    dns_record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public_der)
    options = _options(
        smtp_sink, dkim_domain="news.example", dkim_selector="nd", dkim_private_key=private_pem
    )
    with SmtpSender(options) as sender:
        assert sender.send(_message()).outcome is SendOutcome.SENT  # type: ignore[arg-type]
    (received,) = smtp_sink.wait_for(1)
    assert "d=news.example" in str(received.message["DKIM-Signature"])

    def dns(name: bytes, timeout: int = 5) -> bytes:
        del timeout
        assert name == b"nd._domainkey.news.example."
        return dns_record

    assert dkim.verify(received.data, dnsfunc=dns)
    tampered = received.data.replace(b"Subject: Hello", b"Subject: Hullo")
    assert not dkim.verify(tampered, dnsfunc=dns)


@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_tls_modes_verify_the_certificate_and_never_fall_back_to_plain_text(
    mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssl

    cert, key = self_signed_certificate(tmp_path)
    with SmtpSink(tls=mode, certificate=(cert, key)) as sink:
        with SmtpSender(_options(sink, tls=mode)) as sender:
            untrusted = sender.send(_message())  # type: ignore[arg-type]
        assert untrusted.outcome is SendOutcome.DEFERRED
        assert sink.messages == []

        original = ssl.create_default_context

        def trusting_context(*args: object, **kwargs: object) -> ssl.SSLContext:
            del args, kwargs
            return original(cafile=str(cert))

        monkeypatch.setattr(smtp_module.ssl, "create_default_context", trusting_context)
        with SmtpSender(_options(sink, tls=mode)) as sender:
            trusted = sender.send(_message())  # type: ignore[arg-type]
        assert trusted.outcome is SendOutcome.SENT
        assert len(sink.wait_for(1)) == 1


def test_starttls_required_but_not_offered_sends_nothing(smtp_sink: SmtpSink) -> None:
    with SmtpSender(_options(smtp_sink, tls="starttls")) as sender:
        result = sender.send(_message())  # type: ignore[arg-type]
    assert result.outcome is SendOutcome.DEFERRED
    assert smtp_sink.messages == []
