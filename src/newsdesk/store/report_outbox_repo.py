"""The weekly report email's outbox: one row per (member, ISO week), every step a
compare-and-set on its status (see reports.mailing)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.store.base import StoreBase
from newsdesk.store.schema import report_outbox


class ReportOutboxRepository(StoreBase):
    def claim_report_mail(self, member_id: int, week: str, *, now: datetime) -> tuple[int, str]:
        module: Any = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        with self.engine.begin() as connection:
            connection.execute(
                module.insert(report_outbox)
                .values(
                    member_id=member_id, week=week, status="pending", created_at=now, updated_at=now
                )
                .on_conflict_do_nothing()
            )
            row = connection.execute(
                select(report_outbox.c.id, report_outbox.c.status).where(
                    report_outbox.c.member_id == member_id, report_outbox.c.week == week
                )
            ).one()
        return int(row.id), str(row.status)

    def start_report_mail(
        self, row_id: int, *, message_id: str, subject: str, now: datetime
    ) -> bool:
        with self.engine.begin() as connection:
            return (
                connection.execute(
                    update(report_outbox)
                    .where(report_outbox.c.id == row_id, report_outbox.c.status == "pending")
                    .values(
                        status="sending", message_id=message_id, subject=subject, updated_at=now
                    )
                ).rowcount
                == 1
            )

    def finish_report_mail(
        self, row_id: int, status: str, *, now: datetime, error: str | None = None
    ) -> None:
        values: dict[str, Any] = {"status": status, "error": error, "updated_at": now}
        if status == "sent":
            values["sent_at"] = now
        with self.engine.begin() as connection:
            connection.execute(
                update(report_outbox)
                .where(
                    report_outbox.c.id == row_id,
                    report_outbox.c.status.in_(["pending", "sending", "uncertain"]),
                )
                .values(**values)
            )

    def mark_stale_report_mail_uncertain(self, *, older_than: datetime, now: datetime) -> int:
        with self.engine.begin() as connection:
            return int(
                connection.execute(
                    update(report_outbox)
                    .where(
                        report_outbox.c.status == "sending",
                        report_outbox.c.updated_at < older_than,
                    )
                    .values(
                        status="uncertain",
                        error="sender stopped while sending; not re-sent automatically",
                        updated_at=now,
                    )
                ).rowcount
            )

    def report_mail_status(self, member_id: int, week: str) -> str | None:
        with self.engine.connect() as connection:
            found: str | None = connection.execute(
                select(report_outbox.c.status).where(
                    report_outbox.c.member_id == member_id, report_outbox.c.week == week
                )
            ).scalar()
        return found
