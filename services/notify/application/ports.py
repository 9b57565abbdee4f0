"""What notify needs: its records and directory, and channels that send."""

from typing import Protocol

from services.notify.domain.messages import Message


class RetryableSendError(Exception):
    """Timeouts, 5xx, 429, a mail server saying 'try later': the same message may go through later."""


class PermanentSendError(Exception):
    """A bad address, a 4xx, a mail server's 5xx: it will fail however many times it is tried."""


class Channel(Protocol):
    async def send(self, message: Message) -> None:
        """Send or raise RetryableSendError / PermanentSendError."""
