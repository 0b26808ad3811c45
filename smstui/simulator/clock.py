"""The simulator's clock: real time or frozen, and always movable forward by tests."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from ..protocol.beijing import BEIJING, parse_gateway_time


class SimClock:
    """Beijing-time clock that follows the wall clock (`real`) or stands still (`frozen`) until advanced."""

    def __init__(self, mode: str = "real", start: str = "") -> None:
        self.mode = mode
        self._start: datetime = (parse_gateway_time(start) if start else None) or datetime.now(BEIJING)
        self._wall_at_start = time.monotonic()
        self._offset = timedelta()

    def now(self) -> datetime:
        """The simulated time now, in Beijing time."""
        if self.mode == "frozen":
            return self._start + self._offset
        return self._start + self._offset + timedelta(seconds=time.monotonic() - self._wall_at_start)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (never back) and return the new time."""
        self._offset += timedelta(seconds=max(seconds, 0.0))
        return self.now()
