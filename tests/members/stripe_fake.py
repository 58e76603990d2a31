"""Stripe at the network edge for tests: a real HTTP server on loopback standing in for
api.stripe.com (the stripe package is pointed at it with NEWSDESK_STRIPE_API_BASE), and events
signed as Stripe signs them (HMAC-SHA256 of "t.payload" with the endpoint's secret)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from ports import bound_socket, port_of

SECRET_KEY = "sk_test_newsdesk_fake_0123456789"
WEBHOOK_SECRET = "whsec_newsdesk_test_secret_abcdef"
PRICE = "price_pro_monthly"
CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_fake"


@dataclass
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class FakeStripe:
    """Answers POST /v1/checkout/sessions like Stripe (or with `fail_with`), recording each
    request (its form fields flattened as Stripe encodes them: line_items[0][price]…)."""

    requests: list[SeenRequest] = field(default_factory=list)
    fail_with: int | None = None

    def __post_init__(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length).decode()
                fake.requests.append(
                    SeenRequest(
                        "POST",
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        dict(parse_qsl(body)),
                    )
                )
                if fake.fail_with is not None:
                    error = {"error": {"type": "api_error", "message": "fake failure"}}
                    self._send(fake.fail_with, error)
                    return
                session = {
                    "id": "cs_test_fake",
                    "object": "checkout.session",
                    "mode": "subscription",
                    "url": CHECKOUT_URL,
                }
                self._send(200, session)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_fake")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        sock = bound_socket()
        self.server = ThreadingHTTPServer(sock.getsockname(), Handler, bind_and_activate=False)
        self.server.socket.close()
        self.server.socket = sock
        self.server.server_activate()
        self.base_url = f"http://127.0.0.1:{port_of(sock)}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeStripe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


def signature(payload: bytes, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """A Stripe-Signature header for payload, as Stripe makes it."""
    timestamp = int(time.time()) if at is None else at
    signed = f"{timestamp}.".encode() + payload
    mac = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


_counter = iter(range(1, 10**9))


def event(kind: str, obj: dict[str, Any], *, created: int, event_id: str | None = None) -> bytes:
    body = {
        "id": event_id or f"evt_test_{next(_counter)}",
        "object": "event",
        "api_version": "2026-09-30.endive",
        "type": kind,
        "created": created,
        "livemode": False,
        "data": {"object": obj},
    }
    return json.dumps(body).encode()


def subscription(
    sub_id: str,
    *,
    status: str,
    period_end: int,
    customer: str = "cus_test_1",
    member: int | None = None,
    price: str = PRICE,
    cancel_at_period_end: bool = False,
    items_period: bool = False,
) -> dict[str, Any]:
    """A subscription object; items_period puts the period end on its item (API versions
    from 2025-03-31 on) instead of the subscription."""
    item: dict[str, Any] = {"id": "si_1", "object": "subscription_item", "price": {"id": price}}
    obj: dict[str, Any] = {
        "id": sub_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "metadata": {"newsdesk_member": str(member)} if member is not None else {},
        "items": {"object": "list", "data": [item]},
    }
    if items_period:
        item["current_period_end"] = period_end
    else:
        obj["current_period_end"] = period_end
    return obj


def checkout_session(
    *, member: int, customer: str = "cus_test_1", sub_id: str = "sub_1", paid: bool = True
) -> dict[str, Any]:
    return {
        "id": "cs_test_fake",
        "object": "checkout.session",
        "mode": "subscription",
        "client_reference_id": str(member),
        "metadata": {"newsdesk_member": str(member)},
        "customer": customer,
        "subscription": sub_id,
        "payment_status": "paid" if paid else "unpaid",
        "status": "complete",
    }


def failed_invoice(sub_id: str, *, customer: str = "cus_test_1", new_api: bool = False) -> dict:
    invoice: dict[str, Any] = {"id": "in_1", "object": "invoice", "customer": customer}
    if new_api:
        invoice["parent"] = {"subscription_details": {"subscription": sub_id}}
    else:
        invoice["subscription"] = sub_id
    return invoice
