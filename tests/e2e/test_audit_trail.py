"""Audit on the running system: redelivery is a no-op, the auditors' API, proofs and replay."""

import asyncio
import json
import uuid

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from shared.auth.tokens import AuthSettings, Tokens
from shared.events.topics import queue_topic
from services.audit.entrypoints.cli import tools_for
from services.triage.domain.replay import replay
from tests.support.audit import audit_settings
from tests.support.observe import fetch, wait_for
from tests.support.referrals import PERSONAL_VALUES, referral_body
from tests.support.system import RunningSystem
from tools.replay import replay_referral

pytestmark = pytest.mark.infra
TOKENS = Tokens(AuthSettings())


@pytest.fixture(scope="module")
async def system(endpoints):
    running = await RunningSystem(endpoints).start()
    yield running
    await running.stop()


async def submit(system, body) -> uuid.UUID:
    key = await system.partner_key()
    async with system.client(key) as client:
        response = await client.post("/v1/referrals", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 202
    rid = uuid.UUID(response.json()["referral_id"])
    await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT 1 FROM audit.log WHERE referral_id = $1 "
                                 "AND event_type = 'NotificationSent'", rid), what="referral audited")
    return rid


async def test_the_same_event_delivered_three_times_is_one_row(system):
    rid = uuid.uuid4()
    raw = json.dumps({"event_id": str(uuid.uuid4()), "event_type": "ReferralRouted", "referral_id": str(rid),
                      "payload": {}}).encode()
    producer = AIOKafkaProducer(bootstrap_servers=system.endpoints.kafka_bootstrap_servers)
    await producer.start()
    try:
        for _ in range(3):
            await producer.send_and_wait(queue_topic("early_help"), raw, key=str(rid).encode())
    finally:
        await producer.stop()
    rows = await wait_for(lambda: fetch(system.endpoints.database_url,
                                        "SELECT seq FROM audit.log WHERE referral_id = $1", rid), what="the row")
    await asyncio.sleep(2)  # time for the two redeliveries to have been consumed too
    assert len(await fetch(system.endpoints.database_url, "SELECT seq FROM audit.log WHERE referral_id = $1",
                           rid)) == len(rows) == 1


async def test_auditors_api_trail_proof_and_public_key(system):
    rid = await submit(system, referral_body(significant_harm_suspected=True))
    async with httpx.AsyncClient(base_url=system.audit_url) as client:
        url = f"/audit/v1/referrals/{rid}/trail"
        assert (await client.get(url)).status_code == 401
        practitioner = {"Authorization": f"Bearer {TOKENS.issue('pat', ['practitioner'], ['early_help'])}"}
        assert (await client.get(url, headers=practitioner)).status_code == 403
        auditor = {"Authorization": f"Bearer {TOKENS.issue('ada', ['auditor'])}"}
        trail = await client.get(url, headers=auditor)
        assert trail.status_code == 200 and trail.headers["cache-control"] == "no-store"
        types = [e["event_type"] for e in trail.json()["entries"]]
        assert {"ReferralReceived", "ReferralTriaged", "ReferralRouted", "NotificationSent", "TrailRead"} <= set(types)
        page = await client.get(url, params={"format": "html"}, headers=auditor)
        assert "Verified:" in page.text and "Read by ada" in page.text
        # auditor privacy: the child's details and free text are withheld unless asked for with a reason
        assert not any(value in trail.text + page.text for value in PERSONAL_VALUES)
        assert all(e["minimised"] for e in trail.json()["entries"])
        no_reason = await client.get(url, params={"full": "true"}, headers=auditor)
        assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
        whole = await client.get(url, params={"full": "true", "reason": "CSPR 2026-07"}, headers=auditor)
        assert "Amelia" in whole.text
        reads = await fetch(system.endpoints.database_url, "SELECT canonical FROM audit.log WHERE referral_id = $1 "
                            "AND event_type = 'TrailRead'", rid)
        assert {(p["full"], p["reason"]) for p in (json.loads(bytes(r["canonical"]))["payload"] for r in reads)} >= {
            (False, None), (True, "CSPR 2026-07")}

        triaged = next(e for e in trail.json()["entries"] if e["event_type"] == "ReferralTriaged")
        proof = await wait_for(lambda: _proof(client, triaged["event_id"], auditor), what="a covering checkpoint")
        key = (await client.get("/audit/v1/public-key")).json()
        assert key["algorithm"] == "Ed25519"
    from services.audit.application.proofs import InclusionProof
    assert InclusionProof(**proof).verify()


async def _proof(client, event_id, headers):
    response = await client.get(f"/audit/v1/proofs/inclusion/{event_id}", headers=headers)
    return response.json() if response.status_code == 200 else None


async def test_stored_decisions_replay_identically_and_an_altered_copy_does_not(system):
    ids = [await submit(system, referral_body(**kind)) for kind in (
        {}, {"immediate_danger": True}, {"child": {"date_of_birth": None}},
        {"concerns": [], "likely_care_needs_after_18": True, "child": {"date_of_birth": "2011-01-01"}})]
    async with tools_for(audit_settings(system.endpoints)) as tools:
        results = [await replay_referral(tools, rid, reader="test-auditor") for rid in ids]
        assert [r.matches for r in results] == [True] * len(ids), [r.problems for r in results]

        copy = [e.event for e in await tools.trail.execute(ids[1], reader="test-auditor", via="cli", fmt="copy",
                                                           full=True, reason="test: an altered copy")]
    altered = json.loads(json.dumps(copy))
    decision = next(e for e in altered if e["event_type"] == "ReferralTriaged")["payload"]["decision"]
    decision["primary_queue"], decision["rag"] = "early_help", "green"
    result = replay(altered)
    assert not result.matches
    assert any(p.startswith("primary_queue differs: recorded \"early_help\", replayed \"statutory_safeguarding\"")
               for p in result.problems), result.problems
    assert result.recorded["trace"] and result.replayed["trace"]
