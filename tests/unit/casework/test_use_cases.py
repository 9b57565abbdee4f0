"""Casework's use cases over fakes: work opened from what triage announced, staff actions each one
transaction with its event, clock alerts once each."""

import uuid
from datetime import timedelta

import pytest

from services.casework.application.open_work import TakeInReferrals
from services.casework.application.sla_alerts import RaiseSlaAlerts
from services.casework.application.work_queue import Conflict, NotFound
from tests.support.casework_inputs import COLLEAGUE, MANAGER, PRACTITIONER, RECEIVED, triaged, work_queue
from tests.support.fake_units_of_work import FakeCaseworkUnitOfWork, Store
from tests.support.fakes import FixedClock


async def test_work_opens_with_the_ids_triage_announced_once_whichever_topic_comes_first():
    store = Store()
    received, event = triaged(parallel=True)
    await TakeInReferrals(uow=lambda: FakeCaseworkUnitOfWork(store)).execute_many([event, event])
    await TakeInReferrals(uow=lambda: FakeCaseworkUnitOfWork(store)).execute_many([event])
    assert received.referral_id not in store.referrals  # the body has not arrived yet: the work is open anyway
    await TakeInReferrals(uow=lambda: FakeCaseworkUnitOfWork(store)).execute_many([received, received])
    primary, dct = event.payload.work_item_id, event.payload.parallel_work[0].work_item_id
    assert set(store.items) == {primary, dct}
    assert store.items[primary][0].queue_id == event.payload.decision.primary_queue.value
    assert (store.items[dct][0].queue_id, store.items[dct][0].rag) == ("disabled_children", "amber")
    assert store.referrals[received.referral_id].child.given_name.startswith("Amelia")
    assert store.outbox == []  # opening work announces nothing: triage already routed it


async def test_two_people_claiming_get_one_success_and_one_conflict_each_action_one_event():
    store = Store()
    _, event = triaged()
    await TakeInReferrals(uow=lambda: FakeCaseworkUnitOfWork(store)).execute_many([event])
    item_id = event.payload.work_item_id
    claimed = await work_queue(store).claim(item_id, PRACTITIONER)
    assert claimed.assignee == "pat"
    with pytest.raises(Conflict):
        await work_queue(store).claim(item_id, COLLEAGUE)
    [(announced, topic)] = store.outbox
    assert (announced.event_type, topic, announced.producer) == ("WorkItemClaimed", "workitems.events", "casework")
    assert announced.correlation_id == event.correlation_id and announced.occurred_at == RECEIVED
    assert store.timeline == [(item_id, "WorkItemClaimed")]
    with pytest.raises(NotFound):
        await work_queue(store).claim(uuid.uuid4(), PRACTITIONER)


async def test_a_manager_override_into_statutory_safeguarding_makes_the_item_red_with_a_2_hour_clock():
    store = Store()
    _, event = triaged()
    await TakeInReferrals(uow=lambda: FakeCaseworkUnitOfWork(store)).execute_many([event])
    later = RECEIVED + timedelta(hours=1)
    moved = await work_queue(store, later).override(event.payload.work_item_id, MANAGER,
                                                    to_queue="statutory_safeguarding", reason="disclosure at school")
    assert (moved.queue_id, moved.rag, moved.due_at) == ("statutory_safeguarding", "red", later + timedelta(hours=2))
    assert [e.event_type for e, _ in store.outbox] == ["RouteOverridden"]


async def test_clock_alerts_are_raised_once_each():
    store = Store()
    _, event = triaged()
    await TakeInReferrals(uow=lambda: FakeCaseworkUnitOfWork(store)).execute_many([event])
    after_due = RECEIVED + timedelta(hours=25)
    alerts = RaiseSlaAlerts(uow=lambda: FakeCaseworkUnitOfWork(store), clock=FixedClock(after_due),
                            is_holiday=lambda day: False)
    assert await alerts.execute() == [(str(event.payload.work_item_id), "SlaBreached")]
    assert await alerts.execute() == []
    assert [e.event_type for e, _ in store.outbox] == ["SlaBreached"]


async def test_a_poll_holding_both_topics_is_one_transaction():
    store = Store()
    received, event = triaged()
    await TakeInReferrals(uow=lambda: FakeCaseworkUnitOfWork(store)).execute_many([event, received, event])
    assert store.commits == 1
    assert received.referral_id in store.referrals and event.payload.work_item_id in store.items
