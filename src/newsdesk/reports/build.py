"""The edge of report drafting: scope checks against the store, the read, then the pure draft."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from newsdesk.domain.access import EVERYTHING, ReadScope
from newsdesk.domain.errors import NewsdeskError
from newsdesk.domain.reports import ReportKind, ReportScope
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


def report_label(
    store: ReportStore, scope: ReportScope, options: ReportOptions, reader: ReadScope = EVERYTHING
) -> str:
    """The sector's or entity's name; UnknownSubjectError when there is none, or the entity
    is known to the reader from nothing they may read (as its page answers 404)."""
    if scope.kind is ReportKind.SECTOR:
        name = options.sector_names.get(scope.key)
        if name is None:
            raise UnknownSubjectError(f"no sector {scope.key!r} in the taxonomy")
        return name
    entity = store.get_entity(scope.key, scope=reader)
    if entity is None:
        raise UnknownSubjectError(f"no entity {scope.key!r}")
    return entity.name


def build_report(
    store: ReportStore,
    scope: ReportScope,
    options: ReportOptions,
    *,
    reader: ReadScope | None = None,
) -> Report:
    """The report of scope as reader reads it (domain.access.read_scope of the viewer it is
    for: only what they may read in full); everything when None (the operator's CLI)."""
    label = report_label(store, scope, options, EVERYTHING if reader is None else reader)
    data = store.report_data(scope, label=label)
    if reader is not None:
        data = within(data, reader)
    return draft_report(data)
