"""C2SP signed notes (c2sp.org/signed-note) and cosignatures (c2sp.org/tlog-cosignature), the text format Go's
`golang.org/x/mod/sumdb/note`, transparency-dev witnesses and Sigstore read: a body, a blank line, then one
`— <key name> base64(key id || signature)` line per signature.

Only the format lives here (no key material, no crypto): the key id says which key a signature line claims,
so a verifier can pick the key it trusts and ignore the rest, as the spec requires.
"""

import base64
import hashlib
import struct
from dataclasses import dataclass

SIGNATURE_PREFIX = "— "  # U+2014 EM DASH then a space
ED25519 = 0x01  # signature type byte of a plain Ed25519 note key
COSIGNATURE_V1 = 0x04  # signature type byte of a witness's timestamped Ed25519 cosignature


def key_id(name: str, algorithm: int, public_key: bytes) -> bytes:
    """The 4-byte key id: SHA-256(name || "\\n" || type || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([algorithm]) + public_key).digest()[:4]


def verifier_key(name: str, public_key: bytes, algorithm: int = ED25519) -> str:
    """The verifier key string `<name>+<hex key id>+<base64(type || key)>` that `note.NewVerifier` takes."""
    encoded = base64.b64encode(bytes([algorithm]) + public_key).decode()
    return f"{name}+{key_id(name, algorithm, public_key).hex()}+{encoded}"


@dataclass(frozen=True)
class VerifierKey:
    name: str
    algorithm: int
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.algorithm, self.public_key)

    @classmethod
    def parse(cls, text: str) -> "VerifierKey":
        try:
            name, hash_hex, encoded = text.strip().split("+", 2)  # base64 may hold "+"
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise ValueError("not a note verifier key (name+keyid+base64)") from None
        key = cls(name, raw[0], raw[1:]) if raw else None
        if key is None or key.key_id.hex() != hash_hex or len(key.public_key) != 32:
            raise ValueError("note verifier key: its key id does not match its key")
        return key


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_id: bytes
    signature: bytes  # for a cosignature: 8-byte big-endian timestamp, then the signature

    def line(self) -> str:
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


def split(note: str) -> tuple[str, list[NoteSignature]]:
    """The signed body (ending in a newline) and the signature lines after the blank line."""
    cut = note.rfind("\n\n")
    if cut < 0:
        raise ValueError("not a signed note: no blank line before the signatures")
    body, signatures = note[: cut + 1], []
    for line in note[cut + 2:].splitlines():
        name, _, encoded = line.removeprefix(SIGNATURE_PREFIX).partition(" ")
        if not line.startswith(SIGNATURE_PREFIX) or not name or not encoded:
            raise ValueError(f"not a note signature line: {line[:40]!r}")
        raw = base64.b64decode(encoded, validate=True)
        if len(raw) < 5:
            raise ValueError("note signature too short")
        signatures.append(NoteSignature(name, raw[:4], raw[4:]))
    return body, signatures


def cosigned_message(body: str, timestamp: int) -> bytes:
    """What a witness signs (tlog-cosignature, cosignature/v1): the header lines, then the checkpoint body."""
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def cosignature_parts(signature: NoteSignature) -> tuple[int, bytes]:
    """(timestamp, Ed25519 signature) of a cosignature/v1 line."""
    if len(signature.signature) != 8 + 64:
        raise ValueError("not a cosignature/v1 signature")
    return struct.unpack(">Q", signature.signature[:8])[0], signature.signature[8:]
