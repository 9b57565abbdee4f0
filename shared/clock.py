"""The real clock, for bootstrap to pass in; tests pass a fixed or stepping one instead."""

from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
