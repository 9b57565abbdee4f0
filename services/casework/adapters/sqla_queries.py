"""Read models for the staff API and console: queues, their items in working order, one item in full."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events.codes import QueueId
from services.casework.adapters.sqla_unit_of_work import to_item
from services.casework.adapters.tables import decisions, referrals, timeline, work_items
from services.casework.domain.sla import queue_order
from services.casework.domain.urgency import RAG_ORDER
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
    person_id: UUID | None = None  # who the referral is about (None until identified)
    match_grade: str | None = None
    candidates: list[dict] | None = None  # possible earlier records of the child, for a practitioner


@dataclass(frozen=True)
class TrayRow:
    """A work item as a tray lists it: who the child is and why they are here, not a UUID."""

    item: WorkItem
    child: dict | None  # None until the referral's identified copy has arrived
    referrer_organisation: str | None
    concerns: list[str]
    received_at: datetime
    re_referral: bool
    open_case: bool  # joins open statutory work
    unconfirmed_identity: bool  # candidates wait for a practitioner


TRAY_PAGE = 100  # a console page: the most urgent hundred first


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

    async def tray(self, queue: str, offset: int = 0, limit: int = TRAY_PAGE) -> list[TrayRow]:
        """A page of a queue's open items, most urgent first (`domain/sla.queue_order`, in SQL, so a queue of
        thousands reads only the page it shows); one more than a page tells whether a next page exists."""
        w = work_items.c
        rag_rank = case(*((w.rag == rag, rank) for rag, rank in RAG_ORDER.items()), else_=3)
        urgency = (w.sla_breached.desc(), rag_rank, w.due_at, w.id)
        page = (select(w.id).where(w.queue_id == queue, w.state != "closed").order_by(*urgency)
                .offset(offset).limit(limit).subquery())  # the page's ids first: only they are joined and read
        query = (select(work_items, referrals.c.referral, referrals.c.match_grade, decisions.c.decision,
                        decisions.c.received_at.label("received"))
                 .join(page, page.c.id == w.id)
                 .join(decisions, decisions.c.referral_id == w.referral_id)
                 .outerjoin(referrals, referrals.c.referral_id == w.referral_id)
                 .order_by(*urgency))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        tray = [TrayRow(to_item(r), (r.referral or {}).get("child"),
                        ((r.referral or {}).get("referrer") or {}).get("organisation"),
                        (r.referral or {}).get("concerns") or [], r.received,
                        bool(r.decision.get("re_referral_within_12_months")),
                        bool(r.decision.get("joins_work_item_id")), r.match_grade in ("probable", "possible"))
                for r in rows]
        return sorted(tray, key=lambda row: queue_order(row.item))

    async def detail(self, *, item_id=None, referral_id=None, queues: list[str] | None = None) -> ItemDetail | None:
        """One item: by id, or a referral's item on one of `queues` (a notification's link opens the work of
        the team that follows it), else the referral's primary item."""
        w = work_items.c
        condition = w.id == item_id if item_id else w.referral_id == referral_id
        mine_first = w.queue_id.in_(queues or []).desc()
        query = (select(work_items, decisions.c.decision, referrals.c.referral, decisions.c.received_at,
                        referrals.c.person_id, referrals.c.match_grade, referrals.c.candidates)
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
                          linked, row.person_id, row.match_grade, row.candidates)


ALL_QUEUES = [q.value for q in QueueId]
