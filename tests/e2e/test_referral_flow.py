"""A referral posted over HTTP reaches triage, its queue topic, notify and audit, on real Kafka and Postgres."""

import json
import uuid

import httpx
import pytest

from shared.auth.tokens import AuthSettings, Tokens
from shared.events.topics import REFERRALS_TRIAGED, queue_topic
from tests.support.audit import verify_log
from tests.support.observe import fetch, topic_events, wait_for
from tests.support.referrals import PERSONAL_VALUES, referral_body
from tests.support.system import RunningSystem

pytestmark = pytest.mark.infra

CASES = {
    # name: (overrides, expected primary queue, expected notifications)
    "statutory": ({"significant_harm_suspected": True, "concerns": ["physical_abuse"],
                   "consent": {"status": "not_sought", "given_by": None}}, "statutory_safeguarding", 2),
    "early_help": ({}, "early_help", 1),
    "no_date_of_birth": ({"child": {"date_of_birth": None}}, "mash_review", 1),
}


@pytest.fixture(scope="module")
async def system(endpoints):
    running = await RunningSystem(endpoints).start()
    yield running
    await running.stop()


async def post(system, key: str, body: dict) -> str:
    async with system.client(key) as client:
        response = await client.post("/v1/referrals", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 202, response.text
    assert response.headers["Location"] == f"/v1/referrals/{response.json()['referral_id']}"
    return response.json()["referral_id"]


async def test_each_kind_of_referral_is_triaged_routed_notified_and_audited(system):
    key = await system.partner_key()
    posted = {}
    for name, (overrides, _queue, _) in CASES.items():
        posted[name] = await post(system, key, referral_body(**overrides))
    ids = set(posted.values())
    url, bootstrap = system.endpoints.database_url, system.endpoints.kafka_bootstrap_servers

    expected = {posted[name]: n for name, (_, _, n) in CASES.items()}
    audit_rows = await wait_for(lambda: _audit_complete(url, expected), what="audit rows for every referral")

    triaged = {e["referral_id"]: e for e in await topic_events(bootstrap, REFERRALS_TRIAGED, ids)}
    for name, (_, queue, notifications) in CASES.items():
        rid = posted[name]
        decision = triaged[rid]["payload"]["decision"]
        assert decision["primary_queue"] == queue, name
        routed = await topic_events(bootstrap, queue_topic(queue), {rid})
        assert [e["event_type"] for e in routed] == ["ReferralRouted"]
        assert routed[0]["_key"] == rid  # keyed by referral id: one partition, in order
        sent = await fetch(url, "SELECT status FROM notify.notifications WHERE referral_id = $1", uuid.UUID(rid))
        assert [r["status"] for r in sent] == ["sent"] * notifications, name
        types = [r["event_type"] for r in audit_rows if str(r["referral_id"]) == rid]
        # one row per event; across topics the log keeps arrival order, not causal order
        assert sorted(types) == sorted(["ReferralReceived", "ReferralIdentified", "ReferralTriaged", "ReferralRouted"]
                                       + ["NotificationSent"] * notifications), name

    report = await verify_log(system.endpoints)
    assert report.fault is None and report.rows_checked >= 3 * len(CASES)


async def _audit_complete(url: str, expected: dict[str, int]):
    """The audit rows once every referral has its three triage-path events and all its notifications."""
    rows = await fetch(url, "SELECT referral_id, event_type FROM audit.log WHERE referral_id = ANY($1::uuid[]) "
                            "ORDER BY seq", list(expected))
    per_referral = {rid: [r["event_type"] for r in rows if str(r["referral_id"]) == rid] for rid in expected}
    done = all({"ReferralReceived", "ReferralIdentified", "ReferralTriaged", "ReferralRouted"} <= set(t)
               and t.count("NotificationSent") >= expected[rid] for rid, t in per_referral.items())
    return rows if done else None


async def test_notifications_and_queue_messages_carry_no_personal_data(system):
    key = await system.partner_key()
    rid = await post(system, key, referral_body())
    bootstrap = system.endpoints.kafka_bootstrap_servers
    await wait_for(lambda: fetch(system.endpoints.database_url,
                                 "SELECT 1 FROM notify.notifications WHERE referral_id = $1 AND status = 'sent'",
                                 uuid.UUID(rid)), what="notification sent")
    routed = json.dumps(await topic_events(bootstrap, queue_topic("early_help"), {rid}))
    notes = json.dumps([dict(r) for r in await fetch(
        system.endpoints.database_url, "SELECT * FROM notify.notifications WHERE referral_id = $1",
        uuid.UUID(rid))], default=str)
    for value in PERSONAL_VALUES:
        assert value not in routed and value not in notes


async def test_a_retry_with_the_same_idempotency_key_creates_one_referral(system):
    key = await system.partner_key()
    body, idem = referral_body(), str(uuid.uuid4())
    async with system.client(key) as client:
        first = await client.post("/v1/referrals", json=body, headers={"Idempotency-Key": idem})
        again = await client.post("/v1/referrals", json=body, headers={"Idempotency-Key": idem})
        other = await client.post("/v1/referrals", json=referral_body(concerns=["housing"]),
                                  headers={"Idempotency-Key": idem})
    assert first.status_code == again.status_code == 202
    assert first.json()["referral_id"] == again.json()["referral_id"]
    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"


async def test_invalid_referral_is_rejected_naming_the_field(system):
    key = await system.partner_key()
    body = referral_body(child={"nhs_number": "1234567890"}, nickname="x")
    async with system.client(key) as client:
        response = await client.post("/v1/referrals", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        unauthenticated = await client.post("/v1/referrals", json=body, headers={
            "Idempotency-Key": "k", "Authorization": "Bearer fd_00000000_wrong"})
    assert response.status_code == 422
    fields = {e["field"]: e["problem"] for e in response.json()["errors"]}
    assert "mod-11" in fields["child.nhs_number"]
    assert fields["nickname"] == "is not a field of the v1 referral contract"
    assert unauthenticated.status_code == 401


async def test_partner_sees_its_referral_routed_and_logs_carry_no_key_or_personal_data(system, caplog):
    caplog.set_level("DEBUG")
    key = await system.partner_key()
    rid = await post(system, key, referral_body(significant_harm_suspected=True))
    async with system.client(key) as client:
        status = await wait_for(lambda: _triaged_status(client, rid), what="status to show the referral routed")
    assert status["routed_to"] == "statutory_safeguarding" and status["triaged_at"]
    assert set(status) == {"referral_id", "status", "received_at", "triaged_at", "routed_to", "acknowledged_at"}
    # casework opens the work a few tenths of a second after triage decides (it reads the topics on its own)
    item = (await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT id FROM casework.work_items WHERE "
                                         "referral_id = $1", uuid.UUID(rid)), what="the work item"))[0]["id"]
    practitioner = Tokens(AuthSettings()).issue("pat", ["practitioner"], ["statutory_safeguarding"])
    async with httpx.AsyncClient(base_url=system.staff_url,
                                 headers={"Authorization": f"Bearer {practitioner}"}) as staff:
        assert (await staff.post(f"/staff/v1/items/{item}/claim")).status_code == 200
    async with system.client(key) as client:
        acknowledged = await wait_for(lambda: _status(client, rid, "acknowledged"), what="acknowledged")
    assert acknowledged["acknowledged_at"] and acknowledged["routed_to"] == "statutory_safeguarding"
    await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT 1 FROM audit.log WHERE referral_id = $1 "
                                 "AND event_type = 'NotificationSent'", uuid.UUID(rid)), what="notification")
    logged = caplog.text
    assert caplog.records, "the services logged nothing to check"
    for secret in (key, key.split("_", 2)[2], *PERSONAL_VALUES):
        assert secret not in logged


async def _triaged_status(client, rid):
    return await _status(client, rid, "triaged")


async def _status(client, rid, wanted):
    response = await client.get(f"/v1/referrals/{rid}")
    return response.json() if response.json()["status"] == wanted else None
