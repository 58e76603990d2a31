"""Alert emails: instant and hourly, exactly once per match, hostile titles escaped, nothing
for a member who lost Pro, and no second message after a sender is killed mid-send."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

from alert_world import JOGMEC, Owners, enriched_article

from newsdesk.alerts.create import AlertRequest, create_alert
from newsdesk.alerts.email import AlertMailOptions, send_alert_emails
from newsdesk.alerts.percolate import percolate_new
from newsdesk.domain.access import Plan
from newsdesk.domain.alerts import AlertKind, DeliveryStatus, EmailMode
from newsdesk.formats.mail import WireMessage
from newsdesk.mail.outgoing import MailDrop
from newsdesk.mail.smtp import SendResult, SmtpOptions
from newsdesk.store import SqlStore

OPTIONS = AlertMailOptions("http://site.example", "newsdesk", "Alerts <alerts@site.example>")
HOSTILE = '<script>alert(1)</script> & "Namibia" deal\r\nBcc: victim@example.com'


def drop(directory: Path):  # type: ignore[no-untyped-def]
    @contextmanager
    def factory() -> Iterator[MailDrop]:
        yield MailDrop(directory, SmtpOptions(host="", port=0))

    return factory


def messages(directory: Path) -> list[email.message.EmailMessage]:
    if not directory.is_dir():
        return []
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for path in sorted(directory.glob("*.eml"))
    ]


def alert_for(store: SqlStore, owners: Owners, mode: EmailMode) -> int:
    owners.add("pro@example.com")
    enriched_article(store, "seed", title="Seed", entities=(JOGMEC,))
    percolate_new(store)
    created = create_alert(
        store,
        owners,
        AlertRequest("pro@example.com", AlertKind.ENTITY, "org:jogmec", email_mode=mode),
        sectors={},
        entity_name=lambda e: getattr(store.get_entity(e), "name", None),
        allow_hosts=(),
        now=datetime.now(UTC),
    )
    return created.alert.id or 0


def test_instant_alerts_mail_each_match_once_escaped(store: SqlStore, tmp_path: Path) -> None:
    owners = Owners(store)
    alert_id = alert_for(store, owners, EmailMode.INSTANT)
    enriched_article(store, "a", title=HOSTILE, entities=(JOGMEC,))
    enriched_article(store, "b", title="JOGMEC second", entities=(JOGMEC,))
    percolate_new(store)
    first = send_alert_emails(store, owners, drop(tmp_path), OPTIONS)
    assert first.sent == 2 and send_alert_emails(store, owners, drop(tmp_path), OPTIONS).sent == 0
    sent = messages(tmp_path)
    assert len(sent) == 2 and all(m["To"] == "pro@example.com" for m in sent)
    assert all(m["Bcc"] is None for m in sent)  # the title's CR/LF could not add a header
    # The alert is named after what it watches, by the name the site shows, not its id.
    assert all(m["Subject"].startswith("Entity: JOGMEC: ") for m in sent)
    hostile = next(m for m in sent if "script" in m["Subject"])
    html = hostile.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert {d.status for d in store.alert_deliveries_of(alert_id)} == {DeliveryStatus.SENT}


def test_the_html_part_is_a_whole_document_in_english(store: SqlStore, tmp_path: Path) -> None:
    """It went out as a bare fragment: no language for a screen reader, no phone width, no
    title, where the digest, report, sign-in and sign-up emails each had a document."""
    owners = Owners(store)
    alert_for(store, owners, EmailMode.INSTANT)
    enriched_article(store, "a", title="JOGMEC <news>", entities=(JOGMEC,))
    percolate_new(store)
    assert send_alert_emails(store, owners, drop(tmp_path), OPTIONS).sent == 1
    [message] = messages(tmp_path)
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert html.startswith('<!doctype html><html lang="en"><head><meta charset="utf-8">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<title>" in html and "JOGMEC &lt;news&gt;" in html and html.rstrip().endswith("</html>")


def test_hourly_alerts_wait_for_the_hour_and_send_one_message(
    store: SqlStore, tmp_path: Path
) -> None:
    owners = Owners(store)
    alert_for(store, owners, EmailMode.HOURLY)
    for n in range(3):
        enriched_article(store, f"h{n}", title=f"JOGMEC item {n}", entities=(JOGMEC,))
    percolate_new(store)
    assert send_alert_emails(store, owners, drop(tmp_path), OPTIONS).sent == 0
    later = datetime.now(UTC) + timedelta(hours=1, minutes=1)
    report = send_alert_emails(store, owners, drop(tmp_path), OPTIONS, clock=lambda: later)
    assert report.sent == 1 and report.matches == 3
    [message] = messages(tmp_path)
    assert "3 new articles" in message["Subject"]


def test_no_mail_for_a_member_who_lost_pro(store: SqlStore, tmp_path: Path) -> None:
    owners = Owners(store)
    alert_id = alert_for(store, owners, EmailMode.INSTANT)
    enriched_article(store, "a", title="JOGMEC news", entities=(JOGMEC,))
    percolate_new(store)
    owners.set_plan(1, Plan.FREE)
    assert send_alert_emails(store, owners, drop(tmp_path), OPTIONS).cancelled == 1
    assert messages(tmp_path) == []
    assert [d.status for d in store.alert_deliveries_of(alert_id)] == [DeliveryStatus.CANCELLED]


CHILD = """
import sys, time
from contextlib import contextmanager
sys.path.insert(0, {tests!r})
from alert_world import Owners
from newsdesk.alerts.email import AlertMailOptions, send_alert_emails
from newsdesk.mail.smtp import SendOutcome, SendResult
from newsdesk.store import open_store

class Stuck:
    def send(self, message):
        open({marker!r}, "w").write(message.message_id)
        time.sleep(120)  # SMTP took it; the process is killed before SENT is recorded
        return SendResult(SendOutcome.SENT, 250, "ok")

@contextmanager
def factory():
    yield Stuck()

store = open_store({url!r})
send_alert_emails(store, Owners(store), factory,
                  AlertMailOptions("http://site.example", "newsdesk", "a@site.example"))
"""


def test_a_sender_killed_mid_send_never_sends_twice(
    store: SqlStore, database_url: str, tmp_path: Path
) -> None:
    owners = Owners(store)
    alert_id = alert_for(store, owners, EmailMode.INSTANT)
    enriched_article(store, "a", title="JOGMEC news", entities=(JOGMEC,))
    percolate_new(store)
    marker = tmp_path / "handed-over"
    script = CHILD.format(tests=str(Path(__file__).parent), marker=str(marker), url=database_url)
    child = subprocess.Popen([sys.executable, "-c", script], env={**os.environ})
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None and time.monotonic() < deadline, (
                "child did not start sending"
            )
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    later = datetime.now(UTC) + timedelta(minutes=10)
    report = send_alert_emails(
        store, owners, drop(tmp_path / "again"), OPTIONS, clock=lambda: later
    )
    assert report.uncertain == 1 and report.sent == 0
    assert messages(tmp_path / "again") == []
    assert [d.status for d in store.alert_deliveries_of(alert_id)] == [DeliveryStatus.UNCERTAIN]


class StoppingDrop(MailDrop):
    """A mail drop that asks the pass to stop once it has written a message (a shutdown
    arriving while that message was in flight)."""

    def __init__(self, directory: Path, stop: threading.Event) -> None:
        super().__init__(directory, SmtpOptions(host="", port=0))
        self.stop = stop

    def send(self, message: WireMessage) -> SendResult:
        result = super().send(message)
        self.stop.set()
        return result


def test_a_stop_ends_the_pass_after_the_message_in_flight(store: SqlStore, tmp_path: Path) -> None:
    owners = Owners(store)
    alert_id = alert_for(store, owners, EmailMode.INSTANT)
    enriched_article(store, "a", title="JOGMEC first", entities=(JOGMEC,))
    enriched_article(store, "b", title="JOGMEC second", entities=(JOGMEC,))
    percolate_new(store)
    stop = threading.Event()

    @contextmanager
    def stopping() -> Iterator[MailDrop]:
        yield StoppingDrop(tmp_path, stop)

    first = send_alert_emails(store, owners, stopping, OPTIONS, stop_event=stop)
    assert first.sent == 1 and len(messages(tmp_path)) == 1
    statuses = sorted(d.status.value for d in store.alert_deliveries_of(alert_id))
    assert statuses == sorted([DeliveryStatus.SENT.value, DeliveryStatus.PENDING.value])
    # The next pass sends the other one, and nothing twice.
    assert send_alert_emails(store, owners, drop(tmp_path), OPTIONS).sent == 1
    assert len(messages(tmp_path)) == 2
