"""`smstui reports` and `smstui inbox`: pull into the store, then show what a filter names (and with --follow, keep
at it), why they failed, the figures per day or hour, or export exactly the filtered set to CSV or XLSX."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import exits
from .output import Output, failure_text
from .registry import Command
from .strings import Strings
from .tabular import table

if TYPE_CHECKING:
    from ..service import ServiceError, SmsService
    from ..service.filters import Filter


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
    parser.add_argument("--filter", default="", metavar="TEXT", help=t("list.help.filter"))
    parser.add_argument("--follow", action="store_true", help=t("help.follow"))
    parser.add_argument("--limit", type=positive(t), default=1000, help=t("help.limit"))
    export = parser.add_mutually_exclusive_group()
    export.add_argument("--csv", metavar="FILE", help=t("list.help.csv"))
    export.add_argument("--xlsx", metavar="FILE", help=t("list.help.xlsx"))


def _reports_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--task", help=t("help.task"))
    parser.add_argument("--sort", choices=("time", "status"), default="time", help=t("list.help.sort"))
    parser.add_argument("--why", action="store_true", help=t("list.help.why"))
    parser.add_argument("--stats", choices=("day", "hour"), help=t("list.help.stats"))
    _follow_arguments(parser, t)


def _filter(service: SmsService, args: argparse.Namespace) -> Filter:
    """The filter of --filter (and --task), read as of now (a token it cannot read: exit 2, saying which)."""
    text = args.filter + (f" task:{args.task}" if getattr(args, "task", None) else "")
    return service.desk.filter(text.strip())


async def _pulled(drain: Callable[[], Awaitable[object]], out: Output) -> ServiceError | None:
    """Pull before an export or a breakdown; a failure is said, and what the store holds is used anyway."""
    from ..service import ServiceError

    try:
        await drain()
    except ServiceError as exc:
        out.note(out.t("list.stale", error=failure_text(out.t, exc)))
        return exc
    return None


async def _export(write: Callable[..., Awaitable[int]], f: Filter, args: argparse.Namespace, kind: str,
                  out: Output) -> None:
    """Write exactly the filtered set to the file (progress on a terminal's stderr), then say how many rows."""
    path = Path(args.csv or args.xlsx).expanduser()
    fmt = "csv" if args.csv else "xlsx"
    live = sys.stderr.isatty() and not out.as_json

    def progress(written: int) -> None:
        if live:
            print(f"\r{out.t('list.exporting', count=f'{written:,}')}", end="", file=sys.stderr, flush=True)

    written = await write(f, path, fmt, progress=progress)
    if live:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    out.result({"ok": True, "exported": written, "kind": kind, "path": str(path), "format": fmt, "filter": f.text},
               out.t(f"list.exported.{kind}", count=f"{written:,}", path=str(path)))


async def cmd_reports(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui reports`."""
    f = _filter(service, args)

    async def drain() -> object:
        return await service.drain_reports(args.task)

    if args.csv or args.xlsx or args.why or args.stats:
        failed = await _pulled(drain, out)
        if args.csv or args.xlsx:
            await _export(service.desk.export_reports, f, args, "reports", out)
        elif args.why:
            await _why(service, f, out)
        else:
            await _stats(service, f, args.stats, out)
        return failed.exit_status if failed is not None else exits.OK
    t = out.t
    shown: set[tuple[str, str]] = set()

    async def show() -> None:
        pager = service.desk.reports(f, args.sort)
        await pager.load(0, args.limit - 1)
        stored = [row for row in (pager.row(i) for i in range(args.limit)) if row is not None]
        stored = [r for r in stored if (r.task_id, r.mobile) not in shown]
        shown.update((r.task_id, r.mobile) for r in stored)
        rows = [{"task_id": r.task_id, "mobile": r.mobile, "status": r.status, "delivered": r.delivered,
                 "receive_time": r.receive_time, "error_code": r.error_code, "extno": r.extno} for r in stored]
        if args.follow and not rows:
            return
        columns = [t(f"list.col.{name}") for name in ("task", "mobile", "status", "time", "code", "extno")]
        out.result({"reports": rows}, table(columns, [
            [r["task_id"], r["mobile"], t("list.pending" if r["status"] == 0 else "list.delivered" if r["delivered"]
                                          else "list.failed"), r["receive_time"], r["error_code"], r["extno"]]
            for r in rows]) if rows else t("list.no_reports" if f.empty else "list.no_match"))

    await follow(drain, show, args.follow, min(service.profile.poll_interval, 10), out)
    return exits.OK


async def _why(service: SmsService, f: Filter, out: Output) -> None:
    """The filtered reports by bucket, each code explained."""
    from ..protocol.report_codes import code_meaning

    t = out.t
    buckets = await service.desk.buckets(f)
    total = sum(b.count for b in buckets) or 1
    data: list[dict[str, Any]] = [{"bucket": b.bucket, "count": b.count, "codes": [
        {"code": code, "count": count, "meaning": code_meaning(code).english} for code, count in b.codes]}
        for b in buckets]
    rows = []
    for b in buckets:
        rows.append([t(f"list.bucket.{b.bucket}"), f"{b.count:,}", f"{100 * b.count / total:.1f}%", ""])
        if b.bucket != "delivered":
            rows += [[f"  {code}", f"{count:,}", f"{100 * count / total:.1f}%", _meaning(t, code_meaning(code))]
                     for code, count in b.codes]
    columns = [t(f"list.col.{name}") for name in ("bucket", "count", "share", "meaning")]
    out.result({"buckets": data, "filter": f.text}, table(columns, rows) if rows else t("list.no_reports"))


def _meaning(t: Strings, meaning: Any) -> str:
    """A code's meaning in the user's language."""
    return str(meaning.chinese if t.language == "zh" else meaning.english)


async def _stats(service: SmsService, f: Filter, by: str, out: Output) -> None:
    """Sent, delivered, failed and no report per day or hour, with the delivery rate."""
    t = out.t
    figures = await service.desk.figures(f, by)
    data = [{"period": x.period, "sent": x.sent, "delivered": x.delivered, "failed": x.failed,
             "no_report": x.no_report} for x in figures]
    columns = [t(f"list.col.{name}") for name in ("period", "sent", "delivered", "failed", "no_report", "rate")]
    rows = [[x.period, f"{x.sent:,}", f"{x.delivered:,}", f"{x.failed:,}", f"{x.no_report:,}",
             f"{100 * x.delivered / x.sent:.1f}%" if x.sent else "—"] for x in figures]
    out.result({"figures": data, "by": by, "filter": f.text}, table(columns, rows) if rows else t("list.no_sends"))


async def cmd_inbox(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui inbox`."""
    f = _filter(service, args)
    if args.csv or args.xlsx:
        failed = await _pulled(service.drain_uplinks, out)
        await _export(service.desk.export_replies, f, args, "replies", out)
        return failed.exit_status if failed is not None else exits.OK
    t = out.t
    shown: set[int] = set()

    async def show() -> None:
        stored = [u for u in await service.desk.replies(f, args.limit) if u.id not in shown]
        shown.update(u.id for u in stored)
        rows = [{"mobile": u.mobile, "content": u.content, "receive_time": u.receive_time, "extno": u.extno,
                 "optout": u.optout} for u in stored]
        if args.follow and not rows:
            return
        columns = [t(f"list.col.{name}") for name in ("mobile", "content", "time", "extno", "optout")]
        out.result({"uplinks": rows}, table(columns, [
            [r["mobile"], r["content"], r["receive_time"], r["extno"], t("list.yes") if r["optout"] else ""]
            for r in rows]) if rows else t("list.no_replies" if f.empty else "list.no_match"))

    await follow(service.drain_uplinks, show, args.follow, min(service.profile.poll_interval, 10), out)
    return exits.OK


COMMANDS = [
    Command("reports", _reports_arguments, cmd_reports),
    Command("inbox", _follow_arguments, cmd_inbox),
]
