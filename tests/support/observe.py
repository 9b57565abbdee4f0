"""Reading what the system did, from the real broker and database, waiting a bounded time for it."""

import asyncio
import json
import time

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition


def pg_url(database_url: str) -> str:
    return database_url.replace("postgresql+asyncpg://", "postgresql://")


async def fetch(database_url: str, sql: str, *args) -> list:
    conn = await asyncpg.connect(pg_url(database_url))
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def wait_for(check, *, timeout: float = 20.0, interval: float = 0.2, what: str = "condition"):
    """Poll `check` (async, returns a truthy value when done) until it succeeds or `timeout` passes."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"{what} not reached within {timeout:.0f}s (last: {last!r})")


async def topic_events(bootstrap: str, topic: str, referral_ids: set[str], *, timeout: float = 20.0) -> list[dict]:
    """Every event on `topic` for the given referrals, read from the start up to the topic's current end (and
    on, up to `timeout`, until each referral has at least one)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest")
    await consumer.start()
    found: list[dict] = []
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(await _partitions(consumer, topic))]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        deadline = time.monotonic() + timeout
        while True:
            ends = await consumer.end_offsets(partitions)
            while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        event = json.loads(record.value)
                        if event.get("referral_id") in referral_ids:
                            found.append(event | {"_key": record.key.decode() if record.key else None})
            if {e["referral_id"] for e in found} >= referral_ids or time.monotonic() > deadline:
                return found
            await asyncio.sleep(0.3)
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    for _ in range(20):
        if partitions := consumer.partitions_for_topic(topic):
            return partitions
        await consumer._client.force_metadata_update()  # aiokafka has no public refresh for one topic
    raise AssertionError(f"topic {topic} has no partitions")
