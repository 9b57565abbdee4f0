"""Use case: sign the log's current size and Merkle root, when it has grown since the last checkpoint."""

import asyncio
import logging
from collections.abc import Callable

from shared.clock import Clock
from services.audit.application.ports import AuditLog, AuditUnitOfWork, PublishedCheckpoints, Signer
from services.audit.domain.checkpoint import Checkpoint
from services.audit.domain.merkle import root

log = logging.getLogger(__name__)


class TakeCheckpoint:
    def __init__(self, *, log: AuditLog, uow: Callable[[], AuditUnitOfWork], signer: Signer, clock: Clock,
                 published: PublishedCheckpoints | None = None) -> None:
        self._log, self._uow, self._signer, self._clock = log, uow, signer, clock
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
        unsigned = Checkpoint(tree_size=size, root=root(await self._log.leaf_hashes(size)),
                              signed_at=self._clock.now())
        signed = Checkpoint(unsigned.tree_size, unsigned.root, unsigned.signed_at,
                            self._signer.sign(unsigned.message()), self._signer.public_key_b64)
        async with self._uow() as uow:
            await uow.add_checkpoint(signed, self._signer.public_key_b64)
            await uow.commit()
        if self._published is not None:
            self._published.publish(signed)
        return signed

    async def run(self, stopping: asyncio.Event, every_seconds: float) -> None:
        while not stopping.is_set():
            try:
                await asyncio.wait_for(stopping.wait(), timeout=every_seconds)
            except TimeoutError:
                try:
                    await self.execute()
                except Exception as exc:  # noqa: BLE001 - a loop that must outlive any failure; database down: try at the next tick
                    log.warning("checkpoint failed (%s)", type(exc).__name__)
