"""Rows of every table the retention prune touches, and of the tables it must leave alone,
each at a chosen instant (raw inserts: the prune reads nothing but these columns)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import count
from typing import Any

from sqlalchemy import func, insert, select

from newsdesk.store import SqlStore
from newsdesk.store.schema import (
    alert_deliveries,
    alerts,
    articles,
    consent_events,
    fetch_attempts,
    member_sessions,
    members,
    payment_events,
    pro_leads,
    signin_requests,
    sources,
    subscribers,
    webhook_attempts,
)

PRUNED = ("fetch_attempts", "webhook_attempts", "signin_requests", "member_sessions", "pro_leads")
KEPT = ("consent_events", "payment_events", "articles", "members", "alert_deliveries")

_serial = count(1)


@dataclass
class Rows:
    """Parents the pruned rows hang on: a source, a member, an alert delivery."""

    store: SqlStore
    source_id: int
    member_id: int
    delivery_id: int
    at: datetime

    def _insert(self, table: Any, **values: Any) -> int:
        with self.store.engine.begin() as connection:
            return int(
                connection.execute(
                    insert(table).values(**values).returning(table.c.id)
                ).scalar_one()
            )

    def fetch(self, started_at: datetime) -> int:
        return self._insert(
            fetch_attempts,
            source_id=self.source_id,
            url="https://wire.example/feed.xml",
            started_at=started_at,
            outcome="ok",
            status=200,
            bytes=1,
            duration_seconds=0.1,
        )

    def webhook(self, at: datetime) -> int:
        return self._insert(
            webhook_attempts,
            delivery_id=self.delivery_id,
            endpoint_id=1,
            at=at,
            status=200,
            duration_ms=5,
            manual=False,
        )

    def signin(self, created_at: datetime, expires_at: datetime, used_at: datetime | None) -> int:
        n = next(_serial)
        return self._insert(
            signin_requests,
            email=f"reader{n}@example.com",
            token_hash=f"t{n:063d}",
            attempt_hash=f"a{n:063d}",
            code_hash="c" * 64,
            created_at=created_at,
            expires_at=expires_at,
            used_at=used_at,
            failed_codes=0,
            next_path="/",
            outcome="sent",
        )

    def session(self, created_at: datetime, expires_at: datetime) -> int:
        return self._insert(
            member_sessions,
            token_hash=f"s{next(_serial):063d}",
            member_id=self.member_id,
            created_at=created_at,
            expires_at=expires_at,
            user_agent="test",
        )

    def lead(self, created_at: datetime) -> int:
        return self._insert(
            pro_leads,
            name="Ada Reader",
            email=f"lead{next(_serial)}@example.com",
            company="Copper Ltd",
            message="Tell me more.",
            created_at=created_at,
            mail_status="sent",
        )

    def kept_records(self, at: datetime) -> None:
        """One old row in each legal or idempotency table the prune must never touch."""
        n = next(_serial)
        subscriber = self._insert(
            subscribers,
            email=f"sub{n}@example.com",
            status="active",
            sectors=[],
            entities=[],
            delivery_time="08:00",
            timezone="UTC",
            paused=False,
            created_at=at,
        )
        self._insert(
            consent_events,
            subscriber_id=subscriber,
            email=f"sub{n}@example.com",
            action="confirm",
            at=at,
            policy_version="1",
            terms_version="1",
            form="test",
            detail={},
        )
        self._insert(
            payment_events,
            provider="stripe",
            event_id=f"evt_{n}",
            type="invoice.paid",
            created=at,
            received_at=at,
            outcome="applied",
        )

    def count(self, name: str) -> int:
        table = self.store_table(name)
        with self.store.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(table)).scalar_one())

    @staticmethod
    def store_table(name: str) -> Any:
        return {
            table.name: table
            for table in (
                fetch_attempts,
                webhook_attempts,
                signin_requests,
                member_sessions,
                pro_leads,
                consent_events,
                payment_events,
                articles,
                members,
                alert_deliveries,
            )
        }[name]

    def ids(self, name: str) -> list[int]:
        table = self.store_table(name)
        with self.store.engine.connect() as connection:
            return [
                int(i)
                for i in connection.execute(select(table.c.id).order_by(table.c.id)).scalars()
            ]

    def counts(self, names: tuple[str, ...]) -> dict[str, int]:
        return {name: self.count(name) for name in names}


def seed(store: SqlStore, at: datetime) -> Rows:
    """The parents, created at `at` (long ago: the prune must leave them)."""
    with store.engine.begin() as connection:
        source_id = connection.execute(
            insert(sources).values(**_source_values(at)).returning(sources.c.id)
        ).scalar_one()
        member_id = connection.execute(
            insert(members)
            .values(email="member@example.com", created_at=at)
            .returning(members.c.id)
        ).scalar_one()
        article_id = connection.execute(
            insert(articles)
            .values(
                source_id=source_id,
                url="https://wire.example/1",
                canonical_url="https://wire.example/1",
                title="Copper",
                text="Copper prices rose.",
                html="<p>Copper prices rose.</p>",
                authors=[],
                content_hash="h1",
                created_at=at,
                extra={},
            )
            .returning(articles.c.id)
        ).scalar_one()
        alert_id = connection.execute(
            insert(alerts)
            .values(
                member_id=member_id,
                kind="query",
                name="copper",
                query="copper",
                sectors=[],
                entity_ids=[],
                fact_involving=[],
                email_mode="off",
                feed_prefix="abcd1234",
                feed_hash="f" * 64,
                created_at=at,
            )
            .returning(alerts.c.id)
        ).scalar_one()
        delivery_id = connection.execute(
            insert(alert_deliveries)
            .values(
                alert_id=alert_id,
                article_id=article_id,
                channel="webhook",
                status="sent",
                attempts=1,
                message_id="msg_1",
                matched_at=at,
                updated_at=at,
            )
            .returning(alert_deliveries.c.id)
        ).scalar_one()
    return Rows(store, int(source_id), int(member_id), int(delivery_id), at)


def _source_values(at: datetime) -> dict[str, Any]:
    """A source row with every NOT NULL column set."""
    return {
        "url": "https://wire.example/feed.xml",
        "name": "Wire",
        "kind": "feed",
        "interval_seconds": 3600,
        "feed_only": True,
        "weight": 1.0,
        "enabled": False,  # never due: a tick queues no poll of it
        "consecutive_failures": 0,
        "created_at": at,
    }
