"""`smstui batch FILE`: a point-to-point send from a spreadsheet, read, mapped, merged and checked as the TUI's editor
does it, through the one send flow; `--edit` opens the file in the editor instead."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .output import Output
from .registry import Command
from .send import schedule, schedule_arguments, send_and_report
from .strings import Strings

if TYPE_CHECKING:
    from ..service import SmsService
    from ..service.batch_editor import BatchDoc

SHOWN = 10  # rows of problems a refusal lists


def _batch_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("file", help=t("help.file"))
    parser.add_argument("--map", action="append", default=[], metavar="COLUMN=ROLE", help=t("help.map"))
    parser.add_argument("--template", default="", help=t("help.template"))
    parser.add_argument("--encoding", default="", help=t("help.encoding"))
    parser.add_argument("--drop-bad", action="store_true", help=t("help.drop_bad"))
    parser.add_argument("--edit", action="store_true", help=t("help.edit"))
    schedule_arguments(parser, t)


def _edit(args: argparse.Namespace, out: Output) -> None:
    """`--edit`: the TUI's batch editor on the file (nothing is sent from here)."""
    if not args.edit:
        return
    from .tui import run_tui

    args.batch_file = args.file
    raise SystemExit(run_tui(args, out.t))


async def cmd_batch(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui batch FILE`."""
    from ..service import BatchJob, InvalidInput
    from ..service.batch_editor import BatchDoc

    profile = service.profile
    doc = BatchDoc.open(args.file, encoding=args.encoding, max_length=profile.max_content_length,
                        require_signature=profile.require_signature, options=tuple(args.map),
                        template=args.template)
    problems = _problems(doc, args.drop_bad)
    if problems:
        raise InvalidInput(f"{args.file}: " + "; ".join(problems[:SHOWN]), problems)
    if args.drop_bad:
        for finding in doc.table.findings:
            out.note(out.t("batch.unread", message=finding.message))
        for row, why in doc.rejected():
            out.note(out.t("batch.dropped", line=row.line, why=why))
    elif doc.blocking:
        bad = [f"line {row.line}: {why}" for row, why in doc.rejected()]
        more = f"; … {len(bad) - SHOWN} more" if len(bad) > SHOWN else ""
        raise InvalidInput(f"{args.file}: " + "; ".join(bad[:SHOWN]) + more + " (--drop-bad sends the other rows)",
                           bad)
    job = BatchJob(send_time=schedule(args.at), extno=args.extno, rows=doc.job_rows())
    return await send_and_report(service, job, args, out)


def _problems(doc: BatchDoc, drop_bad: bool) -> list[str]:
    """What keeps the file from being sent at all: lines that could not be read (unless --drop-bad), columns smstui
    is unsure of, a bad template."""
    found = [] if drop_bad else [finding.message for finding in doc.table.findings]
    names = ", ".join(doc.names)
    for doubt in doc.unsure():
        found.append(f"{_DOUBTS[doubt]} (the columns: {names}): say which with --map COLUMN=mobile"
                     + (" or --template TEXT" if doubt.startswith("content") else ""))
    if doc.template is not None:
        found += [problem.message for problem in doc.template.problems]
    return found


_DOUBTS = {
    "mobile_ambiguous": "several columns are named like numbers",
    "mobile_unnamed": "no column is named like numbers",
    "mobile_absent": "no column holds mobile numbers",
    "content_ambiguous": "several columns are named like messages",
    "content_absent": "no column of messages",
}


COMMANDS = [Command("batch", _batch_arguments, cmd_batch, graceful=True, prepare=_edit)]
