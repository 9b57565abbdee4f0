"""What casework needs to know about each queue: its name for people, the least urgency a work item moved
there carries, and the screening hours for each RAG. Versioned data, like triage's rule sets.

These values are triage's rule sets 2027.1 and 2028.1 (and 2026.x: the same queues, urgencies and hours), derived there
from the rule table: statutory safeguarding is red (R1, Level 4, 001_5a30536d8eda2525.txt), Early Help and
signposting green, the specialist queues amber; screening within 2 / 6 / 24 hours by RAG (DESIGN "Triage
policy", 004_76cdd0f006a56f02.txt timescales). Two contexts keep their own copy on purpose (one changes
routing, the other works the queues); `tests/contract/test_queue_policy.py` fails if they drift apart.
"""

from dataclasses import dataclass

from services.casework.domain.urgency import QueueUrgency


@dataclass(frozen=True)
class QueuePolicy:
    version: str
    names: dict[str, str]
    urgency: QueueUrgency


POLICY_2027_1 = QueuePolicy(
    version="2027.1",
    names={"statutory_safeguarding": "Statutory safeguarding (MASH social work)", "early_help": "Early Help",
           "disabled_children": "Disabled Children's Team",
           "adult_transition": "Preparing for adulthood (transition)", "youth_offending": "Youth Offending Service",
           "mash_review": "MASH review (a practitioner decides)", "signposting": "Advice and signposting (Level 1)"},
    urgency=QueueUrgency(
        queue_rag={"statutory_safeguarding": "red", "disabled_children": "amber", "adult_transition": "green",
                   "youth_offending": "amber", "early_help": "green", "signposting": "green", "mash_review": "amber"},
        rag_hours={"red": 2, "amber": 6, "green": 24}),
)
POLICY_2028_1 = QueuePolicy(version="2028.1", names=POLICY_2027_1.names, urgency=POLICY_2027_1.urgency)
"""Rule set 2028.1 adds the history rules; the queues, their urgency and hours are unchanged."""

POLICIES = {p.version: p for p in (POLICY_2027_1, POLICY_2028_1)}
DEFAULT_VERSION = POLICY_2028_1.version
