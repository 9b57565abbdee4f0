"""The hash chain: canonical bytes, RFC 6962 leaf hashes, and verification that names the first bad row.

`entry_hash = SHA-256(0x00 || canonical)` is the RFC 6962 leaf hash, so the same rows feed Merkle
checkpoints; `prev_hash` links each row to the one before, so a removed or reordered row breaks the chain.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from services.audit.domain.bound_columns import column_fault

GENESIS = bytes(32)


def canonical(event: dict[str, Any]) -> bytes:
    """Sorted-key compact JSON: the same event always gives the same bytes."""
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


@dataclass(frozen=True)
class ChainRow:
    seq: int
    canonical: bytes
    entry_hash: bytes
    prev_hash: bytes
    columns: dict[str, Any] | None = field(default=None, compare=False)  # as stored beside the bytes, when read back


def link(previous: ChainRow | None, items: list[bytes]) -> list[ChainRow]:
    """New rows for `items` (canonical bytes) appended after `previous`."""
    seq, prev = (previous.seq, previous.entry_hash) if previous else (0, GENESIS)
    rows = []
    for data in items:
        seq += 1
        row = ChainRow(seq=seq, canonical=data, entry_hash=leaf_hash(data), prev_hash=prev)
        rows.append(row)
        prev = row.entry_hash
    return rows


@dataclass(frozen=True)
class Fault:
    seq: int
    problem: str


def verify(rows: list[ChainRow], previous: ChainRow | None = None) -> Fault | None:
    """The first fault in `rows` (ordered by seq), or None when every hash and link holds."""
    expected_seq, prev = (previous.seq + 1, previous.entry_hash) if previous else (1, GENESIS)
    recorded = previous.columns["recorded_at"] if previous and previous.columns else None
    for row in rows:
        if row.seq != expected_seq:
            return Fault(row.seq, f"sequence gap: expected {expected_seq}, found {row.seq} (a row was removed)")
        if row.entry_hash != leaf_hash(row.canonical):
            return Fault(row.seq, "entry_hash does not match the stored bytes (the row was altered)")
        if row.prev_hash != prev:
            return Fault(row.seq, "prev_hash does not match the previous row (rows were removed or reordered)")
        if row.columns is not None:
            if problem := column_fault(json.loads(row.canonical), row.columns, recorded):
                return Fault(row.seq, problem)
            recorded = row.columns["recorded_at"]
        expected_seq, prev = row.seq + 1, row.entry_hash
    return None
