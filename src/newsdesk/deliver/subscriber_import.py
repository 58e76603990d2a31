"""Reading a subscriber CSV (an export from another list tool) into subscribers to import.

Columns: email (required), sectors, entities (separated by ";" or "|"), delivery_time
(HH:MM), timezone (IANA), paused (true/false). Imported addresses become active without a
new double opt-in: the importer vouches for their consent. Addresses that unsubscribed or were
suppressed here are never re-activated (the store refuses).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsdesk.deliver.subscriptions import (
    SignupError,
    normalise_email,
    parse_entities,
    parse_sectors,
    valid_timezone,
)
from newsdesk.domain.subscribers import Subscriber, parse_hh_mm

_LIST_SEPARATOR = re.compile(r"[;|]")


@dataclass(frozen=True)
class SubscriberImportProblem:
    line: int
    reason: str


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATOR.split(value or "") if part.strip()]


def read_subscriber_csv(
    lines: Iterable[str],
    *,
    known_sectors: tuple[str, ...],
    problems: list[SubscriberImportProblem],
) -> Iterator[Subscriber]:
    """Valid rows as subscribers, in file order; invalid rows are appended to problems."""
    reader = csv.DictReader(lines)
    fields = {name.strip().lower() for name in reader.fieldnames or ()}
    if "email" not in fields:
        raise ValueError("the CSV needs a header line with an 'email' column")
    seen: set[str] = set()
    for row in reader:
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            subscriber = _subscriber(values, known_sectors)
        except (SignupError, csv.Error) as error:
            problems.append(SubscriberImportProblem(reader.line_num, str(error)))
            continue
        if subscriber.email in seen:
            continue
        seen.add(subscriber.email)
        yield subscriber


def _subscriber(values: dict[str, str], known_sectors: tuple[str, ...]) -> Subscriber:
    email = normalise_email(values.get("email", ""))
    sectors = _split(values.get("sectors"))
    chosen = parse_sectors(sectors, known_sectors) if sectors else known_sectors
    delivery_time = values.get("delivery_time") or "07:00"
    if parse_hh_mm(delivery_time) is None:
        raise SignupError(f"delivery_time {delivery_time!r} is not HH:MM")
    timezone = values.get("timezone") or "UTC"
    if not valid_timezone(timezone):
        raise SignupError(f"unknown time zone {timezone!r}")
    return Subscriber(
        email=email,
        sectors=chosen,
        entities=parse_entities(_split(values.get("entities"))),
        delivery_time=delivery_time,
        timezone=timezone,
        paused=values.get("paused", "").lower() in {"1", "true", "yes", "y"},
    )
