"""Use cases for finding a child and deciding who they are.

- A search is an access to special-category data: the criteria, who searched and which children the results
  showed are staged on `access.events` (audit's log) in the same step, and the results are shown only once
  that record is committed.
- Confirming or rejecting a candidate is a practitioner's decision about identity: recorded once (the first
  decision stands), published on `people.events` for the person index and audit.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID, uuid4

from shared.clock import Clock
from shared.events.access import ChildRecordsSearched, ChildRecordsSearchedPayload
from shared.events.people import PersonLinkConfirmed, PersonLinkPayload, PersonLinkRejected
from shared.events.topics import ACCESS_EVENTS, PEOPLE_EVENTS
from services.casework.application.ports import UnitOfWorkFactory
from services.casework.domain.child_search import SearchCriteria, may_search
from services.casework.domain.workitems import Actor, Conflict, Invalid

PRODUCER = "casework"


@dataclass(frozen=True)
class Identity:
    """Who a referral is about, as people identified it."""

    person_id: UUID
    candidates: tuple[UUID, ...]
    correlation_id: UUID


class ChildLookup(Protocol):
    async def search(self, criteria: SearchCriteria) -> Sequence[Any]: ...

    async def identity(self, referral_id: UUID) -> Identity | None: ...


class Children:
    def __init__(self, *, uow: UnitOfWorkFactory, lookup: ChildLookup, clock: Clock) -> None:
        self._uow, self._lookup, self._clock = uow, lookup, clock

    async def search(self, actor: Actor, criteria: SearchCriteria) -> Sequence[Any]:
        may_search(actor)
        hits = await self._lookup.search(criteria)
        search_id = uuid4()
        event = ChildRecordsSearched(
            occurred_at=self._clock.now(), referral_id=search_id, correlation_id=search_id, producer=PRODUCER,
            payload=ChildRecordsSearchedPayload(actor=actor.id, roles=sorted(actor.roles),
                                                criteria=criteria.as_record(),
                                                person_ids=[h.person_id for h in hits]))
        async with self._uow() as uow:
            await uow.stage((event, ACCESS_EVENTS))
            await uow.commit()
        return hits

    async def decide_link(self, actor: Actor, *, referral_id: UUID, candidate_person_id: UUID, confirm: bool,
                          reason: str | None) -> None:
        may_search(actor)
        identity = await self._lookup.identity(referral_id)
        if identity is None:
            raise LookupError(referral_id)
        if candidate_person_id not in identity.candidates:
            raise Invalid("candidate", "is not a candidate of this referral")
        cls = PersonLinkConfirmed if confirm else PersonLinkRejected
        now = self._clock.now()
        event = cls(occurred_at=now, referral_id=referral_id, correlation_id=identity.correlation_id,
                    producer=PRODUCER, payload=PersonLinkPayload(
                        person_id=identity.person_id, candidate_person_id=candidate_person_id, actor=actor.id,
                        reason=reason or None))
        async with self._uow() as uow:
            if not await uow.record_link(referral_id=referral_id, candidate_person_id=candidate_person_id,
                                         decision="confirmed" if confirm else "rejected", actor=actor.id,
                                         reason=reason or None, at=now):
                raise Conflict("this candidate has already been decided")
            await uow.stage((event, PEOPLE_EVENTS))
            await uow.commit()
