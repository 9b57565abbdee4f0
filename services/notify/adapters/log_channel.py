"""A channel that writes each message's reference and recipient id to the log: development and demos.

Only ids are logged; the address and body are not."""

import logging

from services.notify.domain.messages import Message

log = logging.getLogger("frontdoor.notify.log_channel")


class LogChannel:
    async def send(self, message: Message) -> None:
        log.info("notification %s sent to recipient %s", message.reference, message.recipient_id)
