"""Per-partner rate limits. `limits` parses the notation ("600/minute") and, in one process, keeps an exact
moving window in memory; that count is per process, so with several intake replicas a partner could send
`replicas` times its limit. `PgRateLimiter` keeps the count in PostgreSQL instead, which every replica shares:
the sliding window counter (the previous window's count weighted by how much of it still overlaps the last
period, plus the current window's; the strategy `limits` and Cloudflare use), decided in one statement so
concurrent requests on any replicas cannot both take the last place.
"""

import math
from datetime import datetime

from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.engine import statements_of_their_own

ADMIT = text("""
WITH w AS (SELECT CAST(:at AS float8) / :period AS pos),
     prev AS (SELECT coalesce(max(hits), 0) AS hits FROM intake.rate_windows, w
              WHERE key = :key AND window_start = floor(w.pos) - 1),
     weight AS (SELECT prev.hits * (1 - (w.pos - floor(w.pos))) AS carried, floor(w.pos) AS win FROM prev, w)
INSERT INTO intake.rate_windows AS r (key, window_start, hits)
SELECT :key, weight.win, 1 FROM weight WHERE weight.carried + 1 <= :limit
ON CONFLICT (key, window_start) DO UPDATE SET hits = r.hits + 1
    WHERE (SELECT carried FROM weight) + r.hits + 1 <= :limit
RETURNING hits
""")
FORGET = text("DELETE FROM intake.rate_windows WHERE key = :key AND window_start < :before")


class MemoryRateLimiter:
    """One process's exact moving window (unit tests; a single intake)."""

    def __init__(self, rate_limit: str) -> None:
        self._limiter, self._limit = MovingWindowRateLimiter(MemoryStorage()), parse(rate_limit)

    async def admit(self, partner_id: str, now: datetime) -> float | None:
        if await self._limiter.hit(self._limit, partner_id):
            return None
        reset, _remaining = await self._limiter.get_window_stats(self._limit, partner_id)
        return max(1.0, reset - now.timestamp())


class PgRateLimiter:
    """Every replica's requests counted in one place: `intake.rate_windows`, a row per partner and window."""

    def __init__(self, engine: AsyncEngine, rate_limit: str) -> None:
        self._engine, self._limit = engine, parse(rate_limit)

    async def admit(self, partner_id: str, now: datetime) -> float | None:
        period, at = self._limit.get_expiry(), now.timestamp()
        async with statements_of_their_own(self._engine) as single:  # one round trip, not BEGIN, ADMIT, COMMIT
            hits = (await single.execute(ADMIT, {"key": partner_id, "at": at, "period": period,
                                                 "limit": self._limit.amount})).scalar_one_or_none()
            if hits == 1:  # a new window: the ones before the previous are no longer read
                await single.execute(FORGET, {"key": partner_id, "before": math.floor(at / period) - 1})
        if hits is not None:
            return None
        # a full current window still counts in full when the next begins: one place frees period/amount later
        return max(1.0, period - (at % period) + period / self._limit.amount)
