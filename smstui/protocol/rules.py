"""The two sending rules: 3 verification-code messages per number in 3 minutes, 10 per day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from .beijing import beijing_day, to_beijing
from .content import is_verification

VERIFICATION_LIMIT = 3
VERIFICATION_WINDOW = timedelta(minutes=3)
DAILY_LIMIT = 10
MALREG = "MALREG"
OVERLIMIT = "OVERLIMIT"
BLACKLISTED = "BLACK"
NO_CHANNEL = "NOCHANNEL"  # the errorcode of a recipient whose number no channel carries (1110)
# What the gateway says when a rule refused every recipient (no §10 code exists for it; see docs/protocol.md §1).
RULE_REFUSAL_CODE = 9999
RULE_WORDS = {MALREG: "恶意注册", OVERLIMIT: "超限"}
RULE_REMEDIES = {
    "恶意注册": "More than 3 verification-code messages in 3 minutes to one number: "
    "wait 3 minutes before sending again.",
    "超限": "More than 10 messages today to one number: send again tomorrow (Beijing time), or ask the vendor "
    "to exempt the number.",
}

RULE_REMEDIES_ZH = {
    "恶意注册": "同一号码 3 分钟内验证码超过 3 条：请 3 分钟后再发。",
    "超限": "同一号码今日已超过 10 条：请明天（北京时间）再发，或请供应商将该号码设为特殊号码。",
}


def rule_refusal_message(error_code: str) -> str:
    """The gateway's message when a rule refused every recipient (`发送失败：恶意注册`)."""
    return f"发送失败：{RULE_WORDS.get(error_code, error_code)}"


@dataclass(frozen=True, slots=True)
class SentRecord:
    """An earlier accepted send to one number: when, and whether it carried a verification code."""

    at: datetime
    verification: bool = False

    @classmethod
    def of(cls, at: datetime, content: str) -> SentRecord:
        """A record for a content sent at a time."""
        return cls(at, is_verification(content))


@dataclass(frozen=True, slots=True)
class RuleViolation:
    """A send the gateway would refuse under one of the two rules."""

    rule: Literal["verification", "daily"]
    mobile: str
    count: int
    limit: int
    error_code: str
    retry_at: datetime
    message: str


def check_send_rules(
    mobile: str,
    content: str,
    history: Iterable[SentRecord],
    now: datetime,
    *,
    verification_limit: int = VERIFICATION_LIMIT,
    verification_window: timedelta = VERIFICATION_WINDOW,
    daily_limit: int = DAILY_LIMIT,
) -> list[RuleViolation]:
    """The rules a send of `content` to `mobile` at `now` would break, given the other sends to that number."""
    # Scheduled sends mean the history may hold sends *after* `now`: both rules count every send on either side.
    now = to_beijing(now)
    today = beijing_day(now)
    daily = 0
    codes: list[datetime] = []
    for record in history:
        at = to_beijing(record.at)
        if beijing_day(at) == today:
            daily += 1
        if record.verification:
            codes.append(at)
    violations: list[RuleViolation] = []
    near = sum(1 for at in codes if abs(at - now) < verification_window)
    if is_verification(content) and near >= verification_limit:
        codes.sort()
        if _crowded(codes, now, verification_limit, verification_window):
            retry = _first_clear(codes, now, verification_limit, verification_window)
            violations.append(
                RuleViolation(
                    "verification",
                    mobile,
                    near,
                    verification_limit,
                    MALREG,
                    retry,
                    f"{mobile} already gets {near} verification-code messages within 3 minutes of this one "
                    f"(at most {verification_limit}); the gateway would treat it as 恶意注册. "
                    f"Send it at {retry:%H:%M:%S} Beijing time or later.",
                )
            )
    if daily >= daily_limit:
        tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        violations.append(
            RuleViolation(
                "daily",
                mobile,
                daily,
                daily_limit,
                OVERLIMIT,
                tomorrow,
                f"{mobile} already gets {daily} messages that day (at most {daily_limit} a day, Beijing time); "
                "the gateway would refuse it as 超限.",
            )
        )
    return violations


def _crowded(times: list[datetime], at: datetime, limit: int, window: timedelta) -> bool:
    """Whether `limit` of the sorted `times` and a send at `at` would all fall in one span shorter than `window`."""
    return any(max(at, times[i + limit - 1]) - min(at, times[i]) < window for i in range(len(times) - limit + 1))


def _first_clear(times: list[datetime], at: datetime, limit: int, window: timedelta) -> datetime:
    """The earliest moment from `at` on at which a send breaks no verification window."""
    for candidate in sorted(t + window for t in times if t + window > at):
        if not _crowded(times, candidate, limit, window):
            return candidate
    return max(times) + window
