"""Gateway time: China Standard Time (UTC+8), whatever the machine's zone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "CST")
SEND_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
SOAP_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
STAMP_FORMAT = "%m%d%H%M%S"

_LOOSE_TIME = re.compile(
    r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?)?\s*$"
)


def to_beijing(moment: datetime) -> datetime:
    """The same instant in Beijing time; a naive datetime is taken as Beijing time already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BEIJING)
    return moment.astimezone(BEIJING)


def format_send_time(moment: datetime | None, soap: bool = False) -> str:
    """`sendTime` text (`yyyy-MM-dd HH:mm:ss`, SOAP with `T`), empty for 'now'."""
    if moment is None:
        return ""
    return to_beijing(moment).strftime(SOAP_TIME_FORMAT if soap else SEND_TIME_FORMAT)


def parse_gateway_time(text: str | None) -> datetime | None:
    """A gateway time (padded or not, `-` or `/`, optional `T`) as Beijing time; None if unknown."""
    if not text:
        return None
    match = _LOOSE_TIME.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if year <= 1:
        return None  # 0001-01-01 00:00:00 means "unknown"
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)
    except ValueError:
        return None


def parse_send_time(text: str) -> datetime | None:
    """A `sendTime` the user or a client typed; None when empty; ValueError naming the format."""
    text = text.strip()
    if not text:
        return None
    moment = parse_gateway_time(text)
    if moment is None:
        raise ValueError(f"{text!r} is not a time like 2018-02-02 09:08:10 (Beijing time)")
    return moment


def beijing_day(moment: datetime) -> tuple[int, int, int]:
    """The Beijing calendar day of an instant, for the daily rule."""
    local = to_beijing(moment)
    return (local.year, local.month, local.day)
