"""Working days in England: weekends and bank holidays (the maintained `holidays` package, GOV.UK's list).

Shared because two contexts count them: triage (the decision's working-day deadline) and casework (when a
clock alert is raised). The calendar is passed into their pure rules, so a test can use any calendar.
"""

from collections.abc import Callable
from datetime import date
from typing import Protocol

import holidays


class HolidayCalendar(Protocol):
    """England and Wales bank holidays (or a local authority's own calendar)."""

    def __call__(self, day: date) -> bool: ...


def is_working_day(day: date, is_holiday: Callable[[date], bool]) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


class EnglandBankHolidays:
    def __init__(self) -> None:
        self._calendar = holidays.country_holidays("GB", subdiv="ENG")

    def __call__(self, day: date) -> bool:
        return day in self._calendar
