"""Before a send: check it, find who would be held back and what it costs, then journal it (plan)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ... import protocol as p
from ..balance import BalanceView
from ..errors import InvalidInput, TakenOver
from ..store import InDoubt, NewChunk, SendRecord, history_since
from .context import SendContext
from .jobs import Job, JobContext

THREAD_ABOVE = 2_000  # numbers above which a preflight checks in a thread
OVERRIDABLE = frozenset({"optout", "doubt"})  # the user may decide these; the gateway's own rules refuse anyway


@dataclass(frozen=True, slots=True)
class Held:
    """A number held back before sending, why, and by which rule (optout, doubt, verification, daily)."""

    mobile: str
    reason: str
    rule: str
    send_id: str = ""  # for `doubt`: the send whose outcome is still unknown

    @property
    def overridable(self) -> bool:
        """Whether a deliberate second step may send to it anyway (never for the gateway's own rules)."""
        return self.rule in OVERRIDABLE


@dataclass(frozen=True)
class Preflight:
    """What would happen: numbers held back, segments, cost, warnings, and the balance it was weighed against."""

    job: Job
    held: list[Held]
    segments: int
    cost: int
    problems: list[p.Problem]
    channel: str
    balance: BalanceView | None = None
    balance_fresh: bool = False  # asked of the gateway for this preflight, not remembered
    cost_with_held: int = 0  # the cost when the overridable numbers are sent too

    @property
    def sendable(self) -> list[str]:
        """The numbers that would be sent to."""
        held = {h.mobile for h in self.held}
        return [m for m in self.job.numbers() if m not in held]

    @property
    def overridable(self) -> list[Held]:
        """Held numbers a deliberate second step may send to (opt-outs, numbers in doubt)."""
        return [h for h in self.held if h.overridable]

    def recipients(self, override_held: bool = False) -> list[str]:
        """Who a plan sends to: the sendable numbers, and the overridable held ones when the user chose so."""
        keep = {h.mobile for h in self.held if not (override_held and h.overridable)}
        return [m for m in self.job.numbers() if m not in keep]

    def cost_of(self, override_held: bool = False) -> int:
        """What the send costs with or without the overridable numbers."""
        return self.cost_with_held if override_held else self.cost

    def shortfall(self, override_held: bool = False) -> int | float | None:
        """Points a prepaid account lacks (it refuses what it cannot pay, 1111); None when it can pay (or post-paid)."""
        return None if self.balance is None else self.balance.shortfall(self.cost_of(override_held))

    def balance_after(self, override_held: bool = False) -> int | float | None:
        """The balance once sent, when known."""
        return None if self.balance is None else self.balance.after(self.cost_of(override_held))


@dataclass(frozen=True, slots=True)
class SendHandle:
    """A journaled send, before it runs: its id from the first moment, its recipients and cost."""

    send_id: str
    recipients: int
    cost: int
    chunks: int
    kind: str = "sms"
    held: tuple[Held, ...] = ()  # who the plan left out


@dataclass
class Planner:
    """Checks and journals sends for one profile."""

    ctx: SendContext

    def job_context(self) -> JobContext:
        """What the jobs' checks need of the profile now."""
        client = self.ctx.client
        settings = self.ctx.settings
        return JobContext(
            self.ctx.clock(),
            client.transport,
            client.credentials.userid,
            bool(client.credentials.password),
            settings.require_signature,
            settings.max_content_length,
        )

    def validate(self, job: Job) -> list[p.Problem]:
        """Refuse what must not be sent (InvalidInput lists every finding); return the warnings."""
        errors, warnings = job.check(self.job_context())
        if errors:
            raise InvalidInput.of(errors)
        return warnings

    async def preflight(self, job: Job, balance: BalanceView | None = None) -> Preflight:
        """Check the job and find who the opt-out list or the two rules would hold back (the checks of a large
        batch run in a thread: the event loop, and the TUI on it, stay free)."""
        big = len(job.numbers()) > THREAD_ABOVE
        problems = await asyncio.to_thread(self.validate, job) if big else self.validate(job)
        numbers = job.numbers()
        at = job.send_time or self.ctx.clock()
        store, account = self.ctx.store, self.ctx.account
        optouts = await store.optouts(account)
        doubt = await self.in_doubt(job)
        history = await store.history(account, numbers, history_since(at)) if job.rules_apply else {}
        if big:
            return await asyncio.to_thread(self._weigh, job, balance, problems, optouts, doubt, history, at)
        return self._weigh(job, balance, problems, optouts, doubt, history, at)

    def _weigh(self, job: Job, balance: BalanceView | None, problems: list[p.Problem], optouts: dict[str, str],
               doubt: dict[str, InDoubt], history: dict[str, list[p.SentRecord]], at: datetime) -> Preflight:
        """Who is held back and what the rest costs, from what the store said."""
        numbers = job.numbers()
        contents = job.contents()
        held: list[Held] = []
        for mobile in numbers:
            if mobile in optouts:
                held.append(Held(mobile, f"{mobile} opted out ({optouts[mobile]})", "optout"))
                continue
            if mobile in doubt:
                chunk = doubt[mobile]
                held.append(Held(mobile, f"{mobile} is in send {chunk.send_id}, whose outcome is unknown (out at "
                                 f"{chunk.sent_at}, Beijing time): reconcile it before sending again", "doubt",
                                 chunk.send_id))
                continue
            for violation in p.check_send_rules(mobile, contents[mobile], history.get(mobile, ()), at)[:1]:
                held.append(Held(mobile, violation.message, violation.rule))
        held_numbers = {h.mobile for h in held}
        sendable = [m for m in numbers if m not in held_numbers]
        overridable = {h.mobile for h in held if h.overridable}
        with_held = [m for m in numbers if m not in held_numbers or m in overridable]
        return Preflight(
            job,
            held,
            job.segments(),
            job.cost(sendable),
            problems,
            job.channel(self.ctx.client.transport),
            balance,
            cost_with_held=job.cost(with_held),
        )

    async def in_doubt(self, job: Job) -> dict[str, InDoubt]:
        """Numbers of requests whose outcome is unknown and younger than `reconcile_wait`: a report may still prove
        them sent, so sending again could reach them twice (the job's own re-sent requests excepted)."""
        since = p.format_send_time(self.ctx.clock() - timedelta(seconds=self.ctx.settings.reconcile_wait))
        taken_over = set(job.supersedes.chunk_ids) if job.supersedes else set()
        found: dict[str, InDoubt] = {}
        for chunk in await self.ctx.store.unknown_chunks(self.ctx.account):
            if chunk.id not in taken_over and (not chunk.sent_at or chunk.sent_at >= since):
                found.update(dict.fromkeys(chunk.mobiles, chunk))
        return found

    async def plan(self, preflight: Preflight, override_held: bool = False) -> SendHandle:
        """Journal the send and its chunks (committed before anything goes out); returns its handle."""
        mobiles = preflight.recipients(override_held)
        if not mobiles:
            raise InvalidInput("every recipient is held back: " + "; ".join(h.reason for h in preflight.held[:3]))
        send, chunks = self.journal(preflight.job, mobiles)
        supersedes = preflight.job.supersedes
        if not await self.ctx.store.create_send(send, chunks, supersedes):
            note = supersedes.note if supersedes else ""
            raise TakenOver(f"another smstui process re-sent these numbers first ({note}); nothing was sent")
        left_out = tuple(h for h in preflight.held if not (override_held and h.overridable))
        return SendHandle(send.id, send.recipients, send.cost, len(chunks), send.kind, left_out)

    def journal(self, job: Job, mobiles: Sequence[str]) -> tuple[SendRecord, list[NewChunk]]:
        """The journal entries of a send: the send and its chunks."""
        content, subject, payload = job.journal()
        send = SendRecord(
            id=self.ctx.new_id(),
            account=self.ctx.account,
            kind=job.KIND,
            transport=job.channel(self.ctx.client.transport),
            content=content,
            subject=subject,
            send_time=p.format_send_time(job.send_time),
            extno=job.extno,
            segments=job.segments(),
            recipients=len(mobiles),
            cost=job.cost(mobiles),
            created=p.format_send_time(self.ctx.clock()),
            payload=payload,
        )
        return send, job.chunks(mobiles, self.ctx.settings.sizes)
