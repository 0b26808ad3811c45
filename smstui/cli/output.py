"""What the commands print: one JSON object per result (`--json`, English), or readable text in the user's language;
errors and warnings apart."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import TYPE_CHECKING, Any

from ..words import error_text, refusal_text
from .strings import Strings

if TYPE_CHECKING:
    from ..service import SendOutcome


class Output:
    """Writes results as one JSON object per line (`--json`) or as readable text in the language of `t`."""

    def __init__(self, as_json: bool, t: Strings | None = None) -> None:
        self.as_json = as_json
        self.t = t or Strings()

    def result(self, data: dict[str, Any], human: str) -> None:
        """One result."""
        if self.as_json:
            print(json.dumps(data, ensure_ascii=False, default=str), flush=True)
        else:
            print(human, flush=True)

    def error(self, kind: str, message: str, human: str = "", **extra: Any) -> None:
        """A failure (to stdout as JSON with --json, its English message; else `human`, or the message, to stderr)."""
        if self.as_json:
            print(json.dumps({"ok": False, "error": kind, "message": message, **extra}, ensure_ascii=False), flush=True)
        else:
            print(f"smstui: {human or message}", file=sys.stderr, flush=True)

    def failure(self, exc: Exception, **extra: Any) -> None:
        """A failure of the service, told by its kind in the user's language (JSON: its type and English message)."""
        self.error(type(exc).__name__, getattr(exc, "message", str(exc)), failure_text(self.t, exc), **extra)

    def note(self, message: str) -> None:
        """A warning for people (always stderr, so JSON on stdout stays clean)."""
        print(f"smstui: {self.t('cli.warning', message=message)}", file=sys.stderr, flush=True)


def failure_text(t: Strings, exc: Exception) -> str:
    """A failure for people: the service's own words in English, its kind's in Chinese (as the TUI tells it)."""
    message = getattr(exc, "message", str(exc))
    return message if t.language != "zh" else error_text(t, exc)


def plural(count: int, one: str, many: str = "") -> str:
    """`1 number`, `2 numbers` (with thousands separators), for the English words of JSON output."""
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
    """The one sentence that matters most about an outcome (in JSON, so in English)."""
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


def _what(t: Strings, outcome: SendOutcome) -> str:
    """Segments, cost and balance, in the words that fit the kind of send."""
    if outcome.kind == "mms":
        parts = [t.count("send.cost.mms", outcome.cost)]
    elif outcome.segments is not None:
        parts = [t.count("send.segments", outcome.segments), t("send.cost", cost=f"{outcome.cost:,}")]
    else:
        parts = [t("send.mixed"), t("send.cost", cost=f"{outcome.cost:,}")]
    if outcome.balance is not None:
        parts.append(t("send.balance.mms" if outcome.kind == "mms" else "send.balance", balance=f"{outcome.balance:,}"))
    return t("send.join").join(parts)


def outcome_text(t: Strings, outcome: SendOutcome) -> str:
    """A send's outcome for people."""
    send = outcome.send_id
    head = t("send.head", send=send, accepted=f"{outcome.accepted:,}", total=f"{outcome.recipients:,}",
             what=_what(t, outcome))
    if outcome.scheduled:
        head += t("send.scheduled", when=outcome.scheduled)
    lines = [head]
    lines += [t("send.task", task=task) for task in outcome.task_ids]
    lines += [t.count("send.refused", r.count, why=refusal_text(t, r.code, r.message)) for r in outcome.refusals()]
    if outcome.curable:
        lines.append(t.count("send.curable", len(outcome.curable), send=send))
    lines += [t.count("send.unknown", c.count, send=send, why=c.message) for c in outcome.unknown]
    lines += [t.count("send.unsent", c.count, send=send, why=c.message or t("send.stopped")) for c in outcome.unsent]
    lines += [t.count("send.elsewhere", c.count) for c in outcome.elsewhere]
    if outcome.not_accepted:
        lines.append(t.count("send.not_accepted", outcome.not_accepted))
    return "\n".join(lines)
