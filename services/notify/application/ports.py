"""What notify needs: its records and directory, and channels that send."""

from typing import Protocol

from services.notify.domain.messages import Message


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
