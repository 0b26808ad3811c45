"""Sends a crash or a stop left part-way: how far each got, resuming (never a chunk twice), abandoning; and each
row's result once sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .sending import SendHandle
from .store import ANSWERED, WAITING, ChunkState

if TYPE_CHECKING:
    from .smsservice import SmsService

ABANDONED = "abandoned by the user: not sent"


@dataclass(frozen=True, slots=True)
class Resumable:
    """A send with chunks still to go: how many of how many are done, and how many numbers (rows) wait."""

    send_id: str
    created: str
    done: int  # chunks the gateway answered
    total: int
    waiting: int  # chunks not yet sent (resume sends them)
    unknown: int  # chunks in doubt (reconcile them: resume never sends them)
    rows_waiting: int
    kind: str = "sms"
    cost_waiting: int = 0  # points the chunks still to go cost, as planned

    @property
    def handle(self) -> SendHandle:
        """What the progress of resuming it counts: the numbers and chunks still to go."""
        return SendHandle(self.send_id, self.rows_waiting, self.cost_waiting, self.waiting, self.kind)


@dataclass(frozen=True, slots=True)
class RowResult:
    """What became of one number of a batch send: its chunk's state, task id and the gateway's words."""

    state: str  # accepted, refused, unknown, unsent, pending, …
    task_id: str = ""
    message: str = ""


async def resumable_sends(service: SmsService, kind: str | None = None) -> list[Resumable]:
    """The account's sends (of one kind: sms, mms, batch) with chunks waiting, oldest first; not those this
    process is sending now."""
    found = []
    for send in await service.unfinished():
        if not send.waiting or send.id in service.sender.runner.running:
            continue
        record = await service.store.send_record(send.id)
        if record is None or (kind is not None and record.kind != kind):
            continue
        chunks = await service.store.chunks(send.id)
        waiting = [c for c in chunks if c.state in WAITING]
        found.append(Resumable(send.id, send.created, sum(1 for c in chunks if c.state in ANSWERED), len(chunks),
                               send.waiting, send.unknown, sum(c.count for c in waiting), record.kind,
                               sum(c.cost for c in waiting)))
    return found


async def abandon(service: SmsService, send_id: str) -> int:
    """Close the chunks of a send that were never sent (nothing more goes out); how many chunks were closed. A chunk
    in flight or in doubt is left to reconciliation."""
    await service.sender.ctx.own_send(send_id)
    closed = 0
    for chunk in await service.store.chunks(send_id, [str(state) for state in WAITING]):
        if await service.store.mark_chunk(chunk.id, ChunkState.REFUSED, only_if=str(chunk.state), message=ABANDONED):
            closed += 1
    await service.store.set_send_state(send_id, "cancelled")
    return closed


async def row_results(service: SmsService, send_id: str) -> dict[str, RowResult]:
    """Each number of a send with what became of it."""
    out: dict[str, RowResult] = {}
    for chunk in await service.store.chunks(send_id):
        result = RowResult(str(chunk.state), chunk.task_id, chunk.message)
        for mobile in chunk.mobiles:
            out[mobile] = result
    return out
