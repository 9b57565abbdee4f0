"""The transaction every consumer and producer runs in: inbox check, state, outbox rows, then commit.

Rolls back unless `commit()` was called (cosmicpython's rule). After a commit that staged events, the
`on_commit` callback wakes the outbox relay so publication does not wait for the next poll.

Staged events are kept until commit and written in one statement (each row keeps the trace that was current
when it was staged): round trips to PostgreSQL, not SQL itself, are most of a batch consumer's cost.
"""

from collections.abc import Callable
from uuid import UUID

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.events.envelope import EventEnvelope
from shared.messaging import inbox, outbox


class SqlaUnitOfWork:
    def __init__(self, engine: AsyncEngine, *, inbox_table: Table | None = None, outbox_table: Table | None = None,
                 on_commit: Callable[[], None] | None = None) -> None:
        self._engine, self._inbox, self._outbox, self._on_commit = engine, inbox_table, outbox_table, on_commit
        self._staged: list[dict] = []
        self.conn: AsyncConnection

    async def __aenter__(self):
        self.conn = await self._engine.connect()
        await self.conn.begin()
        return self

    async def __aexit__(self, *exc) -> None:
        try:
            if self.conn.in_transaction():
                await self.conn.rollback()
        finally:
            await self.conn.close()

    async def first_delivery(self, event_id: UUID) -> bool:
        return await inbox.first_delivery(self.conn, self._inbox, event_id)

    async def first_deliveries(self, event_ids: list[UUID]) -> set[UUID]:
        return await inbox.first_deliveries(self.conn, self._inbox, event_ids)

    async def stage(self, *events: tuple[EventEnvelope, str]) -> None:
        self._staged += [outbox.outbox_row(event, topic) for event, topic in events]

    async def flush(self) -> None:
        """Write what was kept for commit; subclasses add their own buffered rows first."""
        await outbox.insert_rows(self.conn, self._outbox, self._staged)

    async def commit(self) -> None:
        await self.flush()
        await self.conn.commit()
        if self._staged and self._on_commit:
            self._on_commit()
        self._staged = []
