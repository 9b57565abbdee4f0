"""Use case: identify each received referral's child and publish it with what is known of them.

- Candidates come from the blocking keys (a few index lookups); the pure matcher grades them.
- Only a certain match attaches the referral to a known person; otherwise a new person is made, whose id is
  derived from the referral's (a redelivery would make the same one), and the candidates are listed.
- The history snapshot (earlier referrals in 12 months, open work) travels in `referrals.identified`, so
  triage decides from the event alone and replay needs no live index.
- A poll is one transaction; records matched earlier in the poll are candidates for the later ones.
- A candidate a practitioner rejected for this person is not offered again.
- Replicas: the poll's blocking keys are locked first (until commit), so two replicas never identify the same
  child at once without seeing each other's sightings.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from shared.clock import Clock
from shared.events import ReferralIdentified, ReferralReceived
from shared.events.people import Candidate, PastReferral, ReferralIdentifiedPayload
from shared.events.topics import REFERRALS_IDENTIFIED
from shared.messaging.ports import first_time
from services.people.application.batch_index import InMemoryIndex
from services.people.application.ports import KnownHistory, PeopleUnitOfWork, UnitOfWorkFactory
from services.people.domain.blocking import index_keys, lookup_keys
from services.people.domain.frequencies import NameCounts
from services.people.domain.history import snapshot, twelve_months_before
from services.people.domain.match_policy import MatchPolicy
from services.people.domain.matching import MatchResult, match, without_rejected
from services.people.domain.records import ChildRecord, Sighting, record_of

PERSON_IDS = uuid5(NAMESPACE_URL, "urn:frontdoor:people")


def new_person_id(record_id: str) -> UUID:
    """The person a record starts when it matches no one for certain: the same record, the same id."""
    return uuid5(PERSON_IDS, record_id)


def candidates_of(result: MatchResult) -> list[Candidate]:
    return [Candidate(person_id=c.person_id, grade=c.grade, score=c.score, reasons=list(c.reasons))
            for c in result.candidates]


@dataclass(frozen=True)
class Identification:
    """One referral matched within its poll: the person it is attached to or starts, and the referrals made
    earlier in the same poll about that person (not yet in the index)."""

    event: ReferralReceived
    record: ChildRecord
    result: MatchResult
    person_id: UUID
    earlier_in_poll: list[PastReferral]


class IdentifyReferrals:
    def __init__(self, *, uow: UnitOfWorkFactory, policy: MatchPolicy, clock: Clock) -> None:
        self._uow, self._policy, self._clock = uow, policy, clock

    async def execute_many(self, events: Sequence[ReferralReceived]) -> None:
        """A poll in one transaction, reading the index a few statements per poll, not per referral: nothing the
        poll writes is read back before commit (records matched earlier in the poll are candidates from memory),
        so every read can be made for all the poll's records at once."""
        async with self._uow() as uow:
            records = {e.event_id: record_of(e.payload.referral.child) for e in events}
            await uow.lock_keys({k for r in records.values() for k in (*lookup_keys(r), *index_keys(r))})
            fresh = await first_time(uow, events)
            matched = await self._match(uow, fresh, [records[e.event_id] for e in fresh])
            involved = {p for m in matched if m.result.candidates
                        for p in (m.person_id, *(c.person_id for c in m.result.candidates))}
            rejected = await uow.rejected_pairs(involved) if involved else set()
            attached = {m.result.attach_to for m in matched if m.result.attach_to}
            known = await uow.histories_of(attached, min(twelve_months_before(m.event.payload.received_at)
                                                         for m in matched)) if attached else {}
            for m in matched:
                await self._record(uow, m, without_rejected(m.result, m.person_id, rejected),
                                   known.get(m.result.attach_to) if m.result.attach_to else None)
            await uow.commit()

    async def _match(self, uow: PeopleUnitOfWork, events: Sequence[ReferralReceived],
                     records: list[ChildRecord]) -> list[Identification]:
        """Match each record against the index as it stood before the poll and the poll's earlier records."""
        stored_counts = await uow.name_counts_of(records)
        stored_sightings = await uow.sightings_under([lookup_keys(r) for r in records])
        in_poll, matched = InMemoryIndex(), []
        for event, record, stored, sightings in zip(events, records, stored_counts, stored_sightings, strict=True):
            keys, recent = lookup_keys(record), in_poll.counts(record)
            counts = NameCounts(given=stored.given + recent.given, total=stored.total + recent.total,
                                family={p: stored.family.get(p, 0) + n for p, n in recent.family.items()})
            result = match(record, [*sightings, *in_poll.find(keys)], self._policy, counts)
            person_id = result.attach_to or new_person_id(str(event.referral_id))
            matched.append(Identification(event, record, result, person_id, list(in_poll.referrals[person_id])))
            in_poll.add(Sighting(person_id, record), index_keys(record))
            in_poll.referrals[person_id].append(PastReferral(referral_id=event.referral_id,
                                                             received_at=event.payload.received_at))
        return matched

    async def _record(self, uow: PeopleUnitOfWork, m: Identification, result: MatchResult,
                      known: KnownHistory | None) -> None:
        p = m.event.payload
        history = snapshot(received_at=p.received_at, referrals=[*(known.referrals if known else []),
                                                                 *m.earlier_in_poll],
                           open_work=known.open_work if known else [],
                           link_confirmed=known.link_confirmed if known else False)
        await uow.add_sighting(referral_id=m.event.referral_id, person_id=m.person_id, new_person=known is None,
                               record=m.record, keys=index_keys(m.record), received_at=p.received_at, result=result)
        identified = m.event.caused(ReferralIdentified, producer="people", occurred_at=self._clock.now(),
                                    payload=ReferralIdentifiedPayload(
                                        referral=p.referral, received_at=p.received_at, partner_id=p.partner_id,
                                        person_id=m.person_id, grade=result.grade, score=result.score,
                                        matcher_version=result.matcher_version, candidates=candidates_of(result),
                                        history=history))
        await uow.stage((identified, REFERRALS_IDENTIFIED))
