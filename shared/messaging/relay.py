"""Outbox relay: publishes staged rows to Kafka in order, then deletes them.

One relay publishes at a time per service (a transaction-scoped advisory lock), which keeps the per-referral
order that SKIP LOCKED across workers would lose. A crash between publish and delete re-publishes the rows;
consumers de-duplicate by event id. Kafka being down only delays publication: intake keeps accepting.

Rows go straight to an aiokafka producer (acks=all, idempotent, no linger: the relay's batch is the batch)
with the trace headers they were staged with, so each consumer continues the trace of the transaction that
staged the event; a publish path per row (middleware, serialisation) was most of the relay's cost.
"""

import asyncio
import logging
from collections.abc import Callable

from aiokafka import AIOKafkaProducer
from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)


class OutboxRelay:
    """Moves one service's outbox to Kafka; `wake()` after a commit makes it publish at once."""

    def __init__(self, *, engine: AsyncEngine, table: Table, producer: Callable[[], AIOKafkaProducer],
                 lock_key: int, batch_size: int = 500, poll_seconds: float = 0.25, max_backoff: float = 5.0) -> None:
        self._engine, self._table, self._new_producer = engine, table, producer
        self._producer: AIOKafkaProducer | None = None
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
        """Queue one row; the returned future resolves when every in-sync replica has it."""
        return await self._producer.send(row.aggregatetype, row.payload, key=row.aggregateid.encode(),
                                         headers=[(k, v.encode()) for k, v in row.headers.items()])

    async def _connect(self) -> AIOKafkaProducer:
        producer = self._new_producer()
        try:
            await producer.start()
        except Exception:
            await producer.stop()
            raise
        return producer

    async def run(self, stopping: asyncio.Event) -> None:
        """Publish until `stopping` is set; back off while Kafka or Postgres is unavailable."""
        try:
            await self._publish_until(stopping)
        finally:
            if self._producer is not None:
                await self._producer.stop()
                self._producer = None

    async def _publish_until(self, stopping: asyncio.Event) -> None:
        backoff = self._poll
        while not stopping.is_set():
            try:
                self._producer = self._producer or await self._connect()
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
