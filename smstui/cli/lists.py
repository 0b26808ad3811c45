"""`smstui reports` and `smstui inbox`: pull into the store, then show (and with --follow, keep at it)."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from . import exits
from .output import Output, failure_text
from .registry import Command
from .strings import Strings
from .tabular import table

if TYPE_CHECKING:
    from ..service import SmsService


def positive(t: Strings) -> Callable[[str], int]:
    """An argparse type: a whole number above 0 (its refusal in the words of `t`)."""

    def whole_above_zero(text: str) -> int:
        if not text.isdigit() or int(text) == 0:
            raise argparse.ArgumentTypeError(t("list.positive", text=repr(text)))
        return int(text)

    return whole_above_zero


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
            out.note(out.t("list.retry", error=failure_text(out.t, exc), delay=f"{delay:.0f}"))
        await show()
        if not keep_on:
            return
        await asyncio.sleep(delay)


def _follow_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--follow", action="store_true", help=t("help.follow"))
    parser.add_argument("--limit", type=positive(t), default=1000, help=t("help.limit"))


def _reports_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--task", help=t("help.task"))
    _follow_arguments(parser, t)


async def cmd_reports(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui reports`."""
    t = out.t
    shown: set[tuple[str, str]] = set()

    async def show() -> None:
        stored = [r for r in await service.stored_reports(args.task, args.limit) if (r.task_id, r.mobile) not in shown]
        shown.update((r.task_id, r.mobile) for r in stored)
        rows = [{"task_id": r.task_id, "mobile": r.mobile, "status": r.status, "delivered": r.delivered,
                 "receive_time": r.receive_time, "error_code": r.error_code, "extno": r.extno} for r in stored]
        if args.follow and not rows:
            return
        columns = [t(f"list.col.{name}") for name in ("task", "mobile", "status", "time", "code", "extno")]
        out.result({"reports": rows}, table(columns, [
            [r["task_id"], r["mobile"], t("list.delivered" if r["delivered"] else "list.failed"), r["receive_time"],
             r["error_code"], r["extno"]] for r in rows]) if rows else t("list.no_reports"))

    await follow(lambda: service.drain_reports(args.task), show, args.follow,
                 min(service.profile.poll_interval, 10), out)
    return exits.OK


async def cmd_inbox(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui inbox`."""
    t = out.t
    shown: set[int] = set()

    async def show() -> None:
        stored = [u for u in await service.stored_uplinks(args.limit) if u.id not in shown]
        shown.update(u.id for u in stored)
        rows = [{"mobile": u.mobile, "content": u.content, "receive_time": u.receive_time, "extno": u.extno,
                 "optout": u.optout} for u in stored]
        if args.follow and not rows:
            return
        columns = [t(f"list.col.{name}") for name in ("mobile", "content", "time", "extno", "optout")]
        out.result({"uplinks": rows}, table(columns, [
            [r["mobile"], r["content"], r["receive_time"], r["extno"], t("list.yes") if r["optout"] else ""]
            for r in rows]) if rows else t("list.no_replies"))

    await follow(service.drain_uplinks, show, args.follow, min(service.profile.poll_interval, 10), out)
    return exits.OK


COMMANDS = [
    Command("reports", _reports_arguments, cmd_reports),
    Command("inbox", _follow_arguments, cmd_inbox),
]
