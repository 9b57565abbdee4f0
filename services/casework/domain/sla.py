"""Clock alerts for open work items: a warning at 75% of the time to `due_at`, a breach at `due_at`, once each.

Alerts are raised on working days: one that falls due at a weekend or on a bank holiday is raised at the
start of the next working day, except for red items, whose screening runs out of hours (Luton; domain
research §3). Breached items sort to the top of every queue for the duty manager.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from shared.working_days import is_working_day
from services.casework.domain.urgency import RAG_ORDER
from services.casework.domain.workitems import WorkItem

WARNING_FRACTION = 0.75
START_OF_DAY = time(9, 0)


def raised_at(moment: datetime, *, red: bool, is_holiday: Callable[[date], bool]) -> datetime:
    """When an alert due at `moment` is raised."""
    if red or is_working_day(moment.date(), is_holiday):
        return moment
    day = moment.date() + timedelta(days=1)
    while not is_working_day(day, is_holiday):
        day += timedelta(days=1)
    return datetime.combine(day, START_OF_DAY, tzinfo=moment.tzinfo)


def alert_due(item: WorkItem, *, created_at: datetime, now: datetime,
              is_holiday: Callable[[date], bool]) -> str | None:
    """'SlaBreached', 'SlaWarning' or None for an item at `now`; each at most once, breach before warning."""
    if item.state == "closed":
        return None
    red = item.rag == "red"
    if not item.sla_breached and now >= raised_at(item.due_at, red=red, is_holiday=is_holiday):
        return "SlaBreached"
    warn = created_at + (item.due_at - created_at) * WARNING_FRACTION
    if not item.sla_warned and not item.sla_breached and now >= raised_at(warn, red=red, is_holiday=is_holiday):
        return "SlaWarning"
    return None


def queue_order(item: WorkItem) -> tuple[bool, int, datetime]:
    """Breached first, then red, amber, green, then soonest due."""
    return (not item.sla_breached, RAG_ORDER.get(item.rag, 3), item.due_at)
