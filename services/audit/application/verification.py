"""Use case: check that nothing in the log was changed, removed or reordered, and that every checkpoint's
signed root is the root of the rows as they are now.

Linear: the leaves are read once, in order, into a compact range (`domain/merkle.CompactRange`) that gives the
root at every checkpoint's size on the way, instead of recomputing each root from all the leaves before it."""

from collections.abc import Callable
from dataclasses import dataclass

from services.audit.application.ports import AuditLog, PublishedCheckpoints
from services.audit.domain.chain import Fault, verify
from services.audit.domain.checkpoint import Checkpoint
from services.audit.domain.merkle import CompactRange


@dataclass(frozen=True)
class Report:
    rows_checked: int
    checkpoints_checked: int
    fault: Fault | None
    outside: int | None = None  # the size of the checkpoint published outside the database that matched


class VerifyLog:
    """`previous_keys`: public keys retired by rotation. Each checkpoint is checked with the key that signed it,
    which must be the current key or a listed previous one: a checkpoint re-signed with any other key (an
    attacker's) is a fault, and rotating the key never makes old checkpoints look tampered with."""

    def __init__(self, *, log: AuditLog, signature_valid: Callable[[str, bytes, bytes], bool],
                 previous_keys: tuple[str, ...] = (), published: PublishedCheckpoints | None = None) -> None:
        self._log, self._signature_valid, self._previous = log, signature_valid, previous_keys
        self._published = published  # checkpoints kept outside the database (or None)

    async def execute(self, *, start: int = 1, end: int | None = None, public_key: str) -> Report:
        if not await self._log.exists():
            return Report(0, 0, Fault(1, "there is no audit log in this database (dropped?); nothing was verified"))
        previous = await self._log.row_before(start) if start > 1 else None
        rows = await self._log.rows(start, end)
        if fault := verify(rows, previous):
            return Report(len(rows), 0, fault)
        if start > 1 and previous is None:
            return Report(len(rows), 0, Fault(start, "rows before this one are missing"))
        size = await self._log.size()
        checkpoints = await self._log.checkpoints()
        outside = self._published.latest() if self._published is not None else None
        wanted = {c.tree_size for c in checkpoints} | ({outside.tree_size} if outside else set())
        roots = roots_at(await self._log.leaf_hashes(size), wanted)
        checked = 0
        for checkpoint in checkpoints:
            if end is not None and checkpoint.tree_size > end:
                break
            checked += 1
            if checkpoint.tree_size > size:
                return Report(len(rows), checked, Fault(size + 1, f"the checkpoint of size {checkpoint.tree_size} "
                                                                  f"covers rows that are gone (log ends at {size})"))
            key = checkpoint.public_key or public_key
            if key not in (public_key, *self._previous):
                return Report(len(rows), checked, Fault(checkpoint.tree_size, f"checkpoint signed by key {key[:12]}…, "
                                                                              "which is neither the current key nor a "
                                                                              "listed previous one"))
            if not self._signature_valid(key, checkpoint.message(), checkpoint.signature):
                return Report(len(rows), checked, Fault(checkpoint.tree_size, "checkpoint signature is not valid "
                                                                              "for the key recorded with it"))
            if roots[checkpoint.tree_size] != checkpoint.root:
                return Report(len(rows), checked, Fault(checkpoint.tree_size, "rows up to here no longer give the "
                                                                              "checkpoint's signed root"))
        return self._against_published(len(rows), checked, size, public_key, outside, roots, checkpoints)

    def _against_published(self, rows: int, checked: int, size: int, public_key: str, outside: Checkpoint | None,
                           roots: dict[int, bytes], checkpoints: list[Checkpoint]) -> Report:
        """The log against the latest checkpoint kept outside the database: rows removed from the tail, or
        checkpoints deleted, are faults that no check inside the database can see."""
        if outside is None:
            return Report(rows, checked, None)
        if outside.public_key not in (public_key, *self._previous) or not self._signature_valid(
                outside.public_key, outside.message(), outside.signature):
            return Report(rows, checked, Fault(outside.tree_size, "the checkpoint published outside the database "
                                                                  "is not signed by a trusted key"))
        if size < outside.tree_size:
            return Report(rows, checked, Fault(size + 1, f"rows {size + 1}-{outside.tree_size} are gone: a checkpoint "
                                                         f"published outside the database covers them"))
        if roots[outside.tree_size] != outside.root:
            return Report(rows, checked, Fault(outside.tree_size, "rows up to here no longer give the root of the "
                                                                  "checkpoint published outside the database"))
        if outside.tree_size not in {c.tree_size for c in checkpoints}:
            return Report(rows, checked, Fault(outside.tree_size, "the checkpoint published outside the database "
                                                                  "is missing from it (checkpoints were deleted)"))
        return Report(rows, checked, None, outside.tree_size)


def roots_at(leaves: list[bytes], sizes: set[int]) -> dict[int, bytes]:
    """The Merkle root at each of `sizes` (each at most len(leaves)), reading the leaves once."""
    compact, roots = CompactRange(), {}
    for leaf in leaves:
        compact.append(leaf)
        if compact.size in sizes:
            roots[compact.size] = compact.root()
    return roots
