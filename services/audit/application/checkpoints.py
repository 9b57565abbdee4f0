"""Use case: sign the log's current size and Merkle root, when it has grown since the last checkpoint."""

import asyncio
import logging
from collections.abc import Callable

from shared.clock import Clock
from shared.periodic import every
from services.audit.application.ports import AuditLog, AuditUnitOfWork, PublishedCheckpoints, Signer
from services.audit.domain.checkpoint import DEFAULT_ORIGIN, Checkpoint
from services.audit.domain.merkle import CompactRange

log = logging.getLogger(__name__)


class TakeCheckpoint:
    def __init__(self, *, log: AuditLog, uow: Callable[[], AuditUnitOfWork], signer: Signer, clock: Clock,
                 published: PublishedCheckpoints | None = None, origin: str = DEFAULT_ORIGIN) -> None:
        self._log, self._uow, self._signer, self._clock, self._origin = log, uow, signer, clock, origin
        self._published = published  # where checkpoints are also kept outside the database (or None)

    async def execute(self) -> Checkpoint | None:
        """The new checkpoint, or the latest one when nothing was appended since (None for an empty log).
        Each is also published outside the database once committed."""
        size = await self._log.size()
        existing = await self._log.checkpoints()
        if existing and existing[-1].tree_size == size:
            return existing[-1]
        if size == 0:
            return None
        compact = await self._range_to(size, existing[-1] if existing else None)
        unsigned = Checkpoint(tree_size=size, root=compact.root(), signed_at=self._clock.now(), origin=self._origin)
        signed = Checkpoint(unsigned.tree_size, unsigned.root, unsigned.signed_at,
                            self._signer.sign(unsigned.message()), self._signer.public_key_b64,
                            tuple(compact.hashes), origin=self._origin)
        async with self._uow() as uow:
            await uow.add_checkpoint(signed, self._signer.public_key_b64)
            await uow.commit()
        if self._published is not None:
            self._published.publish(signed)
        return signed

    async def _range_to(self, size: int, last: Checkpoint | None) -> CompactRange:
        """The tree of the first `size` leaves: from the last checkpoint's saved range, reading only the leaves
        since, when that range still gives the root it signed; otherwise from every leaf."""
        if last is not None and last.compact_range:
            try:
                compact = CompactRange(last.tree_size, last.compact_range)
            except ValueError:
                compact = None
            if compact is not None and compact.root() == last.root:
                for leaf in await self._log.leaf_hashes(size, start=last.tree_size + 1):
                    compact.append(leaf)
                return compact
            log.error("ALERT the compact range saved with checkpoint %s does not give its signed root; "
                      "reading the whole log", last.tree_size)
        compact = CompactRange()
        for leaf in await self._log.leaf_hashes(size):
            compact.append(leaf)
        return compact

    async def run(self, stopping: asyncio.Event, every_seconds: float) -> None:
        await every(stopping, every_seconds, self.execute, what="checkpoint")
