"""Signed checkpoints kept outside the database they vouch for: a file per checkpoint and `latest.note`, in a
folder per database. Whoever controls the database cannot rewrite these too (give the folder to another
owner, back it up, or sync it elsewhere); `audit verify` compares the log with the latest one, and the audit
API serves it at /audit/v1/checkpoints/latest for anyone to keep a copy."""

import os
from pathlib import Path

from services.audit.domain.checkpoint import Checkpoint


class CheckpointFiles:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def publish(self, checkpoint: Checkpoint) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        note = checkpoint.note()
        for name in (f"checkpoint-{checkpoint.tree_size:012d}.note", "latest.note"):
            partial = self._folder / f".{name}.partial"
            partial.write_text(note)
            os.replace(partial, self._folder / name)  # atomic: a reader sees the old note or the new one

    def latest(self) -> Checkpoint | None:
        path = self._folder / "latest.note"
        return Checkpoint.from_note(path.read_text()) if path.exists() else None

    def latest_text(self) -> str | None:
        path = self._folder / "latest.note"
        return path.read_text() if path.exists() else None
