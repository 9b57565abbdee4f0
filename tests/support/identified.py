"""Events as people publishes them, for tests of the services downstream of the person index."""

from uuid import UUID, uuid4

from shared.events import ReferralIdentified, ReferralReceived
from shared.events.people import Candidate, HistorySnapshot, ReferralIdentifiedPayload
from shared.events.triage import HistoryFacts

NEW_CHILD = HistoryFacts(person_id=UUID(int=0), match_grade="new", candidates=0, snapshot=HistorySnapshot())


def identified(received: ReferralReceived, *, grade: str = "new", person_id: UUID | None = None,
               history: HistorySnapshot | None = None, candidates: list[Candidate] | None = None) -> ReferralIdentified:
    p = received.payload
    return received.caused(ReferralIdentified, producer="people", occurred_at=p.received_at,
                           payload=ReferralIdentifiedPayload(
                               referral=p.referral, received_at=p.received_at, partner_id=p.partner_id,
                               person_id=person_id or uuid4(), grade=grade, score=1.0 if grade == "certain" else 0.0,
                               matcher_version="test", candidates=candidates or [],
                               history=history or HistorySnapshot()))
