"""Signed checkpoints kept outside the database they vouch for: a file per checkpoint and `latest.note`, in a
folder per database. Whoever controls the database cannot rewrite these too (give the folder to another
owner, back it up, or sync it elsewhere); `audit verify` compares the log with the latest one, and the audit
API serves it at /audit/v1/checkpoints/latest for anyone to keep a copy. The latest checkpoint a witness
cosigned is kept beside them (`cosigned.note`)."""

import os
from pathlib import Path

from services.audit.domain.checkpoint import Checkpoint


class CheckpointFiles:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def publish(self, checkpoint: Checkpoint) -> None:
        self._write(checkpoint.note(), f"checkpoint-{checkpoint.tree_size:012d}.note", "latest.note")

    def publish_cosigned(self, note: str) -> None:
        """A checkpoint with a witness's cosignature added (the note the witness answered for)."""
        size = note.split("\n", 2)[1]
        self._write(note, f"cosigned-{int(size):012d}.note", "cosigned.note")

    def cosigned_text(self) -> str | None:
        path = self._folder / "cosigned.note"
        return path.read_text() if path.exists() else None

    def _write(self, note: str, *names: str) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            partial = self._folder / f".{name}.partial"
            partial.write_text(note)
            os.replace(partial, self._folder / name)  # atomic: a reader sees the old note or the new one

    def latest_text(self) -> str | None:
        path = self._folder / "latest.note"
        return path.read_text() if path.exists() else None
