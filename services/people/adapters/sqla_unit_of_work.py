"""People's unit of work on PostgreSQL.

Reads (candidates, name counts, persons' histories) go to the database at once, one statement for all of a
poll's records; new sightings, keys and persons are written at commit, one statement per kind for a whole poll
(the use case matches later records of the poll against earlier ones in memory). A poll of 500 referrals is about
a dozen round trips, not several thousand: people drained a pile of referrals at 117-130/s when it read per
referral, 240-258/s since. Changes from later topics are single updates.
"""

import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Integer, column, literal, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared.db.unit_of_work import SqlaUnitOfWork
from shared.events.people import Candidate, OpenWork, PastReferral
from services.people.adapters.tables import name_counts, persons, rejected_links, sighting_keys, sightings, work
from services.people.application.ports import KnownHistory, Matched
from services.people.domain.frequencies import NameCounts
from services.people.domain.matching import MatchResult
from services.people.domain.records import ChildRecord, Sighting

INSERT_PERSON = pg_insert(persons).on_conflict_do_nothing()
INSERT_SIGHTING = pg_insert(sightings).on_conflict_do_nothing()
INSERT_KEY = pg_insert(sighting_keys).on_conflict_do_nothing()
_counted = pg_insert(name_counts)
COUNT_NAME = _counted.on_conflict_do_update(index_elements=["kind", "name"],
                                            set_={"count": name_counts.c.count + _counted.excluded.count})
ALL = ("all", "")
MAX_SIGHTINGS = 500
KEY_LOCKS = 0x70656F70  # "peop": the advisory-lock class of blocking-key buckets (two-int form: its own space)
RECORD_ROUTES = text("""
WITH seen AS (
    UPDATE people.sightings SET primary_queue = :primary_queue WHERE referral_id = CAST(:referral_id AS uuid)
    RETURNING person_id
)
INSERT INTO people.work (work_item_id, referral_id, person_id, queue_id)
SELECT w.id, CAST(:referral_id AS uuid), seen.person_id, w.queue
FROM seen, unnest(CAST(:work_item_ids AS uuid[]), CAST(:queue_ids AS text[])) AS w(id, queue)
ON CONFLICT DO NOTHING
""")
LOCK_BUCKETS = text("SELECT pg_advisory_xact_lock(:cls, b) FROM unnest(CAST(:buckets AS int[])) WITH ORDINALITY "
                    "AS t(b, n) ORDER BY n")
KEY_BUCKETS = 256  # keys share 256 locks: fewer lock-table entries, still rarely two children on one lock
LINKING = text("SELECT pg_advisory_xact_lock(:cls, 0)")  # one link at a time (class LINK_LOCKS)
LINK_LOCKS = 0x6C696E6B  # "link"
MAX_JOINS = 100  # a chain of joins longer than this is a loop: refused rather than followed for ever
SIGHTINGS_UNDER = text(
    "SELECT q.i, x.person_id, x.record FROM (SELECT DISTINCT i FROM unnest(CAST(:sets AS int[])) AS i) q "
    "CROSS JOIN LATERAL (SELECT DISTINCT s.person_id, s.record FROM people.sightings s WHERE s.referral_id IN "
    "(SELECT k.referral_id FROM people.sighting_keys k JOIN unnest(CAST(:sets AS int[]), CAST(:keys AS text[])) "
    "AS u(i, key) ON k.key = u.key WHERE u.i = q.i) LIMIT :limit) x"
).columns(column("i", Integer), sightings.c.person_id, sightings.c.record)


def record_json(record: ChildRecord) -> dict[str, Any]:
    data = asdict(record)
    data["family"] = list(record.family)
    data["date_of_birth"] = record.date_of_birth.isoformat() if record.date_of_birth else None
    return data


def record_from(data: dict[str, Any]) -> ChildRecord:
    dob = data.get("date_of_birth")
    return ChildRecord(**{**data, "family": tuple(data["family"]), "date_of_birth": date.fromisoformat(dob) if dob
                          else None})


class SqlaPeopleUnitOfWork(SqlaUnitOfWork):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen_names: Counter[tuple[str, str]] = Counter()

    async def lock_keys(self, keys: Iterable[str]) -> None:
        """Transaction-scoped advisory locks on the keys' buckets (two-int form, class KEY_LOCKS), taken in
        bucket order so two replicas never deadlock; at most KEY_BUCKETS locks, whatever the batch."""
        buckets = sorted({zlib.crc32(key.encode()) % KEY_BUCKETS for key in keys})
        if buckets:
            await self.conn.execute(LOCK_BUCKETS, {"cls": KEY_LOCKS, "buckets": buckets})

    async def hold_for_linking(self, person_ids: Iterable[UUID]) -> None:
        """The link lock first, then (the joins being stable under it) the keys of the persons they now are."""
        await self.conn.execute(LINKING, {"cls": LINK_LOCKS})
        current = [await self.current_person(person_id) for person_id in set(person_ids)]
        keys = (select(sighting_keys.c.key).distinct()
                .join(sightings, sightings.c.referral_id == sighting_keys.c.referral_id)
                .where(sightings.c.person_id.in_(current)))
        await self.lock_keys((await self.conn.execute(keys)).scalars())

    async def current_person(self, person_id: UUID) -> UUID:
        for _ in range(MAX_JOINS):
            into = await self.conn.scalar(select(persons.c.merged_into).where(persons.c.person_id == person_id))
            if into is None:
                return person_id
            person_id = into
        raise RuntimeError(f"person {person_id}: more than {MAX_JOINS} joins in a row (a loop)")

    async def sightings_under(self, key_sets: Sequence[Iterable[str]]) -> list[list[Sighting]]:
        """For each set of keys, each distinct record of each person under them (a child referred a hundred times
        in the same words is compared once), at most MAX_SIGHTINGS a set: a key that common is no evidence anyway.
        One statement for a whole poll (a lateral look per set), not one per referral."""
        pairs = [(i, key) for i, keys in enumerate(key_sets) for key in keys]
        if not pairs:
            return [[] for _ in key_sets]
        rows = await self.conn.execute(SIGHTINGS_UNDER, {"sets": [i for i, _ in pairs], "keys": [k for _, k in pairs],
                                                         "limit": MAX_SIGHTINGS})
        found: list[list[Sighting]] = [[] for _ in key_sets]
        for row in rows:
            found[row.i].append(Sighting(row.person_id, record_from(row.record)))
        return found

    async def name_counts_of(self, records: Sequence[ChildRecord]) -> list[NameCounts]:
        """How often each record's names were seen before this poll; one statement for all the records."""
        wanted = {ALL, *(w for r in records for w in (("given", r.given), *(("family", p) for p in r.family)))}
        n = name_counts.c
        rows = await self.conn.execute(select(n.kind, n.name, n.count)
                                       .where(tuple_(n.kind, n.name).in_(sorted(wanted))))
        found: dict[tuple[str, str], int] = {(r.kind, r.name): r[2] for r in rows}
        return [NameCounts(given=found.get(("given", r.given), 0), total=found.get(ALL, 0),
                           family={part: found.get(("family", part), 0) for part in r.family}) for r in records]

    async def histories_of(self, person_ids: Iterable[UUID], since: datetime) -> dict[UUID, KnownHistory]:
        """Each person's referrals received since `since`, open work and confirmed link: three statements for any
        number of persons."""
        ids, s, w, p = list(set(person_ids)), sightings.c, work.c, persons.c
        if not ids:
            return {}
        past = await self.conn.execute(select(s.person_id, s.referral_id, s.received_at, s.primary_queue, s.outcome)
                                       .where(s.person_id.in_(ids), s.received_at >= since))
        open_work = await self.conn.execute(select(w.person_id, w.work_item_id, w.referral_id, w.queue_id)
                                            .where(w.person_id.in_(ids), w.open))
        confirmed: set[UUID] = set((await self.conn.execute(select(p.person_id).where(p.person_id.in_(ids),
                                                                            p.link_confirmed))).scalars())
        known = {i: KnownHistory(referrals=[], open_work=[], link_confirmed=i in confirmed) for i in ids}
        for r in past:
            known[r.person_id].referrals.append(PastReferral(referral_id=r.referral_id, received_at=r.received_at,
                                                             primary_queue=r.primary_queue, outcome=r.outcome))
        for r in open_work:
            known[r.person_id].open_work.append(OpenWork(work_item_id=r.work_item_id, referral_id=r.referral_id,
                                                         queue_id=r.queue_id))
        return known

    async def matched(self, referral_id: UUID) -> Matched | None:
        row = (await self.conn.execute(select(sightings.c.received_at, sightings.c.candidates)
                                       .where(sightings.c.referral_id == referral_id))).first()
        return Matched(row.received_at, [Candidate.model_validate(c) for c in row.candidates]) if row else None

    async def add_sighting(self, *, referral_id: UUID, person_id: UUID, new_person: bool, record: ChildRecord,
                           keys: set[str], received_at: datetime, result: MatchResult) -> None:
        if new_person:
            self.write_at_commit(INSERT_PERSON, {"person_id": person_id})
        self.write_at_commit(INSERT_SIGHTING, dict(
            referral_id=referral_id, person_id=person_id, record=record_json(record), received_at=received_at,
            grade=result.grade, score=result.score, matcher_version=result.matcher_version,
            candidates=[{"person_id": str(c.person_id), "grade": c.grade, "score": c.score}
                        for c in result.candidates]))
        for key in sorted(keys):
            self.write_at_commit(INSERT_KEY, {"key": key, "referral_id": referral_id})
        self._seen_names.update([ALL, ("given", record.given), *(("family", part) for part in set(record.family))])

    async def commit(self) -> None:
        """Name counts go as one row per name (a statement may not change one row twice)."""
        for (kind, name), count in self._seen_names.items():
            self.write_at_commit(COUNT_NAME, {"kind": kind, "name": name, "count": count})
        self._seen_names.clear()
        await super().commit()

    async def record_routes(self, *, referral_id: UUID, primary_queue: str, work: list[tuple[UUID, str]]) -> None:
        """One statement: the route on the referral's sighting, and its work under the sighting's person (none
        when people never identified the referral: it was made before the person index existed)."""
        await self.conn.execute(RECORD_ROUTES, {"referral_id": referral_id, "primary_queue": primary_queue,
                                                "work_item_ids": [item_id for item_id, _ in work],
                                                "queue_ids": [queue for _, queue in work]})

    async def record_work_change(self, *, work_item_id: UUID, queue_id: str, closed_with: str | None) -> None:
        changed = (update(work).where(work.c.work_item_id == work_item_id)
                   .values(queue_id=queue_id, open=closed_with is None).returning(work.c.referral_id))
        referral_id = await self.conn.scalar(changed)
        if referral_id is not None and closed_with is not None:
            await self.conn.execute(update(sightings).where(sightings.c.referral_id == referral_id)
                                    .values(outcome=closed_with))

    async def rejected_pairs(self, person_ids: Iterable[UUID]) -> set[frozenset[UUID]]:
        ids, r = list(person_ids), rejected_links.c
        rows = await self.conn.execute(select(r.person_id, r.candidate_person_id)
                                       .where(r.person_id.in_(ids) | r.candidate_person_id.in_(ids)))
        return {frozenset((row.person_id, row.candidate_person_id)) for row in rows}

    async def link(self, *, person_id: UUID, into: UUID) -> None:
        """Re-point the person's sightings and work into `into`, which also inherits every "different child"
        a practitioner recorded for the person (if A is not B and A is C, C is not B)."""
        for table in (sightings, work):
            await self.conn.execute(update(table).where(table.c.person_id == person_id).values(person_id=into))
        r = rejected_links.c
        for mine, other in ((r.person_id, r.candidate_person_id), (r.candidate_person_id, r.person_id)):
            inherited = select(literal(into, type_=r.person_id.type), other).where(
                mine == person_id, other != into)
            await self.conn.execute(pg_insert(rejected_links).from_select(["person_id", "candidate_person_id"],
                                                                          inherited).on_conflict_do_nothing())
        await self.conn.execute(update(persons).where(persons.c.person_id == person_id).values(merged_into=into))
        await self.conn.execute(update(persons).where(persons.c.person_id == into).values(link_confirmed=True))

    async def reject(self, *, person_id: UUID, candidate_person_id: UUID) -> None:
        await self.conn.execute(pg_insert(rejected_links).on_conflict_do_nothing()
                                .values(person_id=person_id, candidate_person_id=candidate_person_id))
