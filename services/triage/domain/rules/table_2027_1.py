"""Rule set 2027.1: the 2026 rules with the safeguarding review's fixes (policy 2027).

Sources: the seed documents listed in docs/sources.md (S0 000_ee158e0efe60adf9.txt Northamptonshire Local
Offer, S2 002_ce8578ada15e8e4b.txt Peterborough, S3 003_56ebd3a87872184e.txt Northamptonshire Early Help
Strategy, S4 004_76cdd0f006a56f02.txt Wakefield) and the statutes named in each rule. Early Help's upper age
with SEND follows S3 (25); S0 says "up to 24" for learning disabilities: an authority following S0 derives a
version with `early_help_max_age_send=24` (rule-set configuration, not code).
"""

from dataclasses import replace

from shared.events.codes import QueueId, Rag
from services.triage.domain.rules import table_2026_1 as before
from services.triage.domain.rules.ruleset import RuleSet, RuleSpec

S0, S2, S3, S4 = before.S0, before.S2, before.S3, before.S4
R = {r.rule_id: r for r in before.RULES}

RULES = (
    R["R1"],
    RuleSpec("R0", "Already known to children's social care", QueueId.STATUTORY_SAFEGUARDING, Rag.RED, 4, True,
             False, "Domain research R0 (Merton, Tower Hamlets MASH: forward to the allocated worker); "
                    "Working Together 2023; Children Act 1989 s17, s47",
             "A child the referrer says is open to social care, on a child protection plan or looked after: new "
             "information for the allocated worker, linked to the existing case, always reviewed by a "
             "practitioner. Never routed to Early Help or signposting."),
    RuleSpec("RD", "Statutory duty: accommodation or private fostering", QueueId.STATUTORY_SAFEGUARDING, Rag.RED,
             4, True, False, "Children Act 1989 s20 (accommodation), s67 (private fostering); Children (Private "
                             "Arrangements for Fostering) Regulations 2005",
             "An unaccompanied asylum-seeking child (duty to accommodate) or a privately fostered child (duty to "
             "assess the arrangement and visit within 7 working days): the duty is named in the decision."),
    replace(R["R2"], summary=R["R2"].summary + " Consent is needed for a Child in Need assessment: without valid "
                                               "consent a MASH practitioner decides."),
    replace(R["R3"], source=R["R3"].source + "; Care Act 2014 s58 consent condition",
            summary=R["R3"].summary + " Consent is needed (Care Act s58): without valid consent a MASH "
                                      "practitioner decides."),
    replace(R["R4"], title="Youth justice: prevention or statutory work",
            source=f"Children and Young Persons Act 1933 s50 (age of criminal responsibility 10, at the event); "
                   f"Turnaround programme (MoJ; 3-month window, exclusions); {S3} §12 prevention and diversion; "
                   f"{S0} Northamptonshire Youth Offending Service",
            summary="Aged 10 or over at the event and 10-17 now. A charge, court order or conditional caution is "
                    "statutory work whatever the time since; other events are prevention (Turnaround) within 3 "
                    "months, unless the child is looked after, on a plan or in whole-family early help. A child "
                    "already open to youth justice: new information for the existing case's worker."),
    replace(R["R5"], source=R["R5"].source + "; consent of a young person from 16, younger if Gillick competent "
                                             "(Gillick v West Norfolk AHA [1986]; domain research §3)",
            summary="Additional needs, unborn to 19 (25 with SEND), with valid consent: a parent's, or the young "
                    "person's own from 16. Otherwise MASH review. Abuse concerns below Level 4 are reviewed by a "
                    "practitioner and get an amber clock."),
    R["R6"],
    R["R7"],
)

THRESHOLDS = replace(
    before.THRESHOLDS,
    review_concerns=before.THRESHOLDS.review_concerns | {"domestic_abuse_child", "domestic_abuse_parent"},
    young_person_consent_age=16,
    prevention_window_days=92,
)

RULESET = RuleSet(version="2027.1", parent="2026.1", rules=RULES, thresholds=THRESHOLDS,
                  queue_names=before.QUEUE_NAMES, policy="2027", hash_covers_code=True,
                  changes="Children known to social care and statutory duties (s20, s67) go to statutory "
                          "safeguarding; consent must be valid (who gave it, the child's age) for Early Help, the "
                          "DCT and transition; youth justice on age at the event, the Turnaround window and "
                          "exclusions, prevention told from court work; abuse concerns below Level 4 reviewed; "
                          "secondary routes are parallel work; the content hash covers the rule code.")
