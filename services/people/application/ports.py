"""What people's use cases need from the outside world, as small protocols (fakes in tests/support)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.events.people import Candidate, OpenWork, PastReferral
from shared.messaging.ports import EventTransaction
from services.people.domain.frequencies import NameCounts
from services.people.domain.matching import MatchResult
from services.people.domain.records import ChildRecord, Sighting


@dataclass(frozen=True)
class Matched:
    """What the index recorded when it matched one referral."""

    received_at: datetime
    candidates: list[Candidate]


@dataclass(frozen=True)
class KnownHistory:
    referrals: list[PastReferral]
    open_work: list[OpenWork]
    link_confirmed: bool


class PeopleUnitOfWork(EventTransaction, Protocol):
    """One transaction: de-duplicate, read and change the person index, stage events; all or nothing."""

    async def lock_keys(self, keys: Iterable[str]) -> None:
        """Hold these blocking keys until commit: replicas identifying the same child take turns, so the second
        sees the first's sighting instead of both making a new person (a missed repeat referral)."""

    async def sightings_under(self, key_sets: Sequence[Iterable[str]]) -> list[list[Sighting]]:
        """For each set of blocking keys, the stored sightings under any of them (a poll's records at once)."""
        ...

    async def name_counts_of(self, records: Sequence[ChildRecord]) -> list[NameCounts]:
        """For each record, how often its names were seen before (for the matcher's frequency weights)."""
        ...

    async def histories_of(self, person_ids: Iterable[UUID], since: datetime) -> dict[UUID, KnownHistory]:
        """Each person's referrals received since `since`, their open work, whether a link was confirmed."""
        ...

    async def matched(self, referral_id: UUID) -> Matched | None:
        """The referral's sighting (None for a referral the index never identified)."""
        ...

    async def add_sighting(self, *, referral_id: UUID, person_id: UUID, new_person: bool, record: ChildRecord,
                           keys: set[str], received_at: datetime, result: MatchResult) -> None: ...

    async def record_routes(self, *, referral_id: UUID, primary_queue: str, work: list[tuple[UUID, str]]) -> None: ...

    async def record_work_change(self, *, work_item_id: UUID, queue_id: str, closed_with: str | None) -> None: ...

    async def rejected_pairs(self, person_ids: Iterable[UUID]) -> set[frozenset[UUID]]:
        """The pairs a practitioner said are different children, among those involving `person_ids`."""
        ...

    async def hold_for_linking(self, person_ids: Iterable[UUID]) -> None:
        """Hold, until commit, what joining these persons changes: links are made one at a time (two
        confirmations about the same children must not join each into the other), and the blocking keys of
        the persons' sightings, so an identification that could attach a new referral to one of them waits
        instead of attaching it to a person that is being joined into another."""

    async def current_person(self, person_id: UUID) -> UUID:
        """Who `person_id` is now: itself, or the person it was joined into (after every join since)."""
        ...

    async def link(self, *, person_id: UUID, into: UUID) -> None: ...

    async def reject(self, *, person_id: UUID, candidate_person_id: UUID) -> None: ...


UnitOfWorkFactory = Callable[[], PeopleUnitOfWork]
