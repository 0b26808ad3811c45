"""`smstui mms`: a multimedia message of slides (text and pictures), through the one send flow."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from .. import protocol as p
from .output import Output
from .registry import Command
from .send import recipients, schedule, schedule_arguments, send_and_report
from .strings import Strings

if TYPE_CHECKING:
    from ..service import SmsService


def _mms_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--to", required=True, help=t("help.to"))
    parser.add_argument("--subject", required=True, help=t("help.subject"))
    parser.add_argument("--slide", action="append", required=True, metavar="TEXT[:IMAGE]", help=t("help.slide"))
    schedule_arguments(parser, t)


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
                raise InvalidInput(f"--slide {spec!r}: cannot read {image} ({exc.strerror})").words(
                    "slide_unreadable", spec=spec, image=image, reason=exc.strerror) from None
        slides.append(p.Slide(text, data))
    try:
        package = p.pack_mms(slides)
    except p.TmsError as exc:
        failure = InvalidInput(str(exc))
        raise (failure.words("mms_package", where=exc.where, zh=exc.zh) if exc.zh else failure) from None
    job = MmsJob(send_time=schedule(args.at), extno=args.extno, mobiles=recipients(args.to, out.t),
                 subject=args.subject, package=package)
    return await send_and_report(service, job, args, out)


def slide(spec: str) -> tuple[str, str]:
    """A --slide value as (text, image path): the image is what follows the last `:` when it names an image file."""
    text, colon, image = spec.rpartition(":")
    if colon and image.lower().endswith((".jpg", ".jpeg", ".gif", ".png")):
        return text, image
    return spec, ""


COMMANDS = [Command("mms", _mms_arguments, cmd_mms, graceful=True)]
