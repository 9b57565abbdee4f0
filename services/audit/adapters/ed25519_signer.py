"""Ed25519 signing of checkpoints (the `cryptography` package). The private key comes from settings."""

import base64
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def new_private_key_b64() -> str:
    return base64.b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode()


def write_new_key(path: Path) -> str:
    """A new private key in `path` (owner-only), unless one is there; returns its public key."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(new_private_key_b64())
    return Ed25519Signer(path.read_text().strip()).public_key_b64


class Ed25519Signer:
    def __init__(self, private_key_b64: str) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_key_b64))

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    @property
    def public_key_b64(self) -> str:
        return base64.b64encode(self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def signature_valid(public_key_b64: str, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64)).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
