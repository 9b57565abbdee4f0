"""Use case: have an independent witness cosign the log's latest checkpoint (c2sp.org/tlog-witness).

The witness keeps the last checkpoint it cosigned for this log and cosigns a new one only with a consistency
proof from it. So whoever controls the database and the signing key still cannot rewrite history: the witness
refuses the rewritten checkpoint, and the cosigned note kept outside the database (and by anyone who fetched
it) no longer matches the rows. A refusal is an alert, never retried away.
"""

import asyncio
import logging
from dataclasses import dataclass

from shared.periodic import every
from services.audit.application.ports import AuditLog, PublishedCheckpoints, Witness, WitnessAnswer
from services.audit.application.proofs import b64, prove_consistency
from services.audit.domain.checkpoint import DEFAULT_ORIGIN, Checkpoint
from services.audit.domain.merkle import CompactRange, consistency_proof_since

log = logging.getLogger(__name__)

SIZE_ANSWER = "text/x.tlog.size"  # a 409 with this type says which size the witness last cosigned
REFUSALS = {
    400: "the witness found the request malformed",
    403: "the witness does not accept this log's signature (is the log's key configured at the witness?)",
    404: "the witness does not know this log (its origin is not configured there)",
    409: "the witness cosigned a different root at this size: the history was rewritten",
    422: "the log is not consistent with the checkpoint the witness cosigned before: the history was rewritten",
}


@dataclass(frozen=True)
class Witnessing:
    tree_size: int
    cosigned: bool
    problem: str | None = None


class SubmitToWitness:
    def __init__(self, *, log: AuditLog, witness: Witness, published: PublishedCheckpoints,
                 trusted_keys: tuple[str, ...], origin: str = DEFAULT_ORIGIN) -> None:
        self._log, self._witness, self._published, self._keys = log, witness, published, trusted_keys
        self._origin = origin
        self._saved: dict[int, Checkpoint] = {}  # this round's checkpoints by size

    async def execute(self) -> Witnessing | None:
        """The latest checkpoint, cosigned (and kept beside the published ones) or refused (alerted); None
        while there is no checkpoint."""
        checkpoints = await self._log.checkpoints()
        if not checkpoints:
            return None
        latest, self._saved = checkpoints[-1], {c.tree_size: c for c in checkpoints}
        known = self._published.cosigned_text()
        before = Checkpoint.from_note(known, self._keys, self._origin) if known else None
        if before is not None and before.tree_size == latest.tree_size and before.root == latest.root:
            return Witnessing(latest.tree_size, True)
        old = before.tree_size if before is not None and before.tree_size <= latest.tree_size else 0
        answer = await self._submit(old, latest)
        if answer.status == 409 and answer.content_type == SIZE_ANSWER and answer.text.strip().isdigit():
            witnessed = int(answer.text)  # our copy is behind (or gone): the witness says where it is
            if witnessed > latest.tree_size:
                return self._refused(latest, f"the witness cosigned size {witnessed}, beyond the log's latest "
                                             f"checkpoint ({latest.tree_size}): rows were removed")
            answer = await self._submit(witnessed, latest)
        if answer.status == 200:
            self._published.publish_cosigned(latest.note() + answer.text)
            return Witnessing(latest.tree_size, True)
        return self._refused(latest, REFUSALS.get(answer.status, f"the witness answered HTTP {answer.status}"))

    async def _submit(self, old: int, checkpoint: Checkpoint) -> WitnessAnswer:
        proof = await self._proof(old, checkpoint.tree_size) if old else []
        lines = "".join(f"{line}\n" for line in [f"old {old}", *proof])
        return await self._witness.add_checkpoint(f"{lines}\n{checkpoint.note()}")

    async def _proof(self, old: int, new_size: int) -> list[str]:
        """From the compact range kept with our checkpoint at the witness's size, reading only the leaves since
        (a checkpoint of ours normally); from every leaf when there is none."""
        saved = self._saved.get(old)
        if saved is None or not saved.compact_range:
            return (await prove_consistency(self._log, old, new_size)).proof
        newer = await self._log.leaf_hashes(new_size, start=old + 1)
        return [b64(p) for p in consistency_proof_since(CompactRange(old, saved.compact_range), newer)]

    @staticmethod
    def _refused(checkpoint: Checkpoint, problem: str) -> Witnessing:
        log.error("ALERT the witness refused audit checkpoint %s: %s", checkpoint.tree_size, problem)
        return Witnessing(checkpoint.tree_size, False, problem)

    async def run(self, stopping: asyncio.Event, every_seconds: float) -> None:
        """Beside the checkpoint loop: a witness that was down is asked again at the next tick."""
        await every(stopping, every_seconds, self.execute, what="witnessing")
