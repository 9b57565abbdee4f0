"""Use case: a referral's whole trail for an auditor; the reading itself is appended to the log first.

The read is recorded before the trail is returned, so there is no way to see a child's record without
leaving a row that says who looked.
"""

import json
from dataclasses import dataclass
from uuid import UUID

from shared.events.audit import AUDIT_READS, TrailRead, TrailReadPayload
from services.audit.application.append_events import AppendEvents, Received
from services.audit.application.ports import AuditLog


@dataclass(frozen=True)
class TrailEntry:
    seq: int
    event_id: str
    topic: str
    event_type: str
    recorded_at: str
    entry_hash: str
    event: dict


class ReadTrail:
    def __init__(self, *, log: AuditLog, append: AppendEvents, clock) -> None:
        self._log, self._append, self._clock = log, append, clock

    async def execute(self, referral_id: UUID, *, reader: str, via: str, fmt: str) -> list[TrailEntry]:
        now = self._clock.now()
        read = TrailRead(occurred_at=now, referral_id=referral_id, correlation_id=referral_id, producer="audit",
                         payload=TrailReadPayload(reader=reader, via=via, format=fmt))
        await self._append.execute([Received(AUDIT_READS, read.to_wire())])
        return [TrailEntry(e.seq, str(e.event_id), e.topic, e.event_type, e.recorded_at.isoformat(),
                           e.entry_hash.hex(), json.loads(e.canonical))
                for e in await self._log.events_of(referral_id)]
