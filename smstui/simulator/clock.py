"""The simulator's clock: real time or frozen, and always movable forward by tests."""

from __future__ import annotations

import math
import time
from datetime import datetime, timedelta

from ..protocol.beijing import BEIJING, parse_gateway_time

END = datetime.max.replace(tzinfo=BEIJING)  # the last moment a datetime can hold: nothing is scheduled past it


def after(moment: datetime, seconds: float) -> datetime | None:
    """`moment` plus `seconds`, or None when that would be past END (or `seconds` is no finite number)."""
    if not math.isfinite(seconds):
        return None
    try:
        later = moment + timedelta(seconds=seconds)
    except OverflowError:
        return None
    return later if later <= END else None


class SimClock:
    """Beijing-time clock that follows the wall clock (`real`) or stands still (`frozen`) until advanced."""

    def __init__(self, mode: str = "real", start: str = "") -> None:
        self.mode = mode
        self._start: datetime = (parse_gateway_time(start) if start else None) or datetime.now(BEIJING)
        self._wall_at_start = time.monotonic()
        self._offset = timedelta()

    def now(self) -> datetime:
        """The simulated time now, in Beijing time (a real clock that reached END stays there)."""
        if self.mode == "frozen":
            return self._start + self._offset
        return after(self._start + self._offset, time.monotonic() - self._wall_at_start) or END

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (never back) and return the new time; ValueError, clock unchanged, past END."""
        seconds = max(seconds, 0.0)
        if after(self.now(), seconds) is None:
            raise ValueError(f"the clock cannot be advanced by {seconds:g} seconds: it would pass {END:%Y-%m-%d}")
        self._offset += timedelta(seconds=seconds)
        return self.now()
