"""Intake on real PostgreSQL and Kafka: concurrent retries, Kafka outages, PostgreSQL outages."""

import asyncio
import shutil
import uuid

import httpx
import pytest

from shared.clock import SystemClock
from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from shared.events.topics import REFERRALS_RECEIVED
from services.intake.adapters import tables
from services.intake.adapters.backlog_gauge import SqlaBacklogGauge
from services.intake.adapters.rate_limits import PgRateLimiter
from services.intake.adapters.referral_store import PgReferralStore
from services.intake.adapters.sqla_unit_of_work import SqlaPartnerDirectory, SqlaReferralStatuses
from services.intake.application.submit_referral import SubmitReferral
from services.intake.domain.admission import Admission
from services.intake.entrypoints.http import create_app
from tests.support.fakes import FakeBacklog
from tests.support.observe import fetch, topic_events, wait_for
from tests.support.referrals import referral_body
from tests.support.system import RunningSystem
from tools.localinfra.kafka import LocalKafka
from tools.localinfra.processes import free_port
from tools.localinfra.stack import PROJECT_ROOT, Endpoints, default_cache_dir

pytestmark = pytest.mark.infra


@pytest.fixture
async def intake_only(endpoints):
    running = await RunningSystem(endpoints, services=("intake",)).start()
    yield running
    await running.stop()


async def test_five_concurrent_posts_with_one_key_make_one_referral(intake_only):
    key, idem, body = await intake_only.partner_key(), str(uuid.uuid4()), referral_body()
    async with intake_only.client(key) as client:
        responses = await asyncio.gather(*(client.post("/v1/referrals", json=body,
                                                       headers={"Idempotency-Key": idem}) for _ in range(5)))
    assert {r.status_code for r in responses} == {202}
    ids = {r.json()["referral_id"] for r in responses}
    assert len(ids) == 1
    rows = await fetch(intake_only.endpoints.database_url,
                       "SELECT count(*) FROM intake.referrals WHERE id = $1", uuid.UUID(ids.pop()))
    assert rows[0][0] == 1


@pytest.fixture
def own_kafka():
    """A broker of this test's own, so stopping it does not disturb the rest of the suite."""
    home = PROJECT_ROOT / ".frontdoor" / f"outage-kafka-{uuid.uuid4().hex[:8]}"
    kafka = LocalKafka(home, free_port(), free_port())
    state = {"pid": kafka.start(default_cache_dir())}
    yield kafka, state
    LocalKafka.stop(state["pid"])
    shutil.rmtree(home, ignore_errors=True)


async def test_kafka_down_intake_still_accepts_and_publishes_everything_once_kafka_is_back(endpoints, own_kafka):
    kafka, state = own_kafka
    system = await RunningSystem(Endpoints(kafka.bootstrap, endpoints.database_url), services=("intake",),
                                 intake_settings={"max_backlog": await _backlog(endpoints) + 10}).start()
    try:
        key = await system.partner_key()
        LocalKafka.stop(state["pid"])
        async with system.client(key) as client:
            responses = [await client.post("/v1/referrals", json=referral_body(),
                                           headers={"Idempotency-Key": str(uuid.uuid4())}) for _ in range(100)]
        assert [r.status_code for r in responses] == [202] * 100  # limit below 100: an outage is not backlog
        ids = [uuid.UUID(r.json()["referral_id"]) for r in responses]
        url = endpoints.database_url
        pending = "SELECT count(*) FROM intake.outbox WHERE aggregateid = ANY($1)"
        assert (await fetch(url, pending, [str(i) for i in ids]))[0][0] == 100

        state["pid"] = kafka.start(default_cache_dir())
        await wait_for(lambda: _drained(url, ids), timeout=120, what="the outbox drained after Kafka returned")
        events = await topic_events(kafka.bootstrap, REFERRALS_RECEIVED, {str(i) for i in ids})
        per_referral: dict[str, set] = {}
        for event in events:
            per_referral.setdefault(event["referral_id"], set()).add(event["event_id"])
        assert set(per_referral) == {str(i) for i in ids}
        assert all(len(event_ids) == 1 for event_ids in per_referral.values())  # exactly once in effect
    finally:
        await system.stop()


async def _backlog(endpoints) -> int:
    """What other tests left untriaged; the 100 referrals below must not count on top of it."""
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=1)
    try:
        return await SqlaBacklogGauge(engine).refresh()
    finally:
        await engine.dispose()


async def _drained(url, ids):
    rows = await fetch(url, "SELECT count(*) FROM intake.outbox WHERE aggregateid = ANY($1)", [str(i) for i in ids])
    return rows[0][0] == 0


async def test_postgres_unreachable_is_503_with_retry_after_never_500():
    dead = make_engine(f"postgresql+asyncpg://frontdoor@127.0.0.1:{free_port()}/frontdoor", pool_size=1)
    clock = SystemClock()
    app = create_app(submit=SubmitReferral(store=PgReferralStore(dead, on_stored=lambda: None), clock=clock,
                                           backlog=FakeBacklog(), admission=Admission(100, 5)),
                     partners=SqlaPartnerDirectory(dead), statuses=SqlaReferralStatuses(dead), clock=clock,
                     admission=Admission(100, 5), rate_limiter=PgRateLimiter(dead, "600/minute"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake") as client:
        response = await client.post("/v1/referrals", json=referral_body(), headers={
            "Authorization": "Bearer fd_12345678_secret", "Idempotency-Key": "k"})
        ready = await client.get("/health/ready")
    await dead.dispose()
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.headers["content-type"] == "application/problem+json"
    assert ready.status_code == 503
