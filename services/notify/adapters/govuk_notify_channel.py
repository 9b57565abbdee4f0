"""GOV.UK Notify, through its own Python client (run in a thread: the client is synchronous).

With a *test* API key Notify sends nothing and reports delivery; `temp-fail@simulator.notify` and
`perm-fail@simulator.notify` simulate failures (tech-reference §5). Notify has no idempotency key: our
`reference` (referral:event:recipient) is passed so a duplicate can be found with `?reference=`.
"""

import asyncio

from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from requests import RequestException

from services.notify.adapters.webhook_channel import classify
from services.notify.application.ports import PermanentSendError, RetryableSendError
from services.notify.domain.messages import Message


class GovukNotifyChannel:
    resend_is_safe = False  # Notify has no idempotency key; it can be asked instead (`already_sent`)

    def __init__(self, *, api_key: str, template_id: str, base_url: str = "https://api.notifications.service.gov.uk",
                 timeout: float = 10.0) -> None:
        self._client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)
        self._template_id = template_id

    async def send(self, message: Message) -> None:
        try:
            await asyncio.to_thread(self._client.send_email_notification, email_address=message.address,
                                    template_id=self._template_id, reference=message.reference,
                                    personalisation={k: str(v) for k, v in message.fields.items()})
        except HTTPError as exc:
            classify(exc.status_code or 500)
            raise PermanentSendError(f"notify {exc.status_code}") from None
        except RequestException as exc:
            raise RetryableSendError(f"notify {type(exc).__name__}") from None

    async def already_sent(self, message: Message) -> bool | None:
        """Ask Notify for notifications with our reference; None when Notify cannot be asked right now."""
        try:
            found = await asyncio.to_thread(self._client.get_all_notifications, reference=message.reference)
        except (HTTPError, RequestException):
            return None
        return bool(found.get("notifications"))

    async def close(self) -> None:
        return None
