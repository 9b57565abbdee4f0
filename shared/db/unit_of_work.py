"""The transaction every consumer and producer runs in: inbox check, state, outbox rows, then commit.

Rolls back unless `commit()` was called (cosmicpython's rule). After a commit that staged events, the
`on_commit` callback wakes the outbox relay so publication does not wait for the next poll.

Writes that nothing reads back inside the transaction are kept until commit (`write_at_commit`) and sent as
one statement per kind, in the order each kind was first used: round trips to PostgreSQL, not SQL itself,
are most of a batch consumer's cost. Staged events are such writes (each row keeps the trace that was current
when it was staged).
"""

from collections.abc import Callable, Sequence
from typing import Any, Self
from uuid import UUID

from sqlalchemy import Executable, Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.events.envelope import EventEnvelope
from shared.messaging import inbox, outbox


class SqlaUnitOfWork:
    def __init__(self, engine: AsyncEngine, *, inbox_table: Table | None = None, outbox_table: Table | None = None,
                 on_commit: Callable[[], None] | None = None) -> None:
        self._engine, self._inbox, self._outbox, self._on_commit = engine, inbox_table, outbox_table, on_commit
        self._at_commit: dict[Executable, list[dict[str, Any]]] = {}
        self._staged = False
        self.conn: AsyncConnection

    async def __aenter__(self) -> Self:
        self.conn = await self._engine.connect()
        await self.conn.begin()
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self.conn.in_transaction():
                await self.conn.rollback()
        finally:
            await self.conn.close()

    async def first_deliveries(self, event_ids: Sequence[UUID]) -> set[UUID]:
        if self._inbox is None:
            raise TypeError("this unit of work was made without an inbox table")
        return await inbox.first_deliveries(self.conn, self._inbox, event_ids)

    def write_at_commit(self, statement: Executable, row: dict[str, Any]) -> None:
        """Keep `row` for `statement` (one constant object per kind of write) until commit."""
        self._at_commit.setdefault(statement, []).append(row)

    async def stage(self, *events: tuple[EventEnvelope, str]) -> None:
        if events and self._outbox is None:
            raise TypeError("this unit of work was made without an outbox table")
        for event, topic in events:
            self.write_at_commit(outbox.insert_into(self._outbox), outbox.outbox_row(event, topic))
            self._staged = True

    async def commit(self) -> None:
        for statement, rows in self._at_commit.items():
            await self.conn.execute(statement, rows)
        self._at_commit.clear()
        await self.conn.commit()
        if self._staged and self._on_commit:
            self._on_commit()
        self._staged = False
