"""What to do with a message whose send may or may not have happened (notify died between send and record).

A crash can leave a claimed message unsettled: the channel may have taken it, or not. Sending again must
never silently deliver twice, so (issue: "make a resend safe where the channel allows it"):
- a channel that can say whether the message already went (GOV.UK Notify, asked by our reference) decides;
- a channel whose receivers de-duplicate a resend (a webhook's Idempotency-Key, an email's stable Message-ID)
  sends again;
- otherwise the message is "in doubt": not sent again, recorded, and handed to a person.
"""

from enum import StrEnum


class AfterCrash(StrEnum):
    ALREADY_SENT = "already_sent"
    SEND = "send"
    IN_DOUBT = "in_doubt"


def after_crash(already_sent: bool | None, resend_is_safe: bool) -> AfterCrash:
    """`already_sent` is the channel's answer: True, False, or None when it cannot tell."""
    if already_sent is True:
        return AfterCrash.ALREADY_SENT
    if already_sent is False or resend_is_safe:
        return AfterCrash.SEND
    return AfterCrash.IN_DOUBT
