"""Casework applies triage's decision made again after a confirmed link: the primary item moves (unclaimed)
or becomes more urgent, with the reason on its timeline and one `WorkItemRedecided`; a closed item stays
closed; an item not opened yet is retried, never dropped."""

import uuid
from datetime import timedelta

import pytest

from shared.events.codes import QueueId, Rag
from shared.events.people import HistorySnapshot
from shared.events.triage import HistoryFacts, ReferralRedecided, ReferralRedecidedPayload
from services.casework.application.open_work import TakeInReferrals
from services.casework.application.redecisions import ApplyRedecisions, WorkNotOpenYet
from services.casework.domain.queue_policy import POLICY_2027_1
from services.casework.domain.workitems import Actor
from tests.support.casework_inputs import RECEIVED, triaged, work_queue
from tests.support.fake_units_of_work import FakeCaseworkUnitOfWork, Store
from tests.support.fakes import FixedClock

LATER = RECEIVED + timedelta(hours=1)  # a practitioner confirms the link an hour after triage
PAT = Actor("pat", frozenset({"practitioner"}), frozenset({"early_help"}))


def redecided(event, *, queue: QueueId, rag: Rag, changed: bool = True) -> ReferralRedecided:
    previous = event.payload.decision
    decision = previous.model_copy(update={"primary_queue": queue, "rag": rag})
    return event.caused(ReferralRedecided, producer="triage", occurred_at=LATER, payload=ReferralRedecidedPayload(
        decision=decision, previous=previous, changed=changed, received_at=RECEIVED, person_id=uuid.uuid4(),
        history=HistoryFacts(person_id=uuid.uuid4(), match_grade="certain", candidates=0,
                             snapshot=HistorySnapshot(link_confirmed=True)),
        ruleset_version="2028.1", reason="link confirmed"))


def apply(store: Store) -> ApplyRedecisions:
    return ApplyRedecisions(uow=lambda: FakeCaseworkUnitOfWork(store), clock=FixedClock(LATER),
                            urgency=POLICY_2027_1.urgency)


async def opened(store: Store):
    _, event = triaged(parallel=True)
    await TakeInReferrals(uow=lambda: FakeCaseworkUnitOfWork(store)).execute_many([event])
    return event


async def test_the_primary_item_moves_unclaimed_to_the_new_queue_with_a_red_clock_from_now():
    store = Store()
    event = await opened(store)
    item_id = event.payload.work_item_id
    await work_queue(store).claim(item_id, PAT)
    again = redecided(event, queue=QueueId.MASH_REVIEW, rag=Rag.RED)
    await apply(store).execute_many([again, again])
    item = store.items[item_id][0]
    assert (item.queue_id, item.rag, item.state, item.assignee) == ("mash_review", "red", "new", None)
    assert item.due_at == LATER + timedelta(hours=POLICY_2027_1.urgency.rag_hours["red"])
    [(moved, topic)] = [(e, t) for e, t in store.outbox if e.event_type == "WorkItemRedecided"]
    assert topic == "workitems.events" and moved.payload.from_queue is QueueId.EARLY_HELP
    assert "confirmed who the child is" in moved.payload.reason and (item_id, "WorkItemRedecided") in store.timeline
    parallel = event.payload.parallel_work[0].work_item_id
    assert store.items[parallel][0].queue_id == "disabled_children"  # parallel work is not the primary item
    assert store.cases[event.referral_id]["decision"] == again.payload.decision


async def test_an_unchanged_decision_is_recorded_and_moves_nothing():
    store = Store()
    event = await opened(store)
    await apply(store).execute_many([redecided(event, queue=QueueId.EARLY_HELP, rag=Rag.GREEN, changed=False)])
    assert store.items[event.payload.work_item_id][0].queue_id == "early_help"
    assert [e.event_type for e, _ in store.outbox if e.event_type != "WorkItemClaimed"] == []


async def test_a_closed_item_stays_closed():
    store = Store()
    event = await opened(store)
    item_id = event.payload.work_item_id
    await work_queue(store).claim(item_id, PAT)
    await work_queue(store).close(item_id, PAT, outcome="signposted", note="done")
    await apply(store).execute_many([redecided(event, queue=QueueId.MASH_REVIEW, rag=Rag.RED)])
    assert store.items[item_id][0].state == "closed"
    assert "WorkItemRedecided" not in [e.event_type for e, _ in store.outbox]


async def test_a_redecision_before_the_work_is_open_is_retried_not_dropped():
    store = Store()
    _, event = triaged()
    with pytest.raises(WorkNotOpenYet):
        await apply(store).execute_many([redecided(event, queue=QueueId.MASH_REVIEW, rag=Rag.RED)])
    assert store.commits == 0 and store.inbox == set()
