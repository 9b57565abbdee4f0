"""`frontdoor dlq` on the real broker: a dead letter is listed (exit 1 while open, ids and codes only), shown,
replayed to its source topic, where triage handles it, and both the dead letter and the replay are in the audit
log on the child's trail. A set-aside notice cannot be replayed, only resolved."""

import asyncio
import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from shared.events import ReferralReceived, ReferralReceivedPayload, ReferralV1
from shared.events.topics import REFERRALS_RECEIVED, dlq_topic
from tests.support.observe import fetch, wait_for
from tests.support.referrals import PERSONAL_VALUES, referral_body
from tests.support.system import RunningSystem

pytestmark = pytest.mark.infra


def frontdoor(endpoints, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("frontdoor")), *args], capture_output=True, text=True,
                          env=endpoints.as_env() | {"PATH": "/usr/bin:/bin", "USER": "ops-test"}, timeout=120)


async def publish(endpoints, topic: str, value: bytes, key: bytes, headers: dict[str, str]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=endpoints.kafka_bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key, headers=[(k, v.encode()) for k, v in headers.items()])
    finally:
        await producer.stop()


def received_event() -> ReferralReceived:
    referral_id = uuid.uuid4()
    payload = ReferralReceivedPayload(referral=ReferralV1.model_validate(referral_body()),
                                      received_at=datetime.now(UTC), partner_id="test-school")
    return ReferralReceived(occurred_at=datetime.now(UTC), referral_id=referral_id, correlation_id=referral_id,
                            producer="intake", payload=payload)


async def test_a_dead_letter_is_listed_replayed_handled_and_audited(endpoints):
    system = await RunningSystem(endpoints, services=("audit", "people", "triage")).start()
    try:
        event = received_event()
        rid = str(event.referral_id)
        await publish(endpoints, dlq_topic(REFERRALS_RECEIVED), event.to_wire(), rid.encode(), {
            "event-id": str(event.event_id), "event-type": event.event_type, "dlq-source-topic": REFERRALS_RECEIVED,
            "dlq-source-offset": "0:0", "dlq-error": "DBAPIError caused by CannotConnectNowError"})

        listed = await asyncio.to_thread(frontdoor, endpoints, "dlq", "list")
        mine = [json.loads(line) for line in listed.stdout.splitlines() if rid in line]
        assert listed.returncode == 1 and len(mine) == 1 and mine[0]["state"] == "open"
        assert mine[0]["event_type"] == "ReferralReceived" and mine[0]["source_topic"] == REFERRALS_RECEIVED
        assert not any(value in listed.stdout for value in PERSONAL_VALUES)  # ids and codes only

        shown = await asyncio.to_thread(frontdoor, endpoints, "dlq", "show", mine[0]["id"])
        assert shown.returncode == 0 and json.loads(shown.stdout)["headers"]["dlq-error"].startswith("DBAPIError")

        replayed = await asyncio.to_thread(frontdoor, endpoints, "dlq", "replay", mine[0]["id"], "--reason",
                                           "database restart; INC-42")
        assert replayed.returncode == 0, replayed.stderr
        await wait_for(lambda: fetch(endpoints.database_url, "SELECT 1 FROM triage.decisions WHERE referral_id = $1",
                                     event.referral_id), timeout=60, what="the replayed referral triaged")
        wanted = {"DeadLettered", "DeadLetterReplayed", "ReferralReceived", "ReferralTriaged"}
        trail = await wait_for(lambda: _events(endpoints, event.referral_id, wanted), timeout=60, what="audited")
        assert wanted <= set(trail)
        [replay] = await fetch(endpoints.database_url, "SELECT canonical FROM audit.log WHERE referral_id = $1 AND "
                               "event_type = 'DeadLetterReplayed'", event.referral_id)
        recorded = json.loads(bytes(replay["canonical"]))["payload"]
        assert (recorded["dlq_operator"], recorded["dlq_reason"]) == ("ops-test", "database restart; INC-42")

        after = await asyncio.to_thread(frontdoor, endpoints, "dlq", "list", "--all")
        [line] = [json.loads(line) for line in after.stdout.splitlines() if rid in line]
        assert (line["state"], line["by"]) == ("replayed", "ops-test")
    finally:
        await system.stop()


async def test_a_set_aside_notice_cannot_be_replayed_only_resolved(endpoints):
    rid = str(uuid.uuid4())
    await publish(endpoints, dlq_topic(REFERRALS_RECEIVED), b'{"set_aside_in": "intake.outbox_set_aside"}',
                  rid.encode(), {"event-type": "ReferralReceived", "dlq-error": "MessageSizeTooLargeError",
                                 "dlq-source-topic": REFERRALS_RECEIVED,
                                 "dlq-set-aside": "intake.outbox_set_aside#7"})
    listed = await asyncio.to_thread(frontdoor, endpoints, "dlq", "list")
    [line] = [json.loads(line) for line in listed.stdout.splitlines() if rid in line]
    refused = await asyncio.to_thread(frontdoor, endpoints, "dlq", "replay", line["id"], "--reason", "try")
    assert refused.returncode == 2 and "intake.outbox_set_aside#7" in refused.stderr
    resolved = await asyncio.to_thread(frontdoor, endpoints, "dlq", "resolve", line["id"], "--reason", "row fixed")
    assert resolved.returncode == 0
    after = await asyncio.to_thread(frontdoor, endpoints, "dlq", "list", "--all")
    assert json.loads([x for x in after.stdout.splitlines() if rid in x][0])["state"] == "resolved"


async def test_the_completeness_check_reports_what_it_checked(endpoints):
    await (await RunningSystem(endpoints).start()).stop()  # every service's tables exist
    checked = await asyncio.to_thread(frontdoor, endpoints, "check", "completeness", "--grace-minutes", "0")
    assert checked.returncode in (0, 1) and "referral(s) checked" in checked.stderr
    for line in checked.stdout.splitlines():
        assert set(json.loads(line)) == {"referral_id", "received_at", "missing", "clock_breached"}


async def _events(endpoints, referral_id, wanted: set[str]) -> list[str] | None:
    """The referral's logged event types once all of `wanted` are there (dead letters come on their own
    consumer, so not necessarily first)."""
    rows = await fetch(endpoints.database_url, "SELECT event_type FROM audit.log WHERE referral_id = $1", referral_id)
    found = [r["event_type"] for r in rows]
    return found if wanted <= set(found) else None
