"""Outbox relay: publishes staged rows to Kafka in order, then deletes them.

One relay publishes at a time per service (a transaction-scoped advisory lock), which keeps the per-referral
order that SKIP LOCKED across workers would lose. A crash between publish and delete re-publishes the rows;
consumers de-duplicate by event id. Kafka being down only delays publication: intake keeps accepting.
"""

import asyncio
import logging

from faststream.kafka import KafkaBroker
from opentelemetry import context, propagate
from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)


class OutboxRelay:
    """Moves one service's outbox to Kafka; `wake()` after a commit makes it publish at once."""

    def __init__(self, *, engine: AsyncEngine, table: Table, broker: KafkaBroker, lock_key: int,
                 batch_size: int = 500, poll_seconds: float = 0.25, max_backoff: float = 5.0) -> None:
        self._engine, self._table, self._broker = engine, table, broker
        self._lock_key, self._batch_size = lock_key, batch_size
        self._poll, self._max_backoff = poll_seconds, max_backoff
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows left the outbox (0 when another relay holds the lock)."""
        t = self._table
        async with self._engine.connect() as conn:
            if not await conn.scalar(select(func.pg_try_advisory_xact_lock(self._lock_key))):
                return 0
            rows = (await conn.execute(select(t).order_by(t.c.id).limit(self._batch_size))).all()
            if not rows:
                return 0
            confirmations = [await self._send(row) for row in rows]
            await asyncio.gather(*confirmations)
            await conn.execute(delete(t).where(t.c.id.in_([row.id for row in rows])))
            await conn.commit()
            return len(rows)

    async def _send(self, row) -> asyncio.Future:
        token = context.attach(propagate.extract(row.headers))
        try:
            headers = {k: v for k, v in row.headers.items() if k not in ("traceparent", "tracestate")}
            return await self._broker.publish(row.payload, row.aggregatetype, key=row.aggregateid.encode(),
                                              headers=headers, no_confirm=True)
        finally:
            context.detach(token)

    async def run(self, stopping: asyncio.Event) -> None:
        """Publish until `stopping` is set; back off while Kafka or Postgres is unavailable."""
        backoff = self._poll
        while not stopping.is_set():
            try:
                published = await self.publish_pending()
                backoff = self._poll
            except Exception as exc:  # infrastructure down: keep the rows, retry later
                log.warning("outbox relay could not publish (%s); retrying in %.1fs", type(exc).__name__, backoff)
                published, backoff = 0, min(backoff * 2, self._max_backoff)
            if published:
                continue
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)
            except TimeoutError:
                pass
