"""Rule set 2026.2-wnc: West Northamptonshire's transition start, per the Local Offer (seed S0).

"In West Northamptonshire, adult social services will usually start this process in year 11"
(000_ee158e0efe60adf9.txt): year 11 pupils are 15 at the start of the school year, so transition starts at 15.
"""

from services.triage.domain.rules.table_2026_1 import RULESET as PARENT

RULESET = PARENT.derive(
    "2026.2-wnc",
    changes="Transition start age 14 -> 15 (year 11, 000_ee158e0efe60adf9.txt).",
    thresholds={"transition_start_age": 15},
)
