"""Use case: send recorded notifications, each claimed before it is sent and settled as soon as it is.

Claim, send, settle: up to `in_flight` messages are claimed (status 'sending') in one statement, sent
side by side, and their outcomes recorded together in one transaction as soon as the sends return. A database
outage after the sends delays the record, never causes a second send (settling waits the outage out); a crash
of notify itself leaves unsettled only the messages in flight, and when their claim expires they are resolved by
`domain/resend.py`: asked of the channel, sent again where receivers de-duplicate, or marked in doubt for a
person. (A transaction per message cost half the end-to-end throughput in the bench.)

Retryable failures wait with exponential backoff and jitter up to `max_attempts`; permanent ones fail at
once. Either way the outcome (`NotificationSent` / `NotificationFailed`, decided here: `outcomes.py`) is
committed with the record.
"""

import asyncio
import logging
import random
from collections.abc import Sequence

from shared.clock import Clock
from shared.outages import is_unavailable
from services.notify.application.outcomes import Claimed, Settlement, settlement
from services.notify.application.ports import Channel, Claims, PermanentSendError, UnitOfWorkFactory
from services.notify.domain.messages import Message, compose
from services.notify.domain.resend import AfterCrash, after_crash
from services.notify.domain.teams import team_name

log = logging.getLogger(__name__)
Outcome = tuple[str, str | None, float | None]  # (outcome, error code, retry in seconds)


class DispatchNotifications:
    def __init__(self, *, uow: UnitOfWorkFactory, claims: Claims, channels: dict[str, Channel], clock: Clock,
                 console_url: str, max_attempts: int = 5, base_backoff_seconds: float = 1.0,
                 max_backoff_seconds: float = 300.0, claim_lease_seconds: float = 30.0, in_flight: int = 20) -> None:
        self._uow, self._claims, self._channels, self._clock = uow, claims, channels, clock
        self._console_url = console_url
        self._max_attempts, self._base, self._cap = max_attempts, base_backoff_seconds, max_backoff_seconds
        self._lease, self._in_flight = claim_lease_seconds, in_flight

    def message_for(self, item: Claimed) -> Message:
        return compose(ref=item.reference, recipient_id=item.recipient_id, address=item.address,
                       trigger=item.trigger, purpose=item.purpose, queue_name=team_name(item.queue_id), rag=item.rag,
                       due_at=item.due_at, console_url=self._console_url, referral_id=item.referral_id)

    def backoff(self, attempts_so_far: int) -> float:
        """Full jitter: a random wait up to base * 2^n, capped, so retries do not arrive in lockstep."""
        return random.uniform(0, min(self._cap, self._base * 2 ** attempts_so_far))

    async def dispatch_due(self) -> int:
        """Claim up to `in_flight` due messages, send them side by side, settle each; returns how many."""
        claimed = await self._claims.claim_due(self._in_flight, self._lease)
        if claimed:
            outcomes = await asyncio.gather(*(self._send(item) for item in claimed))
            await self._settle(list(zip(claimed, outcomes)))
        return len(claimed)

    async def _send(self, item: Claimed) -> Outcome:
        """Send (or decide not to) and say what happened."""
        channel = self._channels.get(item.channel)
        if channel is None:
            return "failed", f"PermanentSendError:no channel {item.channel!r}", None
        message = self.message_for(item)
        if item.previously_claimed_at is not None:
            decided = after_crash(await channel.already_sent(message), channel.resend_is_safe)
            if decided is AfterCrash.ALREADY_SENT:
                return "sent", None, None
            if decided is AfterCrash.IN_DOUBT:
                return "in_doubt", "InDoubt:sent or not before a crash; check with the recipient", None
        try:
            await channel.send(message)
        except PermanentSendError as exc:
            return "failed", _code(exc), None
        except Exception as exc:  # noqa: BLE001 - RetryableSendError, or a failure nobody classified
            if item.attempts + 1 >= self._max_attempts:
                return "failed", _code(exc), None
            return "retry", _code(exc), self.backoff(item.attempts)
        return "sent", None, None

    async def _settle(self, outcomes: Sequence[tuple[Claimed, Outcome]]) -> None:
        now = self._clock.now()
        await self._record_patiently([(item, settlement(item, outcome, now, error=error, retry_in_seconds=delay))
                                      for item, (outcome, error, delay) in outcomes])

    async def _record_patiently(self, settled: Sequence[tuple[Claimed, Settlement]]) -> None:
        """Record the outcomes now, in one transaction; during a database outage keep trying (the sends are not
        repeated). If recording fails otherwise, each is tried alone, so one bad record holds up no other."""
        delay = 0.1
        while True:
            try:
                await self._record(settled)
                return
            except Exception as exc:  # noqa: BLE001
                if not is_unavailable(exc):
                    break
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        if len(settled) == 1:
            log.error("could not record the outcome of notification %s; its claim will expire and it will be "
                      "resolved then", settled[0][0].id)
            return
        for one in settled:
            try:
                await self._record_patiently([one])
            except Exception:  # noqa: BLE001 - logged above, resolved when the claim expires
                pass

    async def _record(self, settled: Sequence[tuple[Claimed, Settlement]]) -> None:
        async with self._uow() as uow:
            for item, outcome in settled:
                await uow.settle(item, outcome)
            await uow.commit()

    async def run(self, stopping: asyncio.Event, wake: asyncio.Event, poll_seconds: float = 0.5) -> None:
        """Dispatch whenever a recorded notification wakes the loop, and every `poll_seconds` for retries come
        due. The wake is cleared before looking, never after: a notification recorded while a claim finds
        nothing sets it again, so it is sent at once, not a poll later. Fewer than `in_flight` claimed means
        nothing else was due, so the loop waits instead of claiming again for nothing."""
        while not stopping.is_set():
            wake.clear()
            try:
                if await self.dispatch_due() >= self._in_flight:
                    continue
            except Exception as exc:  # noqa: BLE001 - a loop that must outlive any failure; database down: keep the intents, try again
                log.warning("notification dispatch failed (%s)", type(exc).__name__)
            try:
                await asyncio.wait_for(wake.wait(), timeout=poll_seconds)
            except TimeoutError:
                pass


def _code(exc: Exception) -> str:
    """An error code for the record: the exception type and its short reason, no message content."""
    return f"{type(exc).__name__}:{str(exc)[:80]}"
