"""Triage's unit of work on Postgres."""

from sqlalchemy import insert

from shared.db.unit_of_work import SqlaUnitOfWork
from services.triage.adapters.tables import decisions, work_items


class SqlaTriageUnitOfWork(SqlaUnitOfWork):
    async def save_decision(self, *, referral_id, work_item_id, referral, decision, received_at, due_at,
                            decision_due_at) -> None:
        await self.conn.execute(insert(decisions).values(
            referral_id=referral_id, referral=referral.model_dump(mode="json"),
            decision=decision.model_dump(mode="json"), ruleset_version=decision.ruleset_version,
            primary_queue=decision.primary_queue.value, received_at=received_at))
        await self.conn.execute(insert(work_items).values(
            id=work_item_id, referral_id=referral_id, queue_id=decision.primary_queue.value,
            secondary_queues=[q.value for q in decision.secondary_queues], rag=decision.rag.value,
            due_at=due_at, decision_due_at=decision_due_at))
