"""Sheds referral POSTs while intake already serves `max_in_flight` of them (see `domain/admission.py`).

It runs inside `RequestGuards`, so the body it peeks at is already buffered and size-checked; the peek only
happens when intake is busy, and only decides whether the request claims urgency.
"""

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from services.intake.domain.admission import Admission, claims_urgency, too_busy
from services.intake.entrypoints.guards import replaying
from services.intake.entrypoints.problems import at_capacity

BUSY_RETRY_AFTER_SECONDS = 1


class AdmissionGate:
    def __init__(self, app: ASGIApp, *, admission: Admission, path: str = "/v1/referrals") -> None:
        self.app, self.admission, self.path = app, admission, path
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self.path:
            return await self.app(scope, receive, send)
        if too_busy(self.in_flight, self.admission):
            message = await receive()
            if not _urgent(message.get("body", b"")):
                return await at_capacity(BUSY_RETRY_AFTER_SECONDS)(scope, receive, send)
            receive = replaying(message, receive)
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


def _urgent(body: bytes) -> bool:
    try:
        return claims_urgency(json.loads(body))
    except ValueError:
        return False
