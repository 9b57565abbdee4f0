"""The clock the use cases are given (a port), and the real one for bootstrap to pass in; tests pass a fixed or
stepping one instead."""

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
