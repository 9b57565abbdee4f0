"""The log on Postgres: serialised appends as the writer role, and ordered reads for auditors."""

from typing import Any
from uuid import UUID

from sqlalchemy import Executable, Row, any_, bindparam, event, func, insert, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.engine import make_engine
from shared.db.unit_of_work import SqlaUnitOfWork
from services.audit.adapters.tables import checkpoints, log
from services.audit.application.ports import LoggedEvent
from services.audit.config import WRITER_ROLE, AuditSettings
from services.audit.domain.chain import ChainRow
from services.audit.domain.checkpoint import DEFAULT_ORIGIN, Checkpoint

CHAIN_LOCK_KEY = 7_110_040
ROW = (log.c.seq, log.c.canonical, log.c.entry_hash, log.c.prev_hash)
SHOWN = (log.c.event_id, log.c.event_type, log.c.referral_id, log.c.topic, log.c.recorded_at)
KNOWN = select(log.c.event_id).where(log.c.event_id == any_(bindparam("ids", type_=ARRAY(PgUUID(as_uuid=True)))))
KNOWN_AND_LAST = text("""
(SELECT seq, canonical, entry_hash, prev_hash, NULL::uuid AS known FROM audit.log ORDER BY seq DESC LIMIT 1)
UNION ALL
SELECT NULL, NULL, NULL, NULL, event_id FROM audit.log WHERE event_id = ANY(CAST(:ids AS uuid[]))
""")  # one `= ANY` array whatever the poll's size: an `IN` list would be a new statement for each new count
COPIED = ["seq", "event_id", "topic", "event_type", "referral_id", "canonical", "entry_hash", "prev_hash"]


CUSTOM_PLANS = {"plan_cache_mode": "force_custom_plan"}


def writer_engine(settings: AuditSettings) -> AsyncEngine:
    """Connections that hold only the writer role's rights: INSERT and SELECT, no UPDATE/DELETE/TRUNCATE.

    Each statement is planned for the log as it is (`CUSTOM_PLANS`). A prepared statement's generic plan is kept
    until the table's statistics change, and the known-ids lookup was first planned on an empty log: a
    sequential scan, which it went on doing until an ANALYZE came. Appending polls of 100 events went from 5 to
    19 ms a poll as the log grew to 48,000 rows; planned each time, 4-5 ms throughout (issue 16). Planning
    these few short statements costs less than one such scan."""
    engine = make_engine(settings.writer_database_url or settings.platform.database_url,
                         application_name="frontdoor-audit", server_settings=CUSTOM_PLANS)
    if settings.writer_database_url:  # a login of the writer role's own
        return engine

    @event.listens_for(engine.sync_engine, "connect")
    def _become_writer(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET ROLE {WRITER_ROLE}")
        cursor.close()

    return engine


def _chain_row(r) -> ChainRow:
    return ChainRow(r.seq, r.canonical, r.entry_hash, r.prev_hash)


def _checked_row(r) -> ChainRow:
    """A row with the columns auditors read beside it, for verify to check against the bytes."""
    return ChainRow(r.seq, r.canonical, r.entry_hash, r.prev_hash, {c.name: getattr(r, c.name) for c in SHOWN})


class SqlaAuditUnitOfWork(SqlaUnitOfWork):
    async def lock_chain(self) -> None:
        await self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_KEY})

    async def known_and_last(self, event_ids: list) -> tuple[set, ChainRow | None]:
        """One round trip: the last row, then the poll's ids the log already holds (`KNOWN_AND_LAST`). As two
        statements, polls of 1 and 5 events took 1.7-1.9 ms to append against 1.3-1.5 as one (issue 16,
        alternating, one process)."""
        rows = (await self.conn.execute(KNOWN_AND_LAST, {"ids": event_ids})).all()
        last = next((_chain_row(r) for r in rows if r.seq is not None), None)
        return {r.known for r in rows if r.known is not None}, last

    async def append(self, pairs) -> None:
        """COPY, in this transaction, under the chain lock: polls of 500 real events took 12-16 us a row to
        append and commit (3-4 us of it audit's own CPU) against 25-37 us (8-25) with a multi-row INSERT (issue
        16, alternating on one machine). `recorded_at` is left to its default, `clock_timestamp()` (migration
        0004): the time each row is written, so it never goes backwards along the log."""
        if pairs:
            driver = (await self.conn.get_raw_connection()).driver_connection
            if driver is None:
                raise RuntimeError("the audit writer's connection is closed")
            await driver.copy_records_to_table(log.name, schema_name=log.schema, columns=COPIED, records=[
                (row.seq, entry.event_id, entry.topic, entry.event_type, entry.referral_id, row.canonical,
                 row.entry_hash, row.prev_hash) for entry, row in pairs])

    async def add_checkpoint(self, checkpoint: Checkpoint, public_key: str) -> None:
        await self.conn.execute(insert(checkpoints).values(
            tree_size=checkpoint.tree_size, root=checkpoint.root, signed_at=checkpoint.signed_at,
            signature=checkpoint.signature, public_key=public_key,
            compact_range=list(checkpoint.compact_range) or None))


class SqlaAuditLog:
    """Read side of the log, for checkpoints, verification, proofs and trails."""

    def __init__(self, engine: AsyncEngine, origin: str = DEFAULT_ORIGIN) -> None:
        self._engine, self._origin = engine, origin  # the log's name: its checkpoints were signed under it

    async def _all(self, query: Executable) -> list[Row[Any]]:
        async with self._engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def exists(self) -> bool:
        async with self._engine.connect() as conn:
            return await conn.scalar(text("SELECT to_regclass('audit.log') IS NOT NULL"))

    async def size(self) -> int:
        async with self._engine.connect() as conn:
            return int(await conn.scalar(select(func.coalesce(func.max(log.c.seq), 0))) or 0)

    async def leaf_hashes(self, size: int, start: int = 1) -> list[bytes]:
        rows = await self._all(select(log.c.entry_hash).where(log.c.seq >= start, log.c.seq <= size)
                               .order_by(log.c.seq))
        return [r.entry_hash for r in rows]

    async def rows(self, start: int = 1, end: int | None = None) -> list[ChainRow]:
        query = select(*ROW, *SHOWN).where(log.c.seq >= start)
        if end is not None:
            query = query.where(log.c.seq <= end)
        return [_checked_row(r) for r in await self._all(query.order_by(log.c.seq))]

    async def row_before(self, seq: int) -> ChainRow | None:
        rows = await self._all(select(*ROW, *SHOWN).where(log.c.seq < seq).order_by(log.c.seq.desc()).limit(1))
        return _checked_row(rows[0]) if rows else None

    async def checkpoints(self) -> list[Checkpoint]:
        rows = await self._all(select(checkpoints).order_by(checkpoints.c.tree_size))
        return [Checkpoint(r.tree_size, r.root, r.signed_at, r.signature, r.public_key, tuple(r.compact_range or ()),
                           origin=self._origin) for r in rows]

    async def seq_of(self, event_id) -> int | None:
        rows = await self._all(select(log.c.seq).where(log.c.event_id == event_id))
        return rows[0].seq if rows else None

    async def events_of(self, referral_id) -> list[LoggedEvent]:
        rows = await self._all(select(log).where(log.c.referral_id == referral_id).order_by(log.c.seq))
        return [LoggedEvent(r.seq, r.event_id, r.topic, r.event_type, r.recorded_at, r.canonical, r.entry_hash)
                for r in rows]

    async def event_ids(self, event_ids: list[UUID]) -> set[UUID]:
        """The ids the log holds, of any number asked (one array parameter: an `IN` list stopped at asyncpg's
        32,767 parameters, so reconciling a topic that held more failed)."""
        async with self._engine.connect() as conn:
            return {r.event_id for r in await conn.execute(KNOWN, {"ids": event_ids})}
