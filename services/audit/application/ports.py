"""What audit's use cases need: the log's write transaction, its read side, and a signer."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
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
    async def leaf_hashes(self, size: int, start: int = 1) -> list[bytes]: ...
    async def rows(self, start: int = 1, end: int | None = None) -> list[ChainRow]: ...
    async def row_before(self, seq: int) -> ChainRow | None: ...
    async def checkpoints(self) -> list[Checkpoint]: ...
    async def seq_of(self, event_id: UUID) -> int | None: ...
    async def events_of(self, referral_id: UUID) -> list[LoggedEvent]: ...


class AuditUnitOfWork(Protocol):
    """The log's write transaction: one writer at a time, rows appended after the last, checkpoints added."""

    async def __aenter__(self) -> "AuditUnitOfWork": ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def lock_chain(self) -> None: ...

    async def known_and_last(self, event_ids: list[UUID]) -> tuple[set[UUID], ChainRow | None]:
        """Which of `event_ids` the log holds, and its last row: asked together, after `lock_chain`."""
        ...

    async def append(self, pairs: Sequence[tuple[Any, ChainRow]]) -> None: ...

    async def add_checkpoint(self, checkpoint: Checkpoint, public_key: str) -> None: ...

    async def commit(self) -> None: ...


class PublishedCheckpoints(Protocol):
    """Checkpoints kept outside the database (files an auditor can read), compared by verify."""

    def publish(self, checkpoint: Checkpoint) -> None: ...

    def latest_text(self) -> str | None: ...

    def publish_cosigned(self, note: str) -> None: ...

    def cosigned_text(self) -> str | None: ...


@dataclass(frozen=True)
class WitnessAnswer:
    status: int
    text: str
    content_type: str = ""


class Witness(Protocol):
    """An independent witness speaking c2sp.org/tlog-witness (POST add-checkpoint)."""

    async def add_checkpoint(self, request: str) -> WitnessAnswer: ...


class Signer(Protocol):
    @property
    def public_key_b64(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...
