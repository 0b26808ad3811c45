"""How a send ended, from its journal: accepted, refused with reasons, in doubt, not sent, held back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ...protocol import segments
from ...protocol.codes import curable
from ..store import ChunkRecord, ChunkState, SendRecord
from .planner import Held


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """How one request of a send ended."""

    seq: int
    count: int
    state: str
    task_id: str = ""
    accepted: int = 0
    code: int | None = None
    message: str = ""
    mobiles: tuple[str, ...] = ()

    @property
    def curable(self) -> bool:
        """Whether a later send can cure this refusal (a top-up, the administrator) and none has been made yet."""
        return self.state == ChunkState.REFUSED and curable(self.code)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Numbers refused alike: the gateway's code and words, and how many."""

    code: int | None
    message: str
    count: int


@dataclass
class SendOutcome:
    """The end of a send: task ids, accepted count, refusals with reasons, unknown or unsent parts, held numbers."""

    send_id: str
    kind: str = "sms"
    task_ids: list[str] = field(default_factory=list)
    accepted: int = 0
    recipients: int = 0
    segments: int | None = None  # per message when every message has the same (None for a mixed batch)
    cost: int = 0
    balance: int | float | None = None
    scheduled: str = ""  # Beijing time the gateway sends it at, empty for now
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

    @property
    def whole(self) -> bool:
        """Whether the gateway took every recipient."""
        return self.complete and self.accepted == self.recipients

    @property
    def refused_count(self) -> int:
        """Recipients of refused requests."""
        return sum(c.count for c in self.refused)

    @property
    def unknown_count(self) -> int:
        """Recipients of requests whose outcome is unknown."""
        return sum(c.count for c in self.unknown)

    @property
    def unsent_count(self) -> int:
        """Recipients of requests that never left."""
        return sum(c.count for c in self.unsent)

    @property
    def elsewhere_count(self) -> int:
        """Recipients another smstui process is sending right now."""
        return sum(c.count for c in self.elsewhere)

    @property
    def not_accepted(self) -> int:
        """Recipients of accepted requests that the gateway left out (blacklist, rules): their reports say why."""
        accounted = self.accepted + self.refused_count + self.unknown_count + self.unsent_count + self.elsewhere_count
        return max(self.recipients - accounted, 0)

    def refusals(self) -> list[Refusal]:
        """The refusals grouped by what the gateway said: one line for a hundred requests refused alike."""
        grouped: dict[tuple[int | None, str], int] = {}
        for chunk in self.refused:
            key = (chunk.code, chunk.message)
            grouped[key] = grouped.get(key, 0) + chunk.count
        return [Refusal(code, message, count) for (code, message), count in grouped.items()]

    @property
    def curable(self) -> list[str]:
        """Numbers refused for a reason a later send can cure (balance, the administrator): offered again."""
        return [m for chunk in self.refused if chunk.curable for m in chunk.mobiles]


def outcome_of(send: SendRecord | None, send_id: str, chunks: Sequence[ChunkRecord],
               elsewhere: Callable[[ChunkRecord], bool]) -> SendOutcome:
    """The outcome of a send as its journal has it; `elsewhere` tells a chunk another live process is sending."""
    outcome = SendOutcome(send_id)
    if send is not None:
        outcome.kind = send.kind
        outcome.recipients = send.recipients
        outcome.scheduled = send.send_time
        outcome.segments = None if send.kind == "mms" else send.segments
    row_segments: set[int] = set()
    for chunk in chunks:
        result = ChunkResult(chunk.seq, chunk.count, chunk.state, chunk.task_id, chunk.accepted, chunk.code,
                             chunk.message, chunk.mobiles)
        if chunk.state in (ChunkState.ACCEPTED, ChunkState.RECONCILED):
            outcome.task_ids += chunk.task_ids
            outcome.accepted += chunk.accepted
            outcome.cost += chunk.cost if chunk.accepted == chunk.count else _share(chunk)
            if chunk.balance is not None:
                outcome.balance = chunk.balance if outcome.balance is None else min(outcome.balance, chunk.balance)
        elif chunk.state in (ChunkState.REFUSED, ChunkState.RESENT):
            outcome.refused.append(result)
        elif chunk.state == ChunkState.INFLIGHT and elsewhere(chunk):
            outcome.elsewhere.append(result)
        elif chunk.state in (ChunkState.UNKNOWN, ChunkState.INFLIGHT):
            outcome.unknown.append(result)
        elif chunk.state in (ChunkState.UNSENT, ChunkState.PENDING):
            outcome.unsent.append(result)
        row_segments.update(map(segments, chunk.rows))
    if len(row_segments) > 1:
        outcome.segments = None
    return outcome


def _share(chunk: ChunkRecord) -> int:
    """What the accepted part of a partly accepted chunk costs (its numbers cost alike but for a batch's rows)."""
    return round(chunk.cost * chunk.accepted / chunk.count) if chunk.count else 0
