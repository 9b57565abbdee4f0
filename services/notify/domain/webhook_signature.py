"""Signed webhooks: HMAC-SHA256 over `<timestamp>.<body>`, so a receiver can reject forged or replayed calls.

Receivers copy `verify`: check the signature in constant time and refuse timestamps outside the tolerance.
"""

import hashlib
import hmac

TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(secret: str, timestamp: int, body: bytes, signature: str, *, now: int,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
