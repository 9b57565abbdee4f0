"""Checkpoints: the log's size and Merkle root at a moment, in a form that is signed and can be re-checked.

The signed text follows the shape of C2SP signed notes (origin, size, base64 root), plus the time, so a
checkpoint printed on paper or kept by a witness can be verified with the published public key alone.
"""

import base64
from dataclasses import dataclass, field
from datetime import datetime

SIGNATURE_LINE = "— "

ORIGIN = "frontdoor-audit/v1"


@dataclass(frozen=True)
class Checkpoint:
    tree_size: int
    root: bytes
    signed_at: datetime
    signature: bytes = b""
    public_key: str = ""  # the key that signed it (base64 Ed25519), so keys can be rotated
    compact_range: tuple[bytes, ...] = field(default=(), compare=False)  # its tree's subtree roots; not signed

    def message(self) -> bytes:
        root64 = base64.b64encode(self.root).decode()
        return f"{ORIGIN}\n{self.tree_size}\n{root64}\n{self.signed_at.isoformat()}\n".encode()

    def note(self) -> str:
        """The checkpoint as text anyone can keep and check: the signed message, a blank line, then the
        signing key and signature (base64)."""
        return (self.message().decode() + "\n" + SIGNATURE_LINE + self.public_key + " "
                + base64.b64encode(self.signature).decode() + "\n")

    @classmethod
    def from_note(cls, text: str) -> "Checkpoint":
        body, _, signature_line = text.partition("\n\n")
        origin, size, root64, signed_at = body.split("\n")[:4]
        if origin != ORIGIN or not signature_line.startswith(SIGNATURE_LINE):
            raise ValueError("not a Front Door audit checkpoint")
        key, signature64 = signature_line.removeprefix(SIGNATURE_LINE).split()
        return cls(int(size), base64.b64decode(root64), datetime.fromisoformat(signed_at),
                   base64.b64decode(signature64), key)
