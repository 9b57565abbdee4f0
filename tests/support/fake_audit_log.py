"""The audit log in memory for audit's use-case tests (no I/O), and a checkpoint note Go's
`golang.org/x/mod/sumdb/note` signed (a fixed seed), which ours must equal byte for byte."""

import json
import uuid
from datetime import UTC, datetime

from services.audit.application.append_events import Received, to_entry

# x/mod v0.37.0: note.GenerateKey from 32 bytes of 0x07, note.Sign of a size-10 checkpoint, root bytes 0..31
GO_NOTE = ("frontdoor.example/audit/v1\n10\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n"
           "— frontdoor.example/audit/v1 VCu+Fu+W6lWk1UtovarZZzu8JW5ptD9Dn6V9hcQfd9c0QuF0AgP8FYIAyFkHjLSR+I5H2O5hQ5"
           "+TpPgDY7aIuLayVQg=\n")

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class FakeLog:
    """The log's rows and checkpoints in memory; the write transaction applies at commit."""

    def __init__(self) -> None:
        self.chain, self.entries, self.saved_checkpoints, self.leaves_read = [], [], [], 0

    def __call__(self):  # the unit-of-work factory
        return FakeAuditUnitOfWork(self)

    async def size(self) -> int:
        return len(self.chain)

    async def leaf_hashes(self, size: int, start: int = 1) -> list[bytes]:
        self.leaves_read += size - start + 1
        return [row.entry_hash for row in self.chain[start - 1:size]]

    async def checkpoints(self):
        return list(self.saved_checkpoints)

    async def exists(self) -> bool:
        return True

    async def rows(self, start: int = 1, end: int | None = None):
        return [r for r in self.chain if r.seq >= start and (end is None or r.seq <= end)]

    async def row_before(self, seq: int):
        return self.chain[seq - 2] if seq >= 2 else None


class FakeAuditUnitOfWork:
    def __init__(self, log: FakeLog) -> None:
        self.log, self.pending, self.checkpoint = log, [], None

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return None

    async def lock_chain(self) -> None:
        return None

    async def known_and_last(self, event_ids):
        return {e.event_id for e in self.log.entries} & set(event_ids), self.log.chain[-1] if self.log.chain else None

    async def append(self, pairs) -> None:
        self.pending = list(pairs)

    async def add_checkpoint(self, checkpoint, public_key) -> None:
        self.checkpoint = checkpoint

    async def commit(self) -> None:
        self.log.entries += [entry for entry, _ in self.pending]
        self.log.chain += [row for _, row in self.pending]
        if self.checkpoint:
            self.log.saved_checkpoints.append(self.checkpoint)


class FakeSigner:
    public_key_b64 = "test-key"

    def sign(self, message: bytes) -> bytes:
        return b"signed:" + message


def entry(event_id=None):
    body = {"event_id": str(event_id or uuid.uuid4()), "event_type": "ReferralRouted",
            "referral_id": str(uuid.uuid4()), "payload": {}}
    return to_entry(Received("queue.early_help", json.dumps(body).encode()))
