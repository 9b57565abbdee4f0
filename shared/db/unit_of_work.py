"""The transaction every consumer and producer runs in: inbox check, state, outbox rows, then commit.

Rolls back unless `commit()` was called (cosmicpython's rule). After a commit that staged events, the
`on_commit` callback wakes the outbox relay so publication does not wait for the next poll.
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
        self._staged = False
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

    async def stage(self, *events: tuple[EventEnvelope, str]) -> None:
        await outbox.stage(self.conn, self._outbox, *events)
        self._staged = self._staged or bool(events)

    async def commit(self) -> None:
        await self.conn.commit()
        if self._staged and self._on_commit:
            self._on_commit()
