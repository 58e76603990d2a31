"""robots.txt rules per origin (RFC 9309), parsed with protego.

Decisions, following RFC 9309 §2.3.1: a robots.txt that is missing or answers 4xx allows
everything; one that answers 5xx (the site is "unreachable") disallows everything for a short
while (``UNREACHABLE_TTL``) rather than the whole day a readable file is cached for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from protego import Protego

ROBOTS_PRODUCT = "newsdesk"
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
READABLE_TTL = 24 * 3600.0
UNREACHABLE_TTL = 600.0


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt says: allow all, disallow all, or parsed rules."""

    parsed: Protego | None = None
    disallow_all: bool = False
    reason: str = ""

    def allows(self, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.parsed is None:
            return True
        return bool(self.parsed.can_fetch(url, ROBOTS_PRODUCT))


def robots_url(origin: str) -> str:
    return f"{origin}/robots.txt"


def rules_from_response(status: int, body: bytes) -> RobotsRules:
    if 200 <= status < 300:
        return RobotsRules(parsed=Protego.parse(body.decode("utf-8", errors="replace")))
    if 400 <= status < 500:
        return RobotsRules()
    return RobotsRules(
        disallow_all=True, reason=f"robots.txt unreachable (HTTP {status}), so all is disallowed"
    )


def ttl_for(rules: RobotsRules) -> float:
    return UNREACHABLE_TTL if rules.disallow_all else READABLE_TTL


class RobotsCache:
    """Rules per origin until they expire."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entries: dict[str, tuple[float, RobotsRules]] = {}

    def get(self, origin: str) -> RobotsRules | None:
        entry = self._entries.get(origin)
        if entry is None or entry[0] <= self._clock():
            return None
        return entry[1]

    def put(self, origin: str, rules: RobotsRules) -> None:
        self._entries[origin] = (self._clock() + ttl_for(rules), rules)
