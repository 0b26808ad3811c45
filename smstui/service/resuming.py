"""Sends a crash or a stop left part-way: how far each got, resuming (never a chunk twice), abandoning; and each
row's result once sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .store import WAITING, ChunkState, Resumable

if TYPE_CHECKING:
    from .smsservice import SmsService

ABANDONED = "abandoned by the user: not sent"


@dataclass(frozen=True, slots=True)
class RowResult:
    """What became of one number of a batch send: its chunk's state, task id and the gateway's words."""

    state: str  # accepted, refused, unknown, unsent, pending, …
    task_id: str = ""
    message: str = ""


async def resumable_sends(service: SmsService, kind: str | None = None) -> list[Resumable]:
    """The account's sends (of one kind: sms, mms, batch) with chunks waiting, oldest first; not those this
    process is sending now."""
    running = service.sender.runner.running
    return [send for send in await service.store.resumable(service.key, kind) if send.send_id not in running]


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
