"""What the reports need from storage (SqlStore implements it structurally)."""

from __future__ import annotations

from typing import Protocol

from newsdesk.domain.access import ReadScope
from newsdesk.domain.enrichment import EntityRecord
from newsdesk.domain.reports import ReportData, ReportScope


class ReportStore(Protocol):
    def report_data(self, scope: ReportScope, *, label: str) -> ReportData:
        """The articles, stories, facts, entity activity and weekly volume of scope."""

    def get_entity(self, entity_id: str, *, scope: ReadScope = ...) -> EntityRecord | None:
        """The entity, if the scope sees a mention of it."""
