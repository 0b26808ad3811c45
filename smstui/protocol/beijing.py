"""Gateway time: China Standard Time (UTC+8), whatever the machine's zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "CST")
SEND_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
SOAP_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
STAMP_FORMAT = "%m%d%H%M%S"

_LOOSE_TIME = re.compile(
    r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?)?\s*$", re.ASCII
)
# xsd:dateTime as .NET writes PlanSendTime: optional fraction, optional zone (`Z`, `+08:00`).
_XSD_TIME = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?\s*", re.ASCII
)


def to_beijing(moment: datetime) -> datetime:
    """The same instant in Beijing time; a naive datetime is refused (ValueError), since its zone is a guess."""
    # datetime.now() is naive local time: on a UTC server, taking it as Beijing time would be 8 hours off.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; give an aware datetime, e.g. datetime.now(BEIJING)")
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


def parse_soap_time(text: str) -> datetime | None:
    """A SOAP `PlanSendTime` (xsd:dateTime) as Beijing time; None for empty or .NET's `0001-01-01T00:00:00` (now)."""
    match = _XSD_TIME.fullmatch(text)
    if not text.strip():
        return None
    if match is None:
        raise ValueError(f"{text!r} is not a time like 2018-02-02T09:08:10 (Beijing time, or with a zone)")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    if year <= 1:
        return None  # DateTime.MinValue: a .NET client that left the time unset
    zone = match.group(7)
    if zone is None:
        tz = BEIJING
    elif zone == "Z":
        tz = UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz).astimezone(BEIJING)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date and time") from None


def beijing_now() -> datetime:
    """The real time now, in Beijing time (the machine's zone never matters)."""
    return datetime.now(BEIJING)
