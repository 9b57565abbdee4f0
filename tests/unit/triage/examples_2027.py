"""Rule set 2027.1's worked examples, each citing its source (seeds and the domain research): checked by
test_ruleset_2027 and replayed by the CLI's tests.

Seeds (docs/sources.md): S0 000_ee158e0efe60adf9.txt, S3 003_56ebd3a87872184e.txt, S4 004_76cdd0f006a56f02.txt.
DR = the domain research (§1.2 R0/R4, §3 consent).
"""

from datetime import date, timedelta

from tests.support.referrals import referral_body
from tests.unit.triage.strategies import RECEIVED

NO_CONSENT = {"status": "not_sought", "given_by": None, "reason_not_sought": "family not told yet"}
DCT_CHILD = {"has_disability": True, "types": ["physical"], "diagnosed": True, "long_term": True,
             "substantial_support_needed": True}

def born(age: int) -> str:
    return str(date(RECEIVED.year - age, 3, 1))


def ago(days: int) -> str:
    return str(RECEIVED - timedelta(days=days))


def by_young_person() -> dict:
    return {"status": "given", "given_by": "young_person"}


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
