"""Webhook deliveries: signed POSTs through the fetcher's SSRF guard, retried for about three
days with the same webhook-id, endpoints disabled on 410 or repeated failure (and their member
told). A plain function over the store: `newsdesk run` and a worker job call it alike.

A kill -9 mid-delivery leaves the row SENDING with a lease; once the lease runs out the row is
due again and is sent with the same webhook-id, so the receiver can drop the duplicate.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from threading import Event

from newsdesk.alerts.access import may_receive
from newsdesk.alerts.notices import notices
from newsdesk.alerts.payloads import body, headers
from newsdesk.alerts.ports import AlertOwners, AlertStore
from newsdesk.alerts.retry import TIMEOUT_SECONDS, Decision, Outcome, decide_attempt
from newsdesk.domain.access import DEFAULT_POLICY, AccessPolicy
from newsdesk.domain.alerts import (
    Alert,
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    WebhookEndpoint,
)
from newsdesk.domain.models import utcnow
from newsdesk.fetch.post import GuardedPoster

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=2 * TIMEOUT_SECONDS + 30)
MANUAL = "manual re-send"  # the error a re-send leaves on its row, for the delivery log

Notify = Callable[[int, str, str], None]  # (member id, subject, text): tell the member


@dataclass(frozen=True)
class WebhookOptions:
    base_url: str
    user_agent: str
    allow_hosts: tuple[str, ...] = ()
    timeout: float = TIMEOUT_SECONDS
    batch: int = 100
    policy: AccessPolicy = DEFAULT_POLICY
    sector_names: Mapping[str, str] = field(default_factory=dict)  # for alert_label


@dataclass
class WebhookReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    disabled: list[int] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"webhooks: {self.delivered} delivered, {self.retrying} to retry, "
            f"{self.failed} failed, {self.cancelled} cancelled, "
            f"{len(self.disabled)} endpoints disabled"
        )


def deliver_webhooks(
    store: AlertStore,
    owners: AlertOwners,
    options: WebhookOptions,
    *,
    clock: Callable[[], datetime] = utcnow,
    rng: random.Random | None = None,
    notify: Notify | None = None,
    stop_event: Event | None = None,
) -> WebhookReport:
    """Every webhook delivery that is due, once; a set stop_event ends the pass before the
    next delivery (the one in flight is finished; the rest stay due for the next pass)."""
    run = _Run(store, owners, options, clock, rng or random.SystemRandom(), notify, stop_event)
    return asyncio.run(run.deliver())


@dataclass
class _Run:
    store: AlertStore
    owners: AlertOwners
    options: WebhookOptions
    clock: Callable[[], datetime]
    rng: random.Random
    notify: Notify | None
    stop_event: Event | None
    report: WebhookReport = field(default_factory=WebhookReport)
    alerts: dict[int, Alert | None] = field(default_factory=dict)
    endpoints: dict[int, WebhookEndpoint | None] = field(default_factory=dict)

    async def deliver(self) -> WebhookReport:
        options = self.options
        async with GuardedPoster(
            options.allow_hosts, user_agent=options.user_agent, timeout=options.timeout
        ) as poster:
            due = self.store.due_deliveries(Channel.WEBHOOK, now=self.clock(), limit=options.batch)
            for delivery in due:
                if self.stop_event is not None and self.stop_event.is_set():
                    break
                await self.one(poster, delivery)
        return self.report

    def _alert(self, alert_id: int) -> Alert | None:
        if alert_id not in self.alerts:
            self.alerts[alert_id] = self.store.get_alert(alert_id)
        return self.alerts[alert_id]

    def _endpoint(self, endpoint_id: int) -> WebhookEndpoint | None:
        if endpoint_id not in self.endpoints:
            self.endpoints[endpoint_id] = self.store.get_webhook_endpoint(endpoint_id)
        return self.endpoints[endpoint_id]

    def _cancel(self, delivery: Delivery, reason: str) -> None:
        self.report.cancelled += self.store.cancel_deliveries(
            [delivery.id], reason=reason, now=self.clock()
        )

    async def one(self, poster: GuardedPoster, delivery: Delivery) -> None:
        alert = self._alert(delivery.alert_id)
        endpoint = self._endpoint(delivery.endpoint_id or -1)
        now = self.clock()
        if alert is None or alert.removed_at is not None:
            self._cancel(delivery, "alert removed")
        elif endpoint is None or not endpoint.enabled:
            self._cancel(delivery, "webhook endpoint disabled or removed")
        elif not may_receive(self.owners, alert.member_id, now, self.options.policy):
            self._cancel(delivery, "the member's plan no longer includes alerts")
        else:
            decision = await self.attempt(poster, alert, endpoint, delivery)
            if decision is not None:
                self.count(endpoint, decision)

    async def attempt(
        self, poster: GuardedPoster, alert: Alert, endpoint: WebhookEndpoint, delivery: Delivery
    ) -> Decision | None:
        store, now = self.store, self.clock()
        if not store.claim_delivery(delivery, now=now, lease_until=now + LEASE):
            return None  # another sender took it
        found = notices(store, alert, [delivery], self.options.base_url, self.options.sector_names)
        if not found:
            store.finish_delivery(delivery.id, DeliveryStatus.CANCELLED, now=now, error="gone")
            return None
        payload = body(endpoint, found[0])
        signed = headers(endpoint, delivery.message_id, now, payload)
        result = await poster.post(endpoint.url, payload, signed)
        store.log_webhook_attempt(
            DeliveryAttempt(
                delivery_id=delivery.id,
                endpoint_id=endpoint.id or 0,
                at=now,
                status=result.status,
                error=result.error,
                duration_ms=round(result.seconds * 1000),
                message_id=delivery.message_id,
                manual=delivery.error == MANUAL,
            )
        )
        decision = decide_attempt(
            result.status,
            result.error,
            attempts=delivery.attempts + 1,
            endpoint_failures=endpoint.failures,
            now=self.clock(),
            rng=self.rng,
        )
        if decision.outcome is Outcome.DELIVERED:
            store.finish_delivery(delivery.id, DeliveryStatus.SENT, now=self.clock())
        elif decision.outcome is Outcome.RETRY:
            store.finish_delivery(
                delivery.id,
                DeliveryStatus.PENDING,
                now=self.clock(),
                error=decision.reason,
                next_attempt_at=decision.next_attempt_at,
            )
        else:
            store.finish_delivery(
                delivery.id, DeliveryStatus.FAILED, now=self.clock(), error=decision.reason
            )
        return decision

    def count(self, endpoint: WebhookEndpoint, decision: Decision) -> None:
        """Count the outcome; disable the endpoint when it is gone or keeps failing."""
        store, report = self.store, self.report
        endpoint_id = endpoint.id or 0
        if decision.outcome is Outcome.DELIVERED:
            report.delivered += 1
            if endpoint.failures:
                store.set_webhook_endpoint_state(endpoint_id, enabled=True, reason=None, failures=0)
                self.endpoints.pop(endpoint_id, None)
            return
        if decision.outcome is Outcome.RETRY:
            report.retrying += 1
            return
        report.failed += 1
        if decision.outcome is Outcome.GIVE_UP:
            store.count_webhook_failure(endpoint_id)
        self.endpoints.pop(endpoint_id, None)
        if not decision.disable_endpoint:
            return
        store.set_webhook_endpoint_state(endpoint_id, enabled=False, reason=decision.reason)
        report.failed += store.fail_endpoint_deliveries(
            endpoint_id, reason=f"endpoint disabled: {decision.reason}", now=self.clock()
        )
        report.disabled.append(endpoint_id)
        log.warning("webhook endpoint %d disabled: %s", endpoint_id, decision.reason)
        if self.notify is not None:
            self.notify(
                endpoint.member_id,
                "Your newsdesk webhook endpoint was disabled",
                f"Deliveries to {endpoint.url} stopped: {decision.reason}.\n"
                "Fix the receiver, then register the endpoint again from your account page.",
            )
