"""Alert emails through the delivery ledger: exactly once per (alert, article) — a row goes
SENDING just before SMTP and SENT after; a row a killed sender left SENDING becomes UNCERTAIN
and is never sent again. Instant alerts send one message per match; hourly alerts one message
per alert once its oldest waiting match is an hour old. Each message says how to stop it: a
signed link that turns this alert's email off (domain.mail_off), in the body and as RFC 8058
one-click List-Unsubscribe."""

from __future__ import annotations

import html
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from threading import Event

from newsdesk.alerts.access import may_receive
from newsdesk.alerts.notices import notices
from newsdesk.alerts.payloads import MatchNotice, alert_label
from newsdesk.alerts.ports import AlertOwners, AlertStore, Mailer
from newsdesk.domain.access import DEFAULT_POLICY, AccessPolicy
from newsdesk.domain.alerts import Alert, Channel, Delivery, DeliveryStatus, EmailMode
from newsdesk.domain.mail_off import alert_mail_off_url, one_click_headers
from newsdesk.domain.models import utcnow
from newsdesk.domain.signing import SigningKeys
from newsdesk.formats.mail import WireMessage, WireMessageBuilder, html_document

log = logging.getLogger(__name__)
HOUR = timedelta(hours=1)
RETRY_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class AlertMailOptions:
    base_url: str
    site_name: str
    mail_from: str
    stale_sending_seconds: float = 300.0
    policy: AccessPolicy = DEFAULT_POLICY
    # bootstrap passes the configured keys; this default only serves tests on loopback
    signing: SigningKeys = field(default_factory=lambda: SigningKeys("change-me"))
    sector_names: Mapping[str, str] = field(default_factory=dict)  # for alert_label


@dataclass
class AlertMailReport:
    sent: int = 0  # messages
    matches: int = 0  # matches in them
    cancelled: int = 0
    failed: int = 0
    deferred: int = 0
    uncertain: int = 0

    def line(self) -> str:
        return (
            f"alert emails: {self.sent} sent ({self.matches} matches), {self.deferred} deferred, "
            f"{self.failed} failed, {self.cancelled} cancelled, {self.uncertain} uncertain"
        )


def send_alert_emails(
    store: AlertStore,
    owners: AlertOwners,
    sender_factory: Callable[[], AbstractContextManager[Mailer]],
    options: AlertMailOptions,
    *,
    clock: Callable[[], datetime] = utcnow,
    stop_event: Event | None = None,
) -> AlertMailReport:
    """Every alert email that is due, once; a set stop_event ends the pass before the next
    message (the one in flight is finished; the rest stay due for the next pass)."""
    report = AlertMailReport()
    now = clock()
    older = now - timedelta(seconds=options.stale_sending_seconds)
    report.uncertain = store.mark_stale_email_uncertain(older_than=older, now=now)
    groups: dict[int, list[Delivery]] = defaultdict(list)
    for delivery in store.due_deliveries(Channel.EMAIL, now=now, limit=1000):
        groups[delivery.alert_id].append(delivery)
    if not groups:
        return report
    builder = WireMessageBuilder(options.mail_from)
    with sender_factory() as sender:
        for alert_id, waiting in groups.items():
            alert = store.get_alert(alert_id)
            now = clock()
            if alert is None or alert.removed_at is not None or alert.email is EmailMode.OFF:
                report.cancelled += store.cancel_deliveries(
                    [d.id for d in waiting], reason="alert removed", now=now
                )
                continue
            recipient = owners.email_of(alert.member_id)
            if recipient is None or not may_receive(owners, alert.member_id, now, options.policy):
                report.cancelled += store.cancel_deliveries(
                    [d.id for d in waiting],
                    reason="the member's plan no longer includes alerts",
                    now=now,
                )
                continue
            if alert.email is EmailMode.HOURLY:
                if min(d.matched_at for d in waiting) > now - HOUR:
                    continue  # the hour's batch is not complete yet
                batches = [waiting]
            else:
                batches = [[d] for d in waiting]
            post = _Post(store, sender, builder, options, report, clock)
            for batch in batches:
                if stop_event is not None and stop_event.is_set():
                    return report
                post.send(alert, recipient, batch)
    return report


@dataclass
class _Post:
    store: AlertStore
    sender: Mailer
    builder: WireMessageBuilder
    options: AlertMailOptions
    report: AlertMailReport
    clock: Callable[[], datetime]

    def send(self, alert: Alert, recipient: str, batch: Sequence[Delivery]) -> None:
        _send(self, alert, recipient, batch)


def _send(post: _Post, alert: Alert, recipient: str, batch: Sequence[Delivery]) -> None:
    store, sender, builder, options = post.store, post.sender, post.builder, post.options
    report, clock = post.report, post.clock
    found = notices(store, alert, batch, options.base_url, options.sector_names)
    if not found:
        return
    try:
        message = build_alert_message(builder, alert, recipient, found, options)
    except ValueError as error:  # an address no SMTP server would take
        report.cancelled += store.cancel_deliveries(
            [d.id for d in batch], reason=str(error), now=clock()
        )
        return
    claimed = [
        d
        for d in batch
        if store.claim_delivery(d, now=clock(), lease_until=None, message_id=message.message_id)
    ]
    if not claimed:
        return
    result = sender.send(message)
    now = clock()
    outcome = str(result.outcome)
    for delivery in claimed:
        if outcome == "sent":
            store.finish_delivery(delivery.id, DeliveryStatus.SENT, now=now)
        elif outcome == "rejected":
            store.finish_delivery(delivery.id, DeliveryStatus.FAILED, now=now, error=result.detail)
        else:
            store.finish_delivery(
                delivery.id,
                DeliveryStatus.PENDING,
                now=now,
                error=result.detail,
                next_attempt_at=now + RETRY_AFTER,
            )
    if outcome == "sent":
        report.sent += 1
        report.matches += len(claimed)
    elif outcome == "rejected":
        report.failed += len(claimed)
    else:
        report.deferred += len(claimed)


def build_alert_message(
    builder: WireMessageBuilder,
    alert: Alert,
    recipient: str,
    found: Sequence[MatchNotice],
    options: AlertMailOptions,
) -> WireMessage:
    """One message for the matches: every title and name escaped in the HTML part."""
    name = alert_label(alert, options.sector_names)
    subject = (
        f"{name}: {found[0].title}" if len(found) == 1 else f"{name}: {len(found)} new articles"
    )
    root = options.base_url.rstrip("/")
    text_lines = [f"{options.site_name} alert: {name}", ""]
    items = []
    for notice in found:
        source = f" ({notice.source})" if notice.source else ""
        text_lines += [f"- {notice.title}{source}", f"  {notice.page}", ""]
        items.append(
            f'<li><a href="{html.escape(notice.page, quote=True)}">'
            f"{html.escape(notice.title)}</a>{html.escape(source)}</li>"
        )
    manage = f"{root}/account/alerts"
    if alert.id is None:
        raise ValueError("an alert email needs a stored alert")
    off = alert_mail_off_url(root, options.signing, alert.member_id, alert.id)
    text_lines += [f"Manage your alerts: {manage}", f"Stop the emails of this alert: {off}"]
    body_html = (
        f"<p>{html.escape(options.site_name)} alert: <strong>{html.escape(name)}</strong></p>"
        f"<ul>{''.join(items)}</ul>"
        f'<p><a href="{html.escape(manage, quote=True)}">Manage your alerts</a> · '
        f'<a href="{html.escape(off, quote=True)}">Stop the emails of this alert</a></p>'
    )
    return builder.build(
        recipient=recipient,
        subject=subject,
        text="\n".join(text_lines),
        html=html_document(body_html, title=subject),
        headers={"Auto-Submitted": "auto-generated", **one_click_headers(off)},
    )
