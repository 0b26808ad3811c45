"""When a scheduled send may go: not in the past, not absurdly far ahead (a mistyped year)."""

from __future__ import annotations

from datetime import datetime, timedelta

from .beijing import format_send_time
from .content import Problem

PAST_GRACE = timedelta(minutes=1)  # a time typed a moment ago still means "now"
FURTHEST_AHEAD = timedelta(days=365)  # the document is silent: smstui refuses a schedule more than a year ahead


def check_schedule(moment: datetime | None, now: datetime) -> Problem | None:
    """Why a send scheduled at `moment` cannot be sent at `now`, or None (no schedule means now)."""
    if moment is None:
        return None
    when = format_send_time(moment)
    if moment < now - PAST_GRACE:
        return Problem("schedule_past", f"the schedule {when} (Beijing time) is in the past", params={"when": when})
    if moment > now + FURTHEST_AHEAD:
        return Problem("schedule_far", f"the schedule {when} (Beijing time) is more than a year ahead; check the year",
                       params={"when": when})
    return None
