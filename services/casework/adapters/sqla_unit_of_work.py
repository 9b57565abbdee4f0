"""Casework's unit of work on PostgreSQL: referrals and decisions as read models, work items, their timeline.

Inserts fed by the topics are written at commit, one statement per kind for a whole poll; `ON CONFLICT DO
NOTHING` because the inbox already made each event count once, and a referral body replayed from a dead
letter must not fail the poll it lands in.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared.db.unit_of_work import SqlaUnitOfWork
from shared.events.people import ReferralIdentifiedPayload
from shared.events.triage import Decision
from services.casework.adapters.tables import child_names, decisions, person_links, referrals, timeline, work_items
from services.casework.application.ports import Loaded, NewItem
from services.casework.domain.workitems import WorkItem

INSERT_REFERRAL = pg_insert(referrals).on_conflict_do_nothing()
INSERT_DECISION = pg_insert(decisions).on_conflict_do_nothing()
INSERT_WORK_ITEM = pg_insert(work_items).on_conflict_do_nothing()
INSERT_NAME = pg_insert(child_names).on_conflict_do_nothing()


def searchable(name: str | None) -> str | None:
    """Names as searched: lower case, single spaces (the trigram index does the rest)."""
    return " ".join(name.casefold().split()) if name else None


def postcode_key(postcode: str | None) -> str | None:
    return "".join(postcode.upper().split()) if postcode else None


def to_item(row: Row[Any]) -> WorkItem:
    return WorkItem(id=row.id, referral_id=row.referral_id, queue_id=row.queue_id,
                    secondary_queues=tuple(row.secondary_queues), state=row.state, assignee=row.assignee,
                    rag=row.rag, due_at=row.due_at, outcome=row.outcome, sla_warned=row.sla_warned,
                    sla_breached=row.sla_breached)


class SqlaCaseworkUnitOfWork(SqlaUnitOfWork):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._names: set[str] = set()

    async def save_referral(self, *, referral_id: UUID, identified: ReferralIdentifiedPayload) -> None:
        child = identified.referral.child
        given, family = searchable(child.given_name), searchable(child.family_name)
        self._names.update(name for name in (given, family) if name)
        self.write_at_commit(INSERT_REFERRAL, dict(
            referral_id=referral_id, referral=identified.referral.model_dump(mode="json"),
            received_at=identified.received_at, person_id=identified.person_id, match_grade=identified.grade,
            match_score=identified.score, candidates=[c.model_dump(mode="json") for c in identified.candidates],
            child_given=given, child_family=family, child_dob=child.date_of_birth,
            child_postcode=postcode_key(child.postcode), child_nhs=child.nhs_number))

    async def commit(self) -> None:
        """New names first, sorted: two consumers adding the same names take their locks in one order."""
        if self._names:
            await self.conn.execute(INSERT_NAME, [{"name": name} for name in sorted(self._names)])
            self._names.clear()
        await super().commit()

    async def record_link(self, *, referral_id: UUID, candidate_person_id: UUID, decision: str, actor: str,
                          reason: str | None, at: datetime) -> bool:
        """False when this candidate of this referral was already decided (the first decision stands)."""
        done = await self.conn.execute(pg_insert(person_links).on_conflict_do_nothing().values(
            referral_id=referral_id, candidate_person_id=candidate_person_id, decision=decision, actor=actor,
            reason=reason, at=at).returning(person_links.c.referral_id))
        return done.first() is not None

    async def open_case(self, *, referral_id: UUID, decision: Decision, received_at: datetime,
                        decision_due_at: datetime, correlation_id: UUID, items: Sequence[NewItem]) -> None:
        self.write_at_commit(INSERT_DECISION, dict(referral_id=referral_id, decision=decision.model_dump(mode="json"),
                                                   received_at=received_at, decision_due_at=decision_due_at))
        for item in items:
            self.write_at_commit(INSERT_WORK_ITEM, dict(
                id=item.id, referral_id=referral_id, queue_id=item.queue_id,
                secondary_queues=list(item.secondary_queues), rag=item.rag, due_at=item.due_at,
                decision_due_at=decision_due_at, correlation_id=correlation_id, created_at=received_at,
                primary_item_id=item.primary_item_id))

    async def lock_item(self, item_id: UUID) -> Loaded | None:
        row = (await self.conn.execute(select(work_items).where(work_items.c.id == item_id)
                                       .with_for_update())).first()
        return Loaded(to_item(row), row.correlation_id or row.referral_id) if row else None

    async def lock_primary_item(self, referral_id: UUID) -> Loaded | None:
        w = work_items.c
        row = (await self.conn.execute(select(work_items).where(w.referral_id == referral_id,
                                                                w.primary_item_id.is_(None))
                                       .with_for_update())).first()
        return Loaded(to_item(row), row.correlation_id or row.referral_id) if row else None

    async def record_decision(self, *, referral_id: UUID, decision: Decision) -> None:
        await self.conn.execute(update(decisions).where(decisions.c.referral_id == referral_id)
                                .values(decision=decision.model_dump(mode="json")))

    async def lock_open_items(self) -> list[tuple[Loaded, datetime]]:
        rows = await self.conn.execute(select(work_items).where(work_items.c.state != "closed",
                                                                work_items.c.sla_breached.is_(False))
                                       .with_for_update(skip_locked=True))
        return [(Loaded(to_item(r), r.correlation_id or r.referral_id), r.created_at) for r in rows]

    async def save_item(self, item: WorkItem) -> None:
        await self.conn.execute(update(work_items).where(work_items.c.id == item.id).values(
            queue_id=item.queue_id, state=item.state, assignee=item.assignee, outcome=item.outcome,
            rag=item.rag, due_at=item.due_at, sla_warned=item.sla_warned, sla_breached=item.sla_breached))

    async def add_timeline(self, item: WorkItem, event: Any) -> None:
        details = event.payload.model_dump(mode="json", exclude={"work_item_id", "rag", "due_at", "actor"},
                                           exclude_none=True)
        await self.conn.execute(insert(timeline).values(event_id=event.event_id, work_item_id=item.id,
                                                        event_type=event.event_type, actor=event.payload.actor,
                                                        details=details, at=event.occurred_at))
