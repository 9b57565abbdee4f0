"""Partner API keys: `fd_<prefix>_<secret>`. The prefix finds the partner; only a hash of the key is kept.

Keys are 256-bit random tokens, so a fast hash (SHA-256) is enough: unlike passwords they cannot be guessed
from a dictionary, and a slow hash would only slow every request. Comparison is constant-time.
"""

import hashlib
import hmac
from dataclasses import dataclass

PREFIX_LENGTH = 8


@dataclass(frozen=True)
class PartnerKey:
    prefix: str
    key: str


def key_from_parts(prefix: str, secret: str) -> PartnerKey:
    return PartnerKey(prefix=prefix, key=f"fd_{prefix}_{secret}")


def prefix_of(key: str) -> str | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "fd" or len(parts[1]) != PREFIX_LENGTH or not parts[2]:
        return None
    return parts[1]


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(key_hash(key), stored_hash)
