"""Stripe at the network edge, through the stripe package (the [payments] extra, imported
only here and only when used: `import newsdesk` stays light).

- Checkout: POST /v1/checkout/sessions with the secret key (StripeClient), the member's
  reference in client_reference_id and in the session's and the subscription's metadata.
- Webhooks: the Stripe-Signature header is verified offline by stripe.WebhookSignature
  (HMAC-SHA256 of "timestamp.body" with the endpoint's signing secret, the timestamp within
  the tolerance), before the body is parsed.

No secret reaches a log or an error message: provider errors are reported by their kind,
HTTP status and request id only.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from newsdesk.members.options import PaymentOptions
from newsdesk.members.payments import (
    BadEventError,
    BadSignatureError,
    CheckoutRequest,
    PaymentProviderError,
    checkout_params,
)

if TYPE_CHECKING:
    import stripe

log = logging.getLogger(__name__)

MAX_SIGNATURE_HEADER = 4096
TIMEOUT_SECONDS = 20


class StripeGateway:
    """members.ports.PaymentGateway over the stripe package."""

    def __init__(self, options: PaymentOptions) -> None:
        if not options.enabled:
            raise ValueError("Stripe is not configured")
        self._options = options
        self._client: stripe.StripeClient | None = None

    def _stripe_client(self) -> stripe.StripeClient:
        if self._client is None:
            import stripe

            base = {"api": self._options.api_base} if self._options.api_base else None
            self._client = stripe.StripeClient(
                str(self._options.secret_key),
                base_addresses=base,  # type: ignore[arg-type]
                max_network_retries=1,
                # requests (the stripe package's own dependency): its httpx client posts
                # bodies the way httpx deprecates.
                http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
            )
        return self._client

    def create_checkout(self, request: CheckoutRequest) -> str:
        import stripe

        params: Any = checkout_params(request)
        try:
            session = self._stripe_client().v1.checkout.sessions.create(params=params)
        except stripe.StripeError as error:
            log.warning(
                "stripe checkout failed: %s (status %s, request %s)",
                type(error).__name__,
                error.http_status,
                error.request_id,
            )
            raise PaymentProviderError("the payment provider refused or did not answer") from None
        url = getattr(session, "url", None)
        if not isinstance(url, str) or not url.startswith("https://"):
            raise PaymentProviderError("the payment provider answered without a checkout URL")
        return url

    def verify(self, payload: bytes, signature: str | None) -> object:
        import stripe

        if not signature or len(signature) > MAX_SIGNATURE_HEADER:
            raise BadSignatureError("missing or oversized Stripe-Signature")
        try:
            text = payload.decode("utf-8")
            stripe.WebhookSignature.verify_header(
                text,
                signature,
                str(self._options.webhook_secret),
                tolerance=self._options.webhook_tolerance,
            )
        except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as error:
            raise BadSignatureError("the Stripe-Signature does not match") from error
        try:
            return json.loads(text)
        except ValueError as error:
            raise BadEventError("the body is not JSON") from error
