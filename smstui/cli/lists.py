"""`smstui reports` and `smstui inbox`: pull into the store, then show (and with --follow, keep at it)."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from . import exits
from .output import Output
from .registry import Command
from .tabular import table

if TYPE_CHECKING:
    from ..service import SmsService


def positive(text: str) -> int:
    """An argparse type: a whole number above 0."""
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


async def follow(drain: Callable[[], Awaitable[object]], show: Callable[[], Awaitable[None]], keep_on: bool,
                 interval: float, out: Output) -> None:
    """Drain then show; with --follow keep at it, backing off (up to 10 minutes) while the gateway fails."""
    from ..service import ServiceError

    delay = interval
    while True:
        try:
            await drain()
            delay = interval
        except ServiceError as exc:
            if not keep_on:
                raise
            delay = min(delay * 2, 600)
            out.note(f"{exc.message} — trying again in {delay:.0f} s")
        await show()
        if not keep_on:
            return
        await asyncio.sleep(delay)


def _reports_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", help="only this task")
    parser.add_argument("--follow", action="store_true", help="keep pulling and show what arrives")
    parser.add_argument("--limit", type=positive, default=1000, help="show at most this many (default 1000)")


async def cmd_reports(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui reports`."""
    shown: set[tuple[str, str]] = set()

    async def show() -> None:
        stored = [r for r in await service.stored_reports(args.task, args.limit) if (r.task_id, r.mobile) not in shown]
        shown.update((r.task_id, r.mobile) for r in stored)
        rows = [{"task_id": r.task_id, "mobile": r.mobile, "status": r.status, "delivered": r.delivered,
                 "receive_time": r.receive_time, "error_code": r.error_code, "extno": r.extno} for r in stored]
        if args.follow and not rows:
            return
        out.result({"reports": rows}, table(["task", "mobile", "status", "time", "code", "extno"],
                   [[r["task_id"], r["mobile"], "delivered" if r["delivered"] else "failed", r["receive_time"],
                     r["error_code"], r["extno"]] for r in rows]) if rows else "no reports")

    await follow(lambda: service.drain_reports(args.task), show, args.follow,
                 min(service.profile.poll_interval, 10), out)
    return exits.OK


def _inbox_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--follow", action="store_true", help="keep pulling and show what arrives")
    parser.add_argument("--limit", type=positive, default=1000, help="show at most this many (default 1000)")


async def cmd_inbox(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui inbox`."""
    shown: set[int] = set()

    async def show() -> None:
        stored = [u for u in await service.stored_uplinks(args.limit) if u.id not in shown]
        shown.update(u.id for u in stored)
        rows = [{"mobile": u.mobile, "content": u.content, "receive_time": u.receive_time, "extno": u.extno,
                 "optout": u.optout} for u in stored]
        if args.follow and not rows:
            return
        out.result({"uplinks": rows}, table(["mobile", "content", "time", "extno", "opt-out"],
                   [[r["mobile"], r["content"], r["receive_time"], r["extno"], "yes" if r["optout"] else ""]
                    for r in rows]) if rows else "no replies")

    await follow(service.drain_uplinks, show, args.follow, min(service.profile.poll_interval, 10), out)
    return exits.OK


COMMANDS = [
    Command("reports", "pull delivery reports into the store and show them", _reports_arguments, cmd_reports),
    Command("inbox", "pull replies into the store and show them", _inbox_arguments, cmd_inbox),
]
