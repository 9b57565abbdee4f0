"""Use cases: inclusion proofs (this event is in the signed log) and consistency proofs (the log at an
earlier size is a prefix of the log now), both in RFC 9162 form and checkable by `domain.merkle` alone."""

import base64
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from services.audit.application.ports import AuditLog
from services.audit.domain import merkle


class CannotProve(LookupError):
    """The event or size is not covered (unknown event, not yet checkpointed, size beyond the log)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass(frozen=True)
class InclusionProof:
    event_id: str
    leaf_index: int
    tree_size: int
    leaf_hash: str
    root: str
    proof: list[str]
    checkpoint_signed_at: str
    checkpoint: str  # the signed note (c2sp.org/tlog-checkpoint) the proof is against

    def verify(self) -> bool:
        return merkle.verify_inclusion(base64.b64decode(self.leaf_hash), self.leaf_index, self.tree_size,
                                       [base64.b64decode(p) for p in self.proof], base64.b64decode(self.root))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ConsistencyProof:
    old_size: int
    new_size: int
    old_root: str
    new_root: str
    proof: list[str]

    def verify(self) -> bool:
        return merkle.verify_consistency(self.old_size, self.new_size, base64.b64decode(self.old_root),
                                         base64.b64decode(self.new_root), [base64.b64decode(p) for p in self.proof])

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def prove_inclusion(log: AuditLog, event_id: UUID) -> InclusionProof:
    """Against the latest signed checkpoint."""
    seq = await log.seq_of(event_id)
    if seq is None:
        raise CannotProve(f"event {event_id} is not in the log")
    signed = await log.checkpoints()
    if not signed or signed[-1].tree_size < seq:
        raise CannotProve(f"event {event_id} (row {seq}) is not covered by a checkpoint yet; take one first")
    checkpoint = signed[-1]
    leaves = await log.leaf_hashes(checkpoint.tree_size)
    return InclusionProof(event_id=str(event_id), leaf_index=seq - 1, tree_size=checkpoint.tree_size,
                          leaf_hash=b64(leaves[seq - 1]), root=b64(checkpoint.root),
                          proof=[b64(p) for p in merkle.inclusion_proof(seq - 1, leaves)],
                          checkpoint_signed_at=checkpoint.signed_at.isoformat() if checkpoint.signed_at else "",
                          checkpoint=checkpoint.note())


async def prove_consistency(log: AuditLog, old_size: int, new_size: int) -> ConsistencyProof:
    size = await log.size()
    if not 0 < old_size <= new_size <= size:
        raise CannotProve(f"sizes must satisfy 0 < old <= new <= {size}")
    leaves = await log.leaf_hashes(new_size)
    return ConsistencyProof(old_size=old_size, new_size=new_size, old_root=b64(merkle.root(leaves[:old_size])),
                            new_root=b64(merkle.root(leaves)),
                            proof=[b64(p) for p in merkle.consistency_proof(old_size, leaves)])
