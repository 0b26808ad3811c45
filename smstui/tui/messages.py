"""Messages every part of the app may hear (screens keep their own messages as nested classes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ..service import ServiceError
    from ..service.smsservice import ConnectionCheck


@dataclass
class ServiceReady(Message):
    """A service is open (at start, or after switching profile)."""


@dataclass
class ConnectionChecked(Message):
    """The answer of a connection check: state, balance, what failed."""

    check: ConnectionCheck


@dataclass
class ServiceFailed(Message):
    """A service call failed in a way the user can act on; the app tells it once (it does not bubble)."""

    bubble = False

    error: ServiceError
    context: str = ""


@dataclass
class DataChanged(Message):
    """New rows reached the store (reports, replies, sends), here or in another process: lists reload once."""

    bubble = False

    kinds: frozenset[str]

    def can_replace(self, message: Message) -> bool:
        """A burst of arrivals is one reload: a newer message replaces an older one of the same kinds."""
        return isinstance(message, DataChanged) and message.kinds <= self.kinds
