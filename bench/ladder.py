"""Which rates the bench tries after its ladder (1, 10, 25, 50, 75, 100, ... per second): the gap between the last
rate the system sustained and the first it did not is halved, once or twice.

Why: the ladder's steps are coarse. On 3 December a run that failed 50/s reported 25/s as its sustained rate, then
carried 1.5 times that (37.5/s) for two minutes with nothing to shed. The sustained figure was understated, and
the overload step, meant to show shedding, showed none.
"""


def midpoint(sustained: float | None, failed: float | None, *, finest: float = 0.1) -> float | None:
    """The next rate to try between the two, to the half referral a second; None when there is no gap to halve
    (no rate sustained, none failed) or the two are within `finest` of the sustained rate already."""
    if sustained is None or failed is None or failed - sustained <= sustained * finest:
        return None
    return round(sustained + failed) / 2
