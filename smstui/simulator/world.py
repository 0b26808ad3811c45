"""The simulated gateway's state: accounts, tasks, queues, history, and how it moves on by itself."""

from __future__ import annotations

import heapq
import itertools
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..protocol import (
    Report,
    SentRecord,
    Template,
    TemplateStatus,
    Uplink,
    validate_template,
)
from ..protocol.boxes import DELIVERED, DELIVERED_CODE, FAILED
from .clock import END, after
from .config import AccountConfig, SimConfig
from .queues import ReportQueue


@dataclass
class Account:
    """An account's live state: balances, and what was recharged and used (SMS and MMS apart)."""

    config: AccountConfig
    balance: int
    mms_balance: int
    recharged: int
    consumed: int = 0
    password: str = field(default="", repr=False)
    mms_recharged: int = 0
    mms_consumed: int = 0

    @property
    def name(self) -> str:
        """The account name."""
        return self.config.account

    def send_total(self) -> int:
        """`sendTotal`: total recharged points when prepaid, total points used when post-paid."""
        return self.recharged if self.config.pay_type == "prepaid" else self.consumed

    def mms_send_total(self) -> int:
        """The MMS balance reply's `sendTotal`: MMS points recharged when prepaid, used when post-paid."""
        return self.mms_recharged if self.config.pay_type == "prepaid" else self.mms_consumed

    def charge(self, points: int, mms: bool = False) -> None:
        """Take points off the SMS or MMS balance (a post-paid balance goes below zero)."""
        if mms:
            self.mms_balance -= points
            self.mms_consumed += points
        else:
            self.balance -= points
            self.consumed += points

    def top_up(self, points: int, mms: bool = False) -> None:
        """Recharge the SMS or MMS balance."""
        if mms:
            self.mms_balance += points
            self.mms_recharged += points
        else:
            self.balance += points
            self.recharged += points


@dataclass
class Recipient:
    """One recipient of a task and what became of it."""

    mobile: str
    content: str
    state: str = "pending"  # pending → delivered | failed | refused
    error_code: str = ""


@dataclass
class Task:
    """An accepted send: id, account, kind, when it goes out, its recipients."""

    task_id: str
    account: str
    kind: str
    transport: str
    created: datetime
    send_at: datetime
    extno: str
    segments: int
    cost: int
    recipients: dict[str, Recipient]
    subject: str = ""

    def summary(self, now: datetime) -> dict[str, Any]:
        """A JSON view for the admin API."""
        states: dict[str, int] = {}
        for r in self.recipients.values():
            states[r.state] = states.get(r.state, 0) + 1
        return {
            "task_id": self.task_id,
            "account": self.account,
            "kind": self.kind,
            "transport": self.transport,
            "created": self.created.isoformat(),
            "send_at": self.send_at.isoformat(),
            "scheduled": self.send_at > now,
            "extno": self.extno,
            "segments": self.segments,
            "cost": self.cost,
            "recipients": len(self.recipients),
            "states": states,
        }


@dataclass
class Outbox:
    """What an account's push URL is owed."""

    reports: deque[Report] = field(default_factory=deque)
    uplinks: deque[Uplink] = field(default_factory=deque)


class World:
    """Everything the gateway knows; all changes go through its methods (single-threaded, in the event loop)."""

    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.accounts: dict[str, Account] = {}
        self.by_userid: dict[str, Account] = {}
        for cfg in config.accounts:
            account = Account(cfg, cfg.balance, cfg.mms_balance, max(cfg.balance, 0), password=cfg.password,
                              mms_recharged=max(cfg.mms_balance, 0))
            self.accounts[cfg.account] = account
            if cfg.userid:
                self.by_userid[cfg.userid] = account
        self.tasks: dict[str, Task] = {}
        self.history: dict[str, list[SentRecord]] = {}
        self.reports: dict[str, ReportQueue] = {name: ReportQueue() for name in self.accounts}
        self.uplinks: dict[str, deque[Uplink]] = {name: deque() for name in self.accounts}
        self.outboxes: dict[str, Outbox] = {name: Outbox() for name in self.accounts}
        self.templates: dict[str, dict[str, Template]] = {name: {} for name in self.accounts}
        for number, (name, text) in enumerate(((c.account, t) for c in config.accounts for t in c.templates), 1):
            template_id = f"{1_000_000_000_000_000 + number}"  # 16 digits like the document's, before any of today's
            self.templates[name][template_id] = Template(template_id, TemplateStatus.ENABLED, text)
        self._events: list[tuple[datetime, int, str, Any]] = []
        self._seq = itertools.count()
        self._task_seq = itertools.count(1)
        self._id_moment: datetime | None = None
        self._id_number = 0
        self._id_prefix = ""
        self.push_log: list[dict[str, Any]] = []
        self.on_outbox: Callable[[], None] = lambda: None  # told when a push outbox got something
        # How far past a send's time the world looks: its reports, the replies to them, the sending rules' windows.
        self.horizon = (max(config.report_delay, default=0.0) + max(config.reply_delay, default=0.0)
                        + max(config.verification_window, 86_400.0))

    # -- identifiers -------------------------------------------------------------------------

    def new_task_id(self, now: datetime) -> str:
        """A task id of the configured server generation (16 digits from yyMMddHHmmss, or 6–9 digits)."""
        if self.config.taskid_style == "short":
            return str(100_000 + next(self._task_seq))
        return self._stamped_id(now)

    def new_template_id(self, now: datetime) -> str:
        """A template id like the document's (16 digits)."""
        return self._stamped_id(now)

    def _stamped_id(self, now: datetime) -> str:
        # yyMMddHHmmss + 4 digits, unique: past 9,999 ids in one second (a frozen clock) the stamp moves on a second.
        moment = now.replace(microsecond=0)
        if self._id_moment is None or moment > self._id_moment:
            self._id_moment, self._id_number = moment, 0
            self._id_prefix = f"{moment:%y%m%d%H%M%S}"
        self._id_number += 1
        if self._id_number > 9_999:
            self._id_moment, self._id_number = after(self._id_moment, 1) or END, 1
            self._id_prefix = f"{self._id_moment:%y%m%d%H%M%S}"
        return f"{self._id_prefix}{self._id_number:04d}"

    # -- scheduling ----------------------------------------------------------------------------

    def schedule(self, due: datetime, kind: str, payload: Any) -> None:
        """Make something happen at a simulated time."""
        heapq.heappush(self._events, (due, next(self._seq), kind, payload))

    def _later(self, moment: datetime, bounds: list[float]) -> datetime:
        """A random moment `bounds` seconds after `moment` (one number, or [shortest, longest]); END at the latest."""
        low, high = (bounds + bounds)[:2] if bounds else (0.0, 0.0)
        return after(moment, self.rng.uniform(low, high)) or END

    def tick(self, now: datetime) -> bool:
        """Let everything due by `now` happen; True when a push outbox got something."""
        pushed = False
        while self._events and self._events[0][0] <= now:
            due, _, kind, payload = heapq.heappop(self._events)
            if kind == "report":
                pushed |= self._deliver(due, *payload)
            elif kind == "uplink":
                account, mobile, text, extno = payload
                pushed |= self.add_uplink(account, mobile, text, extno, when=due)
            elif kind == "template":
                self._review(*payload)
        if pushed:
            self.on_outbox()
        return pushed

    # -- sending -------------------------------------------------------------------------------

    def accept(self, task: Task, refused: dict[str, str]) -> None:
        """Record an accepted task: its recipients' history, their future reports; refused ones get a report now."""
        self.tasks[task.task_id] = task
        for mobile, recipient in task.recipients.items():
            if mobile in refused:
                recipient.state, recipient.error_code = "refused", refused[mobile]
                self.schedule(task.created, "report", (task.task_id, mobile, False, refused[mobile]))
                continue
            self.history.setdefault(mobile, []).append(SentRecord.of(task.send_at, recipient.content))
            delivered = self.rng.random() < self.config.delivered_ratio
            code = DELIVERED_CODE if delivered else self.rng.choice(self.config.failure_codes or ["UNDELIV"])
            self.schedule(self._later(task.send_at, self.config.report_delay), "report",
                          (task.task_id, mobile, delivered, code))

    def _deliver(self, when: datetime, task_id: str, mobile: str, delivered: bool, code: str) -> bool:
        task = self.tasks.get(task_id)
        if task is None:
            return False
        recipient = task.recipients[mobile]
        if recipient.state == "pending":
            recipient.state, recipient.error_code = ("delivered" if delivered else "failed"), code
        report = Report(
            mobile, task_id, DELIVERED if delivered else FAILED, when.replace(microsecond=0), code, task.extno
        )
        account = self.accounts[task.account]
        if delivered and self.rng.random() < self.config.reply_rate:
            optout = self.rng.random() < self.config.optout_ratio
            text = self.rng.choice((self.config.optouts if optout else self.config.replies) or ["TD"])
            reply = (task.account, mobile, text, task.extno)
            self.schedule(self._later(when, self.config.reply_delay), "uplink", reply)
        if account.config.push_url:
            self.outboxes[task.account].reports.append(report)
            return True
        self.reports[task.account].append(report)
        return False

    def add_uplink(
        self, account: str, mobile: str, content: str, extno: str = "", when: datetime | None = None
    ) -> bool:
        """A recipient's reply arrives; True when it waits for a push."""
        uplink = Uplink(mobile, content, when.replace(microsecond=0) if when else None, extno)
        if self.accounts[account].config.push_url:
            self.outboxes[account].uplinks.append(uplink)
            return True
        self.uplinks[account].append(uplink)
        return False

    def requeue(self, account: str, reports: list[Report], uplinks: list[Uplink]) -> None:
        """Keep items whose push failed every attempt for the pull endpoints, so nothing is lost."""
        for report in reports:
            self.reports[account].append(report)
        self.uplinks[account].extend(uplinks)

    # -- queues --------------------------------------------------------------------------------

    def take_reports(self, account: str, limit: int, task_id: str = "") -> list[Report]:
        """Up to `limit` reports not returned before, oldest first (of one task, if given); never returned again."""
        return self.reports[account].take(limit, task_id)

    def take_uplinks(self, account: str, limit: int = 1000) -> list[Uplink]:
        """Up to `limit` uplinks not returned before."""
        queue = self.uplinks[account]
        return [queue.popleft() for _ in range(min(limit, len(queue)))]

    def pending_reports(self, account: str) -> int:
        """How many reports wait in an account's pull queue."""
        return len(self.reports[account])

    # -- templates -----------------------------------------------------------------------------

    def submit_template(self, account: str, text: str, now: datetime, template_id: str = "") -> str:
        """Add or change a template: it goes to review and is decided after the configured delay."""
        template_id = template_id or self.new_template_id(now)
        self.templates[account][template_id] = Template(template_id, TemplateStatus.REVIEW, text)
        due = after(now, self.config.template_review_delay) or END
        self.schedule(due, "template", (account, template_id, text))
        return template_id

    def _review(self, account: str, template_id: str, text: str) -> None:
        current = self.templates[account].get(template_id)
        if current is None or current.text != text or current.status != TemplateStatus.REVIEW:
            return
        rejected = any(word in text for word in self.config.template_reject_words) or any(
            p.blocking for p in validate_template(text, require_signature=self.config.require_signature)
        )
        status = TemplateStatus.RETURNED if rejected else TemplateStatus.ENABLED
        self.templates[account][template_id] = Template(template_id, status, text)

    # -- views ---------------------------------------------------------------------------------

    def snapshot(self, now: datetime) -> dict[str, Any]:
        """A JSON view of the whole state for the admin API."""
        return {
            "now": now.isoformat(),
            "accounts": {
                name: {
                    "userid": a.config.userid,
                    "pay_type": a.config.pay_type,
                    "balance": a.balance,
                    "mms_balance": a.mms_balance,
                    "send_total": a.send_total(),
                    "mms_send_total": a.mms_send_total(),
                    "has_channel": a.config.has_channel,
                    "has_product": a.config.has_product,
                    "enabled": a.config.enabled,
                    "push_url": a.config.push_url,
                    "pending_reports": self.pending_reports(name),
                    "pending_uplinks": len(self.uplinks[name]),
                    "outbox": {
                        "reports": len(self.outboxes[name].reports),
                        "uplinks": len(self.outboxes[name].uplinks),
                    },
                    "templates": [
                        {"id": t.template_id, "status": int(t.status), "text": t.text}
                        for t in self.templates[name].values()
                    ],
                }
                for name, a in self.accounts.items()
            },
            "tasks": len(self.tasks),
            "scheduled_events": len(self._events),
            "pushes": self.push_log[-50:],
        }
