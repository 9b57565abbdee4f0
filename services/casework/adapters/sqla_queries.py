"""Read models for the staff API and console: queues, their items in working order, one item in full."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events.codes import QueueId
from services.casework.adapters.sqla_unit_of_work import to_item
from services.casework.adapters.tables import decisions, referrals, timeline, work_items
from services.casework.domain.sla import queue_order
from services.casework.domain.workitems import WorkItem


@dataclass(frozen=True)
class QueueSummary:
    queue_id: str
    open: int
    breached: int
    red: int


@dataclass(frozen=True)
class ItemDetail:
    item: WorkItem
    decision: dict
    referral: dict | None  # None until its `referrals.received` copy has arrived (topics are read apart)
    received_at: datetime
    decision_due_at: datetime
    timeline: list[dict]
    linked: list[WorkItem]  # the referral's other work items (parallel work), primary first


class SqlaWorkItemQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def summaries(self, queues: list[str]) -> list[QueueSummary]:
        w = work_items.c
        query = (select(w.queue_id, func.count().label("open"),
                        func.count().filter(w.sla_breached).label("breached"),
                        func.count().filter(w.rag == "red").label("red"))
                 .where(w.state != "closed", w.queue_id.in_(queues)).group_by(w.queue_id))
        async with self._engine.connect() as conn:
            found = {r.queue_id: r for r in await conn.execute(query)}
        return [QueueSummary(q, *(getattr(found.get(q), k, 0) for k in ("open", "breached", "red"))) for q in queues]

    async def open_items(self, queue: str) -> list[WorkItem]:
        w = work_items.c
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(work_items).where(w.queue_id == queue, w.state != "closed"))
            return sorted((to_item(r) for r in rows), key=queue_order)

    async def detail(self, *, item_id=None, referral_id=None, queues: list[str] | None = None) -> ItemDetail | None:
        """One item: by id, or a referral's item on one of `queues` (a notification's link opens the work of
        the team that follows it), else the referral's primary item."""
        w = work_items.c
        condition = w.id == item_id if item_id else w.referral_id == referral_id
        mine_first = w.queue_id.in_(queues or []).desc()
        query = (select(work_items, decisions.c.decision, referrals.c.referral, decisions.c.received_at)
                 .join(decisions, decisions.c.referral_id == w.referral_id)
                 .outerjoin(referrals, referrals.c.referral_id == w.referral_id).where(condition)
                 .order_by(mine_first, w.primary_item_id.is_not(None)))
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
            if row is None:
                return None
            events = await conn.execute(select(timeline).where(timeline.c.work_item_id == row.id)
                                        .order_by(timeline.c.at))
            entries = [{"event_type": e.event_type, "actor": e.actor, "at": e.at, **e.details} for e in events]
            others = await conn.execute(select(work_items).where(w.referral_id == row.referral_id, w.id != row.id)
                                        .order_by(w.primary_item_id.is_not(None), w.queue_id))
            linked = [to_item(r) for r in others]
        return ItemDetail(to_item(row), row.decision, row.referral, row.received_at, row.decision_due_at, entries,
                          linked)


ALL_QUEUES = [q.value for q in QueueId]
