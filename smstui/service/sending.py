"""Sends of any size that never double-send and never lose track: journal, chunks, retries, reconciliation."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from .. import protocol as p
from .client import GatewayClient, SendReceipt
from .errors import GatewayRefused, InvalidInput, UnknownOutcome, Unreachable
from .events import EventBus, SendProgress
from .store import Store, history_since, owner_alive

Kind = Literal["sms", "batch", "mms"]


@dataclass(frozen=True)
class SendRequest:
    """What the user wants sent: numbers and content (or personalised rows, or an MMS), when, how."""

    kind: Kind = "sms"
    mobiles: tuple[str, ...] = ()
    content: str = ""
    rows: tuple[p.BatchRow, ...] = ()
    subject: str = ""
    package: bytes = b""
    send_time: datetime | None = None
    extno: str = ""
    transport: str | None = None

    def numbers(self) -> list[str]:
        """Every recipient of the request."""
        return [row.mobile for row in self.rows] if self.kind == "batch" else list(self.mobiles)

    def contents(self) -> dict[str, str]:
        """The text each recipient gets."""
        if self.kind == "batch":
            return {row.mobile: row.content for row in self.rows}
        return dict.fromkeys(self.mobiles, self.content)


@dataclass(frozen=True)
class Held:
    """A number held back before sending, and why."""

    mobile: str
    reason: str
    rule: str


@dataclass(frozen=True)
class Preflight:
    """What would happen: numbers held back (rules, opt-outs), segments, cost, content problems."""

    request: SendRequest
    held: list[Held]
    segments: int
    cost: int
    problems: list[p.Problem]

    @property
    def sendable(self) -> list[str]:
        """The numbers that would be sent to."""
        held = {h.mobile for h in self.held}
        return [m for m in self.request.numbers() if m not in held]


@dataclass
class ChunkResult:
    """How one request of a send ended."""

    seq: int
    count: int
    state: str
    task_id: str = ""
    accepted: int = 0
    code: int | None = None
    message: str = ""


@dataclass
class SendOutcome:
    """The end of a send: task ids, accepted count, refusals with reasons, unknown or unsent parts."""

    send_id: str
    task_ids: list[str] = field(default_factory=list)
    accepted: int = 0
    recipients: int = 0
    segments: int = 0
    cost: int = 0
    balance: int | None = None
    refused: list[ChunkResult] = field(default_factory=list)
    unknown: list[ChunkResult] = field(default_factory=list)
    unsent: list[ChunkResult] = field(default_factory=list)
    elsewhere: list[ChunkResult] = field(default_factory=list)  # in flight in another smstui process
    held: list[Held] = field(default_factory=list)
    cancelled: bool = False

    @property
    def complete(self) -> bool:
        """Whether every chunk got a clear answer and none was refused."""
        return not (self.refused or self.unknown or self.unsent or self.elsewhere or self.cancelled)


def segments_of(request: SendRequest) -> int:
    """The largest segment count of any message in the request (an MMS counts 1)."""
    if request.kind == "mms":
        return 1
    if request.kind == "batch":
        return max((p.segments(row.content) for row in request.rows), default=0)
    return p.segments(request.content)


def cost_of(request: SendRequest, mobiles: Sequence[str]) -> int:
    """Points the request costs for these recipients (per row for a batch)."""
    if request.kind == "batch":
        wanted = set(mobiles)
        return sum(p.segments(row.content) for row in request.rows if row.mobile in wanted)
    if request.kind == "mms":
        return len(mobiles)
    return p.cost(request.content, len(mobiles))


class Sender:
    """Plans, journals and runs sends for one profile."""

    def __init__(self, profile: str, client: GatewayClient, store: Store, bus: EventBus, *,
                 chunk_size: int = 1000, batch_rows: int = 1000, concurrency: int = 4, retries: int = 3,
                 retry_delay: float = 0.5, require_signature: bool = True, max_content_length: int = 500,
                 reconcile_wait: float = 600.0, clock: Callable[[], datetime] | None = None) -> None:
        self.profile = profile
        self.client = client
        self.store = store
        self.bus = bus
        self.chunk_size = max(chunk_size, 1)
        self.batch_rows = max(batch_rows, 1)
        self.concurrency = max(concurrency, 1)
        self.retries = max(retries, 0)
        self.retry_delay = retry_delay
        self.require_signature = require_signature
        self.max_content_length = max_content_length
        self.reconcile_wait = reconcile_wait
        self.clock = clock or client.clock
        self._cancel: dict[str, asyncio.Event] = {}
        self.stopping = False

    # -- before sending ---------------------------------------------------------------------------

    def validate(self, request: SendRequest) -> list[p.Problem]:
        """Refuse what must not be sent (InvalidInput lists every problem); return the warnings."""
        errors: list[str] = []
        numbers = request.numbers()
        if not numbers:
            errors.append("no recipients")
        bad = [m for m in numbers if not p.is_mobile(m)]
        if bad:
            errors.append(f"{len(bad)} invalid numbers, e.g. {bad[0]} (use parse_mobiles to normalise)")
        if len(set(numbers)) != len(numbers):
            errors.append("a number appears twice")
        if not self.client.credentials.password:
            errors.append("the profile has no password")
        extno_problem = p.check_extno(request.extno)
        if extno_problem:
            errors.append(extno_problem)
        problems: list[p.Problem] = []
        if request.kind == "mms":
            if not request.subject.strip():
                errors.append("an MMS needs a subject")
            if not request.package:
                errors.append("an MMS needs at least one slide")
        else:
            texts: dict[str, str] = {request.content: ""} if request.kind != "batch" else {}
            for row in request.rows:
                texts.setdefault(row.content, row.mobile)
            for text, mobile in texts.items():
                found = p.validate_content(text, max_length=self.max_content_length, require_signature=self.require_signature)
                where = f"the message for {mobile}: " if mobile else ""
                errors += [where + x.message for x in found if x.blocking]
                problems += [x for x in found if not x.blocking]
            transport = request.transport or self.client.transport
            if request.kind == "sms" and transport == "gbk" and (bad := p.content.unencodable(request.content)):
                errors.append(f"{p.content.describe_characters(bad)} cannot be sent over GBK; choose the xml or json "
                              "transport, or remove them")
            if request.kind == "sms" and transport == "encrypted" and not self.client.credentials.userid.isdigit():
                errors.append("the encrypted transport needs the account's numeric userid (set userid in the profile)")
        if request.send_time is not None and request.send_time < self.clock() - timedelta(minutes=1):
            errors.append(f"the schedule {p.format_send_time(request.send_time)} (Beijing time) is in the past")
        if errors:
            raise InvalidInput("; ".join(errors), errors)
        return problems

    async def preflight(self, request: SendRequest) -> Preflight:
        """Validate and find who would be held back by the two rules or the opt-out list."""
        problems = self.validate(request)
        numbers = request.numbers()
        now = self.clock()
        at = request.send_time or now
        history = await self.store.history(self.profile, numbers, history_since(at))
        optouts = await self.store.optouts(self.profile)
        held: list[Held] = []
        contents = request.contents()
        for mobile in numbers:
            if mobile in optouts:
                held.append(Held(mobile, f"{mobile} opted out ({optouts[mobile]})", "optout"))
                continue
            if request.kind != "mms" and mobile in history:
                for violation in p.check_send_rules(mobile, contents[mobile], history[mobile], at):
                    held.append(Held(mobile, violation.message, violation.rule))
                    break
        held_numbers = {h.mobile for h in held}
        sendable = [m for m in numbers if m not in held_numbers]
        return Preflight(request, held, segments_of(request), cost_of(request, sendable), problems)

    async def plan(self, preflight: Preflight, override_held: bool = False) -> str:
        """Journal the send and its chunks (committed before anything goes out); returns the send id."""
        send, chunks = self._journal_entries(preflight, override_held)
        await self.store.create_send(send, chunks)
        return send["id"]

    def _journal_entries(self, preflight: Preflight, override_held: bool) -> tuple[dict, list[dict]]:
        """The journal rows of a send: the send and its chunks of at most chunk_size numbers."""
        request = preflight.request
        mobiles = request.numbers() if override_held else preflight.sendable
        if not mobiles:
            raise InvalidInput("every recipient is held back: " + "; ".join(h.reason for h in preflight.held[:3]))
        size = self.batch_rows if request.kind == "batch" else self.chunk_size
        rows = {row.mobile: row.content for row in request.rows}
        chunks = []
        for seq, start in enumerate(range(0, len(mobiles), size)):
            part = mobiles[start : start + size]
            chunk = {"seq": seq, "mobiles": ",".join(part), "count": len(part)}
            if request.kind == "batch":
                chunk["rows"] = json.dumps([rows[m] for m in part], ensure_ascii=False)
            chunks.append(chunk)
        payload = {"package": request.package.hex()} if request.kind == "mms" else {}
        send = {
            "id": uuid.uuid4().hex[:16], "profile": self.profile, "kind": request.kind,
            "transport": request.transport or self.client.transport if request.kind == "sms" else request.kind,
            "content": request.content, "subject": request.subject,
            "send_time": p.format_send_time(request.send_time), "extno": request.extno,
            "segments": segments_of(request), "recipients": len(mobiles), "cost": cost_of(request, mobiles),
            "created": p.format_send_time(self.clock()), "payload": json.dumps(payload),
        }
        return send, chunks

    async def _own_send(self, send_id: str) -> dict:
        """The journal entry of one of this profile's sends; InvalidInput for another profile's or none."""
        send = await self.store.send_record(send_id)
        if send is None:
            raise InvalidInput(f"no send {send_id} in the journal")
        if send["profile"] != self.profile:
            raise InvalidInput(f"send {send_id} was made with profile {send['profile']!r}, not {self.profile!r}: "
                               f"use --profile {send['profile']}")
        return send

    # -- sending ----------------------------------------------------------------------------------

    def cancel(self, send_id: str) -> None:
        """Stop a running send after the chunks already in flight."""
        self._cancel.setdefault(send_id, asyncio.Event()).set()

    def cancel_all(self) -> None:
        """Stop every running send after the chunks in flight; sends started later stop at once."""
        self.stopping = True
        for event in self._cancel.values():
            event.set()

    async def run(self, send_id: str) -> SendOutcome:
        """Send every chunk not yet answered, with bounded concurrency; returns the outcome of the whole send."""
        send = await self._own_send(send_id)
        pending = await self.store.chunks(send_id, ["pending", "unsent"])
        total_chunks = len(await self.store.chunks(send_id))
        cancel = self._cancel.setdefault(send_id, asyncio.Event())
        if self.stopping:
            cancel.set()
        queue: asyncio.Queue = asyncio.Queue()
        for chunk in pending:
            queue.put_nowait(chunk)
        done_before = total_chunks - len(pending)
        progress = _Progress(send_id, total_chunks, send["recipients"], done_before, self.bus)
        progress.recipients_done = send["recipients"] - sum(c["count"] for c in pending)
        await self.store.set_send_state(send_id, "running")

        async def worker() -> None:
            while not cancel.is_set():
                try:
                    chunk = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                accepted = await self._send_chunk(send, chunk)
                progress.step(chunk["count"], accepted)

        await asyncio.gather(*(worker() for _ in range(min(self.concurrency, max(len(pending), 1)))))
        outcome = await self.outcome(send_id)
        outcome.cancelled = cancel.is_set() and bool(await self.store.chunks(send_id, ["pending"]))
        state = "cancelled" if outcome.cancelled else ("reconcile" if outcome.unknown else "done")
        await self.store.set_send_state(send_id, state)
        self._cancel.pop(send_id, None)
        return outcome

    async def _send_chunk(self, send: dict, chunk: dict) -> int:
        mobiles = chunk["mobiles"].split(",")
        send_time = p.parse_gateway_time(send["send_time"]) if send["send_time"] else None
        for attempt in range(self.retries + 1):
            now = self.clock()
            if not await self.store.start_chunk(chunk["id"], now):
                return 0  # another process took this chunk, or it was answered meanwhile
            try:
                receipt = await self._post(send, chunk, mobiles, send_time)
            except Unreachable as exc:  # the request never left: safe to try again
                await self.store.mark_chunk(chunk["id"], "unsent", message=exc.message)
                if attempt < self.retries:
                    await asyncio.sleep(self.retry_delay * (2**attempt))
                    continue
                return 0
            except UnknownOutcome as exc:
                await self.store.mark_chunk(chunk["id"], "unknown", message=exc.message)
                return 0
            except GatewayRefused as exc:
                await self.store.mark_chunk(chunk["id"], "refused", code=exc.code, message=exc.message)
                return 0
            except InvalidInput as exc:  # raised while building the request: nothing left
                await self.store.mark_chunk(chunk["id"], "refused", message=exc.message)
                return 0
            verification = p.is_verification(send["content"])
            await self.store.accept_chunk(chunk["id"], send, receipt, mobiles, verification, send_time or now)
            return receipt.success_count
        return 0

    async def _post(self, send: dict, chunk: dict, mobiles: list[str], send_time: datetime | None) -> SendReceipt:
        if send["kind"] == "batch":
            contents = json.loads(chunk["rows"])
            return await self.client.send_batch([p.BatchRow(m, c) for m, c in zip(mobiles, contents)], send_time, send["extno"])
        if send["kind"] == "mms":
            package = bytes.fromhex(json.loads(send["payload"])["package"])
            return await self.client.send_mms(mobiles, send["subject"], package, send_time, send["extno"])
        return await self.client.send(mobiles, send["content"], send_time, send["extno"], send["transport"])

    async def outcome(self, send_id: str) -> SendOutcome:
        """The outcome of a send as the journal has it now."""
        send = await self.store.send_record(send_id)
        outcome = SendOutcome(send_id, recipients=send["recipients"] if send else 0, segments=send["segments"] if send else 0)
        for chunk in await self.store.chunks(send_id):
            result = ChunkResult(chunk["seq"], chunk["count"], chunk["state"], chunk["task_id"], chunk["accepted"],
                                 chunk["code"], chunk["message"])
            if chunk["state"] in ("accepted", "reconciled"):
                outcome.task_ids += [t for t in chunk["task_id"].split(",") if t]
                outcome.accepted += chunk["accepted"]
                if chunk["balance"] is not None:
                    outcome.balance = chunk["balance"] if outcome.balance is None else min(outcome.balance, chunk["balance"])
            elif chunk["state"] == "refused":
                outcome.refused.append(result)
            elif chunk["state"] == "inflight" and chunk["owner"] != self.store.owner and owner_alive(chunk["owner"]):
                outcome.elsewhere.append(result)  # another smstui process is sending it right now
            elif chunk["state"] in ("unknown", "inflight"):
                outcome.unknown.append(result)
            elif chunk["state"] in ("unsent", "pending"):
                outcome.unsent.append(result)
        outcome.cost = outcome.segments * outcome.accepted if send and send["kind"] != "batch" else (send or {}).get("cost", 0)
        return outcome

    # -- after an unknown outcome -----------------------------------------------------------------

    async def reconcile(self, send_id: str) -> list[ReconcileResult]:
        """Decide from stored delivery reports which recipients of unknown chunks were really sent.

        A report proves a number was sent by a chunk when it reached the store after the chunk went out (both
        times of our own clock: the gateway's may be off, or `0001-01-01`) and its task belongs to no other chunk.
        A task that another unknown request to the same numbers could also have made proves nothing: its numbers
        are `ambiguous`, and never re-sent by smstui.
        """
        send = await self._own_send(send_id)
        send_time = p.parse_gateway_time(send["send_time"]) if send["send_time"] else None
        in_doubt = await self.store.unknown_chunks(self.profile)
        results = []
        for chunk in await self.store.chunks(send_id, ["unknown"]):
            mobiles = chunk["mobiles"].split(",")
            since = chunk["sent_at"] or send["created"]
            claimed = await self.store.claimed_task_ids(self.profile, chunk["id"])
            tasks: dict[str, dict[str, str]] = {}  # task → mobile → when this store received its report
            for report in await self.store.reports_for(self.profile, mobiles, since):
                if report.task_id not in claimed:
                    tasks.setdefault(report.task_id, {}).setdefault(report.mobile, report.received_at)
            found: dict[str, str] = {}
            ambiguous: set[str] = set()
            for task_id, reported in tasks.items():
                first = min(reported.values())
                rivals = [other for other in in_doubt if other["id"] != chunk["id"] and other["sent_at"]
                          and other["sent_at"] <= first and not other["mobiles"].isdisjoint(reported)]
                if rivals:
                    ambiguous.update(reported)
                else:
                    for mobile in reported:
                        found.setdefault(mobile, task_id)
            ambiguous -= found.keys()
            by_task: dict[str, list[str]] = {}
            for mobile, task_id in found.items():
                by_task.setdefault(task_id, []).append(mobile)
            sent_at = p.parse_gateway_time(chunk["sent_at"]) or self.clock()
            for task_id, proven in by_task.items():
                await self.store.record_task(self.profile, send_id, task_id, proven, send, send_time or sent_at,
                                             p.is_verification(send["content"]))
            unconfirmed = [m for m in mobiles if m not in found and m not in ambiguous]
            task_ids = ",".join(by_task)
            # Only while still unknown: another process may have closed the chunk meanwhile (and re-sent it).
            if not unconfirmed and not ambiguous:
                still = await self.store.mark_chunk(chunk["id"], "reconciled", only_if="unknown", task_id=task_ids,
                                                    accepted=len(found), message="confirmed by delivery reports")
            else:
                still = await self.store.mark_chunk(
                    chunk["id"], "unknown", only_if="unknown", task_id=task_ids, accepted=len(found),
                    message=f"{len(found)} of {len(mobiles)} confirmed by delivery reports"
                    + (f"; {len(ambiguous)} ambiguous" if ambiguous else ""))
            if not still:
                continue
            settle_at = max(sent_at, send_time or sent_at) + timedelta(seconds=self.reconcile_wait)
            results.append(ReconcileResult(chunk["seq"], len(mobiles), sorted(found), unconfirmed, list(by_task),
                                           settle_at, sorted(ambiguous), chunk["id"]))
        if not await self.store.chunks(send_id, ["unknown", "inflight"]):
            await self.store.set_send_state(send_id, "done")
        return results

    async def resend_unconfirmed(self, send_id: str) -> tuple[str | None, list[Held]]:
        """The user's explicit choice: journal a new send for numbers no report confirmed.

        The opt-out list and the sending rules still hold numbers back; ambiguous numbers are never re-sent. The
        unknown chunks are closed and the new send journaled in one transaction, so two processes cannot both
        re-send. Returns the new send's id (None when nothing is left to send) and the numbers held back.
        """
        send = await self._own_send(send_id)
        results = await self.reconcile(send_id)
        unconfirmed = [m for r in results for m in r.unconfirmed]
        if not unconfirmed:
            return None, []
        settle_at = max(r.settle_at for r in results if r.unconfirmed)
        if self.clock() < settle_at:
            raise InvalidInput(
                f"reports for this send may still come: re-sending is possible from {p.format_send_time(settle_at)} "
                f"(Beijing time; reconcile_wait = {self.reconcile_wait:g} s in the profile). Nothing was sent.")
        open_ids = {r.chunk_id for r in results if r.unconfirmed or r.ambiguous}  # still unknown after reconciling
        chunks = [c for c in await self.store.chunks(send_id) if c["id"] in open_ids]
        rows: tuple[p.BatchRow, ...] = ()
        if send["kind"] == "batch":
            contents: dict[str, str] = {}
            for chunk in chunks:
                contents.update(zip(chunk["mobiles"].split(","), json.loads(chunk["rows"])))
            rows = tuple(p.BatchRow(m, contents[m]) for m in unconfirmed)
        package = bytes.fromhex(json.loads(send["payload"]).get("package", ""))
        request = SendRequest(send["kind"], tuple(unconfirmed), send["content"], rows, send["subject"], package,
                              p.parse_gateway_time(send["send_time"]) if send["send_time"] else None, send["extno"],
                              send["transport"] if send["kind"] == "sms" else None)
        preflight = await self.preflight(request)
        ambiguous = [m for r in results for m in r.ambiguous]
        note = "unconfirmed numbers re-sent by the user" + (
            f"; ambiguous, left to the user: {','.join(ambiguous)}" if ambiguous else "")
        if not preflight.sendable:
            await self.store.close_unknown(sorted(open_ids), note)
            return None, preflight.held
        entry, new_chunks = self._journal_entries(preflight, override_held=False)
        if not await self.store.replace_unknown(sorted(open_ids), note, entry, new_chunks):
            return None, []  # another process closed them first (and re-sent what it had to)
        await self.store.set_send_state(send_id, "done")
        return entry["id"], preflight.held


@dataclass(frozen=True)
class ReconcileResult:
    """What the reports proved for one unknown chunk."""

    seq: int
    count: int
    confirmed: list[str]
    unconfirmed: list[str]
    task_ids: list[str]
    settle_at: datetime  # from then on a missing report is unlikely to come: re-sending becomes possible
    ambiguous: list[str] = field(default_factory=list)  # reported, but maybe for another unknown request
    chunk_id: int = 0


class _Progress:
    """Counts a running send and publishes SendProgress events."""

    def __init__(self, send_id: str, chunks_total: int, recipients_total: int, chunks_done: int, bus: EventBus) -> None:
        self.send_id = send_id
        self.chunks_total = chunks_total
        self.recipients_total = recipients_total
        self.chunks_done = chunks_done
        self.recipients_done = 0
        self.accepted = 0
        self.bus = bus
        self.started = time.monotonic()
        self._sent_now = 0

    def step(self, count: int, accepted: int) -> None:
        self.chunks_done += 1
        self.recipients_done += count
        self._sent_now += count
        self.accepted += accepted
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self._sent_now / elapsed
        left = self.recipients_total - self.recipients_done
        eta = left / rate if rate > 0 else None
        self.bus.publish(SendProgress(self.send_id, self.chunks_done, self.chunks_total, self.recipients_done,
                                      self.recipients_total, self.accepted, rate, eta))
