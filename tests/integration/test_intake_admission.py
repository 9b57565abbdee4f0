"""Admission on the real services: referrals handed to Kafka and not yet triaged are the backlog; past the
limit a routine referral gets 429 and is not stored, an urgent one is still accepted (domain/admission.py).
Referrals held in the outbox while Kafka is down are not backlog: see test_intake_durability."""

import asyncio
import uuid

import pytest

from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from services.intake.adapters import tables
from services.intake.adapters.backlog_gauge import SqlaBacklogGauge
from tests.support.observe import fetch, wait_for
from tests.support.referrals import referral_body
from tests.support.system import RunningSystem

pytestmark = pytest.mark.infra


async def test_past_the_backlog_limit_routine_referrals_get_429_and_urgent_ones_are_accepted(endpoints):
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=1)
    gauge = SqlaBacklogGauge(engine)
    before = await gauge.refresh()  # referrals other tests left untriaged (no triage runs in this test)
    system = await RunningSystem(endpoints, services=("intake",),
                                 intake_settings={"max_backlog": before + 2}).start()
    try:
        key = await system.partner_key()
        async with system.client(key) as client:
            async def post(body):
                return await client.post("/v1/referrals", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})

            assert [(await post(referral_body())).status_code for _ in range(2)] == [202, 202]
            await wait_for(lambda: _at_least(gauge, before + 2), what="both referrals handed to Kafka")
            await asyncio.sleep(1.2)  # intake's own gauge reads twice a second
            refused = await post(referral_body())
            urgent = await post(referral_body(immediate_danger=True))
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "5"
        assert "at capacity" in refused.json()["title"]
        assert urgent.status_code == 202
        stored = await fetch(endpoints.database_url, "SELECT count(*) FROM intake.referrals WHERE partner_id = "
                                                     "'test-school' AND status = 'received'")
        assert stored[0][0] >= 3  # the two routine ones and the urgent one; the refused one was never stored
    finally:
        await system.stop()
        await engine.dispose()


async def _at_least(gauge: SqlaBacklogGauge, value: int) -> bool:
    return await gauge.refresh() >= value


async def test_a_partners_rate_limit_holds_across_two_intake_replicas(endpoints):
    """Two intakes (two replicas behind one load balancer) count a partner's requests in one place: with a
    limit of 4 a minute, requests alternating between them get 4 answers and then 429s from either."""
    settings = {"rate_limit": "4/minute"}
    one = await RunningSystem(endpoints, services=("intake",), intake_settings=settings).start()
    two = await RunningSystem(endpoints, services=("intake",), intake_settings=settings).start()
    try:
        key = await one.partner_key(f"rate-{uuid.uuid4().hex[:8]}")
        async with one.client(key) as a, two.client(key) as b:
            answers = [await client.get(f"/v1/referrals/{uuid.uuid4()}") for client in (a, b, a, b, a, b)]
    finally:
        await one.stop()
        await two.stop()
    assert [r.status_code for r in answers] == [404, 404, 404, 404, 429, 429]
    assert all(1 <= int(r.headers["Retry-After"]) <= 75 for r in answers[4:])
