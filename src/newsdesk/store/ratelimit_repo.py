"""A RateLimiter whose counters live in the database: one limit across every web process and
machine that shares it (PostgreSQL, or SQLite with several ``serve --workers``).

The decision is domain.ratelimit.judge, as in memory. A hit increments its counters first
(an upsert, which on PostgreSQL also locks the rows until commit, so concurrent hits on one
key queue) and takes the increment back in the same transaction when a limit refuses it: a
burst from several processes can never get more hits through than the limit allows. Keys
are stored hashed (an email address is a key of the sign-up limits). Expired rows are pruned
for the key on every hit and for every key every few minutes.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, Engine, and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.domain.ratelimit import RateDecision, RateLimit, judge
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import rate_counters

PRUNE_EVERY_SECONDS = 300.0


def hashed_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class StoreRateLimiter:
    """domain.ratelimit.RateLimiter over the rate_counters table of a store's engine."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self._clock = clock
        self._pruned_at = 0.0
        self._prune_lock = threading.Lock()

    def hit(
        self, key: str, limits: Sequence[RateLimit], *, now: float | None = None
    ) -> RateDecision:
        moment = self._clock() if now is None else now
        hashed = hashed_key(key)
        with self.engine.begin() as connection:
            after = self._add(connection, hashed, limits, moment)
            previous = self._previous(connection, hashed, limits, moment)
            decision = RateDecision.combine(
                [
                    judge(limit, previous.get(limit.name, 0), after[limit.name] - 1, moment)
                    for limit in limits
                ]
            )
            if not decision.allowed:
                self._take_back(connection, hashed, limits, moment)
        self._maybe_prune(moment)
        return decision

    def check(
        self, key: str, limits: Sequence[RateLimit], *, now: float | None = None
    ) -> RateDecision:
        moment = self._clock() if now is None else now
        hashed = hashed_key(key)
        with read_connection(self.engine) as connection:
            counts = self._counts(connection, hashed, limits, moment)
        return RateDecision.combine(
            [
                judge(
                    limit,
                    counts.get((limit.name, limit.previous_start(moment)), 0),
                    counts.get((limit.name, limit.window_start(moment)), 0),
                    moment,
                )
                for limit in limits
            ]
        )

    def record(self, key: str, limits: Sequence[RateLimit], *, now: float | None = None) -> None:
        moment = self._clock() if now is None else now
        with self.engine.begin() as connection:
            self._add(connection, hashed_key(key), limits, moment)
        self._maybe_prune(moment)

    def _add(
        self, connection: Connection, hashed: str, limits: Sequence[RateLimit], now: float
    ) -> dict[str, int]:
        """Increment the current window of each limit; the counts after it, by limit name."""
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        after: dict[str, int] = {}
        for limit in limits:
            start = limit.window_start(now)
            values = insert(rate_counters).values(
                name=limit.name,
                key=hashed,
                window_start=start,
                hits=1,
                expires_at=start + 2 * int(limit.window) + 1,
            )
            upsert = values.on_conflict_do_update(
                index_elements=["name", "key", "window_start"],
                set_={"hits": rate_counters.c.hits + 1},
            ).returning(rate_counters.c.hits)
            after[limit.name] = int(connection.execute(upsert).scalar_one())
        connection.execute(
            delete(rate_counters)
            .where(rate_counters.c.key == hashed)
            .where(rate_counters.c.expires_at < int(now))
        )
        return after

    def _take_back(
        self, connection: Connection, hashed: str, limits: Sequence[RateLimit], now: float
    ) -> None:
        for limit in limits:
            connection.execute(
                update(rate_counters)
                .where(rate_counters.c.name == limit.name)
                .where(rate_counters.c.key == hashed)
                .where(rate_counters.c.window_start == limit.window_start(now))
                .values(hits=rate_counters.c.hits - 1)
            )

    def _previous(
        self, connection: Connection, hashed: str, limits: Sequence[RateLimit], now: float
    ) -> dict[str, int]:
        counts = self._counts(connection, hashed, limits, now)
        return {
            limit.name: counts.get((limit.name, limit.previous_start(now)), 0) for limit in limits
        }

    @staticmethod
    def _counts(
        connection: Connection, hashed: str, limits: Sequence[RateLimit], now: float
    ) -> dict[tuple[str, int], int]:
        if not limits:
            return {}
        windows = or_(
            *(
                and_(
                    rate_counters.c.name == limit.name,
                    rate_counters.c.window_start.in_(
                        [limit.previous_start(now), limit.window_start(now)]
                    ),
                )
                for limit in limits
            )
        )
        rows = connection.execute(
            select(rate_counters.c.name, rate_counters.c.window_start, rate_counters.c.hits)
            .where(rate_counters.c.key == hashed)
            .where(windows)
        ).all()
        return {(row.name, int(row.window_start)): int(row.hits) for row in rows}

    def _maybe_prune(self, now: float) -> None:
        """Every few minutes, delete every expired counter (keys that never came back)."""
        with self._prune_lock:
            if now - self._pruned_at < PRUNE_EVERY_SECONDS:
                return
            self._pruned_at = now
        with self.engine.begin() as connection:
            connection.execute(delete(rate_counters).where(rate_counters.c.expires_at < int(now)))


class RateLimitRepository(StoreBase):
    """SqlStore's database-backed rate limiter (one per store, made on first use)."""

    _rate_limiter: StoreRateLimiter | None = None

    def rate_limiter(self) -> StoreRateLimiter:
        if self._rate_limiter is None:
            self._rate_limiter = StoreRateLimiter(self.engine)
        return self._rate_limiter
