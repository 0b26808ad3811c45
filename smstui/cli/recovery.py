"""`smstui resume`, `smstui reconcile` and `smstui doctor`: finish what a stopped send left, decide what an unknown
outcome reached, and see everything that needs the user (sends in doubt, gaps, kept bodies)."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import TYPE_CHECKING, Any

from . import exits
from .output import Output, outcome_data, outcome_text, plural
from .registry import Command

if TYPE_CHECKING:
    from ..service import SmsService
    from ..service.sending import ReconcileResult

WHY = {"rival": "another request still in doubt (to the same numbers) may have caused their report",
       "foreign": "their report came from a task this store never sent (the account may be shared: someone else's "
                  "send to the same numbers?) — if only this store sends on it, set shared_account = false",
       "gap": "a report query lost its body after they went out: their reports may have been in it "
              "(`smstui doctor` lists the gaps; --accept-gaps decides without them)"}


def _resume_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("send_id", nargs="?", help="the send to finish (default: every send with unsent requests)")
    parser.add_argument("--refused", action="store_true",
                        help="send again the numbers SEND_ID had refused for a reason a later send can cure "
                             "(balance, the administrator's settings); the opt-out list and the rules still apply")


async def cmd_resume(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui resume [SEND_ID] [--refused]`."""
    if args.refused:
        return await _resend_refused(service, args, out)
    outcomes = await service.resume(args.send_id)
    status = exits.OK
    for outcome in outcomes:
        out.result(outcome_data(outcome), outcome_text(outcome))
        status = exits.worst(status, exits.outcome_status(outcome))
    if args.send_id:
        return status
    told = {outcome.send_id for outcome in outcomes}
    in_doubt = [s for s in await service.unfinished()
                if (s.unknown or s.inflight) and not s.waiting and s.id not in told]
    for send in in_doubt:  # nothing to send, but not done either: say so, and what to run
        out.result({"ok": False, "send_id": send.id, "in_doubt": send.unknown + send.inflight},
                   f"send {send.id}: {plural(send.unknown + send.inflight, 'request')} in doubt (the gateway may have "
                   f"processed them): run `smstui reconcile {send.id}`")
        status = exits.worst(status, exits.UNKNOWN)
    if not outcomes and not in_doubt:
        out.result({"ok": True, "resumed": 0}, "nothing to resume")
    return status


async def _resend_refused(service: SmsService, args: argparse.Namespace, out: Output) -> int:
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


def _reconcile_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("send_id", help="the send whose outcome is unknown")
    parser.add_argument("--resend", action="store_true", help="re-send the numbers no report confirmed")
    parser.add_argument("--accept-gaps", action="store_true",
                        help="decide as if no report query had lost its body (your word that none of this send's "
                             "reports were in one)")
    parser.add_argument("--close", action="store_true",
                        help="you have checked the numbers still in doubt by hand: close the send, re-send nothing")


def _ambiguous_text(results: list[ReconcileResult]) -> list[str]:
    why = Counter(cause for r in results for cause in r.why.values())
    numbers = [m for r in results for m in r.ambiguous]
    lines = [f"  {plural(count, 'number')} ambiguous: {WHY[cause]}" for cause, count in why.items()]
    if numbers:
        lines.append(f"  smstui never re-sends those: check them by hand ({', '.join(numbers[:10])}"
                     + (" …)" if len(numbers) > 10 else ")") + ", then `--close`")
    return lines


async def cmd_reconcile(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui reconcile SEND_ID [--resend] [--accept-gaps] [--close]`."""
    send_id = args.send_id
    if args.close:
        closed = await service.close_in_doubt(send_id)
        out.result({"ok": True, "send_id": send_id, "closed": closed},
                   f"send {send_id}: {plural(closed, 'number')} in doubt closed by you; nothing was re-sent")
        return exits.OK
    results = await service.reconcile(send_id, accept_gaps=args.accept_gaps)
    if not results:
        outcome = await service.outcome(send_id)
        out.result({"ok": True, "send_id": send_id, "settled": True, "success_count": outcome.accepted},
                   f"send {send_id}: settled, nothing in doubt ({outcome.accepted:,} of {outcome.recipients:,} "
                   "accepted)")
        return exits.OK
    confirmed = sum(len(r.confirmed) for r in results)
    unconfirmed = [m for r in results for m in r.unconfirmed]
    ambiguous = [m for r in results for m in r.ambiguous]
    data: dict[str, Any] = {"ok": not unconfirmed and not ambiguous, "send_id": send_id, "confirmed": confirmed,
                            "unconfirmed": unconfirmed, "ambiguous": ambiguous,
                            "why": {m: cause for r in results for m, cause in r.why.items()},
                            "gaps": sorted({g.id for r in results for g in r.gaps}),
                            "task_ids": sorted({t for r in results for t in r.task_ids})}
    counts = [f"{confirmed:,} confirmed by reports", f"{len(unconfirmed):,} not confirmed" if unconfirmed else "",
              f"{len(ambiguous):,} ambiguous" if ambiguous else ""]
    human = "\n".join([f"send {send_id}: " + ", ".join(c for c in counts if c), *_ambiguous_text(results)])
    if unconfirmed and not args.resend:
        human += (f"\n  reports can take a while; once you are sure, `smstui reconcile {send_id} --resend` "
                  "sends the unconfirmed numbers again")
        out.result(data, human)
        return exits.UNKNOWN
    status = exits.OK if not ambiguous else exits.UNKNOWN
    if unconfirmed:
        resent_outcome = await service.resend_unconfirmed(send_id, accept_gaps=args.accept_gaps)
        if resent_outcome is None:
            human += "\n  nothing re-sent: another smstui process re-sent these numbers first"
        else:
            data["resent"] = outcome_data(resent_outcome)
            data["ok"] = data["resent"]["ok"] and not ambiguous
            for held in resent_outcome.held:
                out.note(f"not re-sent: {held.reason}")
            if resent_outcome.send_id:
                human += "\n  re-sent: " + outcome_text(resent_outcome)
                if not data["resent"]["ok"]:
                    status = exits.outcome_status(resent_outcome)
            else:
                human += "\n  nothing re-sent: every unconfirmed number is held back (see above)"
    out.result(data, human)
    return status


def _doctor_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--forget-gaps", action="store_true",
                        help="accept that what the listed gaps lost is lost (reconciliation then decides without "
                             "them)")


async def cmd_doctor(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui doctor`: sends in doubt, gaps, kept and waiting bodies (what can be replayed was, on opening)."""
    found = await service.recovery()
    lines = [f"profile {service.name}:"]
    done = service.recovered
    if done.replayed:
        lines.append(f"  {plural(done.replayed, 'body', 'bodies')} a stopped run left were stored now "
                     f"({plural(done.new, 'new item')})")
    for send in found.in_doubt:
        lines.append(f"  send {send.id} ({send.created}): {plural(send.unknown + send.inflight, 'request')} in doubt "
                     f"— `smstui reconcile {send.id}`")
    for gap in found.gaps:
        lines.append(f"  gap {gap.id}: a {gap.kind} query at {gap.started_at} may have lost its body"
                     + (f" ({gap.items} items saved)" if gap.items else "") + f": {gap.reason}")
    if found.kept:
        lines.append(f"  {plural(found.kept, 'body', 'bodies')} kept that could not be read (they stay in the store)")
    if found.waiting:
        lines.append(f"  {plural(found.waiting, 'body', 'bodies')} waiting on disk could not be stored yet")
    forgotten = 0
    if args.forget_gaps and found.gaps:
        forgotten = await service.forget_gaps([gap.id for gap in found.gaps])
        lines.append(f"  {plural(forgotten, 'gap')} forgotten: reconciliation decides without them now")
    clear = not (found.in_doubt or found.kept or found.waiting or (found.gaps and not forgotten))
    if found.clear:
        lines.append("  nothing needs you: no send in doubt, no gap, no kept body")
    data = {"ok": clear, "replayed": done.replayed, "in_doubt": [s.id for s in found.in_doubt],
            "gaps": [{"id": g.id, "kind": g.kind, "at": g.started_at, "items": g.items, "cause": g.cause,
                      "why": g.reason}
                     for g in found.gaps], "kept": found.kept, "waiting": found.waiting, "forgotten": forgotten}
    out.result(data, "\n".join(lines))
    return exits.OK if clear else exits.UNKNOWN


COMMANDS = [
    Command("resume", "finish sends a stopped run left unsent", _resume_arguments, cmd_resume, graceful=True),
    Command("reconcile", "decide from reports what a send with an unknown outcome reached", _reconcile_arguments,
            cmd_reconcile, graceful=True),
    Command("doctor", "show sends in doubt, report gaps and kept bodies (and store what a crash left)",
            _doctor_arguments, cmd_doctor),
]
