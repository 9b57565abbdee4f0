"""SLA alerts with an injected clock, across a weekend and a bank holiday (England calendar)."""

from datetime import datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from shared.working_days import EnglandBankHolidays
from services.casework.domain.sla import alert_due, queue_order
from services.casework.domain.workitems import WorkItem

LONDON = ZoneInfo("Europe/London")
ENGLAND = EnglandBankHolidays()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def item(rag: str, due: str, **kw) -> WorkItem:
    return WorkItem(id=uuid4(), referral_id=uuid4(), queue_id="early_help", secondary_queues=(), state="new",
                    assignee=None, rag=rag, due_at=at(due), **kw)


@pytest.mark.parametrize("rag, created, due, now, expected", [
    # green received Friday 16:00, due Saturday 16:00: warning falls on Saturday 10:00 -> raised Monday 09:00
    ("green", "2026-11-20 16:00", "2026-11-21 16:00", "2026-11-21 11:00", None),
    ("green", "2026-11-20 16:00", "2026-11-21 16:00", "2026-11-23 08:59", None),
    ("green", "2026-11-20 16:00", "2026-11-21 16:00", "2026-11-23 09:00", "SlaBreached"),
    # red screening runs out of hours: Saturday alerts are raised on Saturday
    ("red", "2026-11-21 10:00", "2026-11-21 12:00", "2026-11-21 11:31", "SlaWarning"),
    ("red", "2026-11-21 10:00", "2026-11-21 12:00", "2026-11-21 12:00", "SlaBreached"),
    # amber due on Boxing Day (observed Monday 28 Dec 2026): nothing until Tuesday 29th 09:00
    ("amber", "2026-12-24 12:00", "2026-12-28 12:00", "2026-12-28 13:00", None),
    ("amber", "2026-12-24 12:00", "2026-12-28 12:00", "2026-12-29 09:00", "SlaBreached"),
    # a working-day warning at 75%
    ("amber", "2026-11-18 09:00", "2026-11-18 17:00", "2026-11-18 15:00", "SlaWarning"),
    ("amber", "2026-11-18 09:00", "2026-11-18 17:00", "2026-11-18 14:59", None),
])
def test_alerts_are_raised_on_working_days_except_for_red(rag, created, due, now, expected):
    assert alert_due(item(rag, due), created_at=at(created), now=at(now), is_holiday=ENGLAND) == expected


def test_each_alert_is_raised_once():
    warned = item("amber", "2026-11-18 17:00", sla_warned=True)
    assert alert_due(warned, created_at=at("2026-11-18 09:00"), now=at("2026-11-18 16:00"), is_holiday=ENGLAND) is None
    breached = item("amber", "2026-11-18 17:00", sla_warned=True, sla_breached=True)
    assert alert_due(breached, created_at=at("2026-11-18 09:00"), now=at("2026-11-19 10:00"),
                     is_holiday=ENGLAND) is None


def test_breached_items_go_to_the_top_then_red_amber_green_then_soonest():
    items = [item("green", "2026-11-18 10:00"), item("red", "2026-11-18 12:00"), item("red", "2026-11-18 11:00"),
             item("green", "2026-11-19 10:00", sla_breached=True)]
    ordered = sorted(items, key=queue_order)
    assert [(i.rag, i.sla_breached, i.due_at.hour) for i in ordered] == [
        ("green", True, 10), ("red", False, 11), ("red", False, 12), ("green", False, 10)]
