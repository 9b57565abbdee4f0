"""Rule set 2026.1: DESIGN "Triage policy" R1-R7 with the Northamptonshire / Peterborough / Wakefield seeds.

Seeds are the documents listed in docs/sources.md: S0 000_ee158e0efe60adf9.txt (Northamptonshire Local Offer),
S2 002_ce8578ada15e8e4b.txt (Peterborough 0-25), S3 003_56ebd3a87872184e.txt (Northamptonshire Early Help
Strategy, Levels 1-4), S4 004_76cdd0f006a56f02.txt (Wakefield Early Help procedure).
"""

from shared.events.codes import QueueId, Rag
from services.triage.domain.rules.ruleset import RuleSet, RuleSpec, Thresholds

S0, S2, S3, S4 = ("000_ee158e0efe60adf9.txt", "002_ce8578ada15e8e4b.txt", "003_56ebd3a87872184e.txt",
                  "004_76cdd0f006a56f02.txt")

RULES = (
    RuleSpec("R1", "Statutory override (Level 4)", QueueId.STATUTORY_SAFEGUARDING, Rag.RED, 4, True, False,
             f"{S3} Level 4; {S4} 'EHA is not for when there is concern that a child may have been harmed'; "
             "Children Act 1989 s47",
             "Immediate danger, suspected significant harm, or an abuse or exploitation concern goes straight "
             "to statutory safeguarding. Consent is not needed. Never routed to Early Help."),
    RuleSpec("R2", "Disabled Children's Team", QueueId.DISABLED_CHILDREN, Rag.AMBER, 3, True, True,
             f"{S2} 0-18 criteria; {S0} DCT referrals via MASH, assessed as a Child in Need (CSDPA 1970)",
             "A child aged 0-17 with a diagnosed, long-term disability who needs substantial support the family "
             "network cannot give. A disabled child below that bar goes to Early Help."),
    RuleSpec("R3", "Adult transition", QueueId.ADULT_TRANSITION, Rag.GREEN, 3, True, True,
             f"Care Act 2014 s58; {S2} transition from 14 (14-25 service); {S0} year 11",
             "Likely to have care needs after 18: aged from the transition start age to 17, or 18-25 with an "
             "EHCP while in education or training. With the DCT also matched, the DCT leads."),
    RuleSpec("R4", "Youth offending", QueueId.YOUTH_OFFENDING, Rag.AMBER, 3, True, False,
             f"{S0} Northamptonshire Youth Offending Service; {S3} §12 prevention and diversion; "
             "age of criminal responsibility 10 (CDA 1998)",
             "A child aged 10-17 with a youth-justice event. Never under 10. With an open early help episode the "
             "existing lead practitioner is told as well."),
    RuleSpec("R5", "Early Help (Levels 2-3)", QueueId.EARLY_HELP, Rag.GREEN, None, True, True,
             f"{S3} §1 (unborn to 19, 25 with SEND; 'early help is voluntary and consent...'); {S0} EHA 0-19 "
             f"incl. unborn; {S4} consent",
             "Additional needs, unborn to 19 (25 with SEND), with consent given. Without consent it goes to "
             "MASH review: a person decides; refusal never lowers risk and is never a silent close."),
    RuleSpec("R6", "Level 1: advice and signposting", QueueId.SIGNPOSTING, Rag.GREEN, 1, True, False,
             f"{S3} Level 1 and Foreword ('there is no such thing as no further action')",
             "No additional needs: advice and signposting back to the referrer, recorded with feedback."),
    RuleSpec("R7", "Not enough to decide", QueueId.MASH_REVIEW, Rag.AMBER, None, True, False,
             "DESIGN R7; domain research §1.2 R7 (never auto-assign Early Help on missing facts)",
             "No date of birth and not unborn, contradictory facts, or outside every age band: a MASH "
             "practitioner decides."),
)

THRESHOLDS = Thresholds(
    statutory_concerns=frozenset({"physical_abuse", "sexual_abuse", "fgm", "child_sexual_exploitation",
                                  "child_criminal_exploitation", "trafficking"}),
    targeted_concerns=frozenset({"domestic_abuse_child", "domestic_abuse_parent", "neglect", "emotional_abuse",
                                 "going_missing", "self_harm", "drug_misuse_child", "alcohol_misuse_child",
                                 "gang_involvement", "radicalisation", "abuse_linked_to_faith_or_belief",
                                 "unaccompanied_asylum_seeker", "privately_fostered"}),
    review_concerns=frozenset({"neglect", "emotional_abuse", "abuse_linked_to_faith_or_belief", "radicalisation",
                               "going_missing", "unaccompanied_asylum_seeker", "privately_fostered"}),
)

QUEUE_NAMES = {
    QueueId.STATUTORY_SAFEGUARDING.value: "Statutory safeguarding (MASH social work)",
    QueueId.EARLY_HELP.value: "Early Help",
    QueueId.DISABLED_CHILDREN.value: "Disabled Children's Team",
    QueueId.ADULT_TRANSITION.value: "Preparing for adulthood (transition)",
    QueueId.YOUTH_OFFENDING.value: "Youth Offending Service",
    QueueId.MASH_REVIEW.value: "MASH review (a practitioner decides)",
    QueueId.SIGNPOSTING.value: "Advice and signposting (Level 1)",
}

RULESET = RuleSet(version="2026.1", parent=None, rules=RULES, thresholds=THRESHOLDS, queue_names=QUEUE_NAMES,
                  changes="First published rule set.")
