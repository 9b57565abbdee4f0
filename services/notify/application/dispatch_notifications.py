"""Use case: send recorded notifications, record every attempt, publish the outcome.

Retryable failures wait with exponential backoff and jitter up to `max_attempts`; permanent ones fail at
once. Either way the outcome (`NotificationSent` / `NotificationFailed`) is committed with the record.
"""

import asyncio
import logging
import random

from services.notify.application.ports import Channel, PermanentSendError, RetryableSendError

log = logging.getLogger(__name__)


class DispatchNotifications:
    def __init__(self, *, uow, channels: dict[str, Channel], compose, max_attempts: int = 5,
                 base_backoff_seconds: float = 1.0, max_backoff_seconds: float = 300.0) -> None:
        self._uow, self._channels, self._compose = uow, channels, compose
        self._max_attempts, self._base, self._cap = max_attempts, base_backoff_seconds, max_backoff_seconds

    def backoff(self, attempts_so_far: int) -> float:
        """Full jitter: a random wait up to base * 2^n, capped, so retries do not arrive in lockstep."""
        return random.uniform(0, min(self._cap, self._base * 2 ** attempts_so_far))

    async def dispatch_due(self, batch: int = 50) -> int:
        """Send one batch of due notifications; returns how many were handled."""
        async with self._uow() as uow:
            due = await uow.claim_due(batch)
            for item in due:
                await self._attempt(uow, item)
            await uow.commit()
            return len(due)

    async def _attempt(self, uow, item) -> None:
        channel = self._channels.get(item.channel)
        try:
            if channel is None:
                raise PermanentSendError(f"no channel {item.channel!r} is configured")
            await channel.send(self._compose(item))
        except RetryableSendError as exc:
            if item.attempts + 1 >= self._max_attempts:
                await uow.mark_failed(item, error=_code(exc))
            else:
                await uow.retry_later(item, error=_code(exc), delay=self.backoff(item.attempts))
        except PermanentSendError as exc:
            await uow.mark_failed(item, error=_code(exc))
        else:
            await uow.mark_sent(item)

    async def run(self, stopping: asyncio.Event, wake: asyncio.Event, poll_seconds: float = 0.5) -> None:
        while not stopping.is_set():
            try:
                if await self.dispatch_due():
                    continue
            except Exception as exc:  # database down: keep the intents, try again
                log.warning("notification dispatch failed (%s)", type(exc).__name__)
            wake.clear()
            try:
                await asyncio.wait_for(wake.wait(), timeout=poll_seconds)
            except TimeoutError:
                pass


def _code(exc: Exception) -> str:
    """An error code for the record: the exception type and its short reason, no message content."""
    return f"{type(exc).__name__}:{str(exc)[:80]}"
