"""The history snapshot a referral carries to triage: what the index knows of the person at the moment the
referral is matched. Pure; the window is the CIN census re-referral measure's: a previous referral within 12
months of this one (Children in Need census guidance; the seeds' first outcome indicator,
003_56ebd3a87872184e.txt §15)."""

from collections.abc import Iterable
from datetime import datetime

from shared.events.people import HistorySnapshot, OpenWork, PastReferral


def twelve_months_before(moment: datetime) -> datetime:
    """The same calendar day a year earlier (29 February counts from 28 February)."""
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, day=28)


def snapshot(*, received_at: datetime, referrals: Iterable[PastReferral], open_work: Iterable[OpenWork],
             link_confirmed: bool) -> HistorySnapshot:
    """Earlier referrals in the 12 months before `received_at` (oldest first) and the person's open work."""
    since = twelve_months_before(received_at)
    recent = sorted((r for r in referrals if since <= r.received_at < received_at),
                    key=lambda r: (r.received_at, str(r.referral_id)))
    return HistorySnapshot(referrals_last_12_months=recent,
                           open_work=sorted(open_work, key=lambda w: str(w.work_item_id)),
                           link_confirmed=link_confirmed)
