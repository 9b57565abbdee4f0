"""TriageReferral over fakes: once per event, the decision and its events committed together, deadlines from
the day received and the working-day calendar, parallel work announced on each queue."""

import uuid
from datetime import UTC, date, datetime

import pytest

from shared.events import ReferralIdentified, ReferralReceived, ReferralReceivedPayload, ReferralV1
from services.triage.application.triage_referral import TriageReferral
from services.triage.domain.rules.registry import get_ruleset
from tests.support.fake_units_of_work import FakeTriageUnitOfWork, Store
from tests.support.fakes import FixedClock
from tests.support.identified import identified
from tests.support.referrals import referral_body

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CHRISTMAS = {date(2026, 12, 25), date(2026, 12, 28)}  # England 2026: Boxing Day's substitute is the 28th


def received(at: datetime, **overrides) -> ReferralIdentified:
    """A referral as triage receives it: identified by people (a child never seen before)."""
    rid = uuid.uuid4()
    return identified(ReferralReceived(occurred_at=at, referral_id=rid, correlation_id=rid, producer="intake",
                                       payload=ReferralReceivedPayload(referral=ReferralV1.model_validate(
                                           referral_body(**overrides)), received_at=at, partner_id="test")))


def use_case(store: Store) -> TriageReferral:
    return TriageReferral(uow=lambda: FakeTriageUnitOfWork(store), ruleset=get_ruleset("2027.1"),
                          is_holiday=lambda day: day in CHRISTMAS, clock=FixedClock(NOW))


async def test_a_poll_with_repeats_decides_each_referral_once_in_one_commit():
    store, at = Store(), datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    earlier, a, b = received(at), received(at), received(at)
    await use_case(store).execute_many([earlier])
    await use_case(store).execute_many([a, earlier, b, a])
    assert set(store.decisions) == {earlier.referral_id, a.referral_id, b.referral_id}
    assert store.commits == 2
    triaged = [e for e, topic in store.outbox if topic == "referrals.triaged"]
    assert sorted(e.referral_id for e in triaged) == sorted(store.decisions)
    for event in triaged:
        assert event.occurred_at == NOW and event.producer == "triage"
        assert event.causation_id in {earlier.event_id, a.event_id, b.event_id}


async def test_deadlines_count_from_receipt_and_skip_weekends_and_bank_holidays():
    store = Store()
    on_christmas_eve = received(datetime(2026, 12, 24, 15, 0, tzinfo=UTC))
    await use_case(store).execute_many([on_christmas_eve])
    [(triaged, _)] = [(e, t) for e, t in store.outbox if t == "referrals.triaged"]
    assert triaged.payload.decision.rag.value == "green"
    assert triaged.payload.due_at == datetime(2026, 12, 25, 15, 0, tzinfo=UTC)  # 24 clock hours
    assert triaged.payload.decision_due_at.date() == date(2026, 12, 29)  # next working day after 25-28


async def test_a_secondary_route_is_parallel_work_announced_on_its_own_queue_and_linked():
    store = Store()
    disabled = {"has_disability": True, "types": ["physical"], "diagnosed": True, "long_term": True,
                "substantial_support_needed": True}
    referral = received(NOW, concerns=["fgm"], disability=disabled, dob="2017-03-01")  # statutory + DCT
    await use_case(store).execute_many([referral])
    triaged = next(e for e, t in store.outbox if t == "referrals.triaged")
    routed = [(e, t) for e, t in store.outbox if e.event_type == "ReferralRouted"]
    primary = triaged.payload.decision.primary_queue.value
    assert triaged.payload.parallel_work, "this referral has a secondary route"
    assert (f"queue.{primary}", None) in {(t, e.payload.linked_work_item_id) for e, t in routed}
    for work in triaged.payload.parallel_work:
        [(event, topic)] = [(e, t) for e, t in routed if e.payload.work_item_id == work.work_item_id]
        assert topic == f"queue.{work.queue_id.value}"
        assert event.payload.linked_work_item_id == triaged.payload.work_item_id
    assert len(routed) == 1 + len(triaged.payload.parallel_work)


async def test_nothing_is_recorded_when_the_transaction_does_not_commit():
    store = Store()

    class Failing(FakeTriageUnitOfWork):
        async def commit(self):
            raise ConnectionRefusedError()

    triage = TriageReferral(uow=lambda: Failing(store), ruleset=get_ruleset("2027.1"), is_holiday=lambda d: False,
                            clock=FixedClock(NOW))
    with pytest.raises(ConnectionRefusedError):
        await triage.execute_many([received(NOW)])
    assert (store.decisions, store.outbox, store.inbox) == ({}, [], set())


async def test_a_referral_identified_again_is_not_decided_again():
    """People deployed into a running system reads `referrals.received` from the start: a second
    identification of a decided referral (a new event id) must not open a second set of work."""
    store = Store()
    first = received(NOW)
    again = first.model_copy(update={"event_id": uuid.uuid4()})
    await use_case(store).execute_many([first])
    await use_case(store).execute_many([again, again])
    assert [topic for _, topic in store.outbox].count("referrals.triaged") == 1
    assert list(store.decisions) == [first.referral_id]
