"""People's use cases over fakes: identify (attach only when certain, new person otherwise, history in the
event), keep history from decisions and work, practitioners' links."""

import uuid
from datetime import UTC, datetime, timedelta

from shared.events import ReferralReceived, ReferralReceivedPayload, ReferralTriaged, ReferralV1
from shared.events.codes import QueueId, Rag
from shared.events.people import PersonLinkConfirmed, PersonLinkPayload, PersonLinkRejected
from shared.events.triage import ReferralTriagedPayload
from shared.events.workitems import WorkItemClosed, WorkItemPayload
from services.people.application.identify import IdentifyReferrals, new_person_id
from services.people.application.keep_history import KeepHistory
from services.people.domain.blocking import index_keys, lookup_keys
from services.people.domain.match_policy import DEFAULT
from services.people.domain.records import record_of
from services.triage.domain.rules.decide_identified import decide_identified
from services.triage.domain.rules.registry import get_ruleset
from tests.support.fake_units_of_work import FakePeopleUnitOfWork, Store
from tests.support.fakes import FixedClock
from tests.support.identified import NEW_CHILD
from tests.support.referrals import referral_body

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHILD = {"given_name": "Maisie", "family_name": "Okafor", "date_of_birth": "2015-06-02", "sex": "female",
         "postcode": "NN1 3AB"}


def received(at: datetime, **child) -> ReferralReceived:
    rid = uuid.uuid4()
    body = referral_body(child={**CHILD, **child})
    return ReferralReceived(occurred_at=at, referral_id=rid, correlation_id=rid, producer="intake",
                            payload=ReferralReceivedPayload(referral=ReferralV1.model_validate(body), received_at=at,
                                                            partner_id="test"))


def identify(store: Store) -> IdentifyReferrals:
    return IdentifyReferrals(uow=lambda: FakePeopleUnitOfWork(store), policy=DEFAULT, clock=FixedClock(NOW))


def triaged_about(event: ReferralReceived, item: uuid.UUID, queue: QueueId) -> ReferralTriaged:
    """Triage's decision on `event`, routed to `queue` with work item `item`."""
    decision = decide_identified(event.payload.referral, NEW_CHILD, get_ruleset("2028.1"), NOW.date())
    return event.caused(ReferralTriaged, producer="triage", occurred_at=NOW, payload=ReferralTriagedPayload(
        decision=decision.model_copy(update={"primary_queue": queue}), work_item_id=item,
        received_at=event.payload.received_at, due_at=NOW, decision_due_at=NOW))


def keep_history(store: Store) -> KeepHistory:
    return KeepHistory(uow=lambda: FakePeopleUnitOfWork(store), clock=FixedClock(NOW))


def practitioner_said(event_type, about: ReferralReceived, person: uuid.UUID, candidate: uuid.UUID,
                      actor: str = "pat"):
    """A practitioner's link decision (`PersonLinkConfirmed` / `PersonLinkRejected`) made on `about`'s page."""
    return about.caused(event_type, producer="casework", occurred_at=NOW, payload=PersonLinkPayload(
        person_id=person, candidate_person_id=candidate, actor=actor))


async def a_child_and_a_near_miss(store: Store):
    """Maisie known three days ago, then a referral about "Maisy": identified as two persons, the second with
    the first as its candidate. Returns both referrals and both `ReferralIdentified` events."""
    known, near = received(NOW - timedelta(days=3)), received(NOW, given_name="Maisy")
    await identify(store).execute_many([known, near])
    one, two = published(store)
    return known, near, one, two


def published(store: Store) -> list:
    return [e for e, topic in store.outbox if topic == "referrals.identified"]


async def test_a_repeat_is_attached_with_the_earlier_referral_in_its_history_and_a_near_name_is_only_a_candidate():
    store = Store()
    first, again, near = received(NOW - timedelta(days=40)), received(NOW, given_name="MAISIE"), \
        received(NOW, given_name="Maisy")
    await identify(store).execute_many([first])
    await identify(store).execute_many([again, near, again])  # a redelivery in the poll counts once
    one, two, three = published(store)
    assert (one.payload.grade, one.payload.person_id) == ("new", new_person_id(str(first.referral_id)))
    assert (two.payload.grade, two.payload.person_id) == ("certain", one.payload.person_id)
    assert [r.referral_id for r in two.payload.history.referrals_last_12_months] == [first.referral_id]
    assert three.payload.grade == "probable" and three.payload.person_id != one.payload.person_id
    assert {c.person_id for c in three.payload.candidates} == {one.payload.person_id}
    assert three.payload.history.referrals_last_12_months == []  # a new person: nothing known of them yet
    assert store.commits == 2 and all(e.producer == "people" for e in (one, two, three))


async def test_records_earlier_in_the_same_poll_are_candidates_for_later_ones():
    store = Store()
    a, b = received(NOW - timedelta(minutes=1)), received(NOW, nhs_number="9434765919")
    await identify(store).execute_many([a, b])
    first, second = published(store)
    assert second.payload.grade == "certain" and second.payload.person_id == first.payload.person_id
    assert [r.referral_id for r in second.payload.history.referrals_last_12_months] == [a.referral_id]


async def test_history_comes_from_decisions_and_work_and_the_triage_decision_reads_it():
    store = Store()
    first = received(NOW - timedelta(days=30))
    await identify(store).execute_many([first])
    item = uuid.uuid4()
    triaged = triaged_about(first, item, QueueId.STATUTORY_SAFEGUARDING)
    await keep_history(store).execute_many([triaged, triaged])
    later = received(NOW)
    await identify(store).execute_many([later])
    history = published(store)[-1].payload.history
    assert [(w.work_item_id, w.queue_id) for w in history.open_work] == [(item, QueueId.STATUTORY_SAFEGUARDING)]
    assert history.referrals_last_12_months[0].primary_queue is QueueId.STATUTORY_SAFEGUARDING

    closed = first.caused(WorkItemClosed, producer="casework", occurred_at=NOW, payload=WorkItemPayload(
        work_item_id=item, queue_id=QueueId.STATUTORY_SAFEGUARDING, rag=Rag.RED, due_at=NOW, outcome="nfa"))
    await keep_history(store).execute_many([closed])
    await identify(store).execute_many([received(NOW + timedelta(minutes=5))])
    assert published(store)[-1].payload.history.open_work == []


async def test_a_confirmed_link_joins_the_referrals_person_to_the_candidate():
    store = Store()
    known, near, one, two = await a_child_and_a_near_miss(store)
    confirmed = practitioner_said(PersonLinkConfirmed, near, two.payload.person_id, one.payload.person_id)
    await keep_history(store).execute_many([confirmed])
    await identify(store).execute_many([received(NOW + timedelta(hours=1), nhs_number="9434765919")])
    latest = published(store)[-1].payload
    assert latest.person_id == one.payload.person_id and latest.history.link_confirmed
    assert {r.referral_id for r in latest.history.referrals_last_12_months} == {known.referral_id, near.referral_id}


async def test_a_confirmed_link_sends_triage_the_referrals_joined_history_without_its_own_record():
    store = Store()
    known, near = received(NOW - timedelta(days=30)), received(NOW, given_name="Maisy")
    await identify(store).execute_many([known])
    item = uuid.uuid4()
    await keep_history(store).execute_many([triaged_about(known, item, QueueId.STATUTORY_SAFEGUARDING)])
    await identify(store).execute_many([near])
    one, two = published(store)
    assert two.payload.grade != "certain" and two.payload.history.open_work == []
    await keep_history(store).execute_many([triaged_about(near, uuid.uuid4(), QueueId.EARLY_HELP)])
    confirmed = practitioner_said(PersonLinkConfirmed, near, two.payload.person_id, one.payload.person_id)
    await keep_history(store).execute_many([confirmed, confirmed])
    again = [e for e, topic in store.outbox if e.event_type == "ReferralReidentified"]
    assert len(again) == 1 and store.outbox[-1][1] == "people.events"
    p = again[0].payload
    assert (again[0].referral_id, again[0].causation_id) == (near.referral_id, confirmed.event_id)
    assert (p.person_id, p.previous_person_id) == (one.payload.person_id, two.payload.person_id)
    assert [r.referral_id for r in p.history.referrals_last_12_months] == [known.referral_id]
    assert [w.work_item_id for w in p.history.open_work] == [item]  # not near's own early-help item
    assert p.history.link_confirmed and p.candidates == []


async def test_two_practitioners_confirming_the_same_pair_from_either_side_join_them_once_with_no_loop():
    """Pat confirms that near's child is known's; Sam, from a page drawn before that, confirms known's child is
    near's. The second finds them joined already: nothing to join again (joining each into the other would
    leave neither as the child's person), and triage is told the one person."""
    store = Store()
    known, near, one, two = await a_child_and_a_near_miss(store)
    pat = practitioner_said(PersonLinkConfirmed, near, two.payload.person_id, one.payload.person_id)
    sam = practitioner_said(PersonLinkConfirmed, known, one.payload.person_id, two.payload.person_id, actor="sam")
    await keep_history(store).execute_many([pat])
    await keep_history(store).execute_many([sam])
    assert store.merged == {two.payload.person_id: one.payload.person_id}  # one join, no loop
    assert {f"linking:{p}" for p in (one.payload.person_id, two.payload.person_id)} in store.locked
    told = [e.payload for e, _ in store.outbox if e.event_type == "ReferralReidentified"]
    assert [(p.person_id, p.previous_person_id) for p in told] == [(one.payload.person_id, two.payload.person_id),
                                                                    (one.payload.person_id, one.payload.person_id)]
    await identify(store).execute_many([received(NOW + timedelta(hours=1))])
    assert published(store)[-1].payload.person_id == one.payload.person_id


async def test_a_rejected_candidate_is_not_offered_again_for_that_child():
    store = Store()
    twin, other = received(NOW - timedelta(days=3)), received(NOW, given_name="Maisy", nhs_number="9434765919")
    await identify(store).execute_many([twin, other])
    one, two = published(store)
    assert {c.person_id for c in two.payload.candidates} == {one.payload.person_id}
    rejected = practitioner_said(PersonLinkRejected, other, two.payload.person_id, one.payload.person_id)
    await keep_history(store).execute_many([rejected])
    again = received(NOW + timedelta(days=1), given_name="Maisy", nhs_number="9434765919")  # certain: Maisy's NHS no.
    await identify(store).execute_many([again])
    latest = published(store)[-1].payload
    assert latest.grade == "certain" and latest.person_id == two.payload.person_id
    assert latest.candidates == []  # Maisie was said to be a different child: not offered again


async def test_a_confirmed_link_keeps_the_children_a_practitioner_said_the_person_is_not():
    store, about = Store(), received(NOW)
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await keep_history(store).execute_many([practitioner_said(PersonLinkRejected, about, a, b),
                                            practitioner_said(PersonLinkConfirmed, about, a, c)])
    pairs = await FakePeopleUnitOfWork(store).rejected_pairs({c})
    assert pairs == {frozenset((c, b))}  # A is not B, A is C: C is not B


async def test_a_poll_locks_every_blocking_key_it_reads_or_writes_before_anything_else():
    store = Store()
    first, second = received(NOW), received(NOW, given_name="Zebedee", postcode="LS1 4DY")
    await identify(store).execute_many([first, second])
    records = [record_of(e.payload.referral.child) for e in (first, second)]
    assert store.locked == [{k for r in records for k in (*lookup_keys(r), *index_keys(r))}]
    assert store.locked[0] >= set(next(iter(store.sightings))[0])  # the keys it indexed were among them
