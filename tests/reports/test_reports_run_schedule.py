"""`newsdesk run`'s alerts schedule (bootstrap.services): it mails the week
reports.mailing.due_week names on any day (a process down on Monday catches up, as the
workers' send_reports job does), and a shutdown reaches the deliveries and report emails of a
pass, not only the wait between passes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from newsdesk.bootstrap import alerts as bootstrap_alerts
from newsdesk.bootstrap import services
from newsdesk.reports.mailing import ReportMailReport


class QuietPass:
    def busy(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("now", "week"),
    [
        (datetime(2026, 5, 27, 9, tzinfo=UTC), "2026-W21"),  # a Wednesday: last week
        (datetime(2026, 5, 25, 5, 59, tzinfo=UTC), "2026-W20"),  # Monday before 06:00
        (datetime(2026, 5, 25, 6, tzinfo=UTC), "2026-W21"),
    ],
)
def test_run_mails_the_due_week_on_any_day_and_passes_its_stop_on(
    monkeypatch: pytest.MonkeyPatch, now: datetime, week: str
) -> None:
    stop = threading.Event()
    alerts_stops: list[threading.Event | None] = []
    mailed: list[tuple[str | None, threading.Event | None]] = []

    def run_alerts(_settings: Any, _store: Any, *, stop_event: Any = None) -> QuietPass:
        alerts_stops.append(stop_event)
        if len(alerts_stops) > 1:
            stop.set()  # a schedule that did not mail on its first pass ends here
        return QuietPass()

    def send_reports(
        _settings: Any, _store: Any, *, week: str | None = None, stop_event: Any = None
    ) -> ReportMailReport:
        mailed.append((week, stop_event))
        stop.set()  # a shutdown while the week is mailed: the loop ends after it
        return ReportMailReport()

    monkeypatch.setattr(bootstrap_alerts, "run_alerts", run_alerts)
    monkeypatch.setattr(bootstrap_alerts, "send_reports", send_reports)
    monkeypatch.setattr("newsdesk.domain.models.utcnow", lambda: now)
    services._alerts_schedule(None, None, stop)  # type: ignore[arg-type]
    assert mailed == [(week, stop)]
    assert alerts_stops == [stop]
