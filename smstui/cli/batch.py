"""`smstui batch FILE`: a point-to-point send from a spreadsheet, through the one send flow."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .output import Output
from .registry import Command
from .send import schedule, schedule_arguments, send_and_report
from .strings import Strings

if TYPE_CHECKING:
    from ..service import SmsService


def _batch_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("file", help=t("help.file"))
    schedule_arguments(parser, t)


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


COMMANDS = [Command("batch", _batch_arguments, cmd_batch, graceful=True)]
