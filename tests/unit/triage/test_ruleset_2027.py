"""Rule set 2027.1 (issue "Triage policy: children already known, statutory duties, valid consent, parallel work,
rule sets that cannot drift"): worked examples citing their sources, properties over thousands of generated
referrals, pinned hashes, and replay of decisions made under the older versions.

Seeds (docs/sources.md): S0 000_ee158e0efe60adf9.txt, S3 003_56ebd3a87872184e.txt, S4 004_76cdd0f006a56f02.txt.
DR = the domain research (§1.2 R0/R4, §3 consent).
"""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
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
from tests.support.referrals import referral_body
from tests.unit.triage.strategies import RECEIVED, wider_referral_bodies

NEW = get_ruleset("2027.1")
PINNED_2027_CONTENT = "956f529d4d2a9a365f421afd3858504ca89af239a4f07c9106cc752f2569e76b"
PINNED_2028_CONTENT = "1dd1e65d91ef1c81cfcb4c5137ad5527265691755b07e790cf6d778634bc2dc3"  # data and code
NO_CONSENT = {"status": "not_sought", "given_by": None, "reason_not_sought": "family not told yet"}
DCT_CHILD = {"has_disability": True, "types": ["physical"], "diagnosed": True, "long_term": True,
             "substantial_support_needed": True}
MANY = settings(max_examples=3_000, deadline=None)


def born(age: int) -> str:
    return str(date(RECEIVED.year - age, 3, 1))


def ago(days: int) -> str:
    return str(RECEIVED - timedelta(days=days))


def by_young_person() -> dict:
    return {"status": "given", "given_by": "young_person"}


def decision(body, ruleset=NEW):
    return decide(ReferralV1.model_validate(body), ruleset, RECEIVED)


def matched(d, rule_id: str) -> str:
    [entry] = [t for t in d.trace if t.rule_id == rule_id]
    assert entry.matched, entry.reason
    return entry.reason


# (name, source, body, expected primary, secondary, rag, needs_human_review, a phrase the deciding reason says)
EXAMPLES = [
    ("open to social care, attendance only", "DR §1.2 R0 (P-MERTON: forward to the allocated worker)",
     referral_body(dob=born(9), known_to_services={"open_to_social_care": True}),
     ("statutory_safeguarding", [], "red", True, "R0", "linked to the existing case")),
    ("on a child protection plan, no needs at all: never signposting", "DR §1.2 R0; S3 Level 4",
     referral_body(dob=born(6), concerns=[], known_to_services={"child_protection_plan": True}),
     ("statutory_safeguarding", [], "red", True, "R0", "on a child protection plan")),
    ("looked after, court order: youth justice in parallel", "DR §1.2 R0, R4 (statutory caseload)",
     referral_body(dob=born(15), known_to_services={"looked_after": True},
                   youth_justice={"event": "court_order", "event_date": ago(300)}),
     ("statutory_safeguarding", ["youth_offending"], "red", True, "R0", "looked after")),
    ("unaccompanied asylum-seeking child", "Children Act 1989 s20",
     referral_body(dob=born(16), concerns=["unaccompanied_asylum_seeker"]),
     ("statutory_safeguarding", [], "red", False, "RD", "s20")),
    ("privately fostered child", "Children Act 1989 s67; Private Fostering Regulations 2005",
     referral_body(dob=born(11), concerns=["privately_fostered"]),
     ("statutory_safeguarding", [], "red", False, "RD", "s67")),
    ("domestic abuse of the child below Level 4: Early Help, reviewed, amber", "S4; DR §1.2 R1",
     referral_body(dob=born(8), concerns=["domestic_abuse_child"]),
     ("early_help", [], "amber", True, "R5", "valid consent")),
    ("emotional abuse below Level 4: reviewed, amber", "S4; DR §1.2 R1",
     referral_body(dob=born(12), concerns=["emotional_abuse"]),
     ("early_help", [], "amber", True, "R5", "valid consent")),
    ("a 4-year-old cannot consent for themselves", "Gillick; DR §3 (own consent at 16+ or if competent)",
     referral_body(dob=born(4), consent=by_young_person()),
     ("mash_review", [], "amber", True, "R5", "aged 4")),
    ("an unborn child cannot consent", "DR §3",
     referral_body(dob=None, child={"unborn": True, "expected_due_date": ago(-60)}, concerns=["parenting_support"],
                   consent=by_young_person()),
     ("mash_review", [], "amber", True, "R5", "unborn")),
    ("a 14-year-old's own consent: competence to be confirmed", "Gillick v West Norfolk AHA [1986]; DR §3",
     referral_body(dob=born(14), consent=by_young_person()),
     ("mash_review", [], "amber", True, "R5", "Gillick")),
    ("a 16-year-old's own consent is valid", "DR §3 (P-BUCKS, P-BRIGHTON)",
     referral_body(dob=born(16), consent=by_young_person()),
     ("early_help", [], "green", False, "R5", "valid consent")),
    ("DCT without consent: a practitioner decides", "rule table 'consent needed: yes'; DR §3 CIN/DCT s17",
     referral_body(dob=born(9), disability=DCT_CHILD, consent=NO_CONSENT),
     ("mash_review", [], "amber", True, "R2", "Child in Need assessment")),
    ("DCT with a parent's consent", "S0 DCT via MASH",
     referral_body(dob=born(9), disability=DCT_CHILD),
     ("disabled_children", [], "amber", False, "R2", "Child in Need")),
    ("transition without consent", "Care Act 2014 s58 consent condition",
     referral_body(dob=born(15), likely_care_needs_after_18=True, consent=NO_CONSENT),
     ("mash_review", [], "amber", True, "R3", "s58")),
    ("a caution before the 10th birthday never counts", "CYPA 1933 s50",
     referral_body(dob=born(11), youth_justice={"event": "youth_caution", "event_date": ago(700)}),
     ("early_help", [], "green", False, "R5", "valid consent")),
    ("prevention only within three months of the event", "Turnaround (P-POSSTEPS: 3 months)",
     referral_body(dob=born(14), youth_justice={"event": "community_resolution", "event_date": ago(200)}),
     ("early_help", [], "green", False, "R5", "valid consent")),
    ("prevention within the window", "Turnaround; S3 §12 prevention and diversion",
     referral_body(dob=born(14), youth_justice={"event": "arrest", "event_date": ago(21)}),
     ("youth_offending", [], "amber", False, "R4", "prevention and diversion (Turnaround)")),
    ("court work whatever the time since", "DR §1.2 R4 (statutory caseload)",
     referral_body(dob=born(16), youth_justice={"event": "court_order", "event_date": ago(400)}),
     ("youth_offending", [], "amber", False, "R4", "statutory youth justice work")),
    ("already open to youth justice: new information for its worker", "Turnaround exclusions (P-HARINGEY)",
     referral_body(dob=born(15), known_to_services={"open_youth_justice": True},
                   youth_justice={"event": "arrest", "event_date": ago(10)}),
     ("youth_offending", [], "amber", False, "R4", "worker of the existing case")),
]


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
