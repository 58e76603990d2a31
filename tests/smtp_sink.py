"""A real SMTP server on loopback (aiosmtpd) for tests: records what it accepts and can be told
to answer 4xx/5xx, to reject given recipients, to be slow, or to require a login."""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from ports import LOOPBACK, bound_socket, port_of


@dataclass(frozen=True)
class ReceivedMessage:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    message: EmailMessage
    login: str | None


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """(cert, key) PEM files for 127.0.0.1, made by the openssl command line tool."""
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(
        [
            "/usr/bin/openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class _BoundController(Controller):
    """A Controller serving on a socket bound before it starts (tests/ports.py: no other
    process can take the port between choosing it and listening on it)."""

    def __init__(self, handler: Any, sock: socket.socket, **kwargs: Any) -> None:
        super().__init__(handler, hostname=LOOPBACK, port=port_of(sock), **kwargs)
        self._sock = sock

    def _create_server(self) -> Any:
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


class SmtpSink:
    """Use as a context manager, or start()/stop(). Thread-safe recording."""

    def __init__(
        self,
        *,
        credentials: tuple[str, str] | None = None,
        tls: str = "none",
        certificate: tuple[Path, Path] | None = None,
    ) -> None:
        """tls: "none", "starttls" or "tls" (implicit); those need certificate (cert, key)."""
        sock = bound_socket()
        self.port = port_of(sock)
        self.host = LOOPBACK
        self.messages: list[ReceivedMessage] = []
        self.connections = 0  # EHLO greetings: one per connection (no STARTTLS here)
        self.logins: list[str] = []
        self.data_delay = 0.0
        self._data_replies: deque[str] = deque()
        self._rcpt_replies: deque[str] = deque()
        self._rejected: dict[str, str] = {}
        self._credentials = credentials
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        kwargs: dict[str, Any] = {}
        if credentials is not None:
            kwargs = {
                "authenticator": self._authenticate,
                "auth_require_tls": False,
            }
        if tls != "none":
            if certificate is None:
                raise ValueError("a TLS sink needs a certificate")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(certificate[0]), str(certificate[1]))
            kwargs["tls_context" if tls == "starttls" else "ssl_context"] = context
            if tls == "starttls":
                kwargs["require_starttls"] = True
        self._controller = _BoundController(_Handler(self), sock, ready_timeout=10, **kwargs)

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    # What the next transactions are answered with
    def answer_data_with(self, reply: str, times: int = 1) -> None:
        """The next `times` DATA commands get reply (e.g. "451 4.3.0 try later")."""
        with self._lock:
            self._data_replies.extend([reply] * times)

    def answer_rcpt_with(self, reply: str, times: int = 1) -> None:
        with self._lock:
            self._rcpt_replies.extend([reply] * times)

    def reject_recipient(self, address: str, reply: str = "550 5.1.1 no such user") -> None:
        """Every RCPT TO this address is answered with reply."""
        with self._lock:
            self._rejected[address.lower()] = reply

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMessage]:
        """At least count messages received, or AssertionError after timeout seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} messages, got {len(self.messages)}")
                self._arrived.wait(left)
            return list(self.messages)

    def messages_to(self, address: str) -> list[ReceivedMessage]:
        with self._lock:
            return [m for m in self.messages if address.lower() in (r.lower() for r in m.rcpt_tos)]

    # Called by the handler on the server's thread
    def _authenticate(
        self, server: object, session: Any, envelope: object, mechanism: str, auth_data: object
    ) -> AuthResult:
        del server, envelope, mechanism
        ok = (
            isinstance(auth_data, LoginPassword)
            and self._credentials is not None
            and (auth_data.login.decode(), auth_data.password.decode()) == self._credentials
        )
        if ok:
            assert isinstance(auth_data, LoginPassword)
            with self._lock:
                self.logins.append(auth_data.login.decode())
        del session
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def _rcpt_reply(self, address: str) -> str | None:
        with self._lock:
            if address.lower() in self._rejected:
                return self._rejected[address.lower()]
            return self._rcpt_replies.popleft() if self._rcpt_replies else None

    def _data_reply(self) -> str | None:
        with self._lock:
            return self._data_replies.popleft() if self._data_replies else None

    def _record(self, envelope: Any, session: Any) -> None:
        data = bytes(envelope.original_content or envelope.content)
        parsed = message_from_bytes(data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        auth = getattr(session, "auth_data", None)
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        received = ReceivedMessage(
            mail_from=envelope.mail_from,
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=data,
            message=parsed,
            login=login,
        )
        with self._arrived:
            self.messages.append(received)
            self._arrived.notify_all()


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        del server, envelope
        session.host_name = hostname
        with self.sink._lock:
            self.sink.connections += 1
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        del server, session, rcpt_options
        reply = self.sink._rcpt_reply(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        del server
        if self.sink.data_delay:
            import asyncio

            await asyncio.sleep(self.sink.data_delay)
        reply = self.sink._data_reply()
        if reply is not None:
            return reply
        self.sink._record(envelope, session)
        return "250 2.0.0 Message accepted for delivery"
