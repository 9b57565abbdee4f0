"""A signed webhook to a team's own system: JSON with ids and codes, HMAC-SHA256 signed with a timestamp."""

import json
import time

import httpx

from services.notify.application.ports import PermanentSendError, RetryableSendError
from services.notify.domain.messages import Message
from services.notify.domain.webhook_signature import sign


def classify(status: int) -> None:
    """2xx is done; 429 and 5xx may work later; any other 4xx never will."""
    if status < 300:
        return
    if status == 429 or status >= 500:
        raise RetryableSendError(f"http {status}")
    raise PermanentSendError(f"http {status}")


class WebhookChannel:
    def __init__(self, *, secret: str, timeout: float = 10.0, clock=time.time) -> None:
        self._secret, self._timeout, self._clock = secret, timeout, clock

    async def send(self, message: Message) -> None:
        body = json.dumps(message.fields, sort_keys=True, separators=(",", ":")).encode()
        timestamp = int(self._clock())
        headers = {"Content-Type": "application/json", "X-Frontdoor-Timestamp": str(timestamp),
                   "X-Frontdoor-Signature": sign(self._secret, timestamp, body),
                   "Idempotency-Key": message.reference}
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.post(message.address, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise RetryableSendError(f"http {type(exc).__name__}") from None
        classify(response.status_code)
