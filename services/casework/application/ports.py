"""What casework's use cases need from the outside world, as small protocols (fakes in tests/support)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from shared.events.people import ReferralIdentifiedPayload
from shared.events.triage import Decision
from shared.messaging.ports import EventTransaction
from services.casework.domain.workitems import WorkItem


@dataclass(frozen=True)
class Loaded:
    """A work item as stored, with the correlation id its follow-on events carry."""

    item: WorkItem
    correlation_id: UUID


@dataclass(frozen=True)
class NewItem:
    """A work item to open: the primary route's, or parallel work linked to it."""

    id: UUID
    queue_id: str
    secondary_queues: tuple[str, ...]
    rag: str
    due_at: datetime
    primary_item_id: UUID | None


class CaseworkUnitOfWork(EventTransaction, Protocol):
    """One transaction: de-duplicate, change work items and their timeline, stage events; all or nothing."""

    async def save_referral(self, *, referral_id: UUID, identified: ReferralIdentifiedPayload) -> None: ...

    async def record_link(self, *, referral_id: UUID, candidate_person_id: UUID, decision: str, actor: str,
                          reason: str | None, at: datetime) -> bool: ...

    async def open_case(self, *, referral_id: UUID, decision: Decision, received_at: datetime,
                        decision_due_at: datetime, correlation_id: UUID, items: Sequence[NewItem]) -> None: ...

    async def lock_item(self, item_id: UUID) -> Loaded | None: ...

    async def lock_primary_item(self, referral_id: UUID) -> Loaded | None:
        """The referral's primary work item (not parallel work), locked."""
        ...

    async def record_decision(self, *, referral_id: UUID, decision: Decision) -> None:
        """The decision now in force for the referral (after triage decided it again)."""
        ...

    async def lock_open_items(self) -> list[tuple[Loaded, datetime]]: ...

    async def save_item(self, item: WorkItem) -> None: ...

    async def add_timeline(self, item: WorkItem, event: Any) -> None: ...


UnitOfWorkFactory = Callable[[], CaseworkUnitOfWork]
