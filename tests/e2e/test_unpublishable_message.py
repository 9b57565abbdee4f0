"""Issue "Security and integrity" item 0: one message Kafka will not take must never stop the referrals behind
it. A 1.2 MB staff note is refused at the edge (422 naming the field); and an outbox row Kafka refuses anyway
(here staged straight into triage's outbox, 1.5 MB) is set aside with a notice on the DLQ, audited, while a red
referral posted after it is routed, notified and audited as usual. On the real broker."""

import json
import uuid

import pytest

from shared.events.topics import WORKITEMS_EVENTS, dlq_topic
from tests.support.observe import fetch, wait_for
from tests.support.referrals import referral_body
from tests.support.staff import MO, routed_item, staff
from tests.support.system import RunningSystem

pytestmark = pytest.mark.infra
RED = {"significant_harm_suspected": True, "concerns": ["physical_abuse"]}


@pytest.fixture
async def system(endpoints):
    running = await RunningSystem(endpoints).start()
    yield running
    await running.stop()


async def test_a_megabyte_note_is_refused_with_the_field_named(system):
    _, item = await routed_item(system, referral_body())
    async with staff(system, MO) as mo:
        response = await mo.post(f"/staff/v1/items/{item}/feedback", json={"note": "\x00" * 200_000 + "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "note"


async def test_an_outbox_row_kafka_refuses_is_set_aside_and_the_referrals_behind_it_flow_on(system):
    url = system.endpoints.database_url
    stuck_referral, stuck_event = uuid.uuid4(), uuid.uuid4()
    await fetch(url, "INSERT INTO triage.outbox (event_id, aggregatetype, aggregateid, type, payload, headers) "
                     "VALUES ($1, $2, $3, 'WorkItemClosed', $4, $5)", stuck_event, WORKITEMS_EVENTS,
                str(stuck_referral), b"x" * 1_500_000,
                json.dumps({"event-id": str(stuck_event), "event-type": "WorkItemClosed"}))
    rid, _ = await routed_item(system, referral_body(**RED))  # staged after the huge row, in the same outbox

    await wait_for(lambda: fetch(url, "SELECT 1 FROM audit.log WHERE referral_id = $1 AND event_type = "
                                      "'NotificationSent'", uuid.UUID(rid)), timeout=60, what="red referral notified")
    [kept] = await fetch(url, "SELECT type, length(payload) AS size, reason FROM triage.outbox_set_aside "
                              "WHERE event_id = $1", stuck_event)
    assert (kept["type"], kept["size"]) == ("WorkItemClosed", 1_500_000)
    assert "MessageSizeTooLarge" in kept["reason"]
    assert await fetch(url, "SELECT 1 FROM triage.outbox WHERE event_id = $1", stuck_event) == []
    [audited] = await wait_for(lambda: fetch(url, "SELECT topic, canonical FROM audit.log WHERE referral_id = $1 "
                                                  "AND event_type = 'DeadLettered'", stuck_referral),
                               timeout=30, what="the set-aside notice audited")
    assert audited["topic"] == dlq_topic(WORKITEMS_EVENTS)
    payload = json.loads(bytes(audited["canonical"]))["payload"]
    assert payload["dlq_set_aside"].startswith("triage.outbox_set_aside#")
    assert payload["event_id"] == str(stuck_event)
