"""What notify needs: its records and directory, a clock, and channels that send (fakes in the unit tests)."""

from collections.abc import Callable
from typing import Any, Protocol

from shared.messaging.ports import EventTransaction
from services.notify.application.outcomes import Claimed, Settlement
from services.notify.domain.messages import Intent, Message, Recipient


class NotifyUnitOfWork(EventTransaction, Protocol):
    """One transaction over notify's records; staged events commit with them (outbox)."""

    async def directory(self) -> list[Recipient]: ...

    async def add_intent(self, *, trigger: Any, intent: Intent, reference: str) -> None: ...

    async def by_reference(self, reference: str) -> Claimed | None: ...

    async def settle(self, item: Claimed, settlement: Settlement) -> None: ...


UnitOfWorkFactory = Callable[[], NotifyUnitOfWork]


class Claims(Protocol):
    async def claim_due(self, batch: int, lease_seconds: float) -> list[Claimed]:
        """Mark up to `batch` due messages, and messages whose earlier claim expired unsettled (their sender
        died), as being sent, committed before any is sent; `previously_claimed_at` tells the caller a send may
        already have happened."""


class RetryableSendError(Exception):
    """Timeouts, 5xx, 429, a mail server saying 'try later': the same message may go through later."""


class PermanentSendError(Exception):
    """A bad address, a 4xx, a mail server's 5xx: it will fail however many times it is tried."""


class Channel(Protocol):
    resend_is_safe: bool
    """Receivers recognise a second copy of the same message (idempotency key, stable Message-ID)."""

    async def send(self, message: Message) -> None:
        """Send or raise RetryableSendError / PermanentSendError."""

    async def already_sent(self, message: Message) -> bool | None:
        """Whether the provider already has this message (by its reference); None when it cannot say."""

    async def close(self) -> None:
        """Release pooled connections at shutdown."""
