"""A witness's cosignature on a checkpoint (c2sp.org/tlog-cosignature): who cosigned which size, and when.

The signature check is passed in (`signature_valid`, Ed25519 over base64 keys) so this stays pure."""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from services.audit.domain.signed_note import COSIGNATURE_V1, VerifierKey, cosignature_parts, cosigned_message, split


@dataclass(frozen=True)
class Cosigned:
    tree_size: int
    witness: str  # the witness's key name
    at: datetime  # the time the witness put in its cosignature


def cosignature(note: str, witness_key: str, signature_valid: Callable[[str, bytes, bytes], bool]) -> Cosigned | None:
    """The configured witness's valid cosignature on `note`, or None (absent, another witness, or forged)."""
    key = VerifierKey.parse(witness_key)
    if key.algorithm != COSIGNATURE_V1:
        raise ValueError("the witness key is not a cosignature/v1 key (its type byte is not 0x04)")
    body, signatures = split(note)
    for line in signatures:
        if line.name != key.name or line.key_id != key.key_id:
            continue
        timestamp, signature = cosignature_parts(line)
        if signature_valid(base64.b64encode(key.public_key).decode(), cosigned_message(body, timestamp), signature):
            return Cosigned(int(body.split("\n")[1]), key.name, datetime.fromtimestamp(timestamp, UTC))
    return None
