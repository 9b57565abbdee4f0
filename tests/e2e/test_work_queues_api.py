"""The staff API on the running system: every action, role and state, races, and every action on
`workitems.events` and in the audit log; SLA alerts from an injected clock."""

import asyncio
import json
import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from shared.events.topics import WORKITEMS_EVENTS
from tests.support.clock import SteppingClock
from tests.support.observe import fetch, topic_events, wait_for
from tests.support.referrals import referral_body
from tests.support.staff import ADA, MO, OLU, PAT, SAM, TOKENS, routed_item, staff
from tests.support.system import RunningSystem

pytestmark = pytest.mark.infra
CLOCK = SteppingClock()


@pytest.fixture(scope="module")
async def system(endpoints):
    running = await RunningSystem(endpoints, triage_clock=CLOCK, casework_settings={"sla_check_seconds": 0.5}).start()
    yield running
    await running.stop()


async def test_queues_are_scoped_by_role(system):
    await routed_item(system, referral_body())
    async with staff(system, PAT) as pat, staff(system, MO) as mo, httpx.AsyncClient(base_url=system.staff_url) as anon:
        assert [q["queue_id"] for q in (await pat.get("/staff/v1/queues")).json()] == ["early_help"]
        assert len((await mo.get("/staff/v1/queues")).json()) == 7
        assert (await pat.get("/staff/v1/queues/youth_offending/items")).status_code == 403
        assert (await anon.get("/staff/v1/queues")).status_code == 401
        items = (await pat.get("/staff/v1/queues/early_help/items")).json()
        assert items and all(i["queue_id"] == "early_help" for i in items)


async def test_two_people_claiming_at_once_exactly_one_succeeds(system):
    _, item = await routed_item(system, referral_body())
    async with staff(system, PAT) as pat, staff(system, SAM) as sam:
        results = await asyncio.gather(pat.post(f"/staff/v1/items/{item}/claim"),
                                       sam.post(f"/staff/v1/items/{item}/claim"))
    assert sorted(r.status_code for r in results) == [200, 409]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["detail"] == "already claimed by someone else"


async def test_every_action_and_its_refusals_and_all_of_them_on_the_record(system):
    rid, item = await routed_item(system, referral_body())
    url = f"/staff/v1/items/{item}"
    async with staff(system, PAT) as pat, staff(system, OLU) as olu, staff(system, MO) as mo, \
            staff(system, ADA) as ada:
        assert (await ada.post(f"{url}/claim")).status_code == 403
        assert (await olu.post(f"{url}/claim")).status_code == 403
        assert (await pat.post(f"{url}/claim")).json()["assignee"] == "pat"
        assert (await pat.post(f"{url}/release")).json()["state"] == "new"
        assert (await pat.post(f"{url}/claim")).status_code == 200
        assert (await pat.post(f"{url}/override", json={"to_queue": "statutory_safeguarding",
                                                         "reason": "x"})).status_code == 403
        bad = await pat.post(f"{url}/transfer", json={"to_queue": "youth_offending", "reason": ""})
        assert bad.status_code == 422 and bad.json()["errors"] == [{"field": "reason", "problem":
                                                                    "is required: say why, for the record"}]
        moved = await pat.post(f"{url}/transfer", json={"to_queue": "youth_offending",
                                                         "reason": "offending is the main need"})
        assert moved.json()["queue_id"] == "youth_offending"
        assert (await pat.post(f"{url}/claim")).status_code == 403  # no longer pat's queue
        assert (await olu.post(f"{url}/claim")).status_code == 200
        assert (await olu.post(f"{url}/feedback", json={"note": "thanks, passed to YOS"})).status_code == 200
        overridden = await mo.post(f"{url}/override", json={"to_queue": "statutory_safeguarding",
                                                             "reason": "police disclosure by phone"})
        assert overridden.json()["queue_id"] == "statutory_safeguarding" and overridden.json()["state"] == "new"
        # the destination's urgency and clock: red, 2 hours from the override (was green/amber, later)
        assert overridden.json()["rag"] == "red"
        assert datetime.fromisoformat(overridden.json()["due_at"]) == CLOCK.now() + timedelta(hours=2)
        [stored] = await fetch(system.endpoints.database_url,
                               "SELECT rag, due_at FROM casework.work_items WHERE id = $1",
                               uuid.UUID(item))
        assert (stored["rag"], stored["due_at"]) == ("red", CLOCK.now() + timedelta(hours=2))  # kept, not just shown
        assert (await mo.post(f"{url}/claim")).status_code == 200
        incomplete = await mo.post(f"{url}/close", json={"outcome": "strategy_discussion", "note": ""})
        assert incomplete.status_code == 422 and incomplete.json()["errors"][0]["field"] == "note"
        closed = await mo.post(f"{url}/close", json={"outcome": "strategy_discussion", "note": "held 14:00"})
        assert closed.json()["state"] == "closed"
        assert (await olu.post(f"{url}/claim")).status_code in (403, 409)
        detail = (await mo.get(url)).json()
        assert detail["decision"]["primary_queue"] == "early_help"  # the original decision stays visible
        assert "referral" in detail and "referral" not in (await ada.get(url)).json()
        audited = (await ada.get(url)).json()["timeline"]  # auditors: no staff free text either
        assert {e["reason"] for e in audited if e.get("reason")} == {"[withheld]"}
        assert "held 14:00" not in json.dumps(audited) and "police disclosure" not in json.dumps(audited)

    expected = ["WorkItemClaimed", "WorkItemReleased", "WorkItemClaimed", "WorkItemTransferred", "WorkItemClaimed",
                "ReferrerFeedbackSent", "RouteOverridden", "WorkItemClaimed", "WorkItemClosed"]
    assert [e["event_type"] for e in detail["timeline"]] == expected
    events = await wait_for(lambda: _on_topic(system, rid, len(expected)), what="every work-item event on Kafka")
    assert sorted(e["event_type"] for e in events) == sorted(expected)
    audited = await wait_for(lambda: _audited(system, rid, len(expected)), what="work-item events in audit")
    assert sorted(audited) == sorted(expected)
    [override] = [e for e in events if e["event_type"] == "RouteOverridden"]
    assert override["payload"]["rag"] == "red"  # the recalculated clock travels in the event
    assert datetime.fromisoformat(override["payload"]["due_at"]) == CLOCK.now() + timedelta(hours=2)


async def _on_topic(system, rid, n):
    """The referral's work-item events once the relay has published all `n` (it may still be publishing)."""
    events = await topic_events(system.endpoints.kafka_bootstrap_servers, WORKITEMS_EVENTS, {rid}, timeout=1)
    return events if len(events) >= n else None


async def _audited(system, rid, n):
    rows = await fetch(system.endpoints.database_url, "SELECT event_type FROM audit.log WHERE referral_id = $1 AND "
                                                      "topic = 'workitems.events'", uuid.UUID(rid))
    return [r["event_type"] for r in rows] if len(rows) >= n else None


async def test_clock_alerts_are_raised_once_and_the_duty_manager_is_told(system):
    rid, item = await routed_item(system, referral_body(immediate_danger=True))  # red: 2 hours
    created = (await fetch(system.endpoints.database_url, "SELECT created_at FROM casework.work_items WHERE id = $1",
                           uuid.UUID(item)))[0]["created_at"]
    # from the item's own start, not the clock's (made when the module was collected, minutes earlier on CI)
    CLOCK.advance_to(created + timedelta(hours=1, minutes=35))
    await wait_for(lambda: _types(system, rid, "SlaWarning"), what="warning")
    CLOCK.advance(hours=1)
    await wait_for(lambda: _types(system, rid, "SlaBreached"), what="breach")
    await asyncio.sleep(1.5)  # further scheduler ticks raise nothing new
    assert await _types(system, rid, "SlaWarning") == await _types(system, rid, "SlaBreached") == 1
    async with staff(system, MO) as mo:
        queue = (await mo.get("/staff/v1/queues/statutory_safeguarding/items")).json()
    position = [i["id"] for i in queue].index(item)
    assert queue[position]["sla_breached"] and all(i["sla_breached"] for i in queue[:position])
    told = await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT recipient_id FROM notify.notifications "
                                        "WHERE referral_id = $1 AND trigger = 'SlaBreached'", uuid.UUID(rid)),
                          what="duty manager told")
    assert [r["recipient_id"] for r in told] == ["mash-duty-manager"]


async def _types(system, rid, event_type):
    rows = await fetch(system.endpoints.database_url, "SELECT count(*) FROM casework.timeline t "
                       "JOIN casework.work_items w "
                                                      "ON w.id = t.work_item_id WHERE w.referral_id = $1 AND "
                                                      "t.event_type = $2", uuid.UUID(rid), event_type)
    return rows[0][0] or None


async def test_a_secondary_route_is_parallel_work_with_its_own_item_clock_and_owner(system):
    """Issue "Triage policy" item 2: harm to a disabled child goes to statutory safeguarding (red) and, in
    parallel, to the Disabled Children's Team with an item, clock and owner of its own; closing one leaves the
    other open. Routed on both queue topics; the DCT's item is linked to the primary."""
    dct_child = {"has_disability": True, "types": ["physical"], "diagnosed": True, "long_term": True,
                 "substantial_support_needed": True}
    rid, primary = await routed_item(system, referral_body(concerns=["fgm"], disability=dct_child, dob="2017-03-01"))
    rows = await wait_for(lambda: _items(system, rid, 2), what="both work items")
    by_queue = {r["queue_id"]: r for r in rows}
    assert set(by_queue) == {"statutory_safeguarding", "disabled_children"}
    dct = by_queue["disabled_children"]
    assert str(dct["primary_item_id"]) == primary and by_queue["statutory_safeguarding"]["primary_item_id"] is None
    assert (by_queue["statutory_safeguarding"]["rag"], dct["rag"]) == ("red", "amber")
    assert dct["due_at"] > by_queue["statutory_safeguarding"]["due_at"]  # amber 6 h, red 2 h: its own clock

    dee = TOKENS.issue("dee", ["practitioner"], ["disabled_children"])
    async with staff(system, dee) as dct_worker, staff(system, MO) as mo:
        item = (await dct_worker.get(f"/staff/v1/items/{dct['id']}")).json()
        assert [i["id"] for i in item["linked_items"]] == [primary]
        assert (await dct_worker.post(f"/staff/v1/items/{dct['id']}/claim")).status_code == 200
        closed = await dct_worker.post(f"/staff/v1/items/{dct['id']}/close",
                                       json={"outcome": "dct_assessment", "note": "assessment booked"})
        assert closed.json()["state"] == "closed"
        assert (await mo.get(f"/staff/v1/items/{primary}")).json()["state"] == "new"  # the other stays open

    routed = await topic_events(system.endpoints.kafka_bootstrap_servers, "queue.disabled_children", {rid})
    assert [e["payload"]["linked_work_item_id"] for e in routed] == [primary]
    told = await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT purpose, rag FROM "
                                        "notify.notifications WHERE referral_id = $1 AND queue_id = "
                                        "'disabled_children'", uuid.UUID(rid)), what="the DCT told")
    assert {(t["purpose"], t["rag"]) for t in told} == {("action", "amber")}


async def _items(system, rid, n):
    rows = await fetch(system.endpoints.database_url, "SELECT id, queue_id, rag, due_at, primary_item_id FROM "
                                                      "casework.work_items WHERE referral_id = $1", uuid.UUID(rid))
    return rows if len(rows) >= n else None
