"""Deadlines: the referral decision within working days (England bank holidays), and RAG screening hours.

The holiday calendar is passed in, so the rules stay pure and a test can use any calendar it likes.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.events.codes import Rag
from shared.working_days import is_working_day

ENGLAND = ZoneInfo("Europe/London")


def day_received(received_at: datetime) -> date:
    """The day in England a referral was received: the rules judge ages as of that day, not the processing day."""
    return received_at.astimezone(ENGLAND).date()


def add_working_days(start: datetime, days: int, is_holiday: Callable[[date], bool]) -> datetime:
    """The same local time `days` working days later; a start on a non-working day counts from the next
    working day's start of business, as a referral received on Saturday is due on Tuesday, not Monday."""
    moment = start
    if not is_working_day(moment.date(), is_holiday):
        while not is_working_day(moment.date(), is_holiday):
            moment = (moment + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    remaining = days
    while remaining:
        moment += timedelta(days=1)
        if is_working_day(moment.date(), is_holiday):
            remaining -= 1
    return moment


def screening_due(received_at: datetime, rag: Rag, rag_hours: dict[str, float]) -> datetime:
    """RAG screening runs in clock hours: a red referral is screened out of hours too."""
    return received_at + timedelta(hours=rag_hours[rag.value])
