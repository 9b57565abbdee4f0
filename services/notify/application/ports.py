"""What notify needs: a transaction over its notification records, and a channel that sends."""

from typing import Protocol

from services.notify.domain.messages import Message


class RetryableSendError(Exception):
    """Timeouts, 5xx, 429: the same message may go through later."""


class PermanentSendError(Exception):
    """A bad address or a 4xx: it will fail however many times it is tried."""


class Channel(Protocol):
    async def send(self, message: Message) -> None: ...
