"""The log on Postgres: serialised appends and ordered reads for verification."""

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.unit_of_work import SqlaUnitOfWork
from services.audit.adapters.tables import log
from services.audit.domain.chain import ChainRow

CHAIN_LOCK_KEY = 7_110_040


class SqlaAuditUnitOfWork(SqlaUnitOfWork):
    async def lock_chain(self) -> None:
        await self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_KEY})

    async def known_event_ids(self, event_ids: list) -> set:
        rows = await self.conn.execute(select(log.c.event_id).where(log.c.event_id.in_(event_ids)))
        return {r.event_id for r in rows}

    async def last_row(self) -> ChainRow | None:
        row = (await self.conn.execute(select(log.c.seq, log.c.canonical, log.c.entry_hash, log.c.prev_hash)
                                       .order_by(log.c.seq.desc()).limit(1))).first()
        return ChainRow(row.seq, row.canonical, row.entry_hash, row.prev_hash) if row else None

    async def append(self, pairs) -> None:
        if pairs:
            await self.conn.execute(insert(log), [
                {"seq": row.seq, "event_id": entry.event_id, "topic": entry.topic, "event_type": entry.event_type,
                 "referral_id": entry.referral_id, "canonical": row.canonical, "entry_hash": row.entry_hash,
                 "prev_hash": row.prev_hash} for entry, row in pairs])


async def read_chain(engine: AsyncEngine, *, start: int = 1, end: int | None = None) -> list[ChainRow]:
    query = select(log.c.seq, log.c.canonical, log.c.entry_hash, log.c.prev_hash).where(log.c.seq >= start)
    if end is not None:
        query = query.where(log.c.seq <= end)
    async with engine.connect() as conn:
        rows = await conn.execute(query.order_by(log.c.seq))
        return [ChainRow(r.seq, r.canonical, r.entry_hash, r.prev_hash) for r in rows]


async def row_before(engine: AsyncEngine, seq: int) -> ChainRow | None:
    async with engine.connect() as conn:
        r = (await conn.execute(select(log.c.seq, log.c.canonical, log.c.entry_hash, log.c.prev_hash)
                                .where(log.c.seq < seq).order_by(log.c.seq.desc()).limit(1))).first()
    return ChainRow(r.seq, r.canonical, r.entry_hash, r.prev_hash) if r else None


async def count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(log))
