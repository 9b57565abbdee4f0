"""Properties of the decision over 2,000+ generated referrals (DESIGN "Triage policy")."""

from hypothesis import given, settings

from shared.events.codes import QueueId
from shared.events.referral import ReferralV1
from services.triage.domain.facts import facts_from_referral
from services.triage.domain.rules.engine import decide
from services.triage.domain.rules.registry import RULESETS, get_ruleset
from tests.unit.triage.strategies import RECEIVED, referral_bodies

RULESET = get_ruleset("2026.1")
SERVICE_QUEUES = {QueueId.EARLY_HELP, QueueId.DISABLED_CHILDREN, QueueId.ADULT_TRANSITION, QueueId.YOUTH_OFFENDING,
                  QueueId.SIGNPOSTING}
MANY = settings(max_examples=2_000, deadline=None)


def decided(body):
    referral = ReferralV1.model_validate(body)
    return referral, decide(referral, RULESET, RECEIVED)


def statutory_input(body) -> bool:
    return body["immediate_danger"] or body["significant_harm_suspected"] or bool(
        set(body["concerns"]) & RULESET.thresholds.statutory_concerns)


@MANY
@given(referral_bodies())
def test_statutory_input_never_reaches_early_help_anywhere(body):
    _, decision = decided(body)
    if statutory_input(body):
        assert decision.primary_queue is QueueId.STATUTORY_SAFEGUARDING
        assert decision.rag == "red" and decision.level_of_need == 4
        assert QueueId.EARLY_HELP not in decision.secondary_queues
        assert not any(t.matched and t.queue is QueueId.EARLY_HELP for t in decision.trace)


@MANY
@given(referral_bodies())
def test_a_child_under_10_never_reaches_youth_offending(body):
    referral, decision = decided(body)
    facts = facts_from_referral(referral, RECEIVED)
    if facts.unborn or (facts.age is not None and facts.age < 10):
        assert QueueId.YOUTH_OFFENDING not in [decision.primary_queue, *decision.secondary_queues]


@MANY
@given(referral_bodies())
def test_nobody_outside_every_age_band_or_undecidable_is_routed_to_a_service(body):
    referral, decision = decided(body)
    facts = facts_from_referral(referral, RECEIVED)
    t = RULESET.thresholds
    outside = facts.age is not None and not facts.unborn and facts.age > (
        t.early_help_max_age_send if facts.has_send else t.early_help_max_age) and not (
        facts.likely_care_needs_after_18 and facts.has_ehcp and facts.in_education_or_training
        and facts.age <= t.transition_ehcp_max_age)
    if outside or facts.undecidable:
        assert decision.primary_queue in (QueueId.STATUTORY_SAFEGUARDING, QueueId.MASH_REVIEW)
        assert not SERVICE_QUEUES & {decision.primary_queue}
    if facts.undecidable and decision.primary_queue is QueueId.MASH_REVIEW:
        assert "must decide" in next(e.reason for e in decision.trace if e.rule_id == "R7")


@MANY
@given(referral_bodies())
def test_every_decision_has_a_complete_trace(body):
    _, decision = decided(body)
    assert [e.rule_id for e in decision.trace] == [r.rule_id for r in RULESET.rules] + ["H1"]
    assert all(e.reason and e.source for e in decision.trace)
    deciding = [e for e in decision.trace if e.matched and e.queue == decision.primary_queue]
    assert deciding, "the primary queue is explained by a matched rule"
    assert decision.ruleset_version == RULESET.version and decision.ruleset_hash == RULESET.content_hash


@MANY
@given(referral_bodies())
def test_same_input_and_version_always_give_the_same_decision(body):
    referral = ReferralV1.model_validate(body)
    for ruleset in RULESETS.values():
        assert decide(referral, ruleset, RECEIVED) == decide(ReferralV1.model_validate(body), ruleset, RECEIVED)
