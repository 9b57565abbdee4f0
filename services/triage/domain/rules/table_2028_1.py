"""Rule set 2028.1: 2027.1 with the history rules (history_rules.py, policy 2028).

The history rules are listed beside the referral's own rules (`history_rules`) and applied after them; the
threshold for cumulative harm is data: the third referral within 12 months (two earlier ones) goes to a
practitioner's decision (003_56ebd3a87872184e.txt §15; Working Together 2023 ch. 1).
"""

from dataclasses import replace

from shared.events.codes import QueueId, Rag
from services.triage.domain.rules import table_2027_1 as before
from services.triage.domain.rules.history_rules import S3
from services.triage.domain.rules.ruleset import RuleSpec

HISTORY_RULES = (
    RuleSpec("HR0", "Re-referral within 12 months", None, None, None, False, False, S3,
             "Every decision says whether an earlier referral about the same child arrived in the 12 months before."),
    RuleSpec("HR1", "Open statutory work", QueueId.STATUTORY_SAFEGUARDING, Rag.RED, 4, True, False,
             "Domain research R0 (Merton, Tower Hamlets MASH: forward to the allocated worker)",
             "A child with open statutory work: new information for that work's allocated worker, linked to it, "
             "not a new case. Other services already routed to stay as parallel work."),
    RuleSpec("HR2", "Repeat referrals: cumulative harm", QueueId.MASH_REVIEW, Rag.RED, 3, True, False,
             f"{S3}; Working Together to Safeguard Children 2023 ch. 1 (cumulative impact of concerns)",
             "Two or more earlier referrals in 12 months: a practitioner decides on cumulative harm, red clock; "
             "never signposting alone. The service the referral would have gone to stays as parallel work."),
    RuleSpec("HR3", "Identity unconfirmed", None, None, None, False, False,
             "DESIGN 'Identity and history': uncertain matches go to a person",
             "Possible earlier records of the child: reviewed until a practitioner confirms or rejects them."),
    RuleSpec("HR4", "Other open work", None, None, None, False, False,
             "DESIGN 'Triage policy' R4 (an existing lead practitioner is told)",
             "Open early help, disabled children's, transition or youth justice work: its lead practitioner is told."),
)

RULESET = replace(before.RULESET.derive(
    "2028.1", thresholds={"repeat_referral_threshold": 2},
    changes="Decisions read the child's history from the person index: re-referrals within 12 months are "
            "named; open statutory work is joined, not duplicated; a third referral in a year goes to a "
            "practitioner's decision on cumulative harm (red); unconfirmed identities are reviewed."),
    policy="2028", history_rules=HISTORY_RULES)
