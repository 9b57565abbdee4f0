"""A channel that writes each message's reference and recipient id to the log: development and demos.

Only ids are logged; the address and body are not. A second log line for the same reference harms nobody."""

import logging

from services.notify.domain.messages import Message

log = logging.getLogger("frontdoor.notify.log_channel")


class LogChannel:
    resend_is_safe = True

    async def send(self, message: Message) -> None:
        log.info("notification %s sent to recipient %s", message.reference, message.recipient_id)

    async def already_sent(self, message: Message) -> bool | None:
        return None

    async def close(self) -> None:
        return None
