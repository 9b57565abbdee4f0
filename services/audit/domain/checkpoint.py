"""Checkpoints: the log's size and Merkle root at a moment, signed so that anyone can re-check them.

The text is a C2SP checkpoint (c2sp.org/tlog-checkpoint: origin line, tree size, base64 root) signed as a
C2SP signed note with Ed25519, so Go's `sumdb/note` and `sumdb/tlog`, a transparency-dev witness or any
other standard client verifies it with the published verifier key alone, and a witness can cosign it. The
time it was signed is kept beside it (in the database), not in the signed text: a witness's cosignature
carries its own time.
"""

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from services.audit.domain.signed_note import ED25519, NoteSignature, key_id, split, verifier_key

DEFAULT_ORIGIN = "frontdoor.example/audit/v1"  # development's log name; each deployment sets its own
ORIGIN_PATTERN = r"^[!-*,-~]{1,200}$"  # printable, no spaces and no "+" (a note key name's rules), one line


def note_key_id(public_key_b64: str, origin: str = DEFAULT_ORIGIN) -> bytes:
    return key_id(origin, ED25519, base64.b64decode(public_key_b64))


def note_verifier_key(public_key_b64: str, origin: str = DEFAULT_ORIGIN) -> str:
    """What an auditor gives `note.NewVerifier` (Go) to check this log's checkpoints."""
    return verifier_key(origin, base64.b64decode(public_key_b64))


@dataclass(frozen=True)
class Checkpoint:
    tree_size: int
    root: bytes
    signed_at: datetime | None  # when the log signed it (None when read back from a note)
    signature: bytes = b""
    public_key: str = ""  # the key that signed it (base64 Ed25519), so keys can be rotated
    compact_range: tuple[bytes, ...] = field(default=(), compare=False)  # its tree's subtree roots; not signed
    origin: str = field(default=DEFAULT_ORIGIN, kw_only=True)  # the log's name (AUDIT_LOG_ORIGIN), for life

    def message(self) -> bytes:
        """The signed body: origin, size and root, each ending in a newline."""
        return f"{self.origin}\n{self.tree_size}\n{base64.b64encode(self.root).decode()}\n".encode()

    def note(self) -> str:
        """The checkpoint as a signed note anyone can keep and check."""
        line = NoteSignature(self.origin, note_key_id(self.public_key, self.origin), self.signature).line()
        return self.message().decode() + "\n" + line

    @classmethod
    def from_note(cls, text: str, trusted_keys: Iterable[str], origin: str = DEFAULT_ORIGIN) -> "Checkpoint":
        """Read back a note of the log named `origin`: the signature kept is the one by a trusted key (base64
        Ed25519); none by a trusted key leaves signature and key empty, which no verification accepts. Other
        signatures (a witness's cosignatures, unknown keys) are ignored here."""
        body, signatures = split(text)
        lines = body.split("\n")
        if len(lines) < 4 or lines[0] != origin or not lines[1].isdigit():
            raise ValueError(f"not a checkpoint of {origin}")
        tree_size, root = int(lines[1]), base64.b64decode(lines[2], validate=True)
        if body != cls(tree_size, root, None, origin=origin).message().decode():
            raise ValueError("a checkpoint note has exactly three body lines (no extension lines)")
        by_id = {note_key_id(key, origin): key for key in trusted_keys}
        for signature in signatures:
            if signature.name == origin and signature.key_id in by_id:
                return cls(tree_size, root, None, signature.signature, by_id[signature.key_id], origin=origin)
        return cls(tree_size, root, None, origin=origin)
