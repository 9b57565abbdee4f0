"""The hops of `python -m bench.floor`: what DESIGN.md's delivery path costs on this machine with no Front Door
code.

Issue 16's latency and throughput targets are measured against a raw Kafka chain, but the design fixes more
than Kafka: every hop commits its effect, its inbox row and its outbox row in one PostgreSQL transaction, a relay
publishes the outbox (acks=all, idempotent) and deletes what Kafka confirmed, and audit records every event of
every topic. This runs exactly that skeleton, each hop a process of its own as the services are, with asyncpg
and a Kafka client directly (aiokafka as the services use, or librdkafka: `clients.py`; no SQLAlchemy,
FastStream, pydantic, tracing or rules), on the referral's path: a source (intake: one transaction a request)
-> people -> triage -> notify -> audit, four topics, and audit reading all four. What it reaches is a floor for
the product: if the skeleton alone misses a target, no code of ours can meet it on this machine.
"""

import asyncio
import json
import multiprocessing
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg

from bench.floor.clients import consumer_for, producer_for

PAD = "x" * 2400  # the size of a ReferralTriaged event
MIDDLE = ("people", "triage", "notify")
OFFSETS_EVERY_SECONDS = 0.25


@dataclass(frozen=True)
class Floor:
    bootstrap: str
    dsn: str
    topics: tuple[str, ...]  # received, identified, triaged, notified: the path's four topics, in order
    group: str
    client: str = "aiokafka"  # or "librdkafka" (`bench/floor/clients.py`)


def event(referral_id: str, step: int, sent_at: float) -> bytes:
    return json.dumps({"event_id": str(uuid.uuid4()), "referral_id": referral_id, "step": step,
                       "sent_at": sent_at, "pad": PAD}).encode()


async def schema(conn: asyncpg.Connection, name: str) -> None:
    await conn.execute(f"CREATE SCHEMA {name}; CREATE TABLE {name}.inbox (event_id uuid PRIMARY KEY); "
                       f"CREATE TABLE {name}.state (referral_id uuid PRIMARY KEY, body bytea); "
                       f"CREATE TABLE {name}.outbox (id bigserial PRIMARY KEY, topic text, key bytea, body bytea); "
                       f"CREATE TABLE {name}.log (event_id uuid PRIMARY KEY, topic text, step int, "
                       f"sent_at float8, recorded_at float8 DEFAULT extract(epoch FROM clock_timestamp()))")


async def relay(pool: asyncpg.Pool, name: str, producer: Any, wake: asyncio.Event) -> None:
    """The outbox relay: lock, read a batch, send it, wait for Kafka's acks, delete it, commit."""
    while True:
        try:
            await asyncio.wait_for(wake.wait(), timeout=0.25)
        except TimeoutError:
            pass
        wake.clear()
        async with pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(f"SELECT o.id, o.topic, o.key, o.body FROM pg_advisory_xact_lock(hashtext($1)) l, "
                                    f"{name}.outbox o ORDER BY o.id LIMIT 500", name)
            if rows:
                sent = [await producer.send(r["topic"], r["body"], key=r["key"]) for r in rows]
                await asyncio.gather(*sent)
                await conn.execute(f"DELETE FROM {name}.outbox WHERE id = ANY($1::bigint[])", [r["id"] for r in rows])
        if len(rows) == 500:
            wake.set()


@asynccontextmanager
async def publishing(floor: Floor, name: str, *, pool_size: int) -> AsyncIterator[tuple[asyncpg.Pool, asyncio.Event]]:
    """A hop's connection pool and its outbox relay (woken by the event it yields), stopped on the way out."""
    pool = await asyncpg.create_pool(floor.dsn, min_size=2, max_size=pool_size)
    producer = producer_for(floor.client, floor.bootstrap)
    await producer.start()
    wake = asyncio.Event()
    relaying = asyncio.create_task(relay(pool, name, producer, wake))
    try:
        yield pool, wake
    finally:
        relaying.cancel()
        await producer.stop()
        await pool.close()


async def commit_offsets(consumer: Any, read: dict) -> None:
    """Offsets at most every 250 ms, for the partitions read since (as `shared/messaging/offsets.py` does)."""
    while True:
        await asyncio.sleep(OFFSETS_EVERY_SECONDS)
        if read:
            offsets = dict(read)
            read.clear()
            await consumer.commit(offsets)


async def consume(floor: Floor, name: str, topics: tuple[str, ...], ready, handle) -> None:
    """Wait in Kafka's fetch (as `shared/messaging/waiting_poll.py`); one transaction a poll, inbox first."""
    consumer = consumer_for(floor.client, floor.bootstrap, f"{floor.group}-{name}", topics)
    await consumer.start()
    read: dict = {}
    offsets = asyncio.create_task(commit_offsets(consumer, read))
    try:
        while True:
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            if consumer.assignment():
                ready.set()
            records = [r for rs in batches.values() for r in rs]
            if not records:
                continue
            events = [json.loads(r.value) for r in records]
            await handle([(r.topic, e) for r, e in zip(records, events)])
            for tp, rs in batches.items():
                read[tp] = rs[-1].offset + 1
    finally:
        offsets.cancel()
        await consumer.stop()


async def fresh(conn: Any, name: str, events: list[dict]) -> list[dict]:
    ids = await conn.fetch(f"INSERT INTO {name}.inbox SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING "
                           f"RETURNING event_id", [e["event_id"] for e in events])
    new = {str(r["event_id"]) for r in ids}
    return [e for e in events if e["event_id"] in new]


async def middle_hop(floor: Floor, name: str, source: str, target: str, ready) -> None:
    """people, triage, notify: read an event, record the effect and the next event, let the relay publish it."""
    async def handle(polled: list[tuple[str, dict]]) -> None:
        async with pool.acquire() as conn, conn.transaction():
            events = await fresh(conn, name, [e for _, e in polled])
            await conn.executemany(f"INSERT INTO {name}.state VALUES ($1, $2) ON CONFLICT (referral_id) DO UPDATE "
                                   f"SET body = excluded.body", [(e["referral_id"], e["pad"].encode()) for e in events])
            await conn.executemany(f"INSERT INTO {name}.outbox (topic, key, body) VALUES ($1, $2, $3)",
                                   [(target, e["referral_id"].encode(), event(e["referral_id"], e["step"],
                                                                              e["sent_at"])) for e in events])
        wake.set()

    async with publishing(floor, name, pool_size=4) as (pool, wake):
        await consume(floor, name, (source,), ready, handle)


async def audit_hop(floor: Floor, ready) -> None:
    """audit: every event of every topic, one row each, one transaction a poll."""
    pool = await asyncpg.create_pool(floor.dsn, min_size=1, max_size=2)

    async def handle(polled: list[tuple[str, dict]]) -> None:
        async with pool.acquire() as conn, conn.transaction():
            events = {e["event_id"] for e in await fresh(conn, "audit", [e for _, e in polled])}
            await conn.executemany("INSERT INTO audit.log (event_id, topic, step, sent_at) VALUES ($1, $2, $3, $4)",
                                   [(e["event_id"], t, e["step"], e["sent_at"]) for t, e in polled
                                    if e["event_id"] in events])

    await consume(floor, "audit", floor.topics, ready, handle)


async def source(floor: Floor, commands, done) -> None:
    """intake: one transaction a referral (state and outbox), sent open-loop at each commanded rate."""
    async def accept(step: int, sent_at: float) -> None:
        referral_id = str(uuid.uuid4())
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("INSERT INTO intake.state VALUES ($1, $2)", referral_id, PAD.encode())
            await conn.execute("INSERT INTO intake.outbox (topic, key, body) VALUES ($1, $2, $3)", floor.topics[0],
                               referral_id.encode(), event(referral_id, step, sent_at))
        wake.set()

    loop = asyncio.get_running_loop()
    async with publishing(floor, "intake", pool_size=10) as (pool, wake):
        while (command := await loop.run_in_executor(None, commands.get)) is not None:
            step, rate, seconds = command
            start, count, tasks = time.time(), int(rate * seconds), set()
            for i in range(count):
                at = start + i / rate
                await asyncio.sleep(max(0.0, at - time.time()))
                task = asyncio.create_task(accept(step, at))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            await asyncio.gather(*tasks)
            done.put((step, count))


def run_process(role: str, floor: Floor, *args) -> None:
    """A hop's process: spawned, so each hop has its own interpreter and event loop as the services do."""
    if role == "source":
        asyncio.run(source(floor, *args))
    elif role == "audit":
        asyncio.run(audit_hop(floor, *args))
    else:
        index = MIDDLE.index(role)
        asyncio.run(middle_hop(floor, role, floor.topics[index], floor.topics[index + 1], *args))


def start_processes(floor: Floor) -> tuple[list[Any], Any, Any, list[Any]]:
    """The five hop processes, and the source's command and done queues; `ready` events for the consumers."""
    spawn = multiprocessing.get_context("spawn")
    commands, done = spawn.Queue(), spawn.Queue()
    ready = [spawn.Event() for _ in (*MIDDLE, "audit")]
    # daemons: should the caller fail before stopping them, they end with it instead of holding its exit open
    processes = [spawn.Process(target=run_process, args=("source", floor, commands, done), daemon=True)]
    processes += [spawn.Process(target=run_process, args=(role, floor, flag), daemon=True) for role, flag in
                  zip((*MIDDLE, "audit"), ready)]
    for process in processes:
        process.start()
    return processes, commands, done, ready
