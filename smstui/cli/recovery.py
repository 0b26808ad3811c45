"""`smstui resume`, `smstui reconcile` and `smstui doctor`: finish what a stopped send left, decide what an unknown
outcome reached, and see everything that needs the user (sends in doubt, gaps, kept bodies)."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import TYPE_CHECKING, Any

from ..words import held_text
from . import exits
from .output import Output, outcome_data, outcome_text
from .registry import Command
from .strings import Strings

if TYPE_CHECKING:
    from ..service import SmsService
    from ..service.sending import ReconcileResult


def _resume_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("send_id", nargs="?", help=t("help.resume_send"))
    parser.add_argument("--refused", action="store_true", help=t("help.refused"))


async def cmd_resume(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui resume [SEND_ID] [--refused]`."""
    if args.refused:
        return await _resend_refused(service, args, out)
    t = out.t
    outcomes = await service.resume(args.send_id)
    status = exits.OK
    for outcome in outcomes:
        out.result(outcome_data(outcome), outcome_text(t, outcome))
        status = exits.worst(status, exits.outcome_status(outcome))
    if args.send_id:
        return status
    told = {outcome.send_id for outcome in outcomes}
    in_doubt = [s for s in await service.unfinished()
                if (s.unknown or s.inflight) and not s.waiting and s.id not in told]
    for send in in_doubt:  # nothing to send, but not done either: say so, and what to run
        out.result({"ok": False, "send_id": send.id, "in_doubt": send.unknown + send.inflight},
                   t.count("resume.doubt", send.unknown + send.inflight, send=send.id))
        status = exits.worst(status, exits.UNKNOWN)
    if not outcomes and not in_doubt:
        out.result({"ok": True, "resumed": 0}, t("resume.nothing"))
    return status


async def _resend_refused(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    from ..service import InvalidInput
    from .send import send_and_report

    if not args.send_id:
        raise InvalidInput("--refused needs the send id: smstui resume SEND_ID --refused").words("refused_needs_id")
    job = await service.refused_job(args.send_id)
    if job is None:
        out.result({"ok": True, "resent": 0, "send_id": args.send_id}, out.t("resume.no_curable", send=args.send_id))
        return exits.OK
    return await send_and_report(service, job, args, out)


def _reconcile_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("send_id", help=t("help.reconcile_send"))
    parser.add_argument("--resend", action="store_true", help=t("help.resend"))
    parser.add_argument("--accept-gaps", action="store_true", help=t("help.accept_gaps"))
    parser.add_argument("--close", action="store_true", help=t("help.close"))


def _ambiguous_text(t: Strings, results: list[ReconcileResult]) -> list[str]:
    why = Counter(cause for r in results for cause in r.why.values())
    numbers = [m for r in results for m in r.ambiguous]
    lines = [t.count("reconcile.ambiguous", count, why=t.get(f"reconcile.why.{cause}", cause))
             for cause, count in why.items()]
    if numbers:
        shown = ", ".join(numbers[:10]) + (" …" if len(numbers) > 10 else "")
        lines.append(t("reconcile.by_hand", numbers=shown))
    return lines


async def cmd_reconcile(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui reconcile SEND_ID [--resend] [--accept-gaps] [--close]`."""
    t = out.t
    send_id = args.send_id
    if args.close:
        closed = await service.close_in_doubt(send_id)
        out.result({"ok": True, "send_id": send_id, "closed": closed},
                   t.count("reconcile.closed", closed, send=send_id))
        return exits.OK
    results = await service.reconcile(send_id, accept_gaps=args.accept_gaps)
    if not results:
        outcome = await service.outcome(send_id)
        out.result({"ok": True, "send_id": send_id, "settled": True, "success_count": outcome.accepted},
                   t("reconcile.settled", send=send_id, accepted=f"{outcome.accepted:,}",
                     total=f"{outcome.recipients:,}"))
        return exits.OK
    confirmed = sum(len(r.confirmed) for r in results)
    unconfirmed = [m for r in results for m in r.unconfirmed]
    ambiguous = [m for r in results for m in r.ambiguous]
    data: dict[str, Any] = {"ok": not unconfirmed and not ambiguous, "send_id": send_id, "confirmed": confirmed,
                            "unconfirmed": unconfirmed, "ambiguous": ambiguous,
                            "why": {m: cause for r in results for m, cause in r.why.items()},
                            "gaps": sorted({g.id for r in results for g in r.gaps}),
                            "task_ids": sorted({t for r in results for t in r.task_ids})}
    counts = [t("reconcile.confirmed", count=f"{confirmed:,}"),
              t("reconcile.unconfirmed", count=f"{len(unconfirmed):,}") if unconfirmed else "",
              t("reconcile.ambiguous_count", count=f"{len(ambiguous):,}") if ambiguous else ""]
    head = t("reconcile.head", send=send_id, counts=t("reconcile.join").join(c for c in counts if c))
    human = "\n".join([head, *_ambiguous_text(t, results)])
    if unconfirmed and not args.resend:
        human += "\n" + t("reconcile.wait", send=send_id)
        out.result(data, human)
        return exits.UNKNOWN
    status = exits.OK if not ambiguous else exits.UNKNOWN
    if unconfirmed:
        resent_outcome = await service.resend_unconfirmed(send_id, accept_gaps=args.accept_gaps)
        if resent_outcome is None:
            human += "\n" + t("reconcile.taken")
        else:
            data["resent"] = outcome_data(resent_outcome)
            data["ok"] = data["resent"]["ok"] and not ambiguous
            for held in resent_outcome.held:
                out.note(t("reconcile.not_resent", why=held_text(t, held)))
            if resent_outcome.send_id:
                human += "\n" + t("reconcile.resent", outcome=outcome_text(t, resent_outcome))
                if not data["resent"]["ok"]:
                    status = exits.outcome_status(resent_outcome)
            else:
                human += "\n" + t("reconcile.all_held")
    out.result(data, human)
    return status


def _doctor_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--forget-gaps", action="store_true", help=t("help.forget_gaps"))


async def cmd_doctor(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui doctor`: sends in doubt, gaps, kept and waiting bodies (what can be replayed was, on opening)."""
    t = out.t
    found = await service.recovery()
    lines = [t("doctor.profile", name=service.name)]
    done = service.recovered
    if done.replayed:
        lines.append(t.count("doctor.replayed", done.replayed, new=t.count("doctor.new", done.new)))
    for send in found.in_doubt:
        lines.append(t.count("doctor.send", send.unknown + send.inflight, send=send.id, created=send.created))
    for gap in found.gaps:
        lines.append(t("doctor.gap", id=gap.id, kind=t.get(f"doctor.kind.{gap.kind}", gap.kind), at=gap.started_at,
                       saved=t("doctor.saved", items=gap.items) if gap.items else "",
                       why=t.get(f"doctor.cause.{gap.cause}", gap.reason)))
    if found.kept:
        lines.append(t.count("doctor.kept", found.kept))
    if found.waiting:
        lines.append(t.count("doctor.waiting", found.waiting))
    forgotten = 0
    if args.forget_gaps and found.gaps:
        forgotten = await service.forget_gaps([gap.id for gap in found.gaps])
        lines.append(t.count("doctor.forgotten", forgotten))
    clear = not (found.in_doubt or found.kept or found.waiting or (found.gaps and not forgotten))
    if found.clear:
        lines.append(t("doctor.clear"))
    data = {"ok": clear, "replayed": done.replayed, "in_doubt": [s.id for s in found.in_doubt],
            "gaps": [{"id": g.id, "kind": g.kind, "at": g.started_at, "items": g.items, "cause": g.cause,
                      "why": g.reason}
                     for g in found.gaps], "kept": found.kept, "waiting": found.waiting, "forgotten": forgotten}
    out.result(data, "\n".join(lines))
    return exits.OK if clear else exits.UNKNOWN


COMMANDS = [
    Command("resume", _resume_arguments, cmd_resume, graceful=True),
    Command("reconcile", _reconcile_arguments, cmd_reconcile, graceful=True),
    Command("doctor", _doctor_arguments, cmd_doctor),
]
