"""When a failed webhook delivery is tried again, and when an endpoint is given up (pure).

Exponential back-off with jitter over about three days: the n-th retry waits SCHEDULE[n]
seconds, each within ±JITTER of it, and after the last the delivery has failed. A 410 Gone
disables the endpoint at once; an endpoint whose deliveries ran out of retries
DISABLE_AFTER times in a row is disabled too (and its member told). A redirect is a failure:
receivers are asked for their final URL.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# 5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 20 h: 72 h 36 min in all.
SCHEDULE: tuple[int, ...] = (5, 60, 300, 1800, 7200, 18000, 36000, 50400, 72000, 72000)
JITTER = 0.2
DISABLE_AFTER = 5
TIMEOUT_SECONDS = 15.0


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    GIVE_UP = "give_up"  # the delivery failed for good (schedule exhausted)
    GONE = "gone"  # 410: the endpoint is disabled, its deliveries fail


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    next_attempt_at: datetime | None = None
    disable_endpoint: bool = False
    reason: str = ""


def total_schedule() -> timedelta:
    return timedelta(seconds=sum(SCHEDULE))


def retry_delay(attempt: int, rng: random.Random) -> float | None:
    """Seconds before retry number attempt (1-based), jittered; None after the last."""
    if attempt < 1 or attempt > len(SCHEDULE):
        return None
    base = SCHEDULE[attempt - 1]
    return base * (1.0 + rng.uniform(-JITTER, JITTER))


def decide_attempt(
    status: int | None,
    error: str | None,
    *,
    attempts: int,
    endpoint_failures: int,
    now: datetime,
    rng: random.Random,
) -> Decision:
    """What follows attempt number attempts (1-based) that answered status (None: no answer,
    error says why). endpoint_failures: deliveries of the endpoint given up in a row before."""
    if status is not None and 200 <= status < 300:
        return Decision(Outcome.DELIVERED)
    if status == 410:
        return Decision(
            Outcome.GONE, disable_endpoint=True, reason="the receiver answered 410 Gone"
        )
    why = error or (
        f"HTTP {status}: redirects are not followed"
        if status is not None and 300 <= status < 400
        else f"HTTP {status}"
    )
    delay = retry_delay(attempts, rng)
    if delay is None:
        give_up = endpoint_failures + 1 >= DISABLE_AFTER
        reason = f"gave up after {attempts} attempts over about three days: {why}"
        return Decision(Outcome.GIVE_UP, disable_endpoint=give_up, reason=reason)
    return Decision(Outcome.RETRY, next_attempt_at=now + timedelta(seconds=delay), reason=why)
