"""A match as a notice (webhook body, email line), from the stored article."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsdesk.alerts.payloads import MatchNotice, alert_label
from newsdesk.alerts.ports import AlertStore
from newsdesk.domain.alerts import Alert, Delivery


def notices(
    store: AlertStore,
    alert: Alert,
    deliveries: Sequence[Delivery],
    base_url: str,
    sector_names: Mapping[str, str] | None = None,
) -> list[MatchNotice]:
    rows = store.notice_rows([d.article_id for d in deliveries])
    root = base_url.rstrip("/")
    found = []
    for delivery in deliveries:
        row = rows.get(delivery.article_id)
        if row is None:
            continue
        found.append(
            MatchNotice(
                alert_id=alert.id or 0,
                alert_name=alert_label(alert, sector_names),
                article_id=row.id,
                title=row.title,
                url=row.url,
                page=f"{root}/articles/{row.id}",
                source=row.source_name,
                published=row.published,
                matched_at=delivery.matched_at,
            )
        )
    return found
