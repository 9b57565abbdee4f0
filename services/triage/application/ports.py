"""What the triage use cases need from the outside world, as small protocols."""

from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from shared.events.envelope import EventEnvelope
from shared.events.referral import ReferralV1
from shared.events.triage import Decision


class TriageUnitOfWork(Protocol):
    """One transaction: de-duplicate, record the decision and work item, stage events; all or nothing."""

    async def first_delivery(self, event_id: UUID) -> bool: ...

    async def first_deliveries(self, event_ids: list[UUID]) -> set[UUID]: ...

    async def save_decision(self, *, referral_id: UUID, work_item_id: UUID, referral: ReferralV1,
                            decision: Decision, received_at: datetime, due_at: datetime,
                            decision_due_at: datetime, correlation_id: UUID | None = None) -> None: ...

    async def stage(self, *events: tuple[EventEnvelope, str]) -> None: ...

    async def commit(self) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class HolidayCalendar(Protocol):
    """England and Wales bank holidays (or a local authority's own calendar)."""

    def __call__(self, day: date) -> bool: ...
