"""The decision in force after a practitioner confirms who the child is: pure, so replay reproduces it.

A confirmed link brings the history of the person the referral joins (earlier referrals, open work), and the
history rules decide again over it (`decide_identified`). What they decide replaces the first decision only
if it is at least as urgent and at least the same level of need: history can raise concern, never lower it
(DESIGN "Identity and history"). A review flag or a lead practitioner to tell, once raised, stays raised.
When nothing that routes the referral differs, the first decision stands (`changed` False).
"""

from dataclasses import dataclass

from shared.events.triage import Decision
from services.triage.domain.rules.history_rules import URGENCY

ROUTING = ("primary_queue", "secondary_queues", "rag", "level_of_need", "joins_work_item_id",
           "inform_existing_lead_practitioner")


@dataclass(frozen=True)
class Redecision:
    decision: Decision
    changed: bool


def redecide(previous: Decision, again: Decision) -> Redecision:
    if URGENCY[again.rag] > URGENCY[previous.rag] or again.level_of_need < previous.level_of_need:
        return Redecision(previous, False)
    decision = again.model_copy(update={
        "needs_human_review": again.needs_human_review or previous.needs_human_review,
        "inform_existing_lead_practitioner": (again.inform_existing_lead_practitioner
                                              or previous.inform_existing_lead_practitioner)})
    if all(getattr(decision, f) == getattr(previous, f) for f in ROUTING):
        return Redecision(previous, False)
    return Redecision(decision, True)
