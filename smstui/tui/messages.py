"""Messages the workers post back to the screens (results of service calls); only handlers touch widgets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class ServiceReady(Message):
    """A service is open (at start, or after switching profile)."""


@dataclass
class BalanceUpdated(Message):
    """A fresh balance and connection state."""

    balance: Any
    state: str
    error: Any = None


@dataclass
class PreflightDone(Message):
    """Who the rules and the opt-out list would hold back for the current draft (and whether to confirm now)."""

    preflight: Any
    for_send: bool = False


@dataclass
class SendProgressed(Message):
    """A running send moved on (coalesced: only the latest matters)."""

    progress: Any

    def can_replace(self, message: Message) -> bool:
        """A newer progress replaces an older one still in the queue."""
        return isinstance(message, SendProgressed)


@dataclass
class SendFinished(Message):
    """A send ended (its outcome may hold refusals or unknown parts)."""

    outcome: Any


@dataclass
class SendFailed(Message):
    """A send could not start or ended in a failure the user can act on."""

    error: Any


@dataclass
class ServiceFailed(Message):
    """A service call failed in a way the user can act on (handled where it happened: it does not bubble)."""

    bubble = False

    error: Any
    context: str = ""


@dataclass
class TemplatesLoaded(Message):
    """The account's templates, for the live match."""

    templates: list


@dataclass
class AccountLoaded(Message):
    """SMS and MMS balances of the account."""

    sms: Any
    mms: Any


@dataclass
class PasswordChanged(Message):
    """The gateway accepted the new password."""


@dataclass
class PasswordFailed(Message):
    """The gateway (or the connection) refused the password change."""

    error: Any


@dataclass
class ConnectionChecked(Message):
    """The answer of the connection check."""

    check: Any


@dataclass
class RowsLoaded(Message):
    """A page of stored rows for a list screen, and whether more exist."""

    rows: list
    more: bool


@dataclass
class ServiceEvent(Message):
    """A service event forwarded to the screens (reports arrived, replies arrived, …)."""

    bubble = False
    event: Any
