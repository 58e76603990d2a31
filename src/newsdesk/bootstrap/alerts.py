"""Alerts and the weekly report email: who owns and receives them (the members' store,
resolved per call), their options from the settings, and one pass of everything due
(percolation, webhooks, emails; the week's reports) for `newsdesk run` and the worker jobs."""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

from newsdesk.bootstrap.options import access_policy, smtp_options
from newsdesk.config import Settings
from newsdesk.domain.access import ANONYMOUS, Plan, Viewer, ViewerKind
from newsdesk.domain.errors import NewsdeskError
from newsdesk.text.emails import email_key

if TYPE_CHECKING:
    from collections.abc import Iterator
    from threading import Event

    from newsdesk.alerts.email import AlertMailOptions, AlertMailReport
    from newsdesk.alerts.percolate import PercolateReport
    from newsdesk.alerts.ports import AlertStore, Mailer
    from newsdesk.alerts.webhooks import WebhookOptions, WebhookReport
    from newsdesk.reports.mailing import ReportMailReport, ReportRecipient

log = logging.getLogger(__name__)


class _Member(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def email(self) -> str | None: ...

    @property
    def report_mail_off_at(self) -> datetime | None: ...


class _PlanState(Protocol):
    @property
    def plan(self) -> Plan: ...

    @property
    def until(self) -> datetime | None: ...


class MemberDirectory(Protocol):
    """What the members' store answers (newsdesk.domain.members.EntitlementStore)."""

    def member_by_email(self, email: str) -> _Member | None: ...

    def get_member(self, member_id: int) -> _Member | None: ...

    def plan_of(self, member_id: int, now: datetime) -> _PlanState: ...


class AlertsUnavailableError(NewsdeskError):
    """The store has no members (the members package is not installed in this build)."""


@dataclass(frozen=True)
class StoreOwners:
    """alerts.ports.AlertOwners over the members' store, read afresh on every call."""

    directory: MemberDirectory

    def member_id_by_email(self, email: str) -> int | None:
        member = self.directory.member_by_email(email_key(email))  # the one identity
        return None if member is None else member.id

    def email_of(self, member_id: int) -> str | None:
        member = self.directory.get_member(member_id)
        return None if member is None else member.email

    def viewer_of(self, member_id: int, now: datetime) -> Viewer:
        member = self.directory.get_member(member_id)
        if member is None or member.email is None:
            return ANONYMOUS
        state = self.directory.plan_of(member_id, now)
        return Viewer(ViewerKind.MEMBER, member_id, state.plan, state.until, "alert owner")


def alert_owners(store: Any) -> StoreOwners:
    if not all(hasattr(store, name) for name in ("member_by_email", "get_member", "plan_of")):
        raise AlertsUnavailableError("alerts need members: this store has none")
    return StoreOwners(cast(MemberDirectory, store))


def webhook_options(settings: Settings) -> WebhookOptions:
    from newsdesk.alerts.webhooks import WebhookOptions

    return WebhookOptions(
        base_url=settings.site.base_url,
        user_agent=settings.fetch.resolved_user_agent,
        allow_hosts=settings.fetch.allow_hosts,
        policy=access_policy(settings),
        sector_names=_sector_names(settings),
    )


def alert_mail_options(settings: Settings) -> AlertMailOptions:
    from newsdesk.alerts.email import AlertMailOptions

    return AlertMailOptions(
        base_url=settings.site.base_url,
        site_name=settings.site.site_name,
        mail_from=settings.mail.sender,
        stale_sending_seconds=settings.digest.stale_sending_seconds,
        policy=access_policy(settings),
        signing=settings.security.signing_keys,
        sector_names=_sector_names(settings),
    )


def _sector_names(settings: Settings) -> dict[str, str]:
    """The taxonomy's sector names, for the names of alerts stored in the old id form."""
    from newsdesk.bootstrap.options import site_sectors

    return {sector.id: sector.name for sector in site_sectors(settings)}


def _sender(settings: Settings) -> AbstractContextManager[Mailer]:
    from newsdesk.mail.outgoing import open_sender

    options = smtp_options(settings)
    return cast("AbstractContextManager[Mailer]", open_sender(options))


@dataclass
class AlertsPass:
    percolated: PercolateReport
    webhooks: WebhookReport
    emails: AlertMailReport

    def busy(self) -> bool:
        return bool(
            self.percolated.articles
            or self.webhooks.delivered
            or self.webhooks.retrying
            or self.webhooks.failed
            or self.emails.sent
            or self.emails.failed
        )

    def line(self) -> str:
        return f"{self.percolated.line()}; {self.webhooks.line()}; {self.emails.line()}"


def run_alerts(
    settings: Settings, store: AlertStore, *, stop_event: Event | None = None
) -> AlertsPass:
    """Match what was enriched since the last pass, then deliver what is due; a set
    stop_event ends the deliveries after the one in flight (what is left stays due)."""
    from newsdesk.alerts.email import send_alert_emails
    from newsdesk.alerts.percolate import percolate_new
    from newsdesk.alerts.webhooks import deliver_webhooks

    owners = alert_owners(store)

    def notify(member_id: int, subject: str, text: str) -> None:
        notify_member(settings, owners, member_id, subject, text)

    return AlertsPass(
        percolated=percolate_new(store),
        webhooks=deliver_webhooks(
            store, owners, webhook_options(settings), notify=notify, stop_event=stop_event
        ),
        emails=send_alert_emails(
            store,
            owners,
            lambda: _sender(settings),
            alert_mail_options(settings),
            stop_event=stop_event,
        ),
    )


def notify_member(
    settings: Settings, owners: StoreOwners, member_id: int, subject: str, text: str
) -> None:
    """A short note to a member (an endpoint disabled): one message, never raises."""
    from newsdesk.formats.mail import WireMessageBuilder

    recipient = owners.email_of(member_id)
    if recipient is None:
        return
    try:
        message = WireMessageBuilder(settings.mail.sender).build(
            recipient=recipient, subject=subject, text=text
        )
        with _sender(settings) as sender:
            sender.send(message)
    except (ValueError, OSError) as error:
        log.warning("could not tell member %d: %s", member_id, error)


class _Subscriber(Protocol):
    @property
    def sectors(self) -> tuple[str, ...]: ...


class MemberRoster(MemberDirectory, Protocol):
    """The members' store as the weekly report email reads it."""

    def iter_members(self) -> Iterator[_Member]: ...

    def get_subscriber_by_email(self, email: str) -> _Subscriber | None: ...


@dataclass(frozen=True)
class StoreReportRecipients:
    """reports.mailing.ReportRecipients over the members' store: every member with an
    address who has not turned the email off, with the sectors of their digest preferences
    (one person, one set of preferences); the plan is asked for when their email is due."""

    roster: MemberRoster

    def report_recipients(self) -> Iterator[ReportRecipient]:
        from newsdesk.reports.mailing import ReportRecipient

        for member in self.roster.iter_members():
            if member.email is None or member.report_mail_off_at is not None:
                continue
            subscriber = self.roster.get_subscriber_by_email(member.email)
            sectors = tuple(subscriber.sectors) if subscriber is not None else ()
            yield ReportRecipient(member.id, member.email, sectors)

    def viewer_of(self, member_id: int, now: datetime) -> Viewer:
        return StoreOwners(self.roster).viewer_of(member_id, now)


def report_recipients(store: Any) -> StoreReportRecipients:
    wanted = ("iter_members", "get_subscriber_by_email", "get_member", "plan_of")
    if not all(hasattr(store, name) for name in wanted):
        raise AlertsUnavailableError("weekly report emails need members: this store has none")
    return StoreReportRecipients(cast(MemberRoster, store))


def send_reports(
    settings: Settings, store: Any, *, week: str | None = None, stop_event: Event | None = None
) -> ReportMailReport:
    """The weekly report email for week (default: the last full ISO week), once per member;
    a set stop_event ends the run after the message in flight."""
    from newsdesk.bootstrap.reports import report_options
    from newsdesk.reports.mailing import ReportMailOptions, send_weekly_reports

    options = ReportMailOptions(
        reports=report_options(settings),
        mail_from=settings.mail.sender,
        stale_sending_seconds=settings.digest.stale_sending_seconds,
        policy=access_policy(settings),
        signing=settings.security.signing_keys,
    )
    return send_weekly_reports(
        store,
        report_recipients(store),
        lambda: _sender(settings),
        options,
        week=week,
        stop_event=stop_event,
    )
