"""A referral decided again when a practitioner confirms who the child is: history raises concern and never
lowers it; the re-decision is recorded, announced on `referrals.redecided`, and replays."""

import json
import uuid
from datetime import UTC, datetime, timedelta

from shared.events import ReferralReceived, ReferralReceivedPayload, ReferralV1
from shared.events.codes import QueueId, Rag
from shared.events.people import (
    Candidate,
    HistorySnapshot,
    OpenWork,
    PastReferral,
    ReferralReidentified,
    ReferralReidentifiedPayload,
)
from services.triage.application.redecide_referral import RedecideReferral
from services.triage.application.triage_referral import TriageReferral
from services.triage.domain.redecision import redecide
from services.triage.domain.replay import replay
from services.triage.domain.rules.registry import get_ruleset
from tests.support.fake_units_of_work import FakeTriageUnitOfWork, Store
from tests.support.fakes import FixedClock
from tests.support.identified import identified
from tests.support.referrals import referral_body

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
RULES = get_ruleset("2028.1")  # 003_56ebd3a87872184e.txt §15: the third referral in a year (HR2)
CANDIDATE = uuid.uuid4()


def received(**overrides) -> ReferralReceived:
    rid = uuid.uuid4()
    return ReferralReceived(occurred_at=NOW, referral_id=rid, correlation_id=rid, producer="intake",
                            payload=ReferralReceivedPayload(referral=ReferralV1.model_validate(referral_body(
                                **overrides)), received_at=NOW, partner_id="test"))


def reidentified(event: ReferralReceived, history: HistorySnapshot) -> ReferralReidentified:
    return event.caused(ReferralReidentified, producer="people", occurred_at=NOW + timedelta(hours=2),
                        payload=ReferralReidentifiedPayload(person_id=CANDIDATE, previous_person_id=uuid.uuid4(),
                                                            history=history))


def earlier(days: int) -> PastReferral:
    return PastReferral(referral_id=uuid.uuid4(), received_at=NOW - timedelta(days=days),
                        primary_queue=QueueId.EARLY_HELP)


async def decided_first(store: Store, event: ReferralReceived) -> None:
    """Triage's first decision: a probable match, so a new person with no history (early help, green)."""
    first = identified(event, grade="probable",
                       candidates=[Candidate(person_id=CANDIDATE, grade="probable", score=0.9)])
    await TriageReferral(uow=lambda: FakeTriageUnitOfWork(store), ruleset=RULES, is_holiday=lambda d: False,
                         clock=FixedClock(NOW)).execute_many([first])


def use_case(store: Store) -> RedecideReferral:
    return RedecideReferral(uow=lambda: FakeTriageUnitOfWork(store), ruleset=RULES, clock=FixedClock(NOW))


def redecisions(store: Store) -> list:
    return [e for e, topic in store.outbox if topic == "referrals.redecided"]


async def test_a_confirmed_third_referral_in_a_year_moves_to_a_practitioners_decision_on_cumulative_harm():
    store, event = Store(), received()
    await decided_first(store, event)
    first = store.decisions[event.referral_id]
    assert (first.primary_queue, first.rag, first.re_referral_within_12_months) == (QueueId.EARLY_HELP, Rag.GREEN,
                                                                                     False)
    again = reidentified(event, HistorySnapshot(referrals_last_12_months=[earlier(200), earlier(40)],
                                                link_confirmed=True))
    await use_case(store).execute_many([again, again])
    [out] = redecisions(store)
    p = out.payload
    assert p.changed and p.previous == first and (out.causation_id, out.referral_id) == (again.event_id,
                                                                                         event.referral_id)
    assert (p.decision.primary_queue, p.decision.rag) == (QueueId.MASH_REVIEW, Rag.RED)
    assert p.decision.re_referral_within_12_months and p.decision.history.snapshot.link_confirmed
    assert [t.rule_id for t in p.decision.trace if t.matched and t.rule_id.startswith("HR")] == ["HR0", "HR2"]
    assert store.decisions[event.referral_id] == p.decision  # the decision now in force
    assert p.ruleset_version == "2028.1" and str(p.person_id) in p.reason


async def test_open_statutory_work_of_the_confirmed_child_takes_the_referral_as_new_information():
    store, event = Store(), received()
    await decided_first(store, event)
    work = OpenWork(work_item_id=uuid.uuid4(), referral_id=uuid.uuid4(), queue_id=QueueId.STATUTORY_SAFEGUARDING)
    await use_case(store).execute_many([reidentified(event, HistorySnapshot(open_work=[work], link_confirmed=True))])
    p = redecisions(store)[0].payload
    assert p.changed and p.decision.primary_queue is QueueId.STATUTORY_SAFEGUARDING
    assert p.decision.joins_work_item_id == work.work_item_id


async def test_a_confirmed_history_that_changes_nothing_is_recorded_as_unchanged():
    store, event = Store(), received()
    await decided_first(store, event)
    first = store.decisions[event.referral_id]
    await use_case(store).execute_many([reidentified(event, HistorySnapshot(link_confirmed=True))])
    p = redecisions(store)[0].payload
    assert not p.changed and p.decision == first and store.decisions[event.referral_id] == first


async def test_a_referral_never_decided_needs_nothing():
    store, event = Store(), received()
    await use_case(store).execute_many([reidentified(event, HistorySnapshot(link_confirmed=True))])
    assert redecisions(store) == [] and store.commits == 1


def test_history_never_lowers_a_decision():
    high = redecide_pair(significant_harm_suspected=True)
    lower = redecide(high, high.model_copy(update={"rag": Rag.GREEN, "primary_queue": QueueId.EARLY_HELP}))
    assert lower.decision == high and not lower.changed
    raised = redecide(high.model_copy(update={"needs_human_review": True}), high)
    assert raised.decision.needs_human_review  # a review flag once raised stays raised


def redecide_pair(**overrides):
    from services.triage.domain.rules.decide_identified import decide_identified
    return decide_identified(ReferralV1.model_validate(referral_body(**overrides)), None, RULES, NOW.date())


async def test_replay_reproduces_the_decision_made_again_and_catches_an_altered_one():
    store, event = Store(), received()
    await decided_first(store, event)
    await use_case(store).execute_many([reidentified(event, HistorySnapshot(
        referrals_last_12_months=[earlier(100), earlier(10)], link_confirmed=True))])
    triaged = next(e for e, topic in store.outbox if topic == "referrals.triaged")
    logged = [json.loads(e.model_dump_json()) for e in (event, triaged, redecisions(store)[0])]
    assert replay(logged).matches, replay(logged).problems
    logged[2]["payload"]["decision"]["rag"] = "green"
    result = replay(logged)
    assert not result.matches and any("decided again" in p and "rag differs" in p for p in result.problems)
