"""Notify on the real broker and database, with a real SMTP server and webhook receiver."""

import asyncio
import json
import uuid
from datetime import date, timedelta

import httpx
import pytest
import yaml
from aiokafka import AIOKafkaProducer

from shared.events.topics import REFERRALS_TRIAGED
from tests.support.observe import fetch, topic_events, wait_for
from tests.support.receivers import SmtpInbox, WebhookReceiver
from tests.support.referrals import PERSONAL_VALUES, referral_body
from tests.support.system import RunningSystem

pytestmark = pytest.mark.infra
SECRET = "test-webhook-secret"
DCT = {"concerns": [], "disability": {"has_disability": True, "types": ["physical"], "diagnosed": True,
                                      "long_term": True, "substantial_support_needed": True}}
YOS = {"concerns": [], "child": {"date_of_birth": "2012-02-02"},  # a caution last week: prevention (Turnaround)
       "youth_justice": {"event": "youth_caution", "event_date": str(date.today() - timedelta(days=7))}}
TRANSITION = {"concerns": [], "child": {"date_of_birth": "2011-02-02"}, "likely_care_needs_after_18": True}


@pytest.fixture(scope="module")
async def rig(endpoints, tmp_path_factory):
    with SmtpInbox() as inbox:
        async with WebhookReceiver(SECRET, {"flaky": [503, 503], "bad": [400]}) as hooks:
            directory = tmp_path_factory.mktemp("notify") / "directory.yaml"
            entries = {q: [{"id": f"{q}-inbox", "channel": "log", "address": f"{q}@example.gov.uk"}] for q in (
                "statutory_safeguarding", "mash_review", "signposting")}
            entries |= {
                "early_help": [{"id": "eh-inbox", "channel": "smtp", "address": "early-help@example.gov.uk"}],
                "disabled_children": [{"id": "dct-hook", "channel": "webhook", "address": hooks.url("ok")}],
                "youth_offending": [{"id": "yos-hook", "channel": "webhook", "address": hooks.url("flaky")}],
                "adult_transition": [{"id": "pfa-hook", "channel": "webhook", "address": hooks.url("bad")}],
                "duty_manager": [{"id": "duty", "channel": "smtp", "address": "duty@example.gov.uk",
                                  "role": "duty_manager"}],
            }
            directory.write_text(yaml.safe_dump(entries))
            system = await RunningSystem(endpoints, notify_settings={
                "directory_file": directory, "smtp_host": "127.0.0.1", "smtp_port": inbox.port,
                "webhook_secret": SECRET, "base_backoff_seconds": 0.05, "callback_token": "cb-token"}).start()
            try:
                yield system, inbox, hooks
            finally:
                await system.stop()


async def post(system, body) -> uuid.UUID:
    key = await system.partner_key()
    async with system.client(key) as client:
        response = await client.post("/v1/referrals", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 202, response.text
    return uuid.UUID(response.json()["referral_id"])


async def notification(system, rid, status):
    rows = await fetch(system.endpoints.database_url, "SELECT * FROM notify.notifications WHERE referral_id = $1 "
                                                      "AND status = $2", rid, status)
    return rows or None


async def test_email_reaches_the_team_inbox_with_nothing_personal_in_it(rig):
    system, inbox, _ = rig
    rid = await post(system, referral_body())
    await wait_for(lambda: notification(system, rid, "sent"), what="email sent")
    [mail] = [m for m in inbox.messages if str(rid) in m["email"]["X-Frontdoor-Reference"]]
    assert mail["to"] == ["early-help@example.gov.uk"]
    text = mail["raw"].decode() + mail["email"].get_payload(decode=True).decode()
    assert f"/referrals/{rid}" in text
    for value in PERSONAL_VALUES:
        assert value not in text


async def test_red_referrals_also_email_the_duty_manager(rig):
    system, inbox, _ = rig
    rid = await post(system, referral_body(immediate_danger=True))
    await wait_for(lambda: notification(system, rid, "sent"), what="sent")
    await wait_for(lambda: asyncio.sleep(0, [m for m in inbox.messages if str(rid) in
                                             m["email"]["X-Frontdoor-Reference"]]), what="duty manager email")
    mails = [m for m in inbox.messages if str(rid) in m["email"]["X-Frontdoor-Reference"]]
    assert [m["to"] for m in mails] == [["duty@example.gov.uk"]]
    assert mails[0]["email"]["Subject"].startswith("[RED]")


async def test_signed_webhook_is_verified_and_a_tampered_body_is_rejected(rig):
    system, _, hooks = rig
    rid = await post(system, referral_body(**DCT))
    await wait_for(lambda: notification(system, rid, "sent"), what="webhook sent")
    [call] = [c for c in hooks.calls["ok"] if str(rid) in c["reference"]]
    assert call["signed"] and json.loads(call["body"])["queue"] == "Disabled Children's Team"
    async with httpx.AsyncClient() as client:
        tampered = await client.post(hooks.url("ok"), content=call["body"].replace(b"amber", b"green"),
                                     headers={"X-Frontdoor-Timestamp": "1", "X-Frontdoor-Signature": "sha256=00"})
    assert tampered.status_code == 401


async def test_two_503s_then_success_is_one_delivery_and_three_recorded_attempts(rig):
    system, _, hooks = rig
    rid = await post(system, referral_body(**YOS))
    [sent] = await wait_for(lambda: notification(system, rid, "sent"), what="sent after retries")
    attempts = await fetch(system.endpoints.database_url, "SELECT outcome, error FROM notify.attempts WHERE "
                                                          "notification_id = $1 ORDER BY attempt", sent["id"])
    assert [a["outcome"] for a in attempts] == ["retry", "retry", "sent"]
    assert attempts[0]["error"] == "RetryableSendError:http 503"
    assert len([c for c in hooks.delivered("flaky") if str(rid) in c["reference"]]) == 1


async def test_a_permanent_400_is_one_attempt_and_notification_failed(rig):
    system, _, hooks = rig
    rid = await post(system, referral_body(**TRANSITION))
    [failed] = await wait_for(lambda: notification(system, rid, "failed"), what="failed")
    assert failed["attempts"] == 1
    events = await topic_events(system.endpoints.kafka_bootstrap_servers, "notifications.events", {str(rid)})
    assert [e["event_type"] for e in events] == ["NotificationFailed"]
    assert events[0]["payload"]["error_code"] == "PermanentSendError:http 400"
    dead = await topic_events(system.endpoints.kafka_bootstrap_servers, "notifications.events.dlq", {str(rid)})
    assert [e["event_id"] for e in dead] == [events[0]["event_id"]]


async def test_the_same_event_delivered_twice_by_kafka_sends_one_message(rig):
    system, inbox, _ = rig
    rid = await post(system, referral_body(concerns=["housing"]))
    await wait_for(lambda: notification(system, rid, "sent"), what="sent")
    [triaged] = await topic_events(system.endpoints.kafka_bootstrap_servers, REFERRALS_TRIAGED, {str(rid)})
    triaged.pop("_key")
    producer = AIOKafkaProducer(bootstrap_servers=system.endpoints.kafka_bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait(REFERRALS_TRIAGED, json.dumps(triaged).encode(), key=str(rid).encode())
    finally:
        await producer.stop()
    await asyncio.sleep(3)
    assert len([m for m in inbox.messages if str(rid) in m["email"]["X-Frontdoor-Reference"]]) == 1
    assert len(await fetch(system.endpoints.database_url, "SELECT 1 FROM notify.notifications WHERE referral_id = $1",
                           rid)) == 1


async def test_delivery_receipts_are_authenticated_and_idempotent(rig):
    system, _, _ = rig
    rid = await post(system, referral_body(concerns=["parenting_support"]))
    [sent] = await wait_for(lambda: notification(system, rid, "sent"), what="sent")
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{system.notify_port}") as client:
        receipt = {"id": str(uuid.uuid4()), "reference": sent["reference"], "status": "delivered",
                   "to": "early-help@example.gov.uk", "notification_type": "email"}
        assert (await client.post("/notify/v1/receipts", json=receipt)).status_code == 401
        auth = {"Authorization": "Bearer cb-token"}
        first = await client.post("/notify/v1/receipts", json=receipt, headers=auth)
        again = await client.post("/notify/v1/receipts", json=receipt, headers=auth)
        unknown = await client.post("/notify/v1/receipts", json=receipt | {"reference": "x"}, headers=auth)
    assert first.json()["status"] == again.json()["status"] == "delivered" and unknown.status_code == 404
    events = await wait_for(lambda: _delivered_events(system, rid), what="NotificationDelivered")
    assert len(events) == 1


async def _delivered_events(system, rid):
    events = await topic_events(system.endpoints.kafka_bootstrap_servers, "notifications.events", {str(rid)},
                                timeout=3)
    return [e for e in events if e["event_type"] == "NotificationDelivered"] or None
