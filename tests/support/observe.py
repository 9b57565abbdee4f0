"""Reading what the system did, from the real broker and database, waiting a bounded time for it."""

import asyncio
import json
import time

import asyncpg

from shared.messaging.topic_scan import records_on


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
    again, up to `timeout`, until each referral has at least one)."""
    deadline = time.monotonic() + timeout
    while True:
        found = []
        for record in await records_on(bootstrap, topic, client_id="test-observe"):
            event = json.loads(record.value)
            if event.get("referral_id") in referral_ids:
                found.append(event | {"_key": record.key.decode() if record.key else None})
        if {e["referral_id"] for e in found} >= referral_ids or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.3)
