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
    """The rules a new send of `content` to `mobile` at `now` would break, given earlier sends."""
    now = to_beijing(now)
    today = beijing_day(now)
    window_start = now - verification_window
    in_window: list[datetime] = []
    daily = 0
    for record in history:
        at = to_beijing(record.at)
        if at > now:
            continue
        if beijing_day(at) == today:
            daily += 1
        if record.verification and at > window_start:
            in_window.append(at)
    violations: list[RuleViolation] = []
    if is_verification(content) and len(in_window) >= verification_limit:
        in_window.sort()
        retry = in_window[len(in_window) - verification_limit] + verification_window
        violations.append(
            RuleViolation(
                "verification",
                mobile,
                len(in_window),
                verification_limit,
                MALREG,
                retry,
                f"{mobile} already got {len(in_window)} verification-code messages in 3 minutes "
                f"(at most {verification_limit}); the gateway would treat a 4th as 恶意注册. "
                f"Wait until {retry:%H:%M:%S} Beijing time.",
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
                f"{mobile} already got {daily} messages today (at most {daily_limit} a day, Beijing time); "
                "the gateway would refuse it as 超限.",
            )
        )
    return violations
