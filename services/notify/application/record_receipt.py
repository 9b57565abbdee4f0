"""Use case: a provider's delivery receipt. Idempotent: the same receipt twice records one outcome."""

from dataclasses import dataclass

from shared.clock import Clock
from services.notify.application.outcomes import settlement
from services.notify.application.ports import UnitOfWorkFactory

DELIVERED = {"delivered"}
FAILED = {"permanent-failure", "temporary-failure", "technical-failure", "validation-failed"}


class UnknownNotification(LookupError):
    pass


@dataclass(frozen=True)
class Receipt:
    reference: str
    status: str


class RecordReceipt:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def execute(self, receipt: Receipt) -> str:
        """The notification's status after the receipt."""
        async with self._uow() as uow:
            item = await uow.by_reference(receipt.reference)
            if item is None:
                raise UnknownNotification(receipt.reference)
            outcome = None
            if receipt.status in DELIVERED and item.status != "delivered":
                outcome = settlement(item, "delivered", self._clock.now())
            elif receipt.status in FAILED and item.status not in ("failed", "delivered"):
                outcome = settlement(item, "failed", self._clock.now(), error=f"receipt:{receipt.status}")
            if outcome is not None:
                await uow.settle(item, outcome)
            await uow.commit()
            return outcome.status if outcome else item.status
