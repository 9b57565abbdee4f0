"""End-to-end completeness: every referral intake accepted, checked for each step it is owed.

A referral is owed a triage decision, a route (a work item on a queue), a notification that went out, and the
audit rows for each (`ReferralReceived`, `ReferralTriaged`, `ReferralRouted`, `NotificationSent`). This reads
every service's schema at once, which no service may do, so it is operators' tooling. A referral older than the
grace period that lacks a step is reported with the steps it lacks; one whose screening clock (the work item's
due time, or one day from receipt when it was never routed) has run out is reported as a breach.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

AUDITED = ("ReferralReceived", "ReferralTriaged", "ReferralRouted", "NotificationSent")
UNROUTED_CLOCK = timedelta(days=1)
STEPS = text("""
SELECT r.id, r.received_at,
       EXISTS (SELECT 1 FROM triage.decisions d WHERE d.referral_id = r.id) AS decided,
       w.due_at,
       EXISTS (SELECT 1 FROM notify.notifications n WHERE n.referral_id = r.id
                 AND n.status IN ('sent', 'delivered')) AS notified,
       ARRAY(SELECT DISTINCT l.event_type FROM audit.log l WHERE l.referral_id = r.id) AS audited
FROM intake.referrals r
LEFT JOIN casework.work_items w ON w.referral_id = r.id
WHERE r.received_at >= :since AND r.received_at < :settled
  AND (CAST(:only AS uuid[]) IS NULL OR r.id = ANY(CAST(:only AS uuid[])))
ORDER BY r.received_at""")


@dataclass(frozen=True)
class Incomplete:
    referral_id: str
    received_at: datetime
    missing: tuple[str, ...]
    breached: bool


def missing_steps(*, decided: bool, routed: bool, notified: bool, audited: set[str]) -> tuple[str, ...]:
    """The steps a referral is still owed, in the order they should have happened."""
    owed = [name for name, done in (("decision", decided), ("route", routed), ("notification", notified)) if not done]
    return tuple(owed + [f"audit:{t}" for t in AUDITED if t not in audited])


async def incomplete_referrals(engine: AsyncEngine, *, now: datetime, grace: timedelta, lookback: timedelta,
                               only: list[UUID] | None = None) -> tuple[int, list[Incomplete]]:
    """(referrals checked, those lacking a step) among referrals received in the look-back window (and, with
    `only`, among those referrals)."""
    async with engine.connect() as conn:
        rows = (await conn.execute(STEPS, {"since": now - lookback, "settled": now - grace, "only": only})).all()
    found = []
    for row in rows:
        missing = missing_steps(decided=row.decided, routed=row.due_at is not None, notified=row.notified,
                                audited=set(row.audited))
        if missing:
            clock = row.due_at or row.received_at + UNROUTED_CLOCK
            found.append(Incomplete(str(row.id), row.received_at, missing, breached=now >= clock))
    return len(rows), found
