"""What the infrastructure allows on this machine, with the system's payloads and durable settings:
a raw aiokafka consume-produce chain, raw asyncpg COPY of audit-shaped rows, a bare ASGI app."""

import asyncio
import hashlib
import os
import time
import uuid
from datetime import UTC, datetime

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared.events.topics import REFERRALS_RECEIVED


async def new_topics(bootstrap: str, names: list[str], *, partitions: int) -> list[str]:
    """Create topics of the bench's own (a run's names are its own: nothing of the system's is touched), and
    wait until the broker lists them: a client that asks sooner logs "not found in cluster metadata" errors."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1) for name in names])
        for _ in range(50):
            if set(names) <= set(await admin.list_topics()):
                break
            await asyncio.sleep(0.1)
    finally:
        await admin.close()
    return names


async def kafka_chain(bootstrap: str, payload: bytes, count: int, *, linger_ms: int = 5) -> float:
    """produce -> (consume+produce) x2 -> consume, acks=all + idempotence, batched; messages per second."""
    run = uuid.uuid4().hex[:8]
    topics = await new_topics(bootstrap, [f"bench.{run}.{hop}" for hop in ("a", "b", "c")], partitions=6)

    async def relay(source: str, target: str | None, done: asyncio.Event) -> None:
        consumer = AIOKafkaConsumer(source, bootstrap_servers=bootstrap, group_id=f"bench-{run}-{source}",
                                    auto_offset_reset="earliest", enable_auto_commit=False, max_poll_records=500)
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, linger_ms=linger_ms)
        await consumer.start()
        await producer.start()
        seen = 0
        try:
            while seen < count:
                batches = await consumer.getmany(timeout_ms=200, max_records=500)
                futures = []
                for records in batches.values():
                    seen += len(records)
                    if target:
                        futures += [await producer.send(target, r.value, key=r.key) for r in records]
                await asyncio.gather(*futures)
                if batches:
                    await consumer.commit()
        finally:
            done.set()
            await consumer.stop()
            await producer.stop()

    events = [asyncio.Event() for _ in topics]
    relays = [asyncio.create_task(relay(src, dst, ev)) for src, dst, ev in
              zip(topics, [topics[1], topics[2], None], events)]
    await asyncio.sleep(2)  # groups join before the clock starts
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, linger_ms=linger_ms)
    await producer.start()
    started = time.perf_counter()
    futures = [await producer.send(topics[0], payload, key=str(i % 997).encode()) for i in range(count)]
    await asyncio.gather(*futures)
    await producer.stop()
    await asyncio.gather(*relays)
    return count / (time.perf_counter() - started)


async def postgres_copy(database_url: str, payload: bytes, count: int, *, batch: int = 500) -> float:
    """COPY of audit-shaped rows, synchronous_commit=on, one transaction per batch; rows per second."""
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute("SET synchronous_commit = on")
        await conn.execute("CREATE TEMP TABLE bench_log (seq bigint, event_id uuid, topic text, event_type text, "
                           "referral_id uuid, recorded_at timestamptz, canonical bytea, entry_hash bytea, "
                           "prev_hash bytea)")
        rows = [(i, uuid.uuid4(), REFERRALS_RECEIVED, "ReferralReceived", uuid.uuid4(), datetime.now(UTC),
                 payload, hashlib.sha256(payload).digest(), bytes(32)) for i in range(count)]
        return await copy_rate(conn, "bench_log", rows, batch=batch)
    finally:
        await conn.close()


async def copy_rate(conn: asyncpg.Connection, table: str, rows: list[tuple], *, batch: int, **where) -> float:
    """Rows per second COPYing `rows` into `table`, one transaction per `batch` (`where`: schema_name, columns)."""
    started = time.perf_counter()
    for offset in range(0, len(rows), batch):
        async with conn.transaction():
            await conn.copy_records_to_table(table, records=rows[offset:offset + batch], **where)
    took = time.perf_counter() - started
    return len(rows) / took if rows and took else 0.0


async def copy_of_log_rows(database_url: str, after_seq: int, *, batch: int = 500) -> float:
    """Raw COPY of the very rows audit appended after `after_seq` (their bytes, hashes and ids), into a fresh
    logged table made LIKE `audit.log` (its keys and indexes), synchronous_commit=on, one transaction per
    `batch` rows as audit's polls; rows per second. The same rows into the same kind of table, with no product
    code: what `postgres_copy`'s short rows into an unindexed temporary table (no WAL) do not show."""
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute("SET synchronous_commit = on")
        rows = await conn.fetch("SELECT * FROM audit.log WHERE seq > $1 ORDER BY seq", after_seq)
        await conn.execute("DROP TABLE IF EXISTS public.bench_log_copy")
        await conn.execute("CREATE TABLE public.bench_log_copy (LIKE audit.log INCLUDING ALL)")
        rate = await copy_rate(conn, "bench_log_copy", [tuple(r) for r in rows], batch=batch, schema_name="public",
                               columns=list(rows[0].keys()) if rows else None)
        await conn.execute("DROP TABLE public.bench_log_copy")
        return rate
    finally:
        await conn.close()


BARE_APP = '''
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 202, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"status":"received"}'})
'''


def write_bare_app(folder) -> str:
    path = os.path.join(folder, "bench_bare_app.py")
    with open(path, "w") as f:
        f.write(BARE_APP)
    return path
