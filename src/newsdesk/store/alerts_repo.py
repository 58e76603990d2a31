"""Alerts and webhook endpoints, and percolation's reads and writes: the newly enriched
articles not matched yet, and their matches with one delivery row per channel, written in the
transaction that marks the articles percolated (a crash re-percolates them; the unique
(alert, article, channel) rows keep every match to one delivery per channel)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.domain.alerts import (
    Alert,
    AlertKind,
    Channel,
    DeliveryStatus,
    EmailMode,
    FactConstraint,
    PayloadFormat,
    PercolationDoc,
    WebhookEndpoint,
)
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import (
    alert_deliveries,
    alert_matches,
    alerts,
    article_sectors,
    articles,
    enrichments,
    entity_mentions,
    fact_sources,
    facts,
    percolated_articles,
    sources,
    webhook_endpoints,
)
from newsdesk.store.search_repo import effective_label

_WORDS_OF = 20_000  # characters of an article's text percolation reads words from


def _insert_ignoring_duplicates(connection: Connection, table: Any) -> Any:
    module: Any = postgresql if connection.dialect.name == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()


def alert_from_row(row: Any) -> Alert:
    fact = FactConstraint(row.fact_type, tuple(row.fact_involving or ())) if row.fact_type else None
    return Alert(
        id=row.id,
        member_id=row.member_id,
        kind=AlertKind(row.kind),
        name=row.name,
        query=row.query,
        sectors=tuple(row.sectors or ()),
        entity_ids=tuple(row.entity_ids or ()),
        fact=fact,
        email=EmailMode(row.email_mode),
        webhook_id=row.webhook_id,
        created_at=row.created_at,
        removed_at=row.removed_at,
        feed_prefix=row.feed_prefix,
    )


def endpoint_from_row(row: Any) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=row.id,
        member_id=row.member_id,
        url=row.url,
        secret=row.secret,
        previous_secret=row.previous_secret,
        previous_until=row.previous_until,
        payload=PayloadFormat(row.payload),
        enabled=row.enabled,
        disabled_reason=row.disabled_reason,
        failures=row.failures,
        created_at=row.created_at,
    )


class AlertsRepository(StoreBase):
    # --- webhook endpoints ----------------------------------------------------------------

    def add_webhook_endpoint(
        self, member_id: int, url: str, *, secret: str, payload: PayloadFormat, now: datetime
    ) -> WebhookEndpoint:
        values = {
            "member_id": member_id,
            "url": url,
            "secret": secret,
            "previous_secret": "",
            "payload": str(payload),
            "enabled": True,
            "failures": 0,
            "created_at": now,
        }
        with self.engine.begin() as connection:
            new_id = connection.execute(
                insert(webhook_endpoints).values(**values)
            ).inserted_primary_key
        endpoint = self.get_webhook_endpoint(int(new_id[0]))  # type: ignore[index]
        assert endpoint is not None
        return endpoint

    def get_webhook_endpoint(self, endpoint_id: int) -> WebhookEndpoint | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id)
            ).first()
        return None if row is None else endpoint_from_row(row)

    def member_webhook_endpoints(self, member_id: int) -> list[WebhookEndpoint]:
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(webhook_endpoints)
                .where(webhook_endpoints.c.member_id == member_id)
                .order_by(webhook_endpoints.c.id)
            )
            return [endpoint_from_row(row) for row in rows]

    def rotate_webhook_secret(
        self, endpoint_id: int, *, secret: str, previous_until: datetime
    ) -> bool:
        """A new signing secret; the old one still signs until previous_until."""
        with self.engine.begin() as connection:
            return (
                connection.execute(
                    update(webhook_endpoints)
                    .where(webhook_endpoints.c.id == endpoint_id)
                    .values(
                        previous_secret=webhook_endpoints.c.secret,
                        previous_until=previous_until,
                        secret=secret,
                    )
                ).rowcount
                == 1
            )

    def set_webhook_endpoint_state(
        self, endpoint_id: int, *, enabled: bool, reason: str | None, failures: int | None = None
    ) -> None:
        values: dict[str, Any] = {"enabled": enabled, "disabled_reason": reason}
        if failures is not None:
            values["failures"] = failures
        with self.engine.begin() as connection:
            connection.execute(
                update(webhook_endpoints)
                .where(webhook_endpoints.c.id == endpoint_id)
                .values(**values)
            )

    def count_webhook_failure(self, endpoint_id: int) -> int:
        """One more delivery given up in a row; returns the new count."""
        with self.engine.begin() as connection:
            connection.execute(
                update(webhook_endpoints)
                .where(webhook_endpoints.c.id == endpoint_id)
                .values(failures=webhook_endpoints.c.failures + 1)
            )
            return int(
                connection.execute(
                    select(webhook_endpoints.c.failures).where(
                        webhook_endpoints.c.id == endpoint_id
                    )
                ).scalar_one()
            )

    # --- alerts ---------------------------------------------------------------------------

    def add_alert(self, alert: Alert, *, feed_hash: str, now: datetime) -> Alert:
        fact = alert.fact
        values = {
            "member_id": alert.member_id,
            "kind": str(alert.kind),
            "name": alert.name,
            "query": alert.query,
            "sectors": list(alert.sectors),
            "entity_ids": list(alert.entity_ids),
            "fact_type": fact.fact_type if fact else None,
            "fact_involving": list(fact.involving) if fact else [],
            "email_mode": str(alert.email),
            "webhook_id": alert.webhook_id,
            "feed_prefix": alert.feed_prefix,
            "feed_hash": feed_hash,
            "created_at": now,
        }
        with self.engine.begin() as connection:
            new_id = connection.execute(insert(alerts).values(**values)).inserted_primary_key
        found = self.get_alert(int(new_id[0]))  # type: ignore[index]
        assert found is not None
        return found

    def get_alert(self, alert_id: int) -> Alert | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(select(alerts).where(alerts.c.id == alert_id)).first()
        return None if row is None else alert_from_row(row)

    def list_alerts(self, *, member_id: int | None = None, active: bool = True) -> list[Alert]:
        query = select(alerts).order_by(alerts.c.id)
        if member_id is not None:
            query = query.where(alerts.c.member_id == member_id)
        if active:
            query = query.where(alerts.c.removed_at.is_(None))
        with read_connection(self.engine) as connection:
            return [alert_from_row(row) for row in connection.execute(query)]

    def remove_alert(self, alert_id: int, *, now: datetime) -> bool:
        """Stop the alert; what it had not delivered yet is cancelled."""
        with self.engine.begin() as connection:
            removed = connection.execute(
                update(alerts)
                .where(alerts.c.id == alert_id, alerts.c.removed_at.is_(None))
                .values(removed_at=now)
            ).rowcount
            connection.execute(
                update(alert_deliveries)
                .where(
                    alert_deliveries.c.alert_id == alert_id,
                    alert_deliveries.c.status == str(DeliveryStatus.PENDING),
                )
                .values(status=str(DeliveryStatus.CANCELLED), error="alert removed", updated_at=now)
            )
        return removed == 1

    def set_alert_email(self, alert_id: int, mode: EmailMode, *, now: datetime) -> bool:
        """Change how the alert emails (the alert, its feed and webhook stay); turned off, the
        emails it had not sent yet are cancelled. False when it already was so."""
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(alerts)
                .where(alerts.c.id == alert_id, alerts.c.email_mode != str(mode))
                .values(email_mode=str(mode))
            ).rowcount
            if mode is EmailMode.OFF:
                connection.execute(
                    update(alert_deliveries)
                    .where(
                        alert_deliveries.c.alert_id == alert_id,
                        alert_deliveries.c.channel == str(Channel.EMAIL),
                        alert_deliveries.c.status == str(DeliveryStatus.PENDING),
                    )
                    .values(
                        status=str(DeliveryStatus.CANCELLED),
                        error="email turned off",
                        updated_at=now,
                    )
                )
        return changed == 1

    def alert_feed_credentials(self, feed_prefix: str) -> tuple[Alert, str] | None:
        """The alert of a private feed prefix and its token's hash."""
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(alerts).where(alerts.c.feed_prefix == feed_prefix)
            ).first()
        return None if row is None else (alert_from_row(row), row.feed_hash)

    def alert_feed_items(self, alert_id: int, *, limit: int = 50) -> list[Any]:
        """(article_id, title, url, published, matched_at) of the newest matches."""
        with read_connection(self.engine) as connection:
            return list(
                connection.execute(
                    select(
                        articles.c.id,
                        articles.c.title,
                        articles.c.url,
                        articles.c.published,
                        alert_matches.c.matched_at,
                    )
                    .join(articles, articles.c.id == alert_matches.c.article_id)
                    .where(alert_matches.c.alert_id == alert_id)
                    .order_by(alert_matches.c.matched_at.desc(), articles.c.id.desc())
                    .limit(limit)
                ).all()
            )

    # --- percolation ----------------------------------------------------------------------

    def unpercolated(
        self, *, enriched_since: datetime, stored_since: datetime, limit: int = 500
    ) -> list[PercolationDoc]:
        """Articles enriched since enriched_since and stored since stored_since (an archive
        backfill is not news to an alert) that percolation has not seen yet, oldest first."""
        seen = select(percolated_articles.c.article_id)
        with read_connection(self.engine) as connection, connection.begin():
            rows = connection.execute(
                select(
                    articles.c.id,
                    articles.c.title,
                    func.substr(articles.c.text, 1, _WORDS_OF).label("text_start"),
                    articles.c.url,
                    articles.c.published,
                    sources.c.name.label("source_name"),
                )
                .join(enrichments, enrichments.c.article_id == articles.c.id)
                .outerjoin(sources, sources.c.id == articles.c.source_id)
                .where(
                    enrichments.c.enriched_at >= enriched_since,
                    articles.c.created_at >= stored_since,
                    articles.c.id.not_in(seen),
                )
                .order_by(articles.c.id)
                .limit(limit)
            ).all()
            ids = [row.id for row in rows]
            named = _by_article(
                connection,
                select(entity_mentions.c.article_id, entity_mentions.c.entity_id).where(
                    entity_mentions.c.article_id.in_(ids)
                ),
            )
            labelled = _by_article(
                connection,
                select(article_sectors.c.article_id, article_sectors.c.sector_id).where(
                    article_sectors.c.article_id.in_(ids), effective_label(None)
                ),
            )
            stated: dict[int, list[tuple[str, dict[str, object]]]] = defaultdict(list)
            for article_id, kind, data in connection.execute(
                select(fact_sources.c.article_id, facts.c.type, facts.c.data)
                .join(facts, facts.c.key == fact_sources.c.fact_key)
                .where(fact_sources.c.article_id.in_(ids))
            ):
                stated[article_id].append((kind, dict(data or {})))
        return [
            PercolationDoc(
                article_id=row.id,
                title=row.title,
                text=row.text_start or "",
                entity_ids=frozenset(named.get(row.id, ())),
                sectors=frozenset(s for s in labelled.get(row.id, ()) if s),
                facts=tuple(stated.get(row.id, ())),
                published=row.published,
                url=row.url,
                source_name=row.source_name,
            )
            for row in rows
        ]

    def record_percolation(
        self,
        article_ids: Sequence[int],
        matches: Sequence[tuple[Alert, int]],
        *,
        now: datetime,
        message_id: Callable[[], str],
    ) -> int:
        """Mark the articles percolated and store their matches with a delivery row per
        channel the alert uses, in one transaction. Returns the matches new to the store."""
        with self.engine.begin() as connection:
            if article_ids:
                connection.execute(
                    _insert_ignoring_duplicates(connection, percolated_articles),
                    [{"article_id": i, "at": now} for i in article_ids],
                )
            if not matches:
                return 0
            new = connection.execute(
                _insert_ignoring_duplicates(connection, alert_matches),
                [{"alert_id": a.id, "article_id": i, "matched_at": now} for a, i in matches],
            ).rowcount
            rows = []
            for alert, article_id in matches:
                channels: list[tuple[Channel, int | None]] = []
                if alert.email is not EmailMode.OFF:
                    channels.append((Channel.EMAIL, None))
                if alert.webhook_id is not None:
                    channels.append((Channel.WEBHOOK, alert.webhook_id))
                rows += [
                    {
                        "alert_id": alert.id,
                        "article_id": article_id,
                        "channel": str(channel),
                        "status": str(DeliveryStatus.PENDING),
                        "attempts": 0,
                        "message_id": message_id() if channel is Channel.WEBHOOK else "",
                        "matched_at": now,
                        "next_attempt_at": now,
                        "endpoint_id": endpoint_id,
                        "updated_at": now,
                    }
                    for channel, endpoint_id in channels
                ]
            if rows:
                connection.execute(_insert_ignoring_duplicates(connection, alert_deliveries), rows)
        return int(new) if new is not None and new >= 0 else len(matches)


def _by_article(connection: Connection, query: Any) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for article_id, value in connection.execute(query):
        found[article_id].append(value)
    return found
