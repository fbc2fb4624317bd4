"""The one clock everything that stamps time reads: tickets, connection records,
invitation and reset links, threads and messages (and, to come, reminders). The local
cloud's movable clock and the tests' fixed one stand in for it."""

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


def epoch_seconds(clock: Clock) -> int:
    """The clock's time as whole seconds since the epoch (the table's TTL unit)."""
    return int(clock.now().timestamp())
