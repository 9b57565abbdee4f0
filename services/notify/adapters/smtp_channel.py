"""Email over SMTP (aiosmtplib). SMTP 4xx replies and lost connections are worth retrying; 5xx are not.

Each email's Message-ID is derived from the notification reference, so a copy sent again after a crash is the
same message to every mail system that de-duplicates by Message-ID (RFC 5322 section 3.6.4)."""

import hashlib
from email.message import EmailMessage

import aiosmtplib

from services.notify.application.ports import PermanentSendError, RetryableSendError
from services.notify.domain.messages import Message


def message_id(reference: str, domain: str) -> str:
    """Stable for a reference, unique across references, and free of anything personal."""
    return f"<{hashlib.sha256(reference.encode()).hexdigest()[:32]}@{domain}>"


class SmtpChannel:
    resend_is_safe = True

    def __init__(self, *, host: str, port: int, sender: str, username: str | None = None,
                 password: str | None = None, start_tls: bool = False, timeout: float = 10.0) -> None:
        self._host, self._port, self._username, self._password = host, port, username, password
        self._start_tls, self._timeout, self._sender = start_tls, timeout, sender

    async def already_sent(self, message: Message) -> bool | None:
        return None

    async def close(self) -> None:
        return None

    async def send(self, message: Message) -> None:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self._sender, message.address, message.subject
        email["X-Frontdoor-Reference"] = message.reference
        email["Message-ID"] = message_id(message.reference, self._sender.rpartition("@")[2] or "frontdoor")
        email.set_content(message.body)
        try:
            await aiosmtplib.send(email, hostname=self._host, port=self._port, username=self._username,
                                  password=self._password, start_tls=self._start_tls, timeout=self._timeout)
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
