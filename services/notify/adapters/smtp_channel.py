"""Email over SMTP (aiosmtplib). SMTP 4xx replies and lost connections are worth retrying; 5xx are not."""

from email.message import EmailMessage

import aiosmtplib

from services.notify.application.ports import PermanentSendError, RetryableSendError
from services.notify.domain.messages import Message


class SmtpChannel:
    def __init__(self, *, host: str, port: int, sender: str, username: str | None = None,
                 password: str | None = None, start_tls: bool = False, timeout: float = 10.0) -> None:
        self._options = {"hostname": host, "port": port, "username": username, "password": password,
                         "start_tls": start_tls, "timeout": timeout}
        self._sender = sender

    async def send(self, message: Message) -> None:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self._sender, message.address, message.subject
        email["X-Frontdoor-Reference"] = message.reference
        email.set_content(message.body)
        try:
            await aiosmtplib.send(email, **self._options)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            if all(400 <= c < 500 for c in codes):
                raise RetryableSendError(f"smtp {codes}") from None
            raise PermanentSendError(f"smtp recipient refused {codes}") from None
        except aiosmtplib.SMTPResponseException as exc:
            error = RetryableSendError if 400 <= exc.code < 500 else PermanentSendError
            raise error(f"smtp {exc.code}") from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise RetryableSendError(f"smtp {type(exc).__name__}") from None
