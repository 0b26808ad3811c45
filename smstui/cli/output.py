"""What the commands print: one JSON object per result (`--json`), or readable text; errors and warnings apart."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..service import SendOutcome


class Output:
    """Writes results as one JSON object per line (`--json`) or as readable text."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def result(self, data: dict[str, Any], human: str) -> None:
        """One result."""
        if self.as_json:
            print(json.dumps(data, ensure_ascii=False, default=str), flush=True)
        else:
            print(human, flush=True)

    def error(self, kind: str, message: str, **extra: Any) -> None:
        """A failure (to stdout as JSON with --json, else to stderr)."""
        if self.as_json:
            print(json.dumps({"ok": False, "error": kind, "message": message, **extra}, ensure_ascii=False), flush=True)
        else:
            print(f"smstui: {message}", file=sys.stderr, flush=True)

    def note(self, message: str) -> None:
        """A warning for people (always stderr, so JSON on stdout stays clean)."""
        print(f"smstui: warning: {message}", file=sys.stderr, flush=True)


def plural(count: int, one: str, many: str = "") -> str:
    """`1 number`, `2 numbers` (with thousands separators)."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def outcome_data(outcome: SendOutcome) -> dict[str, Any]:
    """A send's outcome as JSON."""
    first_refusal = outcome.refused[0] if outcome.refused else None
    return {
        "ok": outcome.whole,
        "send_id": outcome.send_id,
        "kind": outcome.kind,
        "task_ids": outcome.task_ids,
        "success_count": outcome.accepted,
        "recipients": outcome.recipients,
        "balance": outcome.balance,
        "segments": outcome.segments,
        "cost": outcome.cost,
        "scheduled": outcome.scheduled or None,
        "code": first_refusal.code if first_refusal else None,
        "message": outcome_message(outcome),
        "held": [dataclasses.asdict(h) for h in outcome.held],
        "not_accepted_recipients": outcome.not_accepted,
        "unknown_recipients": outcome.unknown_count,
        "unsent_recipients": outcome.unsent_count,
        "elsewhere_recipients": outcome.elsewhere_count,
        "curable_refused": outcome.curable,
        "cancelled": outcome.cancelled,
    }


def outcome_message(outcome: SendOutcome) -> str:
    """The one sentence that matters most about an outcome."""
    if outcome.refused:
        return outcome.refused[0].message
    if outcome.unknown:
        return "; ".join(c.message for c in outcome.unknown)
    if outcome.cancelled:
        return f"stopped; run `smstui resume {outcome.send_id}` to send the rest"
    if outcome.elsewhere:
        return f"another smstui process is sending {outcome.elsewhere_count:,} of these numbers right now"
    if outcome.unsent:
        return (
            f"{plural(outcome.unsent_count, 'number was', 'numbers were')} not sent (the gateway could not be "
            f"reached); `smstui resume {outcome.send_id}` sends them"
        )
    if outcome.not_accepted:
        return (
            f"the gateway did not accept {outcome.not_accepted:,} of {outcome.recipients:,} numbers; their delivery "
            "reports will say why (MALREG: 3 codes in 3 minutes, OVERLIMIT: 10 a day, BLACK: blacklisted)"
        )
    return "scheduled" if outcome.scheduled else "sent"


def _what(outcome: SendOutcome) -> str:
    """Segments, cost and balance, in the words that fit the kind of send."""
    if outcome.kind == "mms":
        parts = [f"cost {plural(outcome.cost, 'MMS point')}"]
    elif outcome.segments is not None:
        parts = [f"{plural(outcome.segments, 'segment')} each", f"cost {outcome.cost:,}"]
    else:
        parts = ["rows of different lengths", f"cost {outcome.cost:,}"]
    if outcome.balance is not None:
        parts.append(f"{'MMS ' if outcome.kind == 'mms' else ''}balance {outcome.balance:,}")
    return ", ".join(parts)


def outcome_text(outcome: SendOutcome) -> str:
    """A send's outcome for people."""
    head = f"send {outcome.send_id}: {outcome.accepted:,} of {outcome.recipients:,} accepted, {_what(outcome)}"
    if outcome.scheduled:
        head += f"; scheduled for {outcome.scheduled} (Beijing time)"
    lines = [head]
    lines += [f"  task {t}" for t in outcome.task_ids]
    lines += [f"  refused ({plural(r.count, 'number')}): {r.message}" for r in outcome.refusals()]
    if outcome.curable:
        lines.append(
            f"  {plural(len(outcome.curable), 'number')} refused for a reason a later send can cure: "
            f"`smstui resume {outcome.send_id} --refused` sends them once it is fixed"
        )
    lines += [
        f"  UNKNOWN ({plural(c.count, 'number')}, not re-sent; run `smstui reconcile {outcome.send_id}`): {c.message}"
        for c in outcome.unknown
    ]
    lines += [
        f"  not sent ({plural(c.count, 'number')}; run `smstui resume {outcome.send_id}`): {c.message or 'stopped'}"
        for c in outcome.unsent
    ]
    lines += [f"  being sent by another smstui process ({plural(c.count, 'number')})" for c in outcome.elsewhere]
    if outcome.not_accepted:
        lines.append(
            f"  not accepted by the gateway: {plural(outcome.not_accepted, 'number')} (their reports will say why)"
        )
    return "\n".join(lines)
