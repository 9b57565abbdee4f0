"""The design's floor (`bench/floor`, step 7 of `make bench`) on real Kafka and PostgreSQL: its processes carry
every referral along DESIGN.md's path (a transaction, an inbox and an outbox a hop, relays, audit of every
topic) and report where the time went, on either Kafka client it offers. Only that it works is checked here; its
figures belong to the bench."""

from dataclasses import replace

import pytest

from bench.floor.__main__ import measure_on
from bench.floor.clients import CLIENTS
from tests.support.infra import fresh_database

pytestmark = pytest.mark.infra
EVENTS = {"received", "identified", "triaged", "notified"}


@pytest.mark.parametrize("client", CLIENTS)
async def test_the_floor_carries_every_referral_along_the_designs_path(real_endpoints, client):
    # the session's Kafka and PostgreSQL pids are stale once a fault test has restarted them: meter the hops only
    database = replace(await fresh_database(real_endpoints), kafka_pid=None, postgres_pid=None)
    result = await measure_on(database, [1, 20], seconds=2, baseline_count=1000, client=client)

    assert result["client"] == client
    first, *_ = result["steps"]
    assert first["rate"] == 1 and result["p50_ms_at_1_per_s"] == first["p50_ms"] > 0
    for step in result["steps"]:  # a step not sustained ends the ladder, so the second may be missing
        assert step["through"] == step["sent"] > 0 and step["drained_s"] is not None
        assert step["p50_ms_to_audit_by_event"].keys() == EVENTS
        assert all(ms is not None and ms > 0 for ms in step["p50_ms_to_audit_by_event"].values())
        assert step["cpu_ms_per_referral"]["total"] > 0
    assert result["raw_kafka_chain_msgs_per_s"] > 0
