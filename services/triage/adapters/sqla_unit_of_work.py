"""Triage's unit of work on Postgres: decisions, work items, their timeline."""

from sqlalchemy import insert, select, update

from shared.db.unit_of_work import SqlaUnitOfWork
from services.triage.adapters.tables import decisions, timeline, work_items
from services.triage.application.work_queue import Loaded
from services.triage.domain.workitems import WorkItem


def to_item(row) -> WorkItem:
    return WorkItem(id=row.id, referral_id=row.referral_id, queue_id=row.queue_id,
                    secondary_queues=tuple(row.secondary_queues), state=row.state, assignee=row.assignee,
                    rag=row.rag, due_at=row.due_at, outcome=row.outcome, sla_warned=row.sla_warned,
                    sla_breached=row.sla_breached)


INSERT_DECISION, INSERT_WORK_ITEM = insert(decisions), insert(work_items)


class SqlaTriageUnitOfWork(SqlaUnitOfWork):
    """Decisions and their work items are written at commit, one statement each for a whole batch."""

    async def save_decision(self, *, referral_id, work_item_id, referral, decision, received_at, due_at,
                            decision_due_at, correlation_id=None, parallel=()) -> None:
        self.write_at_commit(INSERT_DECISION, dict(
            referral_id=referral_id, referral=referral.model_dump(mode="json"),
            decision=decision.model_dump(mode="json"), ruleset_version=decision.ruleset_version,
            primary_queue=decision.primary_queue.value, received_at=received_at))
        self.write_at_commit(INSERT_WORK_ITEM, dict(
            id=work_item_id, referral_id=referral_id, queue_id=decision.primary_queue.value,
            secondary_queues=[q.value for q in decision.secondary_queues], rag=decision.rag.value,
            due_at=due_at, decision_due_at=decision_due_at, correlation_id=correlation_id or referral_id,
            created_at=received_at, primary_item_id=None))
        for work in parallel:
            self.write_at_commit(INSERT_WORK_ITEM, dict(
                id=work.work_item_id, referral_id=referral_id, queue_id=work.queue_id.value, secondary_queues=[],
                rag=work.rag.value, due_at=work.due_at, decision_due_at=decision_due_at,
                correlation_id=correlation_id or referral_id, created_at=received_at, primary_item_id=work_item_id))


    async def lock_item(self, item_id) -> Loaded | None:
        row = (await self.conn.execute(select(work_items).where(work_items.c.id == item_id)
                                       .with_for_update())).first()
        return Loaded(to_item(row), row.correlation_id or row.referral_id) if row else None

    async def lock_open_items(self) -> list[tuple[Loaded, object]]:
        rows = await self.conn.execute(select(work_items).where(work_items.c.state != "closed",
                                                                work_items.c.sla_breached.is_(False))
                                       .with_for_update(skip_locked=True))
        return [(Loaded(to_item(r), r.correlation_id or r.referral_id), r.created_at) for r in rows]

    async def save_item(self, item: WorkItem) -> None:
        await self.conn.execute(update(work_items).where(work_items.c.id == item.id).values(
            queue_id=item.queue_id, state=item.state, assignee=item.assignee, outcome=item.outcome,
            rag=item.rag, due_at=item.due_at, sla_warned=item.sla_warned, sla_breached=item.sla_breached))

    async def add_timeline(self, item: WorkItem, event) -> None:
        details = event.payload.model_dump(mode="json", exclude={"work_item_id", "rag", "due_at", "actor"},
                                           exclude_none=True)
        await self.conn.execute(insert(timeline).values(event_id=event.event_id, work_item_id=item.id,
                                                        event_type=event.event_type, actor=event.payload.actor,
                                                        details=details, at=event.occurred_at))
