"""Inbox: de-duplication by event id, in the same transaction as the consumer's effect.

Delivery is at least once; a redelivered event finds its id already here and the consumer skips it, so the
effect happens exactly once.
"""

from collections.abc import Sequence
from functools import cache
from uuid import UUID

from sqlalchemy import Column, DateTime, MetaData, Table, func
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import ReturningInsert


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox", metadata,
        Column("event_id", PG_UUID(as_uuid=True), primary_key=True),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


async def first_deliveries(conn: AsyncConnection, table: Table, event_ids: Sequence[UUID]) -> set[UUID]:
    """Record a batch of event ids in one statement; the ones not recorded before (to handle).

    The ids go as executemany parameters, which SQLAlchemy sends as one multi-row INSERT ("insertmanyvalues")
    from one cached compilation; a VALUES list built into the statement was compiled afresh on every poll
    (about seven compilations a referral across the services)."""
    if not event_ids:
        return set()
    result = await conn.execute(_record(table), [{"event_id": i} for i in event_ids])
    return {row.event_id for row in result}


@cache
def _record(table: Table) -> ReturningInsert:
    return insert(table).on_conflict_do_nothing().returning(table.c.event_id)
