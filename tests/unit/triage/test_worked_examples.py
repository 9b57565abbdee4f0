"""Worked examples from the seeds and the domain research: at least one per rule and per conflict.

Seeds: S0 000_ee158e0efe60adf9.txt, S2 002_ce8578ada15e8e4b.txt, S3 003_56ebd3a87872184e.txt,
S4 004_76cdd0f006a56f02.txt (listed in docs/sources.md); DR = the domain research.
"""

from datetime import date

import pytest

from shared.events.referral import ReferralV1
from services.triage.domain.rules.engine import decide
from services.triage.domain.rules.registry import get_ruleset
from tests.support.referrals import referral_body

RECEIVED = date(2026, 11, 20)
DCT_CHILD = {"has_disability": True, "types": ["physical", "learning"], "diagnosed": True, "long_term": True,
             "substantial_support_needed": True}
NO_CONSENT = {"status": "not_sought", "given_by": None, "reason_not_sought": "may increase risk"}


def born(age: int) -> str:
    return str(date(RECEIVED.year - age, 3, 1))


# (id, source, body, expected: primary, secondary, level, rag, consent_required, needs_human_review)
EXAMPLES = [
    ("R1 disclosure of being hit", "DR §1.4 ex1; S4 'EHA is not for when ... harmed'",
     referral_body(dob=born(7), significant_harm_suspected=True, concerns=["physical_abuse"], consent=NO_CONSENT),
     ("statutory_safeguarding", [], 4, "red", False, False)),
    ("R1 immediate danger, consent refused", "S4 consent; DESIGN R1 consent not required",
     referral_body(dob=born(12), immediate_danger=True, consent={"status": "refused"}),
     ("statutory_safeguarding", [], 4, "red", False, False)),
    ("R1 without a date of birth still goes to safeguarding", "DESIGN R1 before R7; DR §1.2 R7",
     referral_body(dob=None, concerns=["child_sexual_exploitation"]),
     ("statutory_safeguarding", [], 4, "red", False, True)),
    ("R1 over DCT: harm wins, DCT kept as a flag", "DR §1.3 'Any route + significant harm' (P-NEWPORT)",
     referral_body(dob=born(9), concerns=["fgm"], disability=DCT_CHILD),
     ("statutory_safeguarding", ["disabled_children"], 4, "red", False, False)),
    ("R1 never Early Help even with consent and needs", "S4; DESIGN R1",
     referral_body(dob=born(5), concerns=["trafficking", "housing", "parenting_support"]),
     ("statutory_safeguarding", [], 4, "red", False, False)),
    ("R2 cerebral palsy and severe learning disability", "DR §1.4 ex2; S2 0-18 criteria; S0 DCT via MASH",
     referral_body(dob=born(9), concerns=[], disability=DCT_CHILD),
     ("disabled_children", [], 3, "amber", True, False)),
    ("R2 below the bar goes to Early Help", "DESIGN R2; S4 disabled children flagged for early help",
     referral_body(dob=born(6), concerns=[], disability={**DCT_CHILD, "substantial_support_needed": False}),
     ("early_help", [], 2, "green", True, False)),
    ("R3 15-year-old with an EHCP and care needs after 18", "DR §1.4 ex3; Care Act 2014 s58; S2 from 14",
     referral_body(dob=born(15), concerns=["learning_disability_child"], likely_care_needs_after_18=True,
                   send={"has_ehcp": True, "in_education_or_training": True}),
     ("adult_transition", [], 3, "green", True, False)),
    ("R2 + R3: DCT leads, transition secondary", "S2 0-25 service (0-18 + 14-25); DR §1.3",
     referral_body(dob=born(16), concerns=[], disability=DCT_CHILD, likely_care_needs_after_18=True),
     ("disabled_children", ["adult_transition"], 3, "amber", True, False)),
    ("R3 young adult with an EHCP in college", "S2 14-25 service; S3 §1 up to 25 with SEND",
     referral_body(dob=born(20), concerns=[], likely_care_needs_after_18=True,
                   send={"has_ehcp": True, "in_education_or_training": True}),
     ("adult_transition", [], 3, "green", True, False)),
    ("R3 not before the start age", "S2 transition planning from 14",
     referral_body(dob=born(13), concerns=[], likely_care_needs_after_18=True),
     ("early_help", [], 2, "green", True, False)),
    ("R4 community resolution three weeks ago", "DR §1.4 ex4; S0 NYOS; S3 §12",
     referral_body(dob=born(14), concerns=[], youth_justice={"event": "community_resolution",
                                                             "event_date": "2026-10-30"}),
     ("youth_offending", [], 3, "amber", False, False)),
    ("R4 never under 10", "CDA 1998 age of criminal responsibility; DESIGN R4",
     referral_body(dob=born(9), concerns=[], youth_justice={"event": "antisocial_behaviour"}),
     ("early_help", [], 2, "green", True, False)),
    ("R2 + R4: DCT primary, YOS secondary", "DESIGN rule order; DR §1.3 DCT + YOS",
     referral_body(dob=born(13), concerns=[], disability=DCT_CHILD, youth_justice={"event": "youth_caution"}),
     ("disabled_children", ["youth_offending"], 3, "amber", True, False)),
    ("R5 toddler with parental low mood, arrears, speech delay", "DR §1.4 ex5; S3 Levels 2-3",
     referral_body(dob=born(2), concerns=["mental_health_parent", "financial_hardship", "child_development"]),
     ("early_help", [], 3, "amber", True, False)),
    ("R5 a single emerging need is Level 2", "S3 Level 2 'additional needs'",
     referral_body(dob=born(8), concerns=["school_attendance"]),
     ("early_help", [], 2, "green", True, False)),
    ("R5 consent refused goes to a practitioner", "S3 'early help is voluntary'; S4 consent; DESIGN R5",
     referral_body(dob=born(8), concerns=["parenting_support"], consent={"status": "refused"}),
     ("mash_review", [], 2, "amber", True, True)),
    ("R5 unborn baby", "S0 'It can include unborn babies'",
     referral_body(dob=None, child={"unborn": True, "expected_due_date": "2027-02-01"},
                   concerns=["drug_misuse_parent"]),
     ("early_help", [], 2, "green", True, False)),
    ("R5 up to 25 with SEND", "S3 §1 'up to 25 for children and young people with SEND'",
     referral_body(dob=born(22), concerns=["housing"], send={"has_ehcp": True, "in_education_or_training": True}),
     ("early_help", [], 2, "green", True, False)),
    ("R6 no additional needs: advice and signposting", "S3 Level 1; Foreword 'no such thing as NFA'",
     referral_body(dob=born(10), concerns=[]),
     ("signposting", [], 1, "green", False, False)),
    ("R7 no date of birth", "DESIGN R7",
     referral_body(dob=None, concerns=["housing"]),
     ("mash_review", [], 2, "amber", False, True)),
    ("R7 contradictory disability facts", "DESIGN R7 'contradictory facts'",
     referral_body(dob=born(8), concerns=[], disability={"has_disability": False, "types": ["autism"]}),
     ("mash_review", [], 2, "amber", False, True)),
    ("R7 outside every age band", "DESIGN R7; S3 §1 (to 19, 25 with SEND)",
     referral_body(dob=born(21), concerns=["housing"]),
     ("mash_review", [], 2, "amber", False, True)),
]


@pytest.mark.parametrize("name, source, body, expected", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_worked_example(name, source, body, expected):
    decision = decide(ReferralV1.model_validate(body), get_ruleset("2026.1"), RECEIVED)
    got = (decision.primary_queue.value, [q.value for q in decision.secondary_queues], decision.level_of_need,
           decision.rag.value, decision.consent_required, decision.needs_human_review)
    assert got == expected, f"{name} ({source}): {[(t.rule_id, t.reason) for t in decision.trace]}"


def test_youth_offending_with_open_early_help_tells_the_lead_practitioner():
    """DESIGN R4; DR §1.3 'YOS + open EH' (P-HARINGEY)."""
    body = referral_body(dob=born(14), concerns=[], youth_justice={"event": "arrest"},
                         known_to_services={"open_early_help": True})
    decision = decide(ReferralV1.model_validate(body), get_ruleset("2026.1"), RECEIVED)
    assert decision.primary_queue == "youth_offending"
    assert decision.inform_existing_lead_practitioner
    assert "lead practitioner is told" in next(t.reason for t in decision.trace if t.rule_id == "R4")


def test_west_northamptonshire_starts_transition_in_year_11():
    """S0: 'adult social services will usually start this process in year 11' (version 2026.2-wnc)."""
    body = ReferralV1.model_validate(referral_body(dob=born(14), concerns=[], likely_care_needs_after_18=True))
    assert decide(body, get_ruleset("2026.1"), RECEIVED).primary_queue == "adult_transition"
    assert decide(body, get_ruleset("2026.2-wnc"), RECEIVED).primary_queue == "early_help"


def test_every_decision_explains_itself_in_plain_english():
    decision = decide(ReferralV1.model_validate(EXAMPLES[0][2]), get_ruleset("2026.1"), RECEIVED)
    r1 = decision.trace[0]
    assert (r1.rule_id, r1.matched) == ("R1", True)
    assert r1.reason == "Level 4: significant harm is suspected; abuse or exploitation is reported (physical_abuse)."
    assert r1.facts["abuse_or_exploitation_concerns"] == ["physical_abuse"]
    assert "003_56ebd3a87872184e.txt" in r1.source
