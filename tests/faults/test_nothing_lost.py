"""Issue "A PostgreSQL restart loses accepted referrals": under a steady stream of referrals (partners
retrying with the same Idempotency-Key), PostgreSQL crashes with a slow recovery, Kafka is killed, each service
is killed, triage is stopped for a minute. Every time: every accepted referral is decided, routed, notified and
audited (the operators' completeness check), nothing is dead-lettered, nothing is sent twice, no 500."""

import asyncio
import time

import pytest

from tests.support.faults import IN_FLIGHT, Load
from tests.support.observe import fetch

pytestmark = pytest.mark.infra
WAL_BALLAST_ROWS = 1_500_000  # ~1.7 GB of WAL since the last checkpoint: crash recovery takes seconds, not 0.3 s


async def _load(faulty, count: int, rate: float) -> tuple[Load, asyncio.Task]:
    load = Load(faulty.intake_url, await faulty.partner_key())
    return load, asyncio.create_task(load.run(count, rate))


async def test_postgres_killed_mid_stream_with_a_slow_crash_recovery(faulty, stack):
    url = faulty.endpoints.database_url
    for sql in ("ALTER SYSTEM SET max_wal_size = '8GB'", "ALTER SYSTEM SET checkpoint_timeout = '1h'",
                "SELECT pg_reload_conf()", "CHECKPOINT", "DROP TABLE IF EXISTS public.wal_ballast",
                f"CREATE TABLE public.wal_ballast AS SELECT g, repeat('x', 1000) AS pad "
                f"FROM generate_series(1, {WAL_BALLAST_ROWS}) g"):
        await fetch(url, sql)
    load, running = await _load(faulty, 300, 30)
    try:
        await asyncio.sleep(4)
        stack.kill("postgres")
        started = time.monotonic()
        await asyncio.sleep(3)  # down: intake answers 503, consumers and relays wait
        await asyncio.to_thread(stack.restart, "postgres")  # returns once crash recovery has finished
        print(f"PostgreSQL down and recovering for {time.monotonic() - started:.1f}s")
        await running
        await faulty.assert_nothing_lost_or_doubled(load)
        assert load.statuses[503] > 0  # the outage was seen, and answered properly
    finally:
        for sql in ("DROP TABLE IF EXISTS public.wal_ballast", "ALTER SYSTEM RESET max_wal_size",
                    "ALTER SYSTEM RESET checkpoint_timeout", "SELECT pg_reload_conf()", "CHECKPOINT"):
            await fetch(url, sql)


async def test_kafka_killed_mid_stream_and_restarted(faulty, stack):
    load, running = await _load(faulty, 300, 30)
    await asyncio.sleep(4)
    stack.kill("kafka")
    await asyncio.sleep(5)
    await asyncio.to_thread(stack.restart, "kafka")
    await running
    await faulty.assert_nothing_lost_or_doubled(load)


async def test_each_service_killed_in_turn_and_restarted(faulty):
    load, running = await _load(faulty, 600, 30)
    for name in ("intake", "people", "triage", "casework", "notify", "audit"):
        await asyncio.sleep(3)
        faulty.processes[name].kill()
        await asyncio.sleep(1)
        faulty.processes[name].start()
    await running
    # notify's SIGKILL may leave the messages it had in flight unsettled: each is sent again under its own
    # Idempotency-Key, which receivers de-duplicate on (test_notify_crash shows the one-message case)
    await faulty.assert_nothing_lost_or_doubled(load, resends_allowed=IN_FLIGHT)


async def test_triage_stopped_for_a_minute(faulty):
    faulty.processes["triage"].stop()
    load, running = await _load(faulty, 300, 30)
    await running  # intake keeps accepting; referrals wait on referrals.received
    await asyncio.sleep(50)
    faulty.processes["triage"].start()
    await faulty.assert_nothing_lost_or_doubled(load)
