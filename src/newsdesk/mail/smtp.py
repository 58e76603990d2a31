"""Handing messages to an SMTP server: one kept-open connection per sender, outcomes mapped
to what the caller must do next (sent, try again later, never again), optional DKIM."""

from __future__ import annotations

import contextlib
import logging
import queue
import smtplib
import ssl
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Literal

from newsdesk.formats.mail import WireMessage

log = logging.getLogger(__name__)

# A connection idle for longer than this is checked with NOOP before the next message, so
# that a server-side idle timeout costs a reconnect, never a message.
IDLE_CHECK_SECONDS = 5.0
DKIM_HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"mime-version")
DKIM_HEADERS_IF_PRESENT = (b"list-unsubscribe", b"list-unsubscribe-post", b"content-type")


@dataclass(frozen=True)
class SmtpOptions:
    host: str  # empty: no SMTP server; messages are written as files into drop_dir
    port: int
    user: str = ""
    password: str = ""
    tls: Literal["none", "starttls", "tls"] | str = "none"
    timeout: float = 30.0
    dkim_domain: str | None = None
    dkim_selector: str | None = None
    dkim_private_key: bytes | None = None
    drop_dir: Path | None = None

    def __repr__(self) -> str:  # the password must never reach a log line
        return (
            f"SmtpOptions(host={self.host!r}, port={self.port}, user={self.user!r}, "
            f"tls={self.tls!r}, dkim_domain={self.dkim_domain!r})"
        )

    @property
    def dkim_enabled(self) -> bool:
        return bool(self.dkim_domain and self.dkim_selector and self.dkim_private_key)


class SendOutcome(StrEnum):
    SENT = "sent"  # 2xx: the server took responsibility for the message
    DEFERRED = "deferred"  # 4xx, connection trouble or timeout: try again later
    REJECTED = "rejected"  # 5xx: do not try again


@dataclass(frozen=True)
class SendResult:
    outcome: SendOutcome
    code: int | None
    detail: str


def _outcome_for(code: int | None) -> SendOutcome:
    if code is not None and 200 <= code < 300:
        return SendOutcome.SENT
    if code is not None and 500 <= code < 600:
        return SendOutcome.REJECTED
    return SendOutcome.DEFERRED


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


class SmtpSender:
    """Sends messages over one connection, opened on first use and reopened after it drops.

    Not thread-safe: use one per thread, or SmtpPool.
    """

    def __init__(self, options: SmtpOptions) -> None:
        self.options = options
        self._connection: smtplib.SMTP | None = None
        self._last_used = 0.0

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()

    def _connect(self) -> smtplib.SMTP:
        options = self.options
        connection: smtplib.SMTP
        if options.tls == "tls":
            connection = smtplib.SMTP_SSL(
                options.host,
                options.port,
                timeout=options.timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = smtplib.SMTP(options.host, options.port, timeout=options.timeout)
        try:
            connection.ehlo()
            if options.tls == "starttls":
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if options.user:
                connection.login(options.user, options.password)
        except BaseException:
            connection.close()
            raise
        return connection

    def _usable_connection(self) -> smtplib.SMTP:
        connection = self._connection
        if connection is not None and time.monotonic() - self._last_used > IDLE_CHECK_SECONDS:
            try:
                code, _ = connection.noop()
            except (smtplib.SMTPException, OSError):
                code = 0
            if code != 250:
                self._drop()
                connection = None
        if connection is None:
            connection = self._connect()
            self._connection = connection
        return connection

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def send(self, message: WireMessage) -> SendResult:
        """Hand one message over; never raises for SMTP or network trouble."""
        sender, recipient = message.envelope_from, message.envelope_to
        try:
            payload = signed_payload(message, self.options)
        except Exception as error:
            log.warning("dkim signing failed: %s", error.__class__.__name__)
            return SendResult(SendOutcome.DEFERRED, None, f"DKIM signing failed: {error}")
        try:
            connection = self._usable_connection()
        except smtplib.SMTPAuthenticationError as error:
            return SendResult(SendOutcome.DEFERRED, error.smtp_code, "SMTP authentication failed")
        except smtplib.SMTPResponseException as error:
            # Refused at connect time (e.g. 554 banner): says nothing about this recipient.
            detail = f"connect refused: {_text(error.smtp_error)}"
            return SendResult(SendOutcome.DEFERRED, error.smtp_code, detail)
        except (smtplib.SMTPException, OSError) as error:
            return SendResult(SendOutcome.DEFERRED, None, f"connect failed: {error}")
        try:
            refused = _transact(connection, sender, recipient, payload)
        except smtplib.SMTPSenderRefused as error:
            # Our own From was refused: a configuration problem, never the recipient's fault.
            return SendResult(SendOutcome.DEFERRED, error.smtp_code, _text(error.smtp_error))
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()), (None, b""))
            return SendResult(_outcome_for(code), code, _text(reply))
        except smtplib.SMTPResponseException as error:
            if error.smtp_code in {421, -1}:
                self._drop()
            return SendResult(
                _outcome_for(error.smtp_code), error.smtp_code, _text(error.smtp_error)
            )
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            return SendResult(SendOutcome.DEFERRED, None, f"{error.__class__.__name__}: {error}")
        finally:
            self._last_used = time.monotonic()
        if refused:
            code, reply = next(iter(refused.values()))
            return SendResult(_outcome_for(code), code, _text(reply))
        return SendResult(SendOutcome.SENT, 250, "accepted")


def signed_payload(message: WireMessage, options: SmtpOptions) -> bytes:
    """The message's bytes as they go on the wire, DKIM-signed when options configure it."""
    data = message.data
    if not options.dkim_enabled:
        return data
    import dkim  # dkimpy: loaded only when DKIM is configured

    present = {name.encode() for name in message.header_names}
    signed_headers = [*DKIM_HEADERS, *(h for h in DKIM_HEADERS_IF_PRESENT if h in present)]
    signature = dkim.sign(
        data,
        (options.dkim_selector or "").encode(),
        (options.dkim_domain or "").encode(),
        options.dkim_private_key or b"",
        include_headers=signed_headers,
    )
    return bytes(signature) + data


def _transact(
    connection: smtplib.SMTP, sender: str, recipient: str, payload: bytes
) -> dict[str, tuple[int, bytes]]:
    """smtplib's sendmail for one recipient, with the same exceptions, for addresses that
    WireMessageBuilder already checked (plain ASCII): sendmail re-parses both with the email
    package's address parser, a third of the CPU a message costs."""
    connection.ehlo_or_helo_if_needed()
    size = f" SIZE={len(payload)}" if connection.has_extn("size") else ""
    connection.putcmd("mail", f"FROM:<{sender}>{size}")
    code, reply = connection.getreply()
    if code != 250:
        _reset_after_refusal(connection, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    connection.putcmd("rcpt", f"TO:<{recipient}>")
    code, reply = connection.getreply()
    if code not in (250, 251):
        _reset_after_refusal(connection, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = connection.data(payload)
    if code != 250:
        _reset_after_refusal(connection, code)
        raise smtplib.SMTPDataError(code, reply)
    return {}


def _reset_after_refusal(connection: smtplib.SMTP, code: int) -> None:
    if code == 421:
        connection.close()
        return
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        connection.rset()


class SmtpPool:
    """size senders (connections) shared by threads: send() borrows one for one message."""

    def __init__(self, options: SmtpOptions, size: int) -> None:
        if size < 1:
            raise ValueError("an SMTP pool needs at least one connection")
        self._idle: queue.Queue[SmtpSender] = queue.Queue()
        self._senders = [SmtpSender(options) for _ in range(size)]
        for sender in self._senders:
            self._idle.put(sender)

    def __enter__(self) -> SmtpPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def size(self) -> int:
        return len(self._senders)

    def send(self, message: WireMessage) -> SendResult:
        sender = self._idle.get()
        try:
            return sender.send(message)
        finally:
            self._idle.put(sender)

    def close(self) -> None:
        for sender in self._senders:
            sender.close()
