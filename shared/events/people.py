"""People's events: who a referral is about (`referrals.identified`) and a practitioner's word on a possible
match (`people.events`).

A referral is attached to a known person automatically only on a `certain` match; `probable` and `possible`
mean a new person was made and the candidates wait for a practitioner (DESIGN "Identity and history"). The
history snapshot is what the person index knew when it matched, so triage decides from the event alone and
replay needs no live index.
"""

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.events.codes import QueueId
from shared.events.envelope import EventEnvelope, Frozen
from shared.events.referral import ReferralV1

MatchGrade = Literal["certain", "probable", "possible", "new"]


class Candidate(Frozen):
    """Another known person this child may be: for a practitioner to confirm or reject, never merged alone."""

    person_id: UUID
    grade: MatchGrade
    score: float = Field(ge=0, le=1)
    reasons: list[str] = Field(default_factory=list, description="Which fields agreed or differed, as codes")


class PastReferral(Frozen):
    """An earlier referral about the same person: when, where it went, how it ended (None while open)."""

    referral_id: UUID
    received_at: AwareDatetime
    primary_queue: QueueId | None = Field(default=None, description="None until triage has decided it")
    outcome: str | None = None


class OpenWork(Frozen):
    """Work open for the person now: the item, its queue and the referral that opened it."""

    work_item_id: UUID
    referral_id: UUID
    queue_id: QueueId


class HistorySnapshot(Frozen):
    """What the front door knew about the person when this referral was matched."""

    referrals_last_12_months: list[PastReferral] = Field(default_factory=list)
    open_work: list[OpenWork] = Field(default_factory=list)
    link_confirmed: bool = Field(default=False, description="A practitioner confirmed this person's link")


class ReferralIdentifiedPayload(Frozen):
    referral: ReferralV1
    received_at: AwareDatetime
    partner_id: str
    person_id: UUID = Field(description="The person the referral is attached to (new unless the grade is certain)")
    grade: MatchGrade
    score: float = Field(ge=0, le=1)
    matcher_version: str
    candidates: list[Candidate] = Field(default_factory=list)
    history: HistorySnapshot


class ReferralIdentified(EventEnvelope):
    """A received referral with the person it is about and what is known of them."""

    event_type: Literal["ReferralIdentified"] = "ReferralIdentified"
    schema_version: Literal[1] = 1
    payload: ReferralIdentifiedPayload


class PersonLinkPayload(Frozen):
    """A practitioner's decision on one candidate of one referral (the envelope's referral_id)."""

    person_id: UUID = Field(description="The person the referral was attached to")
    candidate_person_id: UUID = Field(description="The known person it may be")
    actor: str
    reason: str | None = Field(default=None, max_length=2_000)


class PersonLinkConfirmed(EventEnvelope):
    """Same child: the referral's person joins the candidate, whose history it now shares."""

    event_type: Literal["PersonLinkConfirmed"] = "PersonLinkConfirmed"
    schema_version: Literal[1] = 1
    payload: PersonLinkPayload


class ReferralReidentifiedPayload(Frozen):
    """The referral's person after a practitioner confirmed a link, and the history it now has."""

    person_id: UUID = Field(description="The person the referral now belongs to (the confirmed candidate)")
    previous_person_id: UUID = Field(description="The person it was attached to before the link")
    candidates: list[Candidate] = Field(default_factory=list, description="Candidates still waiting")
    history: HistorySnapshot = Field(description="The joined person's referrals in the 12 months before this "
                                                 "one and the open work now (not this referral's own)")


class ReferralReidentified(EventEnvelope):
    """A confirmed link changed who the referral is about (`people.events`): triage decides it again with the
    joined history (DESIGN "Identity and history": a confirmed link that changes the decision re-decides)."""

    event_type: Literal["ReferralReidentified"] = "ReferralReidentified"
    schema_version: Literal[1] = 1
    payload: ReferralReidentifiedPayload


class PersonLinkRejected(EventEnvelope):
    """Different children: the candidate is not offered again for this person."""

    event_type: Literal["PersonLinkRejected"] = "PersonLinkRejected"
    schema_version: Literal[1] = 1
    payload: PersonLinkPayload
