"""The part of every service's unit of work its consumers share, and the once-only rule over it.

Pure protocol and logic (no I/O here), so each service's application layer builds on it and each service's
fakes implement it: `SqlaUnitOfWork` is the PostgreSQL implementation.
"""

from collections.abc import Sequence
from typing import Protocol, Self, TypeVar
from uuid import UUID

from shared.events.envelope import EventEnvelope

E = TypeVar("E", bound=EventEnvelope)


class EventTransaction(Protocol):
    """One transaction: the inbox (what was already handled), the outbox (what to publish), commit."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def first_deliveries(self, event_ids: Sequence[UUID]) -> set[UUID]: ...

    async def stage(self, *events: tuple[EventEnvelope, str]) -> None: ...

    async def commit(self) -> None: ...


async def first_time(uow: EventTransaction, events: Sequence[E]) -> list[E]:
    """The events of a poll not handled before, each once: a redelivery, or the same event twice in one poll,
    counts once (the inbox rows commit with whatever the caller does with them)."""
    fresh = await uow.first_deliveries([event.event_id for event in events])
    chosen = []
    for event in events:
        if event.event_id in fresh:
            fresh.discard(event.event_id)
            chosen.append(event)
    return chosen
