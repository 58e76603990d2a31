"""Retention: deleting the operational and personal rows older than the policy's cut-offs
(domain.retention), a bounded batch per transaction so SQLite's write lock is never held
long and PostgreSQL's transactions stay short."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, and_, delete, func, or_, select

from newsdesk.domain.retention import RetentionCutoffs
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import (
    fetch_attempts,
    member_sessions,
    pro_leads,
    signin_requests,
    webhook_attempts,
)

PRUNE_BATCH_ROWS = 5000


def _doomed(cutoffs: RetentionCutoffs) -> list[tuple[Table, ColumnElement[bool] | None]]:
    """Each pruned table and which of its rows go (None: none, kept forever)."""
    expired = cutoffs.expired
    return [
        (
            fetch_attempts,
            None if cutoffs.fetch_log is None else fetch_attempts.c.started_at < cutoffs.fetch_log,
        ),
        (
            webhook_attempts,
            None
            if cutoffs.webhook_attempts is None
            else webhook_attempts.c.at < cutoffs.webhook_attempts,
        ),
        (
            signin_requests,
            None
            if expired is None
            # created_at <= used_at and < expires_at: the first term only lets the index help
            else and_(
                signin_requests.c.created_at < expired,
                or_(signin_requests.c.expires_at < expired, signin_requests.c.used_at < expired),
            ),
        ),
        (member_sessions, None if expired is None else member_sessions.c.expires_at < expired),
        (pro_leads, None if cutoffs.leads is None else pro_leads.c.created_at < cutoffs.leads),
    ]


class RetentionRepository(StoreBase):
    def prune_retained(
        self,
        cutoffs: RetentionCutoffs,
        *,
        dry_run: bool = False,
        batch_rows: int = PRUNE_BATCH_ROWS,
        max_rows: int | None = None,
    ) -> dict[str, int]:
        """Delete the rows older than the cut-offs, at most batch_rows per transaction and
        max_rows per table (None: all of them); rows deleted per table (dry_run: counted,
        nothing deleted). A table whose count reached max_rows may have rows left."""
        if batch_rows < 1:
            raise ValueError("batch_rows must be at least 1")
        if max_rows is not None and max_rows < 1:
            raise ValueError("max_rows must be at least 1")
        counts: dict[str, int] = {}
        for table, clause in _doomed(cutoffs):
            if clause is None:
                counts[table.name] = 0
            elif dry_run:
                with read_connection(self.engine) as connection:
                    counts[table.name] = int(
                        connection.execute(
                            select(func.count()).select_from(table).where(clause)
                        ).scalar_one()
                    )
            else:
                counts[table.name] = self._delete_in_batches(table, clause, batch_rows, max_rows)
        return counts

    def _delete_in_batches(
        self, table: Table, clause: ColumnElement[bool], batch_rows: int, max_rows: int | None
    ) -> int:
        total = 0
        while max_rows is None or total < max_rows:
            size = batch_rows if max_rows is None else min(batch_rows, max_rows - total)
            batch = select(table.c.id).where(clause).limit(size).scalar_subquery()
            with self.engine.begin() as connection:
                result = connection.execute(delete(table).where(table.c.id.in_(batch)))
            deleted = int(result.rowcount)
            total += deleted
            if deleted < size:
                break
        return total
