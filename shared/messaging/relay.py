"""Outbox relay: publishes staged rows to Kafka in order, then deletes them.

One relay publishes at a time per service (a transaction-scoped advisory lock), which keeps the per-referral
order that SKIP LOCKED across workers would lose. A crash between publish and delete re-publishes the rows;
consumers de-duplicate by event id. Kafka being down only delays publication: intake keeps accepting.

No single row may block the relay. Each row's send is judged on its own: rows Kafka confirmed leave the
outbox; a row Kafka refuses for good (too large for the broker, an invalid topic; or any other error that is
not an outage, see `shared.outages`, met on `STRIKES_BEFORE_SET_ASIDE` rounds in a row) is set aside in
`<schema>.outbox_set_aside`, a small notice naming it goes to `<topic>.dlq` (so it is alerted, audited and
listed by `frontdoor dlq list`), and the rows behind it flow on. Rows that met an outage stay, and the relay
backs off.

Rows go straight to an aiokafka producer (acks=all, idempotent, no linger: the relay's batch is the batch)
with the trace headers they were staged with, so each consumer continues the trace of the transaction that
staged the event; a publish path per row (middleware, serialisation) was most of the relay's cost.
"""

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    CorruptRecordException,
    InvalidMessageError,
    InvalidTimestampError,
    InvalidTopicError,
    MessageSizeTooLargeError,
    PolicyViolationError,
    RecordListTooLargeError,
    RecordTooLargeError,
    UnsupportedForMessageFormatError,
)
from sqlalchemy import Row, Table, delete, exists, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db.engine import statements_of_their_own
from shared.events.topics import dlq_topic
from shared.messaging.delivery import describe
from shared.messaging.outbox import set_aside_of
from shared.outages import is_unavailable

log = logging.getLogger(__name__)
THE_MESSAGES_FAULT = (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError, InvalidTopicError,
                      InvalidMessageError, CorruptRecordException, InvalidTimestampError, PolicyViolationError,
                      UnsupportedForMessageFormatError)
STRIKES_BEFORE_SET_ASIDE = 5


class OutboxRelay:
    """Moves one service's outbox to Kafka; `wake()` after a commit makes it publish at once."""

    def __init__(self, *, engine: AsyncEngine, table: Table, producer: Callable[[], AIOKafkaProducer],
                 lock_key: int, batch_size: int = 500, poll_seconds: float = 0.25, max_backoff: float = 5.0) -> None:
        self._engine, self._table, self._new_producer = engine, table, producer
        self._set_aside = set_aside_of(table)
        self._producer: AIOKafkaProducer | None = None
        self._lock_key, self._batch_size = lock_key, batch_size
        self._poll, self._max_backoff = poll_seconds, max_backoff
        self._wake = asyncio.Event()
        self._strikes: dict[int, int] = {}

    def wake(self) -> None:
        self._wake.set()

    async def anything_pending(self) -> bool:
        """One statement outside a transaction: a poll that finds the outbox empty costs one round trip, not
        the four of a publishing run (BEGIN, lock and read, ROLLBACK)."""
        async with statements_of_their_own(self._engine) as idle:
            return bool(await idle.scalar(select(exists().where(self._table.c.id.is_not(None)))))

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows left the outbox (0 when another relay holds the lock).
        Raises the first outage met, after committing whatever did get through."""
        t = self._table
        async with self._engine.connect() as conn:
            # the lock and the read in one round trip: no rows when another relay holds the lock
            locked = select(func.pg_try_advisory_xact_lock(self._lock_key).label("got")).cte("locked")
            locked = locked.prefix_with("MATERIALIZED", dialect="postgresql")
            rows = (await conn.execute(select(t).join(locked, locked.c.got).order_by(t.c.id)
                                       .limit(self._batch_size))).all()
            if not rows:
                return 0
            failures = await self._publish(rows)
            outage = next((exc for exc in failures.values() if is_unavailable(exc)), None)
            refused = {row_id: exc for row_id, exc in failures.items() if self._refused_for_good(row_id, exc)}
            await self._put_aside(conn, [row for row in rows if row.id in refused], refused)
            gone = [row.id for row in rows if row.id not in failures or row.id in refused]
            if gone:
                await conn.execute(delete(t).where(t.c.id.in_(gone)))
            await conn.commit()
            if outage is not None or len(gone) < len(rows):
                raise outage or next(iter(failures.values()))  # back off; what got through is committed
            return len(gone)

    def _refused_for_good(self, row_id: int, exc: BaseException) -> bool:
        """Kafka will never take this row: the message's own fault, or an unexplained refusal seen too often."""
        if is_unavailable(exc):
            return False
        self._strikes[row_id] = strikes = self._strikes.get(row_id, 0) + 1
        if isinstance(exc, THE_MESSAGES_FAULT) or strikes >= STRIKES_BEFORE_SET_ASIDE:
            self._strikes.pop(row_id, None)
            return True
        return False

    def _started(self) -> AIOKafkaProducer:
        if self._producer is None:
            raise RuntimeError("the relay's producer is not started")
        return self._producer

    async def _publish(self, rows: Sequence[Row[Any]]) -> dict[int, BaseException]:
        """Queue every row in order, then wait for each confirmation; returns the rows that failed."""
        pending, failures = [], dict[int, BaseException]()
        for row in rows:
            try:
                pending.append((row.id, await self._started().send(
                    row.aggregatetype, row.payload, key=row.aggregateid.encode(),
                    headers=[(k, v.encode()) for k, v in row.headers.items()])))
            except Exception as exc:  # noqa: BLE001 - refused before sending (e.g. MessageSizeTooLargeError)
                failures[row.id] = exc
        for row_id, confirmation in pending:
            try:
                await confirmation
            except Exception as exc:  # noqa: BLE001 - judged per row by the caller
                failures[row_id] = exc
        return failures

    async def _put_aside(self, conn: AsyncConnection, rows, reasons: dict[int, BaseException]) -> None:
        """Keep each refused row in the set-aside table and say so on its topic's DLQ (ids and codes only)."""
        for row in rows:
            reason = describe(reasons[row.id])[:300]
            log.error("ALERT outbox row %s (%s %s) refused by Kafka (%s): set aside in %s; see `frontdoor dlq "
                      "list`", row.id, row.type, row.event_id, reason, self._set_aside.fullname)
            notice = {"event_id": str(row.event_id), "event_type": row.type, "referral_id": row.aggregateid,
                      "set_aside_in": self._set_aside.fullname, "outbox_id": row.id, "reason": reason}
            headers = {**row.headers, "dlq-error": reason, "dlq-source-topic": row.aggregatetype,
                       "dlq-set-aside": f"{self._set_aside.fullname}#{row.id}"}
            await (await self._started().send(
                dlq_topic(row.aggregatetype), json.dumps(notice).encode(), key=row.aggregateid.encode(),
                headers=[(k, str(v).encode()) for k, v in headers.items()]))
            await conn.execute(insert(self._set_aside).values(**row._mapping, reason=reason))

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
        """Publish when a commit here wakes the relay, and look every `poll` seconds for rows another replica
        staged or a crash left. A batch shorter than the limit emptied the outbox as far as it could see; a
        commit during the run set the wake again (it is cleared before each run), so nothing waits for a poll."""
        backoff, woken = self._poll, True
        while not stopping.is_set():
            self._wake.clear()
            try:
                self._producer = self._producer or await self._connect()
                published = await self.publish_pending() if woken or await self.anything_pending() else 0
                backoff = self._poll
            except Exception as exc:  # noqa: BLE001 - a loop that must outlive any failure; infrastructure down: keep the rows, retry later
                log.warning("outbox relay could not publish (%s); retrying in %.1fs", describe(exc), backoff)
                published, backoff = 0, min(backoff * 2, self._max_backoff)
            if published >= self._batch_size:
                woken = True  # a full batch: there may be more
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)
                woken = True  # a commit here staged rows
            except TimeoutError:
                woken = False  # a poll: rows of another replica, or left by a crash; look before locking
