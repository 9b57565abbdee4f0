"""The backlog intake sheds by, read from its own tables twice a second.

Untriaged referrals minus outbox rows not yet published: what downstream has been given and not finished
(a Kafka outage grows the outbox, not this). Reading a cached number keeps the check off the request path.
"""

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.periodic import every

BACKLOG = text("SELECT (SELECT count(*) FROM intake.referrals WHERE status = 'received')"
               " - (SELECT count(*) FROM intake.outbox WHERE type = 'ReferralReceived')")


class SqlaBacklogGauge:
    def __init__(self, engine: AsyncEngine, every_seconds: float = 0.5) -> None:
        self._engine, self._every = engine, every_seconds
        self._value = 0

    def current(self) -> int:
        return self._value

    async def refresh(self) -> int:
        async with self._engine.connect() as conn:
            self._value = max(0, int(await conn.scalar(BACKLOG)))
        return self._value

    async def run(self, stopping: asyncio.Event) -> None:
        """While the database is down, submissions answer 503 on their own; the gauge reads again next tick."""
        await every(stopping, self._every, self.refresh, what="backlog gauge read", first_now=True)
