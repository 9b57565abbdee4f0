"""Use case: send recorded notifications, each claimed before it is sent and settled as soon as it is.

Claim, send, settle: up to `in_flight` messages are claimed (status 'sending') in one short transaction, sent
side by side, and their outcomes recorded together in one transaction as soon as the sends return. A database
outage after the sends delays the record, never causes a second send (settling waits the outage out); a crash
of notify itself leaves unsettled only the messages in flight, and when their claim expires they are resolved by
`domain/resend.py`: asked of the channel, sent again where receivers de-duplicate, or marked in doubt for a
person. (A transaction per message cost half the end-to-end throughput in the bench.)

Retryable failures wait with exponential backoff and jitter up to `max_attempts`; permanent ones fail at
once. Either way the outcome (`NotificationSent` / `NotificationFailed`) is committed with the record.
"""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable

from shared.outages import is_unavailable
from services.notify.application.ports import Channel, PermanentSendError
from services.notify.domain.resend import AfterCrash, after_crash

log = logging.getLogger(__name__)
Settle = Callable[[object], Awaitable[None]]


class DispatchNotifications:
    def __init__(self, *, uow, channels: dict[str, Channel], compose, max_attempts: int = 5,
                 base_backoff_seconds: float = 1.0, max_backoff_seconds: float = 300.0,
                 claim_lease_seconds: float = 30.0, in_flight: int = 20) -> None:
        self._uow, self._channels, self._compose = uow, channels, compose
        self._max_attempts, self._base, self._cap = max_attempts, base_backoff_seconds, max_backoff_seconds
        self._lease, self._in_flight = claim_lease_seconds, in_flight

    def backoff(self, attempts_so_far: int) -> float:
        """Full jitter: a random wait up to base * 2^n, capped, so retries do not arrive in lockstep."""
        return random.uniform(0, min(self._cap, self._base * 2 ** attempts_so_far))

    async def dispatch_due(self) -> int:
        """Claim up to `in_flight` due messages, send them side by side, settle each; returns how many."""
        async with self._uow() as uow:
            claimed = await uow.claim_due(self._in_flight, self._lease)
            await uow.commit()
        if claimed:
            outcomes = await asyncio.gather(*(self._send(item) for item in claimed))
            await self._settle(list(zip(claimed, outcomes)))
        return len(claimed)

    async def _send(self, item) -> Settle:
        """Send (or decide not to) and return how to record what happened."""
        channel = self._channels.get(item.channel)
        if channel is None:
            return lambda uow: uow.mark_failed(item, error=f"PermanentSendError:no channel {item.channel!r}")
        message = self._compose(item)
        if item.previously_claimed_at is not None:
            decided = after_crash(await channel.already_sent(message), channel.resend_is_safe)
            if decided is AfterCrash.ALREADY_SENT:
                return lambda uow: uow.mark_sent(item)
            if decided is AfterCrash.IN_DOUBT:
                return lambda uow: uow.mark_in_doubt(item)
        try:
            await channel.send(message)
        except PermanentSendError as exc:
            error = _code(exc)
            return lambda uow: uow.mark_failed(item, error=error)
        except Exception as exc:  # noqa: BLE001 - RetryableSendError, or a failure nobody classified
            error, delay = _code(exc), self.backoff(item.attempts)
            if item.attempts + 1 >= self._max_attempts:
                return lambda uow: uow.mark_failed(item, error=error)
            return lambda uow: uow.retry_later(item, error=error, delay=delay)
        return lambda uow: uow.mark_sent(item)

    async def _settle(self, outcomes: list) -> None:
        """Record the outcomes now, in one transaction; during a database outage keep trying (the sends are not
        repeated). If recording fails otherwise, each is tried alone, so one bad record holds up no other."""
        delay = 0.1
        while True:
            try:
                await self._record(outcomes)
                return
            except Exception as exc:  # noqa: BLE001
                if not is_unavailable(exc):
                    break
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        for item, write in outcomes if len(outcomes) > 1 else ():
            try:
                await self._settle([(item, write)])
            except Exception:  # noqa: BLE001 - logged below, resolved when the claim expires
                pass
        if len(outcomes) == 1:
            log.error("could not record the outcome of notification %s; its claim will expire and it will be "
                      "resolved then", outcomes[0][0].id)

    async def _record(self, outcomes: list) -> None:
        async with self._uow() as uow:
            for _, write in outcomes:
                await write(uow)
            await uow.commit()

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
