"""Percolation: every newly enriched article, once, against every alert (through the index).

A plain function over the store, run by `newsdesk run` after each enrichment pass and by a
worker job alike. Articles stored longer ago than ``max_age`` (an archive backfill) are never
matched: alerts are about news, not about what an import brought in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from newsdesk.alerts.match import AlertIndex, document_terms
from newsdesk.alerts.payloads import new_message_id
from newsdesk.alerts.ports import AlertStore
from newsdesk.domain.alerts import Alert
from newsdesk.domain.models import utcnow


@dataclass(frozen=True)
class PercolateOptions:
    max_age: timedelta = timedelta(days=2)  # of an article's storing, to count as news
    batch: int = 500


@dataclass
class PercolateReport:
    articles: int = 0
    matches: int = 0

    def line(self) -> str:
        return f"percolated {self.articles} articles, {self.matches} new matches"


def percolate_new(
    store: AlertStore,
    options: PercolateOptions | None = None,
    *,
    clock: Callable[[], datetime] = utcnow,
    alerts: list[Alert] | None = None,
) -> PercolateReport:
    chosen = options or PercolateOptions()
    report = PercolateReport()
    index = AlertIndex.build(alerts if alerts is not None else store.list_alerts())
    while True:
        now = clock()
        docs = store.unpercolated(
            enriched_since=now - chosen.max_age,
            stored_since=now - chosen.max_age,
            limit=chosen.batch,
        )
        if not docs:
            return report
        matches: list[tuple[Alert, int]] = []
        for doc in docs:
            found = replace(doc, terms=document_terms(doc.title, doc.text))
            matches += [(alert, doc.article_id) for alert in index.match(found)]
        report.matches += store.record_percolation(
            [doc.article_id for doc in docs], matches, now=now, message_id=new_message_id
        )
        report.articles += len(docs)
        if len(docs) < chosen.batch:
            return report
