"""Use case: append a batch of consumed events to the log, once each, in order, in one transaction.

One writer at a time per chain (an advisory lock in the transaction), so sequence numbers are gap-free and
every row links to the one before. Events already in the log (a redelivery) are skipped.
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID

from services.audit.application.ports import AuditUnitOfWork
from services.audit.domain.chain import canonical, link


@dataclass(frozen=True)
class Received:
    topic: str
    raw: bytes


@dataclass(frozen=True)
class LogEntry:
    event_id: UUID
    topic: str
    event_type: str
    referral_id: UUID | None
    canonical: bytes


class NotAnEvent(ValueError):
    """A message without an event id cannot be logged; it goes to the DLQ."""


def to_entry(item: Received) -> LogEntry:
    try:
        event = json.loads(item.raw)
        return LogEntry(event_id=UUID(event["event_id"]), topic=item.topic, event_type=str(event["event_type"]),
                        referral_id=UUID(event["referral_id"]) if event.get("referral_id") else None,
                        canonical=canonical(event))
    except (ValueError, KeyError, TypeError) as exc:
        raise NotAnEvent(f"message on {item.topic} is not a Front Door event") from exc


class AppendEvents:
    def __init__(self, *, uow: Callable[[], AuditUnitOfWork]) -> None:
        self._uow = uow

    async def execute(self, entries: Sequence[LogEntry]) -> int:
        """`entries`: each consumed message as `to_entry` made it (the entrypoint parses each once)."""
        async with self._uow() as uow:
            await uow.lock_chain()
            known, last = await uow.known_and_last([e.event_id for e in entries])
            fresh, seen = [], set(known)
            for entry in entries:
                if entry.event_id not in seen:
                    fresh.append(entry)
                    seen.add(entry.event_id)
            rows = link(last, [e.canonical for e in fresh])
            await uow.append(list(zip(fresh, rows)))
            await uow.commit()
        return len(fresh)
