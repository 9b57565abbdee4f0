"""Use case: check that nothing in the log was changed, removed or reordered, and that every checkpoint's
signed root is the root of the rows as they are now.

Linear: the leaves are read once, in order, into a compact range (`domain/merkle.CompactRange`) that gives the
root at every checkpoint's size on the way, instead of recomputing each root from all the leaves before it."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from services.audit.application.ports import AuditLog, PublishedCheckpoints
from services.audit.domain.chain import ChainRow, Fault, verify
from services.audit.domain.checkpoint import DEFAULT_ORIGIN, Checkpoint
from services.audit.domain.cosigned import Cosigned, cosignature
from services.audit.domain.merkle import CompactRange
from services.audit.domain.verified import Verified


@dataclass(frozen=True)
class Report:
    rows_checked: int
    checkpoints_checked: int
    fault: Fault | None
    outside: int | None = None  # the size of the checkpoint published outside the database that matched
    witnessed: Cosigned | None = None  # the checkpoint a witness cosigned, when it matched the rows
    verified: Verified | None = None  # what to keep for next time: the last checkpoint this run verified
    since: int | None = None  # the checkpoint this run started from (an incremental verification)


class VerifyLog:
    """`previous_keys`: public keys retired by rotation. Each checkpoint is checked with the key that signed it,
    which must be the current key or a listed previous one: a checkpoint re-signed with any other key (an
    attacker's) is a fault, and rotating the key never makes old checkpoints look tampered with.

    With `since` (what an earlier verification kept), only the rows and checkpoints after it are read."""

    def __init__(self, *, log: AuditLog, signature_valid: Callable[[str, bytes, bytes], bool],
                 previous_keys: tuple[str, ...] = (), published: PublishedCheckpoints | None = None,
                 witness_key: str | None = None, origin: str = DEFAULT_ORIGIN) -> None:
        self._log, self._signature_valid, self._previous = log, signature_valid, previous_keys
        self._origin = origin  # the log's name: copies kept outside must be notes of this log
        self._published = published  # checkpoints kept outside the database (or None)
        self._witness_key = witness_key  # the witness's note verifier key: its cosignature is checked too

    async def execute(self, *, start: int = 1, end: int | None = None, public_key: str,
                      since: Verified | None = None) -> Report:
        if not await self._log.exists():
            return Report(0, 0, Fault(1, "there is no audit log in this database (dropped?); nothing was verified"))
        if since is not None:
            start, end = since.tree_size + 1, None
        previous = await self._previous_row(start, since)
        rows = await self._log.rows(start, end)
        if fault := verify(rows, previous):
            return Report(len(rows), 0, fault)
        if start > 1 and previous is None:
            return Report(len(rows), 0, Fault(start, "rows before this one are missing"))
        # The copy outside first: audit publishes a checkpoint only after committing it, so the log and
        # checkpoints read after it hold everything it covers (read the other way round, a checkpoint taken
        # meanwhile looked deleted from the database).
        keys = (public_key, *self._previous)
        outside = self._outside(keys)
        witnessed = self._cosigned(keys)
        size = await self._log.size()
        checkpoints = await self._log.checkpoints()
        if since is not None and not any(c.tree_size == since.tree_size and c.root == since.root
                                         for c in checkpoints):
            return Report(len(rows), 0, Fault(since.tree_size, "the checkpoint verified last time is gone or "
                                                               "changed"), since=since.tree_size)
        wanted = {c.tree_size for c in checkpoints} | {c.tree_size for c in (outside, witnessed) if c is not None}
        compact = since.range() if since is not None else CompactRange()
        ranges = ranges_at(compact, await self._log.leaf_hashes(size, start=compact.size + 1), wanted)
        if since is not None:
            ranges[since.tree_size] = (since.root, since.compact_range, since.last_entry_hash)
        checked, last = 0, since
        for checkpoint in checkpoints:
            if end is not None and checkpoint.tree_size > end:
                break
            if since is not None and checkpoint.tree_size <= since.tree_size:
                continue  # verified last time
            checked += 1
            if fault := self._checkpoint_fault(checkpoint, size, public_key, ranges):
                return Report(len(rows), checked, fault, since=since.tree_size if since else None)
            root, hashes, last_hash = ranges[checkpoint.tree_size]
            last = Verified(checkpoint.tree_size, root, hashes, last_hash)
        roots = {n: r[0] for n, r in ranges.items()}
        report = self._against_published(len(rows), checked, size, public_key, outside, roots, checkpoints)
        if report.fault is None and witnessed is not None and (since is None or witnessed.tree_size >= since.tree_size):
            report = self._against_witness(report, size, public_key, witnessed, roots, checkpoints)
        return replace(report, verified=last if report.fault is None else None,
                       since=since.tree_size if since else None)

    def _cosigned(self, keys: tuple[str, ...]) -> Checkpoint | None:
        text = self._published.cosigned_text() if self._published and self._witness_key else None
        return Checkpoint.from_note(text, keys, self._origin) if text is not None else None

    def _against_witness(self, report: Report, size: int, public_key: str, witnessed: Checkpoint,
                         roots: dict[int, bytes], checkpoints: list[Checkpoint]) -> Report:
        """The log against the checkpoint the witness cosigned: the one copy its controller cannot re-sign."""
        assert self._witness_key and self._published
        cosigned = cosignature(self._published.cosigned_text() or "", self._witness_key, self._signature_valid)
        if cosigned is None:
            return replace(report, fault=Fault(witnessed.tree_size, "the checkpoint kept as cosigned carries no "
                                                                    "valid cosignature of the configured witness"))
        checked = self._against_published(report.rows_checked, report.checkpoints_checked, size, public_key,
                                          witnessed, roots, checkpoints, what="the checkpoint the witness cosigned")
        return replace(report, fault=checked.fault, witnessed=cosigned if checked.fault is None else None)

    def _outside(self, keys: tuple[str, ...]) -> Checkpoint | None:
        text = self._published.latest_text() if self._published is not None else None
        return Checkpoint.from_note(text, keys, self._origin) if text is not None else None

    async def _previous_row(self, start: int, since: Verified | None) -> ChainRow | None:
        """The row before `start`: the one the auditor kept a hash of, or the database's own."""
        if since is not None:
            return ChainRow(since.tree_size, b"", since.last_entry_hash, b"") if since.tree_size else None
        return await self._log.row_before(start) if start > 1 else None

    def _checkpoint_fault(self, checkpoint: Checkpoint, size: int, public_key: str,
                          ranges: dict[int, tuple[bytes, tuple[bytes, ...], bytes]]) -> Fault | None:
        if checkpoint.tree_size > size:
            return Fault(size + 1, f"the checkpoint of size {checkpoint.tree_size} covers rows that are gone "
                                   f"(log ends at {size})")
        key = checkpoint.public_key or public_key
        if key not in (public_key, *self._previous):
            return Fault(checkpoint.tree_size, f"checkpoint signed by key {key[:12]}…, which is neither the current "
                                               "key nor a listed previous one")
        if not self._signature_valid(key, checkpoint.message(), checkpoint.signature):
            return Fault(checkpoint.tree_size, "checkpoint signature is not valid for the key recorded with it")
        if ranges[checkpoint.tree_size][0] != checkpoint.root:
            return Fault(checkpoint.tree_size, "rows up to here no longer give the checkpoint's signed root")
        return None

    def _against_published(self, rows: int, checked: int, size: int, public_key: str, outside: Checkpoint | None,
                           roots: dict[int, bytes], checkpoints: list[Checkpoint],
                           what: str = "the checkpoint published outside the database") -> Report:
        """The log against the latest checkpoint kept outside the database: rows removed from the tail, or
        checkpoints deleted, are faults that no check inside the database can see."""
        if outside is None:
            return Report(rows, checked, None)
        if outside.public_key not in (public_key, *self._previous) or not self._signature_valid(
                outside.public_key, outside.message(), outside.signature):
            return Report(rows, checked, Fault(outside.tree_size, f"{what} is not signed by a trusted key"))
        if size < outside.tree_size:
            return Report(rows, checked, Fault(size + 1, f"rows {size + 1}-{outside.tree_size} are gone: {what} "
                                                         "covers them"))
        if roots[outside.tree_size] != outside.root:
            return Report(rows, checked, Fault(outside.tree_size, f"rows up to here no longer give the root of {what}"))
        if outside.tree_size not in {c.tree_size for c in checkpoints}:
            return Report(rows, checked, Fault(outside.tree_size, f"{what} is missing from the database "
                                                                  "(checkpoints were deleted)"))
        return Report(rows, checked, None, outside.tree_size)


def ranges_at(compact: CompactRange, leaves: list[bytes],
              sizes: set[int]) -> dict[int, tuple[bytes, tuple[bytes, ...], bytes]]:
    """(root, compact range, last leaf) at each of `sizes` met while extending `compact` with `leaves` once."""
    found = {}
    for leaf in leaves:
        compact.append(leaf)
        if compact.size in sizes:
            found[compact.size] = (compact.root(), tuple(compact.hashes), leaf)
    return found
