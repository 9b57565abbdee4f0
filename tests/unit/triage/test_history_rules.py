"""Rule set 2028.1's history rules (services/triage/domain/rules/history_rules.py): re-referrals named
(003_56ebd3a87872184e.txt §15), open statutory work joined, cumulative harm escalated, unconfirmed identity
reviewed; history raises concern and never lowers it; rule sets before history decide exactly as before."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.events.codes import QueueId, Rag
from shared.events.people import HistorySnapshot, OpenWork, PastReferral
from shared.events.referral import ReferralV1
from shared.events.triage import HistoryFacts
from services.triage.domain.rules.decide_identified import decide_identified
from services.triage.domain.rules.engine import decide
from services.triage.domain.rules.registry import get_ruleset
from tests.support.identified import NEW_CHILD
from tests.support.referrals import referral_body
from tests.unit.triage.strategies import RECEIVED, wider_referral_bodies

HISTORY = get_ruleset("2028.1")
AT = datetime(2026, 11, 20, 10, tzinfo=UTC)
URGENCY = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


def earlier(days: int, queue: QueueId | None = QueueId.EARLY_HELP) -> PastReferral:
    return PastReferral(referral_id=uuid4(), received_at=AT - timedelta(days=days), primary_queue=queue)


def history(*referrals: PastReferral, open_work: tuple[OpenWork, ...] = (), grade: str = "certain",
            candidates: int = 0) -> HistoryFacts:
    return HistoryFacts(person_id=uuid4(), match_grade=grade, candidates=candidates,
                        snapshot=HistorySnapshot(referrals_last_12_months=list(referrals), open_work=list(open_work)))


def decided(facts: HistoryFacts, **body):
    return decide_identified(ReferralV1.model_validate(referral_body(**body)), facts, HISTORY, RECEIVED)


def rule(decision, rule_id: str):
    return next(t for t in decision.trace if t.rule_id == rule_id)


def test_a_first_referral_says_it_is_not_a_re_referral_and_routes_as_before():
    d = decided(NEW_CHILD)
    assert d.re_referral_within_12_months is False and d.primary_queue is QueueId.EARLY_HELP
    assert not rule(d, "HR0").matched and d.history == NEW_CHILD


def test_a_second_referral_is_a_re_referral_with_the_earlier_one_in_its_trace():
    first = earlier(60)
    d = decided(history(first))
    assert d.re_referral_within_12_months is True and d.primary_queue is QueueId.EARLY_HELP
    assert rule(d, "HR0").facts["earlier_referrals"] == [str(first.referral_id)]
    assert "003_56ebd3a87872184e.txt" in rule(d, "HR0").source


def test_the_third_referral_in_a_year_goes_to_a_practitioner_on_cumulative_harm_red_with_early_help_kept():
    d = decided(history(earlier(200), earlier(30)))
    assert (d.primary_queue, d.rag, d.needs_human_review) == (QueueId.MASH_REVIEW, Rag.RED, True)
    assert d.secondary_queues == [QueueId.EARLY_HELP] and d.level_of_need >= 3
    assert rule(d, "HR2").matched


def test_repeat_referrals_never_end_in_signposting_alone():
    d = decided(history(earlier(100, QueueId.SIGNPOSTING), earlier(10, QueueId.SIGNPOSTING)), concerns=[])
    base = decide(ReferralV1.model_validate(referral_body(concerns=[])), HISTORY, RECEIVED)
    assert base.primary_queue is QueueId.SIGNPOSTING
    assert d.primary_queue is QueueId.MASH_REVIEW and d.rag is Rag.RED


def test_open_statutory_work_is_joined_as_new_information_not_a_new_case():
    open_case = OpenWork(work_item_id=uuid4(), referral_id=uuid4(), queue_id=QueueId.STATUTORY_SAFEGUARDING)
    d = decided(history(earlier(20, QueueId.STATUTORY_SAFEGUARDING), open_work=(open_case,)))
    assert (d.primary_queue, d.rag, d.level_of_need) == (QueueId.STATUTORY_SAFEGUARDING, Rag.RED, 4)
    assert d.joins_work_item_id == open_case.work_item_id and d.needs_human_review and not d.consent_required
    assert QueueId.EARLY_HELP not in d.secondary_queues  # statutory work leads; never early help alongside it


def test_an_unconfirmed_identity_is_reviewed_and_other_open_work_is_told():
    early_help = OpenWork(work_item_id=uuid4(), referral_id=uuid4(), queue_id=QueueId.EARLY_HELP)
    d = decided(history(grade="possible", candidates=2, open_work=(early_help,)))
    assert d.needs_human_review and rule(d, "HR3").matched and d.inform_existing_lead_practitioner


def test_rule_sets_before_history_decide_exactly_as_they_did():
    referral = ReferralV1.model_validate(referral_body())
    old = get_ruleset("2027.1")
    assert decide_identified(referral, history(earlier(1), earlier(2)), old, RECEIVED) == decide(referral, old,
                                                                                                   RECEIVED)


snapshots = st.builds(
    lambda n, statutory, other, grade: history(*(earlier(5 + 30 * i) for i in range(n)),
                                               open_work=tuple(OpenWork(work_item_id=uuid4(), referral_id=uuid4(),
                                                                        queue_id=q) for q in (
                                                   [QueueId.STATUTORY_SAFEGUARDING] if statutory else [])
                                                   + ([other] if other else [])),
                                               grade=grade, candidates=1 if grade in ("probable", "possible") else 0),
    st.integers(0, 4), st.booleans(), st.sampled_from([None, QueueId.EARLY_HELP, QueueId.YOUTH_OFFENDING]),
    st.sampled_from(["certain", "probable", "possible", "new"]))


@settings(max_examples=400, deadline=None)
@given(wider_referral_bodies(), snapshots)
def test_history_raises_concern_and_never_lowers_it(body, facts):
    referral = ReferralV1.model_validate(body)
    base, d = decide(referral, HISTORY, RECEIVED), decide_identified(referral, facts, HISTORY, RECEIVED)
    assert URGENCY[d.rag] <= URGENCY[base.rag]
    assert d.level_of_need >= base.level_of_need
    assert d.needs_human_review or not base.needs_human_review
    if base.primary_queue is QueueId.STATUTORY_SAFEGUARDING:
        assert d.primary_queue is QueueId.STATUTORY_SAFEGUARDING
    kept = {base.primary_queue, *base.secondary_queues} - {QueueId.SIGNPOSTING, QueueId.MASH_REVIEW}
    if d.primary_queue is not QueueId.STATUTORY_SAFEGUARDING:
        assert kept <= {d.primary_queue, *d.secondary_queues}  # no service already routed to is dropped
    assert d.re_referral_within_12_months == bool(facts.snapshot.referrals_last_12_months)
