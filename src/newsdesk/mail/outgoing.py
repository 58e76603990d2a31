"""Where outgoing mail goes: the configured SMTP server, or, when none is configured, one
``.eml`` file per message in a folder (the demo, a first install), so that no message is lost
and a newcomer can open the confirmation link from the file."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path
from types import TracebackType

from newsdesk.domain.models import utcnow
from newsdesk.formats.mail import WireMessage
from newsdesk.mail.smtp import (
    SendOutcome,
    SendResult,
    SmtpOptions,
    SmtpSender,
    signed_payload,
)

_UNSAFE = re.compile(r"[^a-z0-9@._-]+")
# What file names this module writes look like; anything else in the folder is not listed.
MESSAGE_NAME = re.compile(r"^[0-9]{8}T[0-9]{12}Z-[a-z0-9@._-]{1,64}-[0-9a-f]{8}\.eml$")


class MailDrop:
    """Writes each message, complete with its headers (and DKIM signature when configured),
    as a file of its own: ``<UTC time>-<recipient>-<random>.eml``, readable by its owner only.

    Thread-safe: every message is written to a temporary name, then renamed into place, so a
    reader never sees half a message.
    """

    def __init__(self, directory: Path, options: SmtpOptions) -> None:
        self.directory = directory
        self.options = options

    def __enter__(self) -> MailDrop:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to close; here so that a MailDrop can stand where an SmtpSender does."""

    def send(self, message: WireMessage) -> SendResult:
        recipient = message.envelope_to
        try:
            payload = signed_payload(message, self.options)
        except Exception as error:
            return SendResult(SendOutcome.DEFERRED, None, f"DKIM signing failed: {error}")
        try:
            path = self._write(recipient, payload)
        except OSError as error:
            return SendResult(SendOutcome.DEFERRED, None, f"cannot write the message: {error}")
        return SendResult(SendOutcome.SENT, 250, f"written to {path}")

    def _write(self, recipient: str, payload: bytes) -> Path:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
        who = _UNSAFE.sub("-", recipient.lower()).strip("-")[:64] or "recipient"
        name = f"{stamp}-{who}-{secrets.token_hex(4)}.eml"
        target = self.directory / name
        partial = self.directory / f".{name}.partial"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
        os.replace(partial, target)
        return target


MailSender = SmtpSender | MailDrop


def open_sender(options: SmtpOptions) -> MailSender:
    """An SMTP sender when a host is configured; otherwise a MailDrop into options.drop_dir."""
    if options.host:
        return SmtpSender(options)
    if options.drop_dir is None:
        raise ValueError("no SMTP host and no folder for outgoing mail")
    return MailDrop(options.drop_dir, options)


@dataclass(frozen=True)
class DroppedMessage:
    """A message written by MailDrop, as the admin pages show it."""

    name: str
    written_at: datetime
    sender: str
    recipient: str
    subject: str
    date: str
    text: str  # the plain-text part, decoded ("" if there is none)
    size: int


def list_dropped(directory: Path | None, *, limit: int = 200) -> list[DroppedMessage]:
    """The newest messages written to directory, newest first (headers only)."""
    if directory is None or not directory.is_dir():
        return []
    names = sorted(
        (p.name for p in directory.iterdir() if MESSAGE_NAME.match(p.name)), reverse=True
    )
    found = []
    for name in names[:limit]:
        message = read_dropped(directory, name)
        if message is not None:
            found.append(message)
    return found


def read_dropped(directory: Path | None, name: str) -> DroppedMessage | None:
    """The message file name in directory, or None (no such file, or not a name we write)."""
    raw = dropped_bytes(directory, name)
    if raw is None or directory is None:
        return None
    parsed = message_from_bytes(raw, policy=policy.default)
    text_part = parsed.get_body(preferencelist=("plain",)) if parsed.is_multipart() else parsed
    text = ""
    if text_part is not None and text_part.get_content_type() == "text/plain":
        text = str(text_part.get_content())
    written = datetime.strptime(name[:22], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=utcnow().tzinfo)
    return DroppedMessage(
        name=name,
        written_at=written,
        sender=str(parsed.get("From", "")),
        recipient=str(parsed.get("To", "")),
        subject=str(parsed.get("Subject", "")),
        date=str(parsed.get("Date", "")),
        text=text,
        size=len(raw),
    )


def dropped_bytes(directory: Path | None, name: str) -> bytes | None:
    """The raw message file name in directory; None for any other name (no path tricks)."""
    if directory is None or not MESSAGE_NAME.match(name):
        return None
    try:
        return (directory / name).read_bytes()
    except OSError:
        return None


def send_one(options: SmtpOptions, message: WireMessage) -> SendResult:
    """Send one transactional message now, on a connection (or file) of its own."""
    with open_sender(options) as sender:
        return sender.send(message)
