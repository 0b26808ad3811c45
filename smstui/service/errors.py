"""The outcomes a caller can get besides success: one type per kind of failure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from ..protocol import RESULT_CODES, Problem, describe
from ..protocol.codes import remedy


class ServiceError(Exception):
    """Base of every failure the service reports; `title` and `message` are for people."""

    title = "Error"
    exit_status = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.kind = ""  # what the message says, as a key of the TUI's strings (with `params`), for translations
        self.params: dict[str, object] = {}

    def words(self, kind: str, **params: object) -> Self:
        """The same failure, told by kind and values too (so it can be said in another language)."""
        self.kind, self.params = kind, params
        return self


class GatewayRefused(ServiceError):
    """The gateway answered and refused: its code (when known), what it means, what to do, its own words."""

    title = "Refused by the gateway"
    exit_status = 1

    def __init__(self, code: int | None, gateway_message: str = "", *, name: str = "") -> None:
        info = RESULT_CODES.get(code) if code is not None else None
        self.code = code
        self.name = name or (info.name if info else "")
        self.meaning = info.meaning_en if info else ""
        self.remedy = remedy(code, gateway_message)
        self.gateway_message = gateway_message
        super().__init__(describe(code if info else None, gateway_message or self.name))


class InvalidInput(ServiceError):
    """The input cannot be sent as it is; nothing was sent. `findings` say what is wrong by kind (for translations)."""

    title = "Invalid input"
    exit_status = 2

    def __init__(self, message: str, problems: list[str] | None = None, findings: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = problems or [message]
        self.findings = list(findings)

    @classmethod
    def of(cls, findings: Sequence[Problem]) -> InvalidInput:
        """The failure that lists every finding."""
        messages = [finding.message for finding in findings]
        return cls("; ".join(messages), messages, findings)


class TakenOver(ServiceError):
    """Another smstui process took over these requests first (and re-sent what it had to); nothing was done here."""

    title = "Already taken over"
    exit_status = 0


class UnknownOutcome(ServiceError):
    """The request may have been processed (read timeout, dropped connection, unreadable reply)."""

    title = "Outcome unknown"
    exit_status = 3

    def __init__(self, message: str, raw: bytes = b"") -> None:
        super().__init__(message)
        self.raw = raw


class BodyLost(UnknownOutcome):
    """A report or reply query's body was lost or cut on the way: what it carried may be gone (a gap is recorded)."""

    title = "Reply lost: a gap"

    @classmethod
    def of(cls, kind: str, reason: str, raw: bytes = b"", saved: int = 0) -> BodyLost:
        """The loss of one query's body, told by what it held (`reports`, `uplinks`) and why."""
        what = "report" if kind == "reports" else "reply"
        message = (f"a {what} query's body was lost on the way ({reason}); "
                   + (f"{saved:,} whole items in it were stored; " if saved else "")
                   + "what else it held may be gone: recorded as a gap (`smstui doctor`)")
        return cls(message, raw).words(f"{kind}_lost", reason=reason, saved=saved)


class Unreachable(ServiceError):
    """The request never reached the gateway (refused connection, DNS failure): safe to retry."""

    title = "Gateway unreachable"
    exit_status = 3


class ConfigError(ServiceError):
    """A configuration that cannot be used; names the file and the key."""

    title = "Configuration error"
    exit_status = 2


class StoreError(ServiceError):
    """The local database cannot be opened or written (corrupt, read-only, locked): its own exit status, 4."""

    title = "Local database error"
    exit_status = 4
