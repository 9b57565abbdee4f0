"""Rule set 2027.1 (issue "Triage policy: children already known, statutory duties, valid consent, parallel work,
rule sets that cannot drift"): worked examples citing their sources, properties over thousands of generated
referrals, pinned hashes, and replay of decisions made under the older versions.

Seeds (docs/sources.md): S0 000_ee158e0efe60adf9.txt, S3 003_56ebd3a87872184e.txt, S4 004_76cdd0f006a56f02.txt.
DR = the domain research (§1.2 R0/R4, §3 consent).
"""

from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from hypothesis import given, settings

from shared.events import ReferralReceived, ReferralReceivedPayload, ReferralTriaged, ReferralTriagedPayload
from shared.events.codes import QueueId
from shared.events.referral import ReferralV1
from services.triage.domain.facts import facts_from_referral
from services.triage.domain.replay import replay
from services.triage.domain.rules.decide_identified import decide_identified
from services.triage.domain.rules.engine import decide
from services.triage.domain.rules.predicates_2027 import consent_problem
from services.triage.domain.rules.registry import (
    DEFAULT_VERSION,
    PUBLISHED_CODE_HASHES,
    RULESETS,
    code_drift,
    get_ruleset,
)
from tests.support.identified import NEW_CHILD
from tests.unit.triage.examples_2027 import EXAMPLES
from tests.unit.triage.strategies import RECEIVED, wider_referral_bodies

NEW = get_ruleset("2027.1")
PINNED_2027_CONTENT = "956f529d4d2a9a365f421afd3858504ca89af239a4f07c9106cc752f2569e76b"
PINNED_2028_CONTENT = "1dd1e65d91ef1c81cfcb4c5137ad5527265691755b07e790cf6d778634bc2dc3"  # data and code
MANY = settings(max_examples=3_000, deadline=None)


def decision(body, ruleset=NEW):
    return decide(ReferralV1.model_validate(body), ruleset, RECEIVED)


def matched(d, rule_id: str) -> str:
    [entry] = [t for t in d.trace if t.rule_id == rule_id]
    assert entry.matched, entry.reason
    return entry.reason




@pytest.mark.parametrize(("name", "source", "body", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_worked_example(name, source, body, expected):
    primary, secondary, rag, review, rule, phrase = expected
    d = decision(body)
    assert (d.primary_queue.value, [q.value for q in d.secondary_queues], d.rag.value, d.needs_human_review) == (
        primary, secondary, rag, review), [t.reason for t in d.trace if t.matched]
    assert phrase in matched(d, rule)
    assert d.ruleset_version == "2027.1" and d.ruleset_hash == NEW.content_hash


def test_2027_stays_loadable_after_the_history_rules_became_the_default():
    assert DEFAULT_VERSION == "2028.1" and get_ruleset("2027.1").history_rules == ()


# Properties over thousands of generated referrals: none of the behaviours the review found.

def valid_consent(f) -> bool:
    return consent_problem(f, NEW.thresholds) is None


@MANY
@given(wider_referral_bodies())
def test_no_child_known_to_social_care_reaches_early_help_signposting_or_no_review(body):
    referral = ReferralV1.model_validate(body)
    f, d = facts_from_referral(referral, RECEIVED), decide(referral, NEW, RECEIVED)
    if f.open_to_social_care or f.child_protection_plan or f.looked_after:
        assert d.primary_queue is QueueId.STATUTORY_SAFEGUARDING and d.needs_human_review and d.rag == "red"
    if f.concerns & {"unaccompanied_asylum_seeker", "privately_fostered"}:
        assert d.primary_queue is QueueId.STATUTORY_SAFEGUARDING


@MANY
@given(wider_referral_bodies())
def test_voluntary_services_start_only_with_valid_consent(body):
    referral = ReferralV1.model_validate(body)
    f, d = facts_from_referral(referral, RECEIVED), decide(referral, NEW, RECEIVED)
    if d.primary_queue in (QueueId.EARLY_HELP, QueueId.DISABLED_CHILDREN, QueueId.ADULT_TRANSITION):
        assert valid_consent(f), (d.primary_queue, f.consent, f.consent_given_by, f.age)


@MANY
@given(wider_referral_bodies())
def test_youth_justice_only_on_age_at_the_event_within_the_window_and_outside_exclusions(body):
    referral = ReferralV1.model_validate(body)
    f, d = facts_from_referral(referral, RECEIVED), decide(referral, NEW, RECEIVED)
    if QueueId.YOUTH_OFFENDING in (d.primary_queue, *d.secondary_queues):
        track = next(t.facts["track"] for t in d.trace if t.rule_id == "R4")
        assert (track == "existing_case") == f.open_youth_justice
        if f.age_at_youth_justice_event is not None:
            assert f.age_at_youth_justice_event >= 10
        if track == "prevention":
            assert f.days_since_youth_justice_event is not None and f.days_since_youth_justice_event <= 92
            assert not (f.looked_after or f.child_protection_plan or f.open_early_help)


@MANY
@given(wider_referral_bodies())
def test_abuse_below_level_4_reaches_early_help_only_reviewed_and_amber(body):
    referral = ReferralV1.model_validate(body)
    f, d = facts_from_referral(referral, RECEIVED), decide(referral, NEW, RECEIVED)
    abuse = f.concerns & {"domestic_abuse_child", "domestic_abuse_parent", "emotional_abuse",
                          "abuse_linked_to_faith_or_belief"}
    if abuse and d.primary_queue is QueueId.EARLY_HELP:
        assert d.needs_human_review and d.rag == "amber"


@MANY
@given(wider_referral_bodies())
def test_statutory_input_still_never_reaches_early_help(body):
    d = decision(body)
    if body["immediate_danger"] or body["significant_harm_suspected"] or set(body["concerns"]) & \
            NEW.thresholds.statutory_concerns:
        assert d.primary_queue is QueueId.STATUTORY_SAFEGUARDING and QueueId.EARLY_HELP not in d.secondary_queues


# Rule sets that cannot drift.

def test_every_published_version_runs_the_code_it_was_published_with():
    """If this fails, a line a published version runs has changed: put the change in a new policy and version
    instead (services/triage/domain/rules/policy.py). Never update a pin of a version in use."""
    assert {v: r.code_hash for v, r in RULESETS.items()} == PUBLISHED_CODE_HASHES


def test_published_content_hashes_are_pinned():
    assert {v: r.content_hash for v, r in RULESETS.items()} == {
        "2026.1": "9842a69213d2b573a0a8615f98af4eab619693ea0f66d79168f2c64cabac84f4",  # data only (2026 policy)
        "2026.2-wnc": "6abcb7a40517911439b240c39da160c900e9af3f067196a7ac1e1f78179fdc36",
        "2027.1": PINNED_2027_CONTENT,
        "2028.1": PINNED_2028_CONTENT,
    }


def test_from_2027_the_content_hash_covers_the_code():
    edited = replace(NEW, code_hash="0" * 64)
    assert edited.data_hash == NEW.data_hash and edited.content_hash != NEW.content_hash
    assert "has changed since it was published" in code_drift(edited)
    assert code_drift(NEW) is None


def events_for(body, ruleset) -> list[dict]:
    """A referral and its decision as the audit log records them."""
    referral, rid, at = ReferralV1.model_validate(body), uuid4(), datetime(2026, 11, 20, 10, tzinfo=UTC)
    received = ReferralReceived(occurred_at=at, referral_id=rid, correlation_id=rid, producer="intake",
                                payload=ReferralReceivedPayload(referral=referral, received_at=at, partner_id="p"))
    d = decide_identified(referral, NEW_CHILD, ruleset, RECEIVED)
    triaged = received.caused(ReferralTriaged, producer="triage", occurred_at=at, payload=ReferralTriagedPayload(
        decision=d, work_item_id=uuid4(), received_at=at, due_at=at, decision_due_at=at))
    return [received.model_dump(mode="json"), triaged.model_dump(mode="json")]


@pytest.mark.parametrize("version", sorted(RULESETS))
@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_decisions_made_under_every_version_still_replay_identically(version, index):
    result = replay(events_for(EXAMPLES[index][2], get_ruleset(version)))
    assert result.matches, result.problems


def test_replay_says_plainly_when_the_recorded_hash_no_longer_matches_the_code():
    events = events_for(EXAMPLES[0][2], NEW)
    events[1]["payload"]["decision"]["ruleset_hash"] = "f" * 64  # as if decided under other code
    result = replay(events)
    assert not result.matches
    assert any("has changed since the decision" in p for p in result.problems)
