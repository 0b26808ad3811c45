"""`smstui resume` and `smstui reconcile`: finish what a stopped send left, decide what an unknown outcome reached."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from . import exits
from .output import Output, outcome_data, outcome_text
from .registry import Command

if TYPE_CHECKING:
    from ..service import SmsService


def _resume_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("send_id", nargs="?", help="the send to finish (default: every send with unsent requests)")
    parser.add_argument("--refused", action="store_true",
                        help="send again the numbers SEND_ID had refused for a reason a later send can cure "
                             "(balance, the administrator's settings); the confirmation of the opt-out list and the "
                             "rules still applies")


async def cmd_resume(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui resume [SEND_ID] [--refused]`."""
    if args.refused:
        from ..service import InvalidInput
        from .send import send_and_report

        if not args.send_id:
            raise InvalidInput("--refused needs the send id: smstui resume SEND_ID --refused")
        job = await service.refused_job(args.send_id)
        if job is None:
            out.result({"ok": True, "resent": 0, "send_id": args.send_id},
                       f"send {args.send_id}: no number was refused for a reason a later send can cure")
            return exits.OK
        return await send_and_report(service, job, args, out)
    outcomes = await service.resume(args.send_id)
    status = exits.OK
    for outcome in outcomes:
        out.result(outcome_data(outcome), outcome_text(outcome))
        status = exits.worst(status, exits.outcome_status(outcome))
    if not outcomes:
        out.result({"ok": True, "resumed": 0}, "nothing to resume")
    return status


def _reconcile_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("send_id", help="the send whose outcome is unknown")
    parser.add_argument("--resend", action="store_true", help="re-send the numbers no report confirmed")


async def cmd_reconcile(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui reconcile SEND_ID [--resend]`."""
    results = await service.reconcile(args.send_id)
    confirmed = sum(len(r.confirmed) for r in results)
    unconfirmed = [m for r in results for m in r.unconfirmed]
    ambiguous = [m for r in results for m in r.ambiguous]
    data: dict[str, Any] = {"ok": not unconfirmed and not ambiguous, "send_id": args.send_id, "confirmed": confirmed,
                            "unconfirmed": unconfirmed, "ambiguous": ambiguous,
                            "task_ids": sorted({t for r in results for t in r.task_ids})}
    human = f"send {args.send_id}: {confirmed} confirmed by reports, {len(unconfirmed)} not confirmed"
    if ambiguous:
        human += (f"\n  {len(ambiguous)} got a report that another request still in doubt may have caused; smstui "
                  f"never re-sends those — check them by hand: {', '.join(ambiguous[:10])}"
                  + (" …" if len(ambiguous) > 10 else ""))
    if unconfirmed and not args.resend:
        human += (f"\n  reports can take a while; once you are sure, `smstui reconcile {args.send_id} --resend` "
                  "sends the unconfirmed numbers again")
        out.result(data, human)
        return exits.UNKNOWN
    status = exits.OK if not ambiguous else exits.UNKNOWN
    if unconfirmed:
        outcome = await service.resend_unconfirmed(args.send_id)
        if outcome is None:
            human += "\n  nothing re-sent: another smstui process re-sent these numbers first"
        else:
            data["resent"] = outcome_data(outcome)
            data["ok"] = data["resent"]["ok"] and not ambiguous
            for held in outcome.held:
                out.note(f"not re-sent: {held.reason}")
            if outcome.send_id:
                human += "\n  re-sent: " + outcome_text(outcome)
                if not data["resent"]["ok"]:
                    status = exits.outcome_status(outcome)
            else:
                human += "\n  nothing re-sent: every unconfirmed number is held back (see above)"
    out.result(data, human)
    return status


COMMANDS = [
    Command("resume", "finish sends a stopped run left unsent", _resume_arguments, cmd_resume, graceful=True),
    Command("reconcile", "decide from reports what a send with an unknown outcome reached", _reconcile_arguments,
            cmd_reconcile, graceful=True),
]
