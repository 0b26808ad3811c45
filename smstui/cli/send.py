"""`smstui send`, and what every kind of send shares: numbers and schedule options, the one plan → run flow."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

from .. import protocol as p
from ..words import held_text, invalid_text
from . import exits
from .output import Output, outcome_data, outcome_text
from .registry import Command
from .strings import Strings

if TYPE_CHECKING:
    from ..service import Job, SmsService


def schedule(text: str) -> datetime | None:
    """The --at option as a time; InvalidInput naming the option."""
    from ..service import InvalidInput

    try:
        return p.parse_send_time(text)
    except ValueError as exc:
        raise InvalidInput(f"--at: {exc}").words("bad_time", option="--at", text=text.strip()) from None


def recipients(text: str, t: Strings) -> tuple[str, ...]:
    """The --to option as numbers; InvalidInput naming every bad entry (in the words of `t` too)."""
    from ..service import InvalidInput

    parsed = p.parse_mobiles(text)
    if parsed.invalid:
        shown = parsed.invalid[:10]
        raise InvalidInput("invalid numbers: " + "; ".join(e.message for e in shown),
                           [e.message for e in parsed.invalid]).words(
            "invalid_numbers", entries=t("send.join").join(invalid_text(t, e) for e in shown))
    if not parsed.numbers:
        raise InvalidInput("--to: no mobile number given").words("no_numbers")
    return tuple(parsed.numbers)


async def send_and_report(service: SmsService, job: Job, args: argparse.Namespace, out: Output) -> int:
    """Preflight (with a fresh balance), plan, run, and report the outcome."""
    from ..service import StoreError

    t = out.t
    include_held = getattr(args, "include_held", False)
    preflight = await service.preflight(job, fresh=True)
    for held in preflight.held:
        if include_held and held.overridable:
            out.note(t("send.include", rule=t.get(f"send.rule.{held.rule}", held.rule), why=held_text(t, held)))
        else:
            out.note(t("send.held", why=held_text(t, held)))
    shortfall = preflight.shortfall(include_held)
    if shortfall:
        out.note(t("send.short", balance=preflight.balance.points if preflight.balance else "?",
                   short=f"{shortfall:,}", cost=f"{preflight.cost_of(include_held):,}"))
    handle = await service.plan(preflight, override_held=include_held)
    try:
        outcome = await service.run(handle)
    except StoreError as exc:  # the journal could not be written: say which send stopped and how to finish it
        raise StoreError(f"{exc.message}; send {handle.send_id} stopped there: `smstui resume {handle.send_id}` "
                         "finishes it once the database is free").words(
            "store_stopped", error=exc.message, send=handle.send_id) from None
    except asyncio.CancelledError:  # a second Ctrl-C: say what the journal knows, then stop
        outcome = await service.outcome(handle.send_id)
        outcome.cancelled = True
        out.result(outcome_data(outcome), outcome_text(t, outcome))
        raise
    out.result(outcome_data(outcome), outcome_text(t, outcome))
    return exits.outcome_status(outcome)


def schedule_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    """--at, --extno and --include-held: what every kind of send takes."""
    parser.add_argument("--at", default="", help=t("help.at"))
    parser.add_argument("--extno", default="", help=t("help.extno"))
    parser.add_argument("--include-held", action="store_true", help=t("help.include_held"))


def _send_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--to", required=True, help=t("help.to"))
    parser.add_argument("--content", required=True, help=t("help.content"))
    schedule_arguments(parser, t)
    parser.add_argument("--via", choices=p.TRANSPORTS, help=t("help.via"))


async def cmd_send(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui send`."""
    from ..service import SmsJob

    job = SmsJob(send_time=schedule(args.at), extno=args.extno, mobiles=recipients(args.to, out.t),
                 content=p.normalise_newlines(args.content), transport=args.via)
    return await send_and_report(service, job, args, out)


COMMANDS = [
    Command("send", _send_arguments, cmd_send, graceful=True),
]

__all__ = ["COMMANDS", "recipients", "schedule", "schedule_arguments", "send_and_report"]
