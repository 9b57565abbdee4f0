"""What the triage use cases need from the outside world, as small protocols."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.events.referral import ReferralV1
from shared.events.triage import Decision
from shared.messaging.ports import EventTransaction


@dataclass(frozen=True)
class StoredDecision:
    """A decided referral as triage recorded it."""

    referral: ReferralV1
    received_at: datetime
    decision: Decision


class TriageUnitOfWork(EventTransaction, Protocol):
    """One transaction: de-duplicate, record the decision, stage its events; all or nothing."""

    async def decided(self, referral_ids: Sequence[UUID]) -> set[UUID]:
        """Which of these referrals already have a decision (one decision per referral)."""
        ...

    async def save_decision(self, *, referral_id: UUID, referral: ReferralV1, decision: Decision,
                            received_at: datetime) -> None: ...

    async def decision_of(self, referral_id: UUID) -> StoredDecision | None: ...

    async def replace_decision(self, *, referral_id: UUID, decision: Decision) -> None:
        """The decision now in force (the earlier one stays in the audit log)."""
        ...


UnitOfWorkFactory = Callable[[], TriageUnitOfWork]
