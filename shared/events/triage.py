"""Triage's events: the decision with its trace (`referrals.triaged`) and the routed item (`queue.<id>`)."""

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.events.codes import QueueId, Rag
from shared.events.envelope import EventEnvelope, Frozen
from shared.events.people import HistorySnapshot, MatchGrade

FactValue = str | int | bool | None | list[str]


class TraceEntry(Frozen):
    """One rule as evaluated: matched or not, why, on which facts, and where the rule comes from."""

    rule_id: str
    title: str
    matched: bool
    queue: QueueId | None = None
    reason: str = Field(description="Plain English a practitioner can read")
    facts: dict[str, FactValue] = Field(default_factory=dict)
    source: str


class HistoryFacts(Frozen):
    """What the person index knew when the referral was decided (from `referrals.identified`), recorded in the
    decision so replay needs no live index."""

    person_id: UUID
    match_grade: MatchGrade
    candidates: int = Field(description="Possible earlier records of this child waiting for a practitioner")
    snapshot: HistorySnapshot


class Decision(Frozen):
    """Where a referral goes and why; replayable from the referral and `ruleset_version`."""

    primary_queue: QueueId
    secondary_queues: list[QueueId] = Field(default_factory=list)
    level_of_need: Literal[1, 2, 3, 4]
    rag: Rag
    consent_required: bool
    needs_human_review: bool
    ruleset_version: str
    ruleset_hash: str
    inform_existing_lead_practitioner: bool = False
    trace: list[TraceEntry]
    re_referral_within_12_months: bool | None = Field(
        default=None, description="Under rule sets that read history: an earlier referral about the same person "
                                  "in the 12 months before this one (the CIN re-referral measure)")
    joins_work_item_id: UUID | None = Field(default=None, description="Open statutory work this referral joins "
                                                                      "as new information")
    history: HistoryFacts | None = Field(default=None, description="The history facts the decision used")


class ParallelWork(Frozen):
    """A secondary route as work of its own: its own work item, urgency, clock and owner, linked to the
    primary item; closing one does not close the other."""

    queue_id: QueueId
    work_item_id: UUID
    rag: Rag
    due_at: AwareDatetime


class ReferralTriagedPayload(Frozen):
    decision: Decision
    work_item_id: UUID
    received_at: AwareDatetime
    due_at: AwareDatetime = Field(description="RAG screening deadline")
    decision_due_at: AwareDatetime = Field(description="Referral decision deadline (working days)")
    locality: str | None = Field(default=None, description="Postcode district (outward code) for routing to a "
                                                           "local team; never the full postcode")
    parallel_work: list[ParallelWork] = Field(default_factory=list, description="One work item per secondary "
                                                                                "queue (added in v1, optional)")
    person_id: UUID | None = Field(default=None, description="The person the referral is about (people's id)")


class ReferralTriaged(EventEnvelope):
    """Triage has decided: the decision with its whole trace, for notify, audit and replay."""

    event_type: Literal["ReferralTriaged"] = "ReferralTriaged"
    schema_version: Literal[1] = 1
    payload: ReferralTriagedPayload


class ReferralRoutedPayload(Frozen):
    queue_id: QueueId
    work_item_id: UUID
    rag: Rag
    level_of_need: Literal[1, 2, 3, 4]
    secondary_queues: list[QueueId] = Field(default_factory=list)
    due_at: AwareDatetime
    ruleset_version: str
    linked_work_item_id: UUID | None = Field(default=None, description="For parallel work: the primary item")


class ReferralRouted(EventEnvelope):
    """What a downstream team system needs to pick the item up: ids, urgency and deadline, no personal data."""

    event_type: Literal["ReferralRouted"] = "ReferralRouted"
    schema_version: Literal[1] = 1
    payload: ReferralRoutedPayload


class ReferralRedecidedPayload(Frozen):
    """Triage's decision again, after a practitioner confirmed who the child is (`referrals.redecided`)."""

    decision: Decision = Field(description="The decision now in force (the earlier one when nothing changed)")
    previous: Decision = Field(description="The decision it replaces")
    changed: bool = Field(description="Route, urgency, level of need or joined work differ: casework moves or "
                                      "re-prioritises the referral's work item")
    received_at: AwareDatetime
    person_id: UUID
    history: HistoryFacts = Field(description="The joined history the rules read this time (replay uses it)")
    ruleset_version: str = Field(description="The rule set that decided it again")
    reason: str = Field(max_length=500, description="Why it was decided again, as ids and codes")


class ReferralRedecided(EventEnvelope):
    """A referral decided again with the history a confirmed link brought; the first decision stays on record."""

    event_type: Literal["ReferralRedecided"] = "ReferralRedecided"
    schema_version: Literal[1] = 1
    payload: ReferralRedecidedPayload
