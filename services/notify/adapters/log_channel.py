"""A channel that writes each message's reference and recipient id to the log: development and demos.

Only ids and codes are logged; the message body (which carries no personal data anyway) is not."""

import logging

from services.notify.domain.messages import Message

log = logging.getLogger("frontdoor.notify.log_channel")


class LogChannel:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, message: Message) -> None:
        log.info("notification %s sent to recipient %s", message.reference, message.recipient.id)
        self.sent.append(message.reference)
