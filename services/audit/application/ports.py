"""What audit's use cases need: the log's write transaction, its read side, and a signer."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from services.audit.domain.chain import ChainRow
from services.audit.domain.checkpoint import Checkpoint


@dataclass(frozen=True)
class LoggedEvent:
    seq: int
    event_id: UUID
    topic: str
    event_type: str
    recorded_at: datetime
    canonical: bytes
    entry_hash: bytes


class AuditLog(Protocol):
    async def exists(self) -> bool: ...
    async def size(self) -> int: ...
    async def leaf_hashes(self, size: int) -> list[bytes]: ...
    async def rows(self, start: int = 1, end: int | None = None) -> list[ChainRow]: ...
    async def row_before(self, seq: int) -> ChainRow | None: ...
    async def checkpoints(self) -> list[Checkpoint]: ...
    async def seq_of(self, event_id: UUID) -> int | None: ...
    async def events_of(self, referral_id: UUID) -> list[LoggedEvent]: ...


class Signer(Protocol):
    public_key_b64: str

    def sign(self, message: bytes) -> bytes: ...
