"""What the service tells its listeners (the TUI, the CLI): progress, arrivals, kept bodies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SendProgress:
    """How far a send has got: chunks and recipients done, rate, time left."""

    send_id: str
    chunks_done: int
    chunks_total: int
    recipients_done: int
    recipients_total: int
    accepted: int
    rate: float
    eta_seconds: float | None


@dataclass(frozen=True, slots=True)
class BalanceChanged:
    """The gateway told a new balance (a balance query, or a send's reply)."""

    profile: str
    points: int | float | None
    pay_type: str
    mms: bool = False


@dataclass(frozen=True, slots=True)
class ReportsArrived:
    """New delivery reports were stored."""

    profile: str
    count: int
    delivered: int
    source: str = "poll"


@dataclass(frozen=True, slots=True)
class UplinksArrived:
    """New replies were stored (and some numbers opted out)."""

    profile: str
    count: int
    optouts: list[str] = field(default_factory=list)
    source: str = "poll"


@dataclass(frozen=True, slots=True)
class RawReplyKept:
    """A reply body could not be parsed or stored; it was kept for replay."""

    profile: str
    kind: str
    error: str


@dataclass(frozen=True, slots=True)
class GapsFound:
    """Queries a dead process left open were recorded as gaps (their bodies may be lost)."""

    profile: str
    count: int


class EventBus:
    """Synchronous publish/subscribe: listeners must be quick (post a message, set a flag)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[Any], None]] = []

    def subscribe(self, listener: Callable[[Any], None]) -> Callable[[], None]:
        """Listen to every event; returns a function that stops listening."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def publish(self, event: Any) -> None:
        """Tell every listener."""
        for listener in list(self._listeners):
            listener(event)
