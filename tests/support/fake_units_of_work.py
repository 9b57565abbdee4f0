"""In-memory units of work for the use cases of triage, casework, people and audit (unit tests, no I/O).

Like `SqlaUnitOfWork`, nothing a transaction writes is visible until `commit()`; leaving the block without
committing rolls it back. The inbox makes a redelivered event count once; staged events land in `outbox`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.events.people import Candidate, OpenWork, PastReferral
from services.casework.application.ports import Loaded, NewItem
from services.casework.domain.workitems import WorkItem
from services.people.application.ports import KnownHistory, Matched
from services.people.domain.frequencies import NameCounts
from services.people.domain.records import Sighting
from services.triage.application.ports import StoredDecision


@dataclass
class Store:
    inbox: set[UUID] = field(default_factory=set)
    outbox: list[tuple[Any, str]] = field(default_factory=list)
    commits: int = 0
    decisions: dict[UUID, Any] = field(default_factory=dict)  # triage
    decided_referrals: dict[UUID, tuple[Any, datetime]] = field(default_factory=dict)  # triage: body, received
    referrals: dict[UUID, Any] = field(default_factory=dict)  # casework: bodies
    cases: dict[UUID, dict] = field(default_factory=dict)  # casework: decision and deadlines
    items: dict[UUID, tuple[WorkItem, UUID, datetime]] = field(default_factory=dict)  # item, correlation, created
    timeline: list[tuple[UUID, str]] = field(default_factory=list)
    parallel: set[UUID] = field(default_factory=set)  # casework: items opened as parallel work
    links: dict[tuple[UUID, UUID], str] = field(default_factory=dict)  # casework: link decisions
    sightings: list[tuple[set[str], Any, UUID, datetime]] = field(default_factory=list)  # people: keys, sighting
    routes: dict[UUID, str] = field(default_factory=dict)  # people: referral -> primary queue
    work: dict[UUID, tuple[UUID, str, bool]] = field(default_factory=dict)  # people: item -> referral, queue, open
    merged: dict[UUID, UUID] = field(default_factory=dict)  # people: person -> the person it joined
    matched: dict[UUID, tuple[datetime, list]] = field(default_factory=dict)  # people: received_at, candidates
    locked: list[set[str]] = field(default_factory=list)  # people: the blocking keys each transaction locked

    def topics(self) -> list[tuple[str, str]]:
        return [(event.event_type, topic) for event, topic in self.outbox]


class FakeUnitOfWork:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: list[Callable[[], None]] = []

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._pending = []

    def _later(self, write: Callable[[], None]) -> None:
        self._pending.append(write)

    async def first_deliveries(self, event_ids) -> set[UUID]:
        fresh = {i for i in event_ids if i not in self.store.inbox}
        self._later(lambda: self.store.inbox.update(fresh))
        return set(fresh)

    async def stage(self, *events) -> None:
        self._later(lambda: self.store.outbox.extend(events))

    async def commit(self) -> None:
        for write in self._pending:
            write()
        self._pending = []
        self.store.commits += 1


class FakeTriageUnitOfWork(FakeUnitOfWork):
    async def decided(self, referral_ids) -> set[UUID]:
        return {r for r in referral_ids if r in self.store.decisions}

    async def save_decision(self, *, referral_id, referral, decision, received_at) -> None:
        def write() -> None:
            self.store.decisions[referral_id] = decision
            self.store.decided_referrals[referral_id] = (referral, received_at)
        self._later(write)

    async def decision_of(self, referral_id) -> StoredDecision | None:
        if referral_id not in self.store.decisions:
            return None
        referral, received_at = self.store.decided_referrals[referral_id]
        return StoredDecision(referral, received_at, self.store.decisions[referral_id])

    async def replace_decision(self, *, referral_id, decision) -> None:
        self._later(lambda: self.store.decisions.__setitem__(referral_id, decision))


class FakeCaseworkUnitOfWork(FakeUnitOfWork):
    async def save_referral(self, *, referral_id, identified) -> None:
        self._later(lambda: self.store.referrals.setdefault(referral_id, identified.referral))

    async def record_link(self, *, referral_id, candidate_person_id, decision, actor, reason, at) -> bool:
        key = (referral_id, candidate_person_id)
        if key in self.store.links:
            return False
        self._later(lambda: self.store.links.setdefault(key, decision))
        return True

    async def open_case(self, *, referral_id, decision, received_at, decision_due_at, correlation_id,
                        items: list[NewItem]) -> None:
        def write() -> None:
            self.store.cases.setdefault(referral_id, {"decision": decision, "decision_due_at": decision_due_at})
            for new in items:
                item = WorkItem(id=new.id, referral_id=referral_id, queue_id=new.queue_id,
                                secondary_queues=new.secondary_queues, state="new", assignee=None, rag=new.rag,
                                due_at=new.due_at)
                self.store.items.setdefault(new.id, (item, correlation_id, received_at))
                if new.primary_item_id is not None:
                    self.store.parallel.add(new.id)
        self._later(write)

    async def lock_item(self, item_id) -> Loaded | None:
        found = self.store.items.get(item_id)
        return Loaded(found[0], found[1]) if found else None

    async def lock_primary_item(self, referral_id) -> Loaded | None:
        return next((Loaded(item, correlation) for item, correlation, _ in self.store.items.values()
                     if item.referral_id == referral_id and item.id not in self.store.parallel), None)

    async def record_decision(self, *, referral_id, decision) -> None:
        self._later(lambda: self.store.cases.setdefault(referral_id, {}).__setitem__("decision", decision))

    async def lock_open_items(self) -> list[tuple[Loaded, datetime]]:
        return [(Loaded(item, correlation), created) for item, correlation, created in self.store.items.values()
                if item.state != "closed" and not item.sla_breached]

    async def save_item(self, item: WorkItem) -> None:
        _, correlation, created = self.store.items[item.id]
        self._later(lambda: self.store.items.__setitem__(item.id, (replace(item), correlation, created)))

    async def add_timeline(self, item: WorkItem, event) -> None:
        self._later(lambda: self.store.timeline.append((item.id, event.event_type)))


class FakePeopleUnitOfWork(FakeUnitOfWork):
    """The person index in memory: sightings with their keys, routes, work and merges."""

    async def lock_keys(self, keys) -> None:
        self.store.locked.append(set(keys))

    async def sightings_under(self, key_sets) -> list[list[Sighting]]:
        return [[Sighting(self._person(s.person_id), s.record) for k, s, _, _ in self.store.sightings if k & set(keys)]
                for keys in key_sets]

    async def name_counts_of(self, records) -> list[NameCounts]:
        seen = [s.record for _, s, _, _ in self.store.sightings]
        return [NameCounts(given=sum(r.given == record.given for r in seen), total=len(seen),
                           family={p: sum(p in r.family for r in seen) for p in record.family}) for record in records]

    async def histories_of(self, person_ids, since) -> dict[UUID, KnownHistory]:
        return {person_id: self._history_of(person_id, since) for person_id in set(person_ids)}

    def _history_of(self, person_id, since) -> KnownHistory:
        mine = [(rid, at) for _, s, rid, at in self.store.sightings if self._person(s.person_id) == person_id
                and at >= since]
        return KnownHistory(
            referrals=[PastReferral(referral_id=rid, received_at=at, primary_queue=self.store.routes.get(rid))
                       for rid, at in mine],
            open_work=[OpenWork(work_item_id=item, referral_id=rid, queue_id=queue)
                       for item, (rid, queue, is_open) in self.store.work.items()
                       if is_open and rid in {r for r, _ in mine}],
            link_confirmed=person_id in self.store.merged.values())

    async def matched(self, referral_id) -> Matched | None:
        found = self.store.matched.get(referral_id)
        return Matched(found[0], list(found[1])) if found else None

    async def add_sighting(self, *, referral_id, person_id, new_person, record, keys, received_at, result) -> None:
        def write() -> None:
            self.store.sightings.append((set(keys), Sighting(person_id, record), referral_id, received_at))
            self.store.matched[referral_id] = (received_at, [Candidate(person_id=c.person_id, grade=c.grade,
                                                                       score=c.score) for c in result.candidates])
        self._later(write)

    async def record_routes(self, *, referral_id, primary_queue, work) -> None:
        def write() -> None:
            self.store.routes[referral_id] = primary_queue
            for item, queue in work:
                self.store.work[item] = (referral_id, queue, True)
        self._later(write)

    async def record_work_change(self, *, work_item_id, queue_id, closed_with) -> None:
        rid = self.store.work[work_item_id][0]
        self._later(lambda: self.store.work.__setitem__(work_item_id, (rid, queue_id, closed_with is None)))

    async def rejected_pairs(self, person_ids) -> set[frozenset[UUID]]:
        wanted = set(person_ids)
        return {frozenset(pair) for pair, verdict in self.store.links.items()
                if verdict == "rejected" and set(pair) & wanted}

    async def hold_for_linking(self, person_ids) -> None:
        self.store.locked.append({f"linking:{p}" for p in person_ids})

    async def current_person(self, person_id) -> UUID:
        return self._person(person_id)

    async def link(self, *, person_id, into) -> None:
        def write() -> None:
            self.store.merged[person_id] = into
            for pair, verdict in list(self.store.links.items()):
                if verdict == "rejected" and person_id in pair and into not in pair:
                    other = pair[1] if pair[0] == person_id else pair[0]
                    self.store.links.setdefault((into, other), "rejected")
        self._later(write)

    async def reject(self, *, person_id, candidate_person_id) -> None:
        self._later(lambda: self.store.links.__setitem__((person_id, candidate_person_id), "rejected"))

    def _person(self, person_id):
        while person_id in self.store.merged:
            person_id = self.store.merged[person_id]
        return person_id
