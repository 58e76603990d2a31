"""The weekly report email: each Pro member gets the briefings of their sectors for the last
ISO week, exactly once per member and week, through an outbox like the digest's.

A row per (member, week) is the ledger: PENDING (claimed) → SENDING (compare-and-set just
before SMTP) → SENT; a row a killed sender left SENDING becomes UNCERTAIN and is never sent
again, so a crash costs at most one member's email, never a duplicate. The plan is asked for
at sending time (domain.access.decide, Resource.REPORT): a member who lost Pro is skipped,
and each report is drafted from what that member may read in full (their read_scope), as the
report's page would show it to them. Each email says how to stop it: a signed link that turns
the member's weekly report email off (domain.mail_off), in the footer and as RFC 8058 one-click
List-Unsubscribe; a member who turned it off is not among the recipients.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from textwrap import fill
from threading import Event
from typing import Any, Protocol

from markupsafe import Markup

from newsdesk.domain.access import (
    DEFAULT_POLICY,
    AccessPolicy,
    Item,
    ReadScope,
    Resource,
    Viewer,
    decide,
    read_scope,
)
from newsdesk.domain.mail_off import one_click_headers, report_mail_off_url
from newsdesk.domain.models import utcnow
from newsdesk.domain.reports import iso_week_of, sector_scope
from newsdesk.domain.signing import SigningKeys
from newsdesk.formats.mail import WireMessageBuilder
from newsdesk.reports.build import ReportOptions, build_report
from newsdesk.reports.model import Report
from newsdesk.reports.ports import ReportStore
from newsdesk.reports.render import (
    TEXT_WIDTH,
    RenderOptions,
    chart_svg,
    environment,
    link_makers,
    render_text,
    stylesheet,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportRecipient:
    member_id: int
    email: str
    sectors: tuple[str, ...]  # the member's digest sectors (one person, one set of preferences)


class ReportRecipients(Protocol):
    def report_recipients(self) -> Iterable[ReportRecipient]: ...

    def viewer_of(self, member_id: int, now: datetime) -> Viewer: ...


class ReportOutbox(Protocol):
    def claim_report_mail(self, member_id: int, week: str, *, now: datetime) -> tuple[int, str]:
        """The row of (member, week), inserted PENDING if missing: (id, status)."""

    def start_report_mail(
        self, row_id: int, *, message_id: str, subject: str, now: datetime
    ) -> bool:
        """PENDING → SENDING; True means this caller, and nobody else, sends now."""

    def finish_report_mail(
        self, row_id: int, status: str, *, now: datetime, error: str | None = None
    ) -> None: ...

    def mark_stale_report_mail_uncertain(self, *, older_than: datetime, now: datetime) -> int: ...


class Sender(Protocol):
    def send(self, message: Any) -> Any: ...


@dataclass(frozen=True)
class ReportMailOptions:
    reports: ReportOptions
    mail_from: str
    stale_sending_seconds: float = 300.0
    policy: AccessPolicy = DEFAULT_POLICY
    # bootstrap passes the configured keys; this default only serves tests on loopback
    signing: SigningKeys = field(default_factory=lambda: SigningKeys("change-me"))


@dataclass
class ReportMailReport:
    sent: int = 0
    skipped: int = 0  # not Pro, no sectors, already handled, or nothing in their sectors
    failed: int = 0
    uncertain: int = 0

    def line(self) -> str:
        return (
            f"weekly reports: {self.sent} sent, {self.skipped} skipped, {self.failed} failed, "
            f"{self.uncertain} uncertain"
        )


REPORT_MAIL_HOUR = 6  # UTC, on Mondays: last week's briefings go out from then


def last_week(now: datetime) -> str:
    return iso_week_of(now - timedelta(weeks=1))


def due_week(now: datetime) -> str:
    """The newest week whose emails are due at now: last week from Monday 06:00 UTC on, the
    week before until then. A sender that was down on Monday still mails the week later."""
    return last_week(now - timedelta(hours=REPORT_MAIL_HOUR))


def send_weekly_reports(
    store: Any,
    recipients: ReportRecipients,
    sender_factory: Callable[[], AbstractContextManager[Sender]],
    options: ReportMailOptions,
    *,
    week: str | None = None,
    clock: Callable[[], datetime] = utcnow,
    stop_event: Event | None = None,
) -> ReportMailReport:
    """Every Pro member's email for week (default: the last full ISO week), once. A set
    stop_event ends the run before the next member (the message in flight is finished)."""
    outbox: ReportOutbox = store
    reports_store: ReportStore = store
    report = ReportMailReport()
    now = clock()
    chosen = week or last_week(now)
    older = now - timedelta(seconds=options.stale_sending_seconds)
    report.uncertain = outbox.mark_stale_report_mail_uncertain(older_than=older, now=now)
    builder = WireMessageBuilder(options.mail_from)
    cache: dict[tuple[str, ReadScope], Report] = {}
    with sender_factory() as sender:
        for recipient in recipients.report_recipients():
            if stop_event is not None and stop_event.is_set():
                break
            now = clock()
            viewer = recipients.viewer_of(recipient.member_id, now)
            if (
                not recipient.sectors
                or not decide(viewer, Item(Resource.REPORT), now, options.policy).full
            ):
                report.skipped += 1
                continue
            row_id, status = outbox.claim_report_mail(recipient.member_id, chosen, now=now)
            if status != "pending":
                report.skipped += 1
                continue
            reader = read_scope(viewer, now, options.policy)
            drafted = [
                found
                for sector in recipient.sectors
                if (
                    found := _report(
                        reports_store, sector, chosen, reader, options=options, cache=cache
                    )
                )
                is not None
                and not found.empty
            ]
            if not drafted:
                outbox.finish_report_mail(
                    row_id, "skipped", now=now, error="nothing in these sectors"
                )
                report.skipped += 1
                continue
            subject = f"Your weekly briefings, {chosen}"
            off = report_mail_off_url(
                options.reports.base_url, options.signing, recipient.member_id
            )
            try:
                message = builder.build(
                    recipient=recipient.email,
                    subject=subject,
                    text=_text(drafted, options, chosen, off),
                    html=render_mail_html(drafted, options, chosen, subject, mail_off_url=off),
                    headers={"Auto-Submitted": "auto-generated", **one_click_headers(off)},
                )
            except ValueError as error:
                outbox.finish_report_mail(row_id, "failed", now=now, error=str(error))
                report.failed += 1
                continue
            if not outbox.start_report_mail(
                row_id, message_id=message.message_id, subject=subject, now=clock()
            ):
                report.skipped += 1
                continue
            result = sender.send(message)
            outcome = str(getattr(result, "outcome", ""))
            if outcome == "sent":
                outbox.finish_report_mail(row_id, "sent", now=clock())
                report.sent += 1
            else:
                detail = str(getattr(result, "detail", ""))
                outbox.finish_report_mail(row_id, "failed", now=clock(), error=detail)
                report.failed += 1
    return report


def _report(
    store: ReportStore,
    sector: str,
    week: str,
    reader: ReadScope,
    *,
    options: ReportMailOptions,
    cache: dict[tuple[str, ReadScope], Report],
) -> Report | None:
    """The sector's briefing as reader reads it, drafted once per run and kind of reader."""
    if sector not in options.reports.sector_names:
        return None
    key = (sector, reader)
    if key not in cache:
        scope = sector_scope(sector, week)
        cache[key] = build_report(store, scope, options.reports, reader=reader)
    return cache[key]


def _text(reports: list[Report], options: ReportMailOptions, week: str, mail_off_url: str) -> str:
    """The text part: the HTML part's opening line and footer (why it came, where to change
    that) around each briefing as text."""
    site = options.reports.site_name
    root = options.reports.base_url.rstrip("/")
    render = RenderOptions(options.reports.base_url, site)
    head = (
        f"{site} · your weekly briefings for {week}. Every statement cites the articles it "
        f"rests on. All reports: {root}/reports"
    )
    foot = (
        f"You receive this because your {site} plan includes reports and your preferences "
        f"name these sectors. Your account: {root}/account"
    )
    body = "\n\n".join(render_text(r, render) for r in reports)
    wrap = partial(fill, width=TEXT_WIDTH, break_long_words=False, break_on_hyphens=False)
    off = f"Stop the weekly report email:\n{mail_off_url}"  # the URL on a line of its own
    return f"{wrap(head)}\n\n{body}\n\n{wrap(foot)}\n{off}\n"  # a long URL stays whole


def render_mail_html(
    reports: list[Report],
    options: ReportMailOptions,
    week: str,
    subject: str,
    *,
    mail_off_url: str,
) -> str:
    root = options.reports.base_url.rstrip("/")
    return (
        environment()
        .get_template("report_mail.html")
        .render(
            reports=reports,
            subject=subject,
            week=week,
            site_name=options.reports.site_name,
            stylesheet=Markup(stylesheet() + stylesheet("report_mail.css")),  # noqa: S704 - the package's own files
            reports_url=f"{root}/reports",
            account_url=f"{root}/account",
            mail_off_url=mail_off_url,
            chart_svg=lambda chart: chart_svg(chart, show_values=True),
            **link_makers(root),
        )
    )
