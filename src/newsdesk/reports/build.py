"""The edge of report drafting: scope checks against the store, the read, then the pure draft."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from newsdesk.domain.errors import NewsdeskError
from newsdesk.domain.reports import ReportArticle, ReportKind, ReportScope
from newsdesk.reports.draft import draft_report, within
from newsdesk.reports.model import Report
from newsdesk.reports.ports import ReportStore


class UnknownSubjectError(NewsdeskError):
    """No such sector or entity."""


@dataclass(frozen=True)
class ReportOptions:
    base_url: str
    site_name: str
    sector_names: Mapping[str, str] = field(default_factory=dict)


def report_label(store: ReportStore, scope: ReportScope, options: ReportOptions) -> str:
    """The sector's or entity's name; UnknownSubjectError when there is none."""
    if scope.kind is ReportKind.SECTOR:
        name = options.sector_names.get(scope.key)
        if name is None:
            raise UnknownSubjectError(f"no sector {scope.key!r} in the taxonomy")
        return name
    entity = store.get_entity(scope.key)
    if entity is None:
        raise UnknownSubjectError(f"no entity {scope.key!r}")
    return entity.name


def build_report(
    store: ReportStore,
    scope: ReportScope,
    options: ReportOptions,
    *,
    may_read: Callable[[ReportArticle], bool] | None = None,
) -> Report:
    """The report of scope, from the articles may_read allows (all when None)."""
    data = store.report_data(scope, label=report_label(store, scope, options))
    if may_read is not None:
        data = within(data, may_read)
    return draft_report(data)
