"""The filter grammar of Reports and Inbox: `num:138… task:… status:failed code:MK:* date:today words`."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from .errors import InvalidInput

STATUSES = {  # what `status:` takes, in both languages, and what it means
    "delivered": "delivered", "ok": "delivered", "success": "delivered", "成功": "delivered", "已送达": "delivered",
    "failed": "failed", "fail": "failed", "失败": "failed",
    "pending": "pending", "waiting": "pending", "等待": "pending", "未回执": "pending",
}
KEYS = ("num", "task", "status", "code", "date", "extno", "optout")
_ALIASES = {"mobile": "num", "number": "num", "号码": "num", "任务": "task", "状态": "status", "代码": "code",
            "日期": "date", "time": "date", "ext": "extno"}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_AGO = re.compile(r"(\d+)\s*(d|h|天|小时)")


@dataclass(frozen=True)
class Filter:
    """What a list shows: each field narrows it (all must hold); empty means everything."""

    numbers: tuple[str, ...] = ()  # prefixes of the number (`num:138` is every number starting 138)
    tasks: tuple[str, ...] = ()  # task ids (a trailing * is a prefix)
    status: str = ""  # delivered, failed or pending
    codes: tuple[str, ...] = ()  # error codes (a trailing * is a prefix, `MK:*`)
    since: str = ""  # Beijing time, inclusive
    until: str = ""  # Beijing time, exclusive
    extno: str = ""
    optout: bool | None = None  # replies: opt-outs only (True) or none of them (False)
    words: tuple[str, ...] = ()  # free text: any of number, task, code, extno or content contains each
    text: str = field(default="", compare=False)  # as the user typed it

    @property
    def empty(self) -> bool:
        """Whether it lets everything through."""
        return self == Filter()


class FilterError(InvalidInput):
    """A filter that cannot be read; says which token and why."""


def parse_filter(text: str, now: datetime) -> Filter:
    """Read a filter line (tokens `key:value`, quotes for spaces, everything else free text) as of `now`."""
    try:
        tokens = shlex.split(text, posix=True)
    except ValueError:
        raise FilterError(f"the filter {text!r} has an unclosed quote").words("filter_quote") from None
    numbers: list[str] = []
    tasks: list[str] = []
    codes: list[str] = []
    words: list[str] = []
    found = Filter(text=text)
    for token in tokens:
        key, colon, value = token.partition(":")
        key = _ALIASES.get(key.lower(), key.lower())
        if not colon or key not in KEYS:
            words.append(token)
            continue
        if not value:
            raise FilterError(f"{key}: needs a value, e.g. {_EXAMPLES[key]}").words("filter_empty", key=key,
                                                                                     example=_EXAMPLES[key])
        if key == "num":
            digits = value.rstrip("…*.").removeprefix("+86").replace(" ", "")
            if not digits.isdigit():
                raise FilterError(f"num:{value} is not the start of a number").words("filter_value", token=token)
            numbers.append(digits)
        elif key == "task":
            tasks.append(value)
        elif key == "code":
            codes.append(value.upper())
        elif key == "status":
            status = STATUSES.get(value.lower())
            if status is None:
                raise FilterError(f"status:{value}: use delivered, failed or pending").words("filter_status",
                                                                                            value=value)
            found = replace(found, status=status)
        elif key == "date":
            since, until = date_range(value, now)
            found = replace(found, since=since, until=until)
        elif key == "extno":
            found = replace(found, extno=value)
        elif key == "optout":
            found = replace(found, optout=value.lower() not in ("no", "false", "0", "否"))
    return replace(found, numbers=tuple(numbers), tasks=tuple(tasks), codes=tuple(codes), words=tuple(words))


_EXAMPLES = {"num": "num:138", "task": "task:2611…", "status": "status:failed", "code": "code:MK:*",
             "date": "date:today", "extno": "extno:01", "optout": "optout:yes"}
_FORMAT = "%Y-%m-%d %H:%M:%S"


def date_range(value: str, now: datetime) -> tuple[str, str]:
    """`today`, `yesterday`, `this week`, `last week`, `this month`, `7d`, `3h`, a day, or `day..day` (both
    included): the Beijing times [since, until)."""
    word = " ".join(value.lower().split())
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week = midnight - timedelta(days=midnight.weekday())
    month = midnight.replace(day=1)
    named = {
        "today": (midnight, midnight + timedelta(days=1)), "今天": (midnight, midnight + timedelta(days=1)),
        "yesterday": (midnight - timedelta(days=1), midnight), "昨天": (midnight - timedelta(days=1), midnight),
        "this week": (week, week + timedelta(days=7)), "本周": (week, week + timedelta(days=7)),
        "last week": (week - timedelta(days=7), week), "上周": (week - timedelta(days=7), week),
        "this month": (month, (month + timedelta(days=32)).replace(day=1)),
        "本月": (month, (month + timedelta(days=32)).replace(day=1)),
    }
    if word in named:
        start, end = named[word]
        return start.strftime(_FORMAT), end.strftime(_FORMAT)
    ago = _AGO.fullmatch(word)
    if ago:
        amount = int(ago.group(1))
        span = timedelta(days=amount) if ago.group(2) in ("d", "天") else timedelta(hours=amount)
        return (now - span).strftime(_FORMAT), (now + timedelta(seconds=1)).strftime(_FORMAT)
    first, _, last = word.partition("..")
    last = last or first
    if _DAY.fullmatch(first) and _DAY.fullmatch(last):
        try:
            start = datetime.strptime(first, "%Y-%m-%d")
            end = datetime.strptime(last, "%Y-%m-%d") + timedelta(days=1)
        except ValueError:
            pass
        else:
            if end > start:
                return start.strftime(_FORMAT), end.strftime(_FORMAT)
    raise FilterError(f"date:{value}: use today, yesterday, \"this week\", \"last week\", 7d, 2026-11-01 or "
                      "2026-11-01..2026-11-30").words("filter_date", value=value)


def _quoted(token: str) -> str:
    """A token as it can be typed back (quotes only around spaces and quotes)."""
    if not token or any(ch.isspace() or ch in "\"'\\" for ch in token):
        return '"' + token.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return token


def with_tokens(text: str, **tokens: list[str]) -> str:
    """A filter line with the tokens of some keys replaced (drilling into a bucket: `code=[…], status=[…]`); the
    rest as typed."""
    try:
        words = shlex.split(text, posix=True)
    except ValueError:
        words = text.split()
    kept = [w for w in words if _ALIASES.get(w.partition(":")[0].lower(), w.partition(":")[0].lower()) not in tokens
            or ":" not in w]
    kept += [f"{key}:{value}" for key, values in tokens.items() for value in values]
    return " ".join(map(_quoted, kept))
