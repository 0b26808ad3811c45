"""What the store holds, as the rest of smstui sees it: frozen records, never rows or dicts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ... import protocol as p

if TYPE_CHECKING:
    from ..sending import SendHandle


class ChunkState(StrEnum):
    """Where one request of a send stands."""

    PENDING = "pending"  # journaled, not yet sent
    INFLIGHT = "inflight"  # claimed and out (a crash from here on makes it unknown)
    ACCEPTED = "accepted"  # the gateway answered with a task id
    REFUSED = "refused"  # the gateway answered no (or the request could not be built)
    UNKNOWN = "unknown"  # the request may or may not have been processed
    UNSENT = "unsent"  # the request never left (the gateway could not be reached)
    RECONCILED = "reconciled"  # an unknown request decided by reports or by the user
    RESENT = "resent"  # refused, then its numbers were sent again by another send


WAITING = (ChunkState.PENDING, ChunkState.UNSENT)  # what run() and resume() send
ANSWERED = (ChunkState.ACCEPTED, ChunkState.RECONCILED)  # what counts as sent


@dataclass(frozen=True, slots=True)
class SendRecord:
    """The journal entry of a send: what it is, to how many, at what cost, and how far it got."""

    id: str
    account: str
    kind: str
    transport: str
    content: str
    subject: str
    send_time: str
    extno: str
    segments: int
    recipients: int
    cost: int
    created: str
    state: str = "open"
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def schedule(self) -> datetime | None:
        """When the send was scheduled for (Beijing time), None for 'now'."""
        return p.parse_gateway_time(self.send_time) if self.send_time else None

    def row(self) -> dict[str, Any]:
        """The columns of the `sends` table."""
        return {"id": self.id, "account": self.account, "kind": self.kind, "transport": self.transport,
                "content": self.content, "subject": self.subject, "send_time": self.send_time, "extno": self.extno,
                "segments": self.segments, "recipients": self.recipients, "cost": self.cost, "created": self.created,
                "state": self.state, "payload": json.dumps(self.payload, ensure_ascii=False)}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SendRecord:
        """A record from a `sends` row."""
        payload = json.loads(row.get("payload") or "{}")
        return cls(**{**{k: row[k] for k in _SEND_COLUMNS}, "payload": payload})


_SEND_COLUMNS = ("id", "account", "kind", "transport", "content", "subject", "send_time", "extno", "segments",
                 "recipients", "cost", "created", "state")


@dataclass(frozen=True, slots=True)
class ChunkRecord:
    """One request of a send: its numbers (and per-number texts for a batch), its state and what the gateway said."""

    id: int
    send_id: str
    seq: int
    state: ChunkState
    mobiles: tuple[str, ...]
    rows: tuple[str, ...] = ()  # a batch's texts, one per number
    count: int = 0
    cost: int = 0
    attempts: int = 0
    task_id: str = ""
    accepted: int = 0
    balance: int | float | None = None
    code: int | None = None
    message: str = ""
    sent_at: str = ""
    updated: str = ""
    owner: str = ""

    @property
    def task_ids(self) -> list[str]:
        """The tasks this chunk became (several, after reconciliation)."""
        return [t for t in self.task_id.split(",") if t]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ChunkRecord:
        """A record from a `chunks` row."""
        rows = tuple(json.loads(row["rows"])) if row["rows"] else ()
        return cls(row["id"], row["send_id"], row["seq"], ChunkState(row["state"]), tuple(row["mobiles"].split(",")),
                   rows, row["count"], row.get("cost") or 0, row["attempts"], row["task_id"], row["accepted"],
                   row["balance"], row["code"], row["message"], row["sent_at"], row["updated"], row["owner"])


@dataclass(frozen=True, slots=True)
class Supersedes:
    """Chunks a new send takes over (unknown ones after reconciliation, refused ones sent again): they are closed in
    the transaction that journals it, and only if they are still in `state`, so two processes never both re-send."""

    chunk_ids: tuple[int, ...]
    state: ChunkState
    becomes: ChunkState
    note: str


@dataclass(frozen=True, slots=True)
class NewChunk:
    """A chunk as the planner journals it."""

    seq: int
    mobiles: tuple[str, ...]
    rows: tuple[str, ...] = ()
    cost: int = 0

    @property
    def count(self) -> int:
        """How many numbers the chunk carries."""
        return len(self.mobiles)


@dataclass(frozen=True, slots=True)
class InDoubt:
    """A chunk of the account whose outcome is unknown: its numbers and when it went out."""

    id: int
    send_id: str
    mobiles: frozenset[str]
    sent_at: str


@dataclass(frozen=True, slots=True)
class UnfinishedSend:
    """A send with requests not yet answered (waiting to go, out now) or in doubt."""

    id: str
    created: str
    recipients: int
    content: str
    state: str
    waiting: int
    inflight: int
    unknown: int


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
        from ..sending import SendHandle  # the sending layer is built on the store: asked for only here

        return SendHandle(self.send_id, self.rows_waiting, self.cost_waiting, self.waiting, self.kind)


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A delivery report as kept in the store."""

    task_id: str
    mobile: str
    status: int
    receive_time: str
    error_code: str
    extno: str
    received_at: str

    @property
    def delivered(self) -> bool:
        """Whether the message reached the handset."""
        return self.status == p.boxes.DELIVERED


@dataclass(frozen=True, slots=True)
class StoredUplink:
    """An uplink (reply) as kept in the store."""

    id: int
    mobile: str
    content: str
    receive_time: str
    extno: str
    received_at: str
    optout: bool


@dataclass(frozen=True, slots=True)
class KeptBody:
    """A reply body kept because it could not be parsed or stored, for replay."""

    id: int
    kind: str
    body: bytes
    error: str
    received_at: str
    replayed: bool


@dataclass(frozen=True, slots=True)
class Ingested:
    """What an ingestion added: new items (duplicates already stored are not counted)."""

    new: int
    duplicates: int
    optouts: list[str]


class QueryState(StrEnum):
    """Where one report or uplink query stands."""

    OPEN = "open"  # journaled and out: a crash from here on may lose the body the gateway handed out
    DONE = "done"  # its body was stored
    CLEAN = "clean"  # it failed before the gateway could hand anything out (unreachable, an error page)
    GAP = "gap"  # it ended in a way that may have lost a body (dropped, cut, timed out, unreadable, killed)


GAP_CAUSES = {  # why a query may have lost its body, by the key the journal keeps
    "crashed": "the program stopped while this query was out",
    "broken": "the connection broke before the whole body was in",
    "timeout": "no reply in time: the body may have been on its way",
    "http_error": "an HTTP error answered after the gateway may have handed the body out",
    "unreadable": "the body could not be read whole",
}


@dataclass(frozen=True, slots=True)
class Gap:
    """A report or uplink query whose body may have been lost: what was handed out then is unknown."""

    id: int
    kind: str
    task_id: str
    started_at: str
    ended_at: str
    items: int  # what could be salvaged of it
    cause: str  # why it may have lost its body: a key of GAP_CAUSES

    @property
    def reason(self) -> str:
        """Why it may have lost its body, in words."""
        return GAP_CAUSES.get(self.cause, self.cause)


PENDING = 0  # the status of a row for a number sent with no report yet (not a gateway status)


@dataclass(frozen=True, slots=True)
class SendSummary:
    """A send as the journal and the reports know it: who it went to and what became of them."""

    send_id: str
    created: str
    kind: str
    content: str
    recipients: int  # numbers in the journal
    accepted: int
    refused: int
    in_doubt: int  # numbers of requests whose outcome is unknown (or in flight)
    unsent: int  # numbers not sent yet (pending or never left)
    delivered: int
    failed: int
    state: str

    @property
    def pending(self) -> int:
        """Accepted numbers without a report yet."""
        return max(self.accepted - self.delivered - self.failed, 0)


@dataclass(frozen=True, slots=True)
class TaskSummary:
    """One task of the gateway (a chunk it accepted): its numbers and their reports."""

    task_id: str
    send_id: str
    created: str
    kind: str
    content: str
    recipients: int
    delivered: int
    failed: int

    @property
    def pending(self) -> int:
        """Numbers without a report yet."""
        return max(self.recipients - self.delivered - self.failed, 0)


@dataclass(frozen=True, slots=True)
class Figures:
    """One day's (or hour's) sending: sent, delivered, failed, no report yet."""

    period: str
    sent: int
    delivered: int
    failed: int

    @property
    def no_report(self) -> int:
        """Sent, with no report yet."""
        return max(self.sent - self.delivered - self.failed, 0)


@dataclass(frozen=True, slots=True)
class ThreadSummary:
    """The replies of one number: the last one, how many, how many unread, and whether it opted out."""

    mobile: str
    last_id: int
    count: int
    unread: int
    last_content: str
    last_time: str
    optout: bool


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One event of a number's history: a message sent to it, its report, or a reply from it."""

    at: str
    kind: str  # sent, report or reply
    task_id: str
    text: str  # the message sent, or the reply
    status: int  # reports: 10 delivered, 20 failed
    code: str
    extno: str
