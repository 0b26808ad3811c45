"""`smstui send`, `smstui batch`, `smstui mms`: every kind of send through the one plan → run flow of the service."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .. import protocol as p
from . import exits
from .output import Output, outcome_data, outcome_text, plural
from .registry import Command

if TYPE_CHECKING:
    from ..service import Job, SmsService

AT_HELP = 'schedule, Beijing time: "YYYY-MM-DD HH:MM:SS" (default: now)'
EXTNO_HELP = "extension number, at most 5 digits (default: none)"
HELD_HELP = ("also send to numbers on the opt-out list or in a send whose outcome is unknown (never to numbers the "
             "gateway's own rules refuse)")


def schedule(text: str) -> datetime | None:
    """The --at option as a time; InvalidInput naming the option."""
    from ..service import InvalidInput

    try:
        return p.parse_send_time(text)
    except ValueError as exc:
        raise InvalidInput(f"--at: {exc}") from None


def recipients(text: str) -> tuple[str, ...]:
    """The --to option as numbers; InvalidInput naming every bad entry."""
    from ..service import InvalidInput

    parsed = p.parse_mobiles(text)
    if parsed.invalid:
        raise InvalidInput("invalid numbers: " + "; ".join(e.message for e in parsed.invalid[:10]),
                           [e.message for e in parsed.invalid])
    if not parsed.numbers:
        raise InvalidInput("--to: no mobile number given")
    return tuple(parsed.numbers)


async def send_and_report(service: SmsService, job: Job, args: argparse.Namespace, out: Output) -> int:
    """Preflight (with a fresh balance), plan, run, and report the outcome."""
    from ..service import StoreError

    include_held = getattr(args, "include_held", False)
    preflight = await service.preflight(job, fresh=True)
    for held in preflight.held:
        if include_held and held.overridable:
            out.note(f"sending anyway (--include-held overrides the {_rule(held.rule)}): {held.reason}")
        else:
            out.note(f"held back: {held.reason}")
    shortfall = preflight.shortfall(include_held)
    if shortfall:
        out.note(f"the balance ({preflight.balance.points if preflight.balance else '?'}) is {shortfall:,} short of "
                 f"the cost ({preflight.cost_of(include_held):,}): the gateway refuses what it cannot pay (1111)")
    handle = await service.plan(preflight, override_held=include_held)
    try:
        outcome = await service.run(handle)
    except StoreError as exc:  # the journal could not be written: say which send stopped and how to finish it
        raise StoreError(f"{exc.message}; send {handle.send_id} stopped there: `smstui resume {handle.send_id}` "
                         "finishes it once the database is free") from None
    except asyncio.CancelledError:  # a second Ctrl-C: say what the journal knows, then stop
        outcome = await service.outcome(handle.send_id)
        outcome.cancelled = True
        out.result(outcome_data(outcome), outcome_text(outcome))
        raise
    out.result(outcome_data(outcome), outcome_text(outcome))
    return exits.outcome_status(outcome)


def _rule(rule: str) -> str:
    return {"optout": "opt-out list", "doubt": "hold on numbers in doubt"}.get(rule, rule)


def _send_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", required=True, help="numbers: commas (half or full width), ;, spaces, +86 all fine")
    parser.add_argument("--content", required=True, help="the message, ending with 【signature】")
    parser.add_argument("--at", default="", help=AT_HELP)
    parser.add_argument("--extno", default="", help=EXTNO_HELP)
    parser.add_argument("--via", choices=p.TRANSPORTS, help="transport (default: the profile's)")
    parser.add_argument("--include-held", action="store_true", help=HELD_HELP)


async def cmd_send(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui send`."""
    from ..service import SmsJob

    job = SmsJob(send_time=schedule(args.at), extno=args.extno, mobiles=recipients(args.to),
                 content=p.normalise_newlines(args.content), transport=args.via)
    return await send_and_report(service, job, args, out)


def _batch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="CSV/TSV (UTF-8, GBK or UTF-16) or XLSX with a mobile and a content column")
    parser.add_argument("--at", default="", help=AT_HELP)
    parser.add_argument("--extno", default="", help=EXTNO_HELP)
    parser.add_argument("--include-held", action="store_true", help=HELD_HELP)


async def cmd_batch(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui batch FILE`."""
    from ..service import BatchJob, InvalidInput
    from ..service.batchfile import BatchFileError, read_batch_file

    try:
        batch = read_batch_file(args.file)
    except BatchFileError as exc:
        raise InvalidInput(str(exc)) from None
    if batch.problems:
        raise InvalidInput(f"{args.file}: " + "; ".join(batch.problems[:10]), batch.problems)
    job = BatchJob(send_time=schedule(args.at), extno=args.extno, rows=tuple(batch.rows))
    return await send_and_report(service, job, args, out)


def _mms_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", required=True, help="numbers: commas (half or full width), ;, spaces, +86 all fine")
    parser.add_argument("--subject", required=True, help="the MMS subject")
    parser.add_argument("--slide", action="append", required=True, metavar="TEXT[:IMAGE]",
                        help="a slide: its text, then optionally :path/to/image.jpg|gif|png (repeat for more)")
    parser.add_argument("--at", default="", help=AT_HELP)
    parser.add_argument("--extno", default="", help=EXTNO_HELP)


async def cmd_mms(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui mms`."""
    from ..service import InvalidInput, MmsJob

    slides = []
    for spec in args.slide:
        text, image = slide(spec)
        data = b""
        if image:
            try:
                data = Path(image).expanduser().read_bytes()
            except OSError as exc:
                raise InvalidInput(f"--slide {spec!r}: cannot read {image} ({exc.strerror})") from None
        slides.append(p.Slide(text, data))
    try:
        package = p.pack_mms(slides)
    except p.TmsError as exc:
        raise InvalidInput(str(exc)) from None
    job = MmsJob(send_time=schedule(args.at), extno=args.extno, mobiles=recipients(args.to), subject=args.subject,
                 package=package)
    return await send_and_report(service, job, args, out)


def slide(spec: str) -> tuple[str, str]:
    """A --slide value as (text, image path): the image is what follows the last `:` when it names an image file."""
    text, colon, image = spec.rpartition(":")
    if colon and image.lower().endswith((".jpg", ".jpeg", ".gif", ".png")):
        return text, image
    return spec, ""


COMMANDS = [
    Command("send", "send one message to numbers", _send_arguments, cmd_send, graceful=True),
    Command("batch", "send personalised messages from a CSV or XLSX file (mobile, content)", _batch_arguments,
            cmd_batch, graceful=True),
    Command("mms", "send an MMS", _mms_arguments, cmd_mms, graceful=True),
]

__all__ = ["COMMANDS", "plural", "send_and_report"]
