"""Triage's unit of work on Postgres: decisions, work items, their timeline."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select, update

from shared.db.unit_of_work import SqlaUnitOfWork
from shared.events.referral import ReferralV1
from shared.events.triage import Decision
from services.triage.adapters.tables import decisions
from services.triage.application.ports import StoredDecision

INSERT_DECISION = insert(decisions)


class SqlaTriageUnitOfWork(SqlaUnitOfWork):
    """Decisions are written at commit, one statement for a whole batch."""

    async def decided(self, referral_ids: Sequence[UUID]) -> set[UUID]:
        rows = await self.conn.execute(select(decisions.c.referral_id)
                                       .where(decisions.c.referral_id.in_(list(referral_ids))))
        return {row.referral_id for row in rows}

    async def save_decision(self, *, referral_id: UUID, referral: ReferralV1, decision: Decision,
                            received_at: datetime) -> None:
        self.write_at_commit(INSERT_DECISION, dict(
            referral_id=referral_id, referral=referral.model_dump(mode="json"),
            decision=decision.model_dump(mode="json"), ruleset_version=decision.ruleset_version,
            primary_queue=decision.primary_queue.value, received_at=received_at))

    async def decision_of(self, referral_id: UUID) -> StoredDecision | None:
        d = decisions.c
        row = (await self.conn.execute(select(d.referral, d.received_at, d.decision)
                                       .where(d.referral_id == referral_id))).first()
        return StoredDecision(ReferralV1.model_validate(row.referral), row.received_at,
                              Decision.model_validate(row.decision)) if row else None

    async def replace_decision(self, *, referral_id: UUID, decision: Decision) -> None:
        await self.conn.execute(update(decisions).where(decisions.c.referral_id == referral_id).values(
            decision=decision.model_dump(mode="json"), ruleset_version=decision.ruleset_version,
            primary_queue=decision.primary_queue.value))
