"""The simulator's knobs and accounts, read from TOML, with documented demo defaults."""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from ..protocol.beijing import parse_gateway_time
from ..runtime import strict
from ..runtime.strict import POSITIVE, RATIO, SECONDS, Bound


class SimConfigError(ValueError):
    """A simulator config file that cannot be used; names the file and the key."""


@dataclass
class AccountConfig:
    """One account of the simulated gateway."""

    account: str
    password: str = field(repr=False)
    userid: str = ""
    pay_type: Literal["prepaid", "postpaid"] = "prepaid"
    balance: int = 10_000
    mms_balance: int = 100
    enabled: bool = True
    bind_ips: list[str] = field(default_factory=list)
    reports_allowed: bool = True
    templates_enabled: bool = True
    push_url: str = ""
    has_product: bool = True  # false: every send is refused with 1112 NoProduct
    has_channel: bool = True  # false: every send is refused with 1106 NoChannel
    templates: list[str] = field(default_factory=list)  # templates already enabled when the simulator starts


@dataclass
class FaultConfig:
    """Misbehaviour on demand; every ratio is the chance per request."""

    latency: float = 0.0
    error_ratio: float = 0.0
    drop_ratio: float = 0.0
    drop_mode: Literal["close", "timeout"] = "close"
    drop_delay: float = 30.0
    truncate_ratio: float = 0.0
    html_ratio: float = 0.0
    push_delay: float = 0.0


DEMO_ACCOUNTS = [
    AccountConfig("demo", "demo123", "1001", "prepaid", 10_000, 100),
    AccountConfig("postpaid", "post123", "1002", "postpaid", 0, 0),
    AccountConfig("notemplate", "note123", "1003", "prepaid", 500, 0, templates_enabled=False),
    AccountConfig("noreports", "norep123", "1004", "prepaid", 500, 0, reports_allowed=False),
]


@dataclass
class SimConfig:
    """Everything the simulated gateway does by itself, and its accounts."""

    seed: int = 0
    clock: Literal["real", "frozen"] = "real"
    start_time: str = ""
    accept_plain_password: bool = True
    require_signature: bool = True
    max_content_length: int = 500
    max_mms_bytes: int = 300 * 1024
    taskid_style: Literal["long", "short"] = "long"
    fail_word: str = "Faild"
    sensitive_words: list[str] = field(default_factory=lambda: ["赌博", "代开发票", "法轮"])
    blacklist: list[str] = field(default_factory=lambda: ["13800000000"])
    no_channel_prefixes: list[str] = field(default_factory=list)  # numbers starting so have no channel (1110)
    exempt_numbers: list[str] = field(default_factory=list)
    verification_limit: int = 3
    verification_window: float = 180.0
    daily_limit: int = 10
    report_delay: list[float] = field(default_factory=lambda: [2.0, 8.0])
    delivered_ratio: float = 0.9
    failure_codes: list[str] = field(
        default_factory=lambda: ["UNDELIV", "EXPIRED", "REJECTD", "MK:0001", "MK:0005", "DB:0141"]
    )
    reply_rate: float = 0.05
    optout_ratio: float = 0.3
    reply_delay: list[float] = field(default_factory=lambda: [5.0, 30.0])
    replies: list[str] = field(default_factory=lambda: ["好的，收到", "谢谢", "请问活动到什么时候？", "几点开始", "OK"])
    optouts: list[str] = field(default_factory=lambda: ["TD", "退订", "T"])
    template_review_delay: float = 10.0
    template_reject_words: list[str] = field(default_factory=lambda: ["返利", "中奖"])
    push_attempts: int = 3
    push_retry_delay: float = 1.0
    push_batch: int = 100
    tick_interval: float = 0.2
    accounts: list[AccountConfig] = field(default_factory=lambda: [replace(a) for a in DEMO_ACCOUNTS])
    faults: FaultConfig = field(default_factory=FaultConfig)

    def account(self, name: str) -> AccountConfig | None:
        """The configured account of that name."""
        return next((a for a in self.accounts if a.account == name), None)


def _strict(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise SimConfigError(f"{where}: must be a table of keys")
    checked = checked_fields(cls, data, where)
    missing = [
        f.name for f in fields(cls) if f.name not in checked and f.default is MISSING and f.default_factory is MISSING
    ]
    if missing:
        raise SimConfigError(f"{where}: missing {', '.join(missing)}")
    return cls(**checked)


# Knobs with a range beyond their type: ratios are chances in [0, 1], durations are never negative.
_BOUNDS: dict[str, Bound] = {
    **dict.fromkeys(
        ("error_ratio", "drop_ratio", "truncate_ratio", "html_ratio", "delivered_ratio", "reply_rate", "optout_ratio"),
        RATIO,
    ),
    **dict.fromkeys(
        (
            "latency",
            "drop_delay",
            "push_delay",
            "verification_window",
            "template_review_delay",
            "push_retry_delay",
            "report_delay",
            "reply_delay",
        ),
        SECONDS,
    ),
    **dict.fromkeys(
        (
            "max_content_length",
            "max_mms_bytes",
            "verification_limit",
            "daily_limit",
            "push_attempts",
            "push_batch",
            "tick_interval",
        ),
        POSITIVE,
    ),
}


def push_url_problem(url: str) -> str:
    """What is wrong with a push URL (empty means no push), or an empty string when it can be posted to."""
    if not url:
        return ""
    if any(c.isspace() or not c.isprintable() for c in url):
        return "must not hold spaces or control characters"
    import httpx  # the pusher's own parser must take it too, not only the standard library's

    try:
        parts = urlsplit(url)
        port, host = parts.port, httpx.URL(url).host
    except (ValueError, httpx.InvalidURL):
        return "must be an http:// or https:// URL"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not host:
        return "must be an http:// or https:// URL with a host"
    return "" if port != 0 else "must not name port 0"


def checked_fields(cls: type, data: dict[str, Any], where: str) -> dict[str, Any]:
    """`data` checked against the fields of a config dataclass: known names, right types, sane ranges."""
    checked = strict.checked_fields(cls, data, where, error=SimConfigError, bounds=_BOUNDS, secrets=("password",))
    if checked.get("push_url") and (problem := push_url_problem(checked["push_url"])):
        raise SimConfigError(f"{where}: push_url {problem}, not {checked['push_url']!r}")
    for name in ("report_delay", "reply_delay"):
        if name in checked and not (1 <= len(checked[name]) <= 2 and checked[name][0] <= checked[name][-1]):
            raise SimConfigError(
                f"{where}: {name} must be [seconds] or [shortest, longest] seconds, not {data[name]!r}"
            )
    return checked


def sim_config_from_dict(data: dict[str, Any], where: str = "simulator config") -> SimConfig:
    """A SimConfig from parsed TOML; unknown keys are refused with a suggestion."""
    data = dict(data)
    accounts = data.pop("accounts", None)
    faults = data.pop("faults", None)
    config = _strict(SimConfig, data, where)
    if bad := [prefix for prefix in config.no_channel_prefixes if not (prefix.isascii() and prefix.isdigit())]:
        raise SimConfigError(f"{where}: no_channel_prefixes must be digits, not {bad[0]!r}")
    if config.start_time and parse_gateway_time(config.start_time) is None:
        raise SimConfigError(
            f"{where}: start_time must look like 2026-03-01 10:00:00 (Beijing time), not {config.start_time!r}"
        )
    if accounts is not None:
        if not isinstance(accounts, list) or not accounts:
            raise SimConfigError(f"{where}: [[accounts]] must list at least one account")
        config.accounts = [_strict(AccountConfig, a, f"{where}: accounts[{i}]") for i, a in enumerate(accounts)]
        empty = next((i for i, a in enumerate(config.accounts) if not a.account.strip()), None)
        if empty is not None:
            raise SimConfigError(
                f"{where}: accounts[{empty}]: account must be a name, not {config.accounts[empty].account!r}"
            )
        names = [a.account for a in config.accounts]
        if len(set(names)) != len(names):
            raise SimConfigError(
                f"{where}: two accounts are both named {next(n for n in names if names.count(n) > 1)!r}"
            )
    if faults is not None:
        config.faults = _strict(FaultConfig, faults, f"{where}: [faults]")
    return config


def load_sim_config(path: str | Path | None) -> SimConfig:
    """The simulator config of a TOML file, or the demo defaults without one."""
    if path is None:
        return SimConfig()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SimConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SimConfigError(f"{path}: not valid TOML ({exc})") from None
    return sim_config_from_dict(data, str(path))
