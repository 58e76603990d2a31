"""The weekly report email: once per member and week, Pro members only, escaped, cited, and
never twice after a sender is killed mid-send."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

from report_checks import check_report
from report_world import HOSTILE, MONDAY, SECTOR, WEEK, World

from newsdesk.bootstrap.alerts import send_reports
from newsdesk.domain.access import ANONYMOUS, Plan, Viewer, ViewerKind
from newsdesk.domain.subscribers import Subscriber
from newsdesk.mail.outgoing import MailDrop
from newsdesk.mail.smtp import SmtpOptions
from newsdesk.reports.build import ReportOptions
from newsdesk.reports.mailing import (
    ReportMailOptions,
    ReportRecipient,
    due_week,
    send_weekly_reports,
)
from newsdesk.store import SqlStore
from site_fixtures import site_settings

OPTIONS = ReportMailOptions(
    ReportOptions(
        "http://site.example", "site", {SECTOR: "Rare Earths & Commodities", "oil-gas": "Oil & Gas"}
    ),
    mail_from="Reports <reports@site.example>",
)


@dataclass
class Members:
    """ReportRecipients as the members' store answers: address, plan, digest sectors."""

    plans: dict[int, Plan] = field(default_factory=lambda: {1: Plan.PRO, 2: Plan.FREE, 3: Plan.PRO})

    def report_recipients(self) -> Iterable[ReportRecipient]:
        yield ReportRecipient(1, "pro@example.com", (SECTOR, "oil-gas"))
        yield ReportRecipient(2, "free@example.com", (SECTOR,))
        yield ReportRecipient(3, "nosectors@example.com", ())

    def viewer_of(self, member_id: int, now: datetime) -> Viewer:
        plan = self.plans.get(member_id)
        return ANONYMOUS if plan is None else Viewer(ViewerKind.MEMBER, member_id, plan)


def drop(directory: Path):  # type: ignore[no-untyped-def]
    @contextmanager
    def factory() -> Iterator[MailDrop]:
        yield MailDrop(directory, SmtpOptions(host="", port=0))

    return factory


def sent(directory: Path) -> list[email.message.EmailMessage]:
    return (
        [
            email.message_from_bytes(p.read_bytes(), policy=policy.default)  # type: ignore[misc]
            for p in sorted(directory.glob("*.eml"))
        ]
        if directory.is_dir()
        else []
    )


def test_pro_members_get_their_sectors_once(store: SqlStore, world: World, tmp_path: Path) -> None:
    report = send_weekly_reports(store, Members(), drop(tmp_path), OPTIONS, week=WEEK)
    assert (report.sent, report.skipped) == (1, 2)
    again = send_weekly_reports(store, Members(), drop(tmp_path), OPTIONS, week=WEEK)
    assert again.sent == 0
    [message] = sent(tmp_path)
    assert message["To"] == "pro@example.com" and WEEK in message["Subject"]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "Rare Earths &amp; Commodities: weekly briefing" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html and HOSTILE not in html
    assert check_report(html, store.engine) >= 10  # cited, and only stored figures
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "SOURCES" in text and "[1" in text
    # what the HTML part says around the briefings, for a reader of the text part too
    assert text.startswith(f"site · your weekly briefings for {WEEK}.")
    assert "All reports: http://site.example/reports" in text
    assert "You receive this because" in text
    foot = text.replace("\r\n", "\n").rstrip().rsplit("\n", 3)[1:]
    assert foot[0].endswith("Your account: http://site.example/account")
    assert foot[1] == "Stop the weekly report email:"
    assert foot[2].startswith("http://site.example/unsubscribe/weekly-report?token=")


def test_the_due_week_turns_on_monday_at_six_utc() -> None:
    """A reconciler's notion of "due": last week from Monday 06:00 UTC on, until then the
    week before (whose mailing began the previous Monday)."""
    monday = MONDAY.replace(hour=0)  # of WEEK (2026-W23)
    assert due_week(monday + timedelta(hours=5, minutes=59)) == "2026-W21"
    assert due_week(monday + timedelta(hours=6)) == "2026-W22"
    assert due_week(monday + timedelta(days=7, hours=5, minutes=59)) == "2026-W22"
    assert due_week(monday + timedelta(days=7, hours=6)) == WEEK


def test_a_set_stop_event_sends_nothing_more(store: SqlStore, world: World, tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    report = send_weekly_reports(
        store, Members(), drop(tmp_path), OPTIONS, week=WEEK, stop_event=stop
    )
    assert report.sent == 0 and sent(tmp_path) == []
    assert store.report_mail_status(1, WEEK) is None  # nobody claimed: the next run sends it


CHILD = """
import os, sys, time
from contextlib import contextmanager
sys.path[:0] = [{tests!r}, os.path.dirname({tests!r})]
from test_reports_mailing import OPTIONS, Members
from newsdesk.reports.mailing import send_weekly_reports
from newsdesk.store import open_store

class Stuck:
    def send(self, message):
        open({marker!r}, "w").write(message.message_id)
        time.sleep(120)

@contextmanager
def factory():
    yield Stuck()

send_weekly_reports(open_store({url!r}), Members(), factory, OPTIONS, week={week!r})
"""


def test_a_sender_killed_mid_send_never_sends_twice(
    store: SqlStore, world: World, database_url: str, tmp_path: Path
) -> None:
    marker = tmp_path / "handed-over"
    script = CHILD.format(
        tests=str(Path(__file__).parent), marker=str(marker), url=database_url, week=WEEK
    )
    child = subprocess.Popen([sys.executable, "-c", script], env={**os.environ})
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert child.poll() is None and time.monotonic() < deadline, "child did not send"
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    later = datetime.now(UTC) + timedelta(minutes=10)
    report = send_weekly_reports(
        store, Members(), drop(tmp_path / "again"), OPTIONS, week=WEEK, clock=lambda: later
    )
    assert report.uncertain == 1 and report.sent == 0 and sent(tmp_path / "again") == []
    assert store.report_mail_status(1, WEEK) == "uncertain"


def test_bootstrap_mails_real_pro_members_the_sectors_of_their_digest(
    store: SqlStore, world: World, tmp_path: Path
) -> None:
    """`newsdesk run`'s path: members from the members' store, their plan read when due, the
    sectors from the digest subscription of the same address; mail as configured (.eml files
    here, with no SMTP host)."""
    now = datetime.now(UTC)
    for address, plan in (("pro@example.com", Plan.PRO), ("free@example.com", Plan.FREE)):
        member = store.ensure_member(address, now=now)
        if plan is Plan.PRO:
            store.grant_plan(
                member.id, plan, until=None, source="manual", reason="t", actor="t", now=now
            )
    store.ensure_member("nodigest@example.com", now=now)
    readers = ("pro@example.com", "free@example.com")
    store.import_subscribers([Subscriber(email=a, sectors=(SECTOR,)) for a in readers], at=now)
    settings = site_settings(tmp_path / "data")
    report = send_reports(settings, store, week=WEEK)
    assert (report.sent, report.skipped) == (1, 2)
    [message] = sent(tmp_path / "data" / "mail")
    assert message["To"] == "pro@example.com" and WEEK in message["Subject"]
    assert send_reports(settings, store, week=WEEK).sent == 0
