"""Referral decision clock in working days (England bank holidays) and RAG screening in clock hours."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from shared.events.codes import Rag
from shared.working_days import EnglandBankHolidays
from services.triage.domain.clocks import add_working_days, screening_due

LONDON = ZoneInfo("Europe/London")
ENGLAND = EnglandBankHolidays()


def at(day: str, hour: int = 14) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=LONDON)


@pytest.mark.parametrize("received, due", [
    (at("2026-11-18"), at("2026-11-19")),           # Wednesday -> Thursday
    (at("2026-11-20"), at("2026-11-23")),           # Friday -> Monday, over the weekend
    (at("2026-11-21"), at("2026-11-24", 9)),        # Saturday counts from Monday 09:00 -> Tuesday 09:00
    (at("2026-12-24"), at("2026-12-29")),           # Christmas Eve -> over Christmas, Boxing Day (observed 28th)
    (at("2026-04-02"), at("2026-04-07")),           # Thursday before Good Friday and Easter Monday
])
def test_one_working_day_skips_weekends_and_england_bank_holidays(received, due):
    assert add_working_days(received, 1, ENGLAND) == due


def test_an_injected_calendar_is_used_instead_of_englands():
    local_closure = {date(2026, 11, 19)}
    assert add_working_days(at("2026-11-18"), 1, lambda d: d in local_closure) == at("2026-11-20")


def test_red_screening_runs_through_the_night_and_weekend():
    received = datetime(2026, 11, 20, 23, 30, tzinfo=LONDON)
    hours = {"red": 2, "amber": 6, "green": 24}
    assert screening_due(received, Rag.RED, hours) == datetime(2026, 11, 21, 1, 30, tzinfo=LONDON)
    assert screening_due(received, Rag.GREEN, hours) == datetime(2026, 11, 21, 23, 30, tzinfo=LONDON)
