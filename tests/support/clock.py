"""A clock the test moves by hand."""

from datetime import UTC, datetime, timedelta


class SteppingClock:
    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta) -> None:
        self._now += timedelta(**delta)

    def advance_to(self, moment: datetime) -> None:
        """Move to `moment` (never backwards)."""
        self._now = max(self._now, moment)
