"""Use case: a referral's whole trail for an auditor; the reading itself is appended to the log first.

The read is recorded before the trail is returned, so there is no way to see a child's record without
leaving a row that says who looked. By default the trail is minimised (`domain/minimise.py`); the whole record
needs a reason, which the read row carries.
"""

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from shared.clock import Clock
from shared.events.audit import AUDIT_READS, TrailRead, TrailReadPayload
from services.audit.application.append_events import AppendEvents, Received, to_entry
from services.audit.application.ports import AuditLog
from services.audit.domain.minimise import minimise


class FullRecordNeedsReason(ValueError):
    pass


@dataclass(frozen=True)
class TrailEntry:
    seq: int
    event_id: str
    topic: str
    event_type: str
    recorded_at: str
    entry_hash: str
    event: dict[str, Any]
    minimised: bool


class ReadTrail:
    def __init__(self, *, log: AuditLog, append: AppendEvents, clock: Clock) -> None:
        self._log, self._append, self._clock = log, append, clock

    async def execute(self, referral_id: UUID, *, reader: str, via: str, fmt: str, full: bool = False,
                      reason: str | None = None) -> list[TrailEntry]:
        """The minimised trail, or with `full` (and a reason, which is logged with the read) the whole record."""
        if full and not (reason and reason.strip()):
            raise FullRecordNeedsReason("say why the whole record is needed (e.g. the review it is for)")
        now = self._clock.now()
        read = TrailRead(occurred_at=now, referral_id=referral_id, correlation_id=referral_id, producer="audit",
                         payload=TrailReadPayload(reader=reader, via=via, format=fmt, full=full,
                                                  reason=reason.strip() if full and reason else None))
        await self._append.execute([to_entry(Received(AUDIT_READS, read.to_wire()))])
        entries = []
        for e in await self._log.events_of(referral_id):
            event = json.loads(e.canonical)
            entries.append(TrailEntry(e.seq, str(e.event_id), e.topic, e.event_type, e.recorded_at.isoformat(),
                                      e.entry_hash.hex(), event if full else minimise(event, e.topic), not full))
        return entries
