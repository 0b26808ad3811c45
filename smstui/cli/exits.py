"""The exit statuses of the `smstui` command, and the one rule that picks them (documented in the README)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..service import SendOutcome

OK = 0  # done
REFUSED = 1  # the gateway refused (some of) it
INVALID = 2  # invalid input or configuration: nothing was sent
UNKNOWN = 3  # the outcome is unknown, or the gateway could not be reached
STORE = 4  # the local database is corrupt, read-only or locked
INTERRUPTED = 130  # Ctrl-C


def outcome_status(outcome: SendOutcome) -> int:
    """The exit status a send's outcome calls for: stopped, in doubt or unsent, refused in part, or done."""
    if outcome.cancelled:
        return INTERRUPTED
    if outcome.unknown or outcome.unsent or outcome.elsewhere:
        return UNKNOWN
    if outcome.refused or outcome.accepted < outcome.recipients:
        return REFUSED
    return OK


def worst(*statuses: int) -> int:
    """The status of several results: an interruption first, then the highest."""
    return INTERRUPTED if INTERRUPTED in statuses else max(statuses, default=OK)
