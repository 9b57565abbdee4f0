"""Use case: a provider's delivery receipt. Idempotent: the same receipt twice records one outcome."""

from dataclasses import dataclass

DELIVERED = {"delivered"}
FAILED = {"permanent-failure", "temporary-failure", "technical-failure", "validation-failed"}


class UnknownNotification(LookupError):
    pass


@dataclass(frozen=True)
class Receipt:
    reference: str
    status: str


class RecordReceipt:
    def __init__(self, *, uow) -> None:
        self._uow = uow

    async def execute(self, receipt: Receipt) -> str:
        """The notification's status after the receipt."""
        async with self._uow() as uow:
            item = await uow.by_reference(receipt.reference)
            if item is None:
                raise UnknownNotification(receipt.reference)
            if receipt.status in DELIVERED and item.status != "delivered":
                await uow.mark_delivered(item)
            elif receipt.status in FAILED and item.status not in ("failed", "delivered"):
                await uow.mark_failed(item, error=f"receipt:{receipt.status}")
            await uow.commit()
            return (await uow.by_reference(receipt.reference)).status
