"""Running a journaled send: claim each chunk, post it, journal the answer; never send a chunk twice."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from ... import protocol as p
from ..errors import GatewayRefused, InvalidInput, UnknownOutcome, Unreachable
from ..events import SendProgress
from ..store import WAITING, ChunkRecord, ChunkState, SendRecord, owner_alive
from .context import SendContext
from .jobs import job_class
from .outcome import SendOutcome, outcome_of


@dataclass
class Runner:
    """Sends journaled chunks with bounded concurrency, and stops after the requests in flight when asked."""

    ctx: SendContext
    stopping: bool = False
    _cancel: dict[str, asyncio.Event] = field(default_factory=dict)
    running: set[str] = field(default_factory=set)  # the sends this process is sending now

    def cancel(self, send_id: str) -> None:
        """Stop a send after the chunks in flight; asked before it starts, it sends nothing."""
        self._cancel.setdefault(send_id, asyncio.Event()).set()

    def cancel_all(self) -> None:
        """Stop every running send after the chunks in flight; sends started later stop at once."""
        self.stopping = True
        for event in self._cancel.values():
            event.set()

    async def run(self, send_id: str) -> SendOutcome:
        """Send every chunk not yet answered; returns the outcome of the whole send."""
        send = await self.ctx.own_send(send_id)
        chunks = await self.ctx.store.chunks(send_id)
        pending = [c for c in chunks if c.state in WAITING]
        cancel = self._cancel.setdefault(send_id, asyncio.Event())
        if self.stopping:
            cancel.set()
        queue: asyncio.Queue[ChunkRecord] = asyncio.Queue()
        for chunk in pending:
            queue.put_nowait(chunk)
        progress = _Progress(self.ctx, send_id, len(chunks), send.recipients, len(chunks) - len(pending),
                             send.recipients - sum(c.count for c in pending))
        await self.ctx.store.set_send_state(send_id, "running")

        async def worker() -> None:
            while not cancel.is_set():
                try:
                    chunk = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                accepted = await self._send_chunk(send, chunk)
                progress.step(chunk.count, accepted)

        workers = min(self.ctx.settings.concurrency, max(len(pending), 1))
        self.running.add(send_id)
        try:
            await asyncio.gather(*(worker() for _ in range(max(workers, 1))))
        finally:
            self.running.discard(send_id)
        outcome = await self.outcome(send_id)
        outcome.cancelled = cancel.is_set() and bool(await self.ctx.store.chunks(send_id, [ChunkState.PENDING]))
        state = "cancelled" if outcome.cancelled else ("reconcile" if outcome.unknown else "done")
        await self.ctx.store.set_send_state(send_id, state)
        self._cancel.pop(send_id, None)
        return outcome

    async def outcome(self, send_id: str) -> SendOutcome:
        """The outcome of a send as the journal has it now."""
        store = self.ctx.store
        send = await store.send_record(send_id)
        chunks = await store.chunks(send_id)
        return outcome_of(send, send_id, chunks, lambda c: c.owner != store.owner and owner_alive(c.owner))

    async def _send_chunk(self, send: SendRecord, chunk: ChunkRecord) -> int:
        """Claim, post and journal one chunk; the number of recipients the gateway accepted."""
        store = self.ctx.store
        post = job_class(send).post
        for attempt in range(self.ctx.settings.retries + 1):
            now = self.ctx.clock()
            claimed = await store.start_chunk(chunk.id, now, lease=self.ctx.settings.lease)
            if claimed is None:
                return 0  # another process took this chunk, it was answered meanwhile, or all of it opted out
            chunk = claimed  # as it goes out: without numbers that opted out since it was planned
            try:
                receipt = await post(self.ctx.client, send, chunk)
            except Unreachable as exc:  # the request never left: safe to try again
                await store.mark_chunk(chunk.id, ChunkState.UNSENT, message=exc.message)
                if attempt < self.ctx.settings.retries:
                    await asyncio.sleep(self.ctx.settings.retry_delay * (2**attempt))
                    continue
                return 0
            except UnknownOutcome as exc:
                await store.mark_chunk(chunk.id, ChunkState.UNKNOWN, message=exc.message)
                return 0
            except GatewayRefused as exc:
                await store.mark_chunk(chunk.id, ChunkState.REFUSED, code=exc.code, message=exc.message)
                return 0
            except InvalidInput as exc:  # raised while building the request: nothing left
                await store.mark_chunk(chunk.id, ChunkState.REFUSED, message=exc.message)
                return 0
            verification = p.is_verification(send.content)
            await store.accept_chunk(chunk.id, send, receipt, chunk.mobiles, verification, send.schedule or now)
            self.ctx.balances.after_send(receipt.balance, send.kind == "mms")
            return receipt.success_count
        return 0


class _Progress:
    """Counts a running send and publishes SendProgress events."""

    def __init__(self, ctx: SendContext, send_id: str, chunks_total: int, recipients_total: int, chunks_done: int,
                 recipients_done: int) -> None:
        self.ctx = ctx
        self.send_id = send_id
        self.chunks_total = chunks_total
        self.recipients_total = recipients_total
        self.chunks_done = chunks_done
        self.recipients_done = recipients_done
        self.accepted = 0
        self.started = time.monotonic()
        self._sent_now = 0

    def step(self, count: int, accepted: int) -> None:
        """One chunk done."""
        self.chunks_done += 1
        self.recipients_done += count
        self._sent_now += count
        self.accepted += accepted
        rate = self._sent_now / max(time.monotonic() - self.started, 1e-6)
        left = self.recipients_total - self.recipients_done
        eta = left / rate if rate > 0 else None
        self.ctx.bus.publish(SendProgress(self.send_id, self.chunks_done, self.chunks_total, self.recipients_done,
                                          self.recipients_total, self.accepted, rate, eta))
