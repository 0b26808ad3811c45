"""`smstui mms`: a multimedia message of slides (text and pictures), pictures made to fit as the TUI makes them,
through the one send flow."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from .. import protocol as p
from .output import Output
from .registry import Command
from .send import recipients, schedule, schedule_arguments, send_and_report
from .strings import Strings

if TYPE_CHECKING:
    from ..service import MmsDraft, PictureError, SmsService

# The words of the options this module added (English, Chinese); their home is cli/strings once it can take them.
WORDS = {
    "fit": ("make pictures fit (default): turned upright, scaled for handsets, re-encoded as JPEG at the best quality "
            "the package leaves room for; a GIF or PNG that fits goes as it is, one that does not as a JPEG of its "
            "first frame",
            "让图片适合彩信（默认）：按 EXIF 摆正、缩放到手机尺寸、以彩信容得下的最高画质重新编码为 JPEG；"
            "放得下的 GIF、PNG 原样发送，放不下的发送其第一帧的 JPEG"),
    "no_fit": ("send the picture files untouched (the package must fit as it is)", "图片文件原样发送（彩信须放得下）"),
    "duration": ("seconds each slide shows (default 5)", "每页显示的秒数（默认 5）"),
    "gbk": ("{characters} cannot be written in GBK", "{characters} 无法以 GBK 写入彩信文字，请删除或替换"),
    "too_big": ("the package has {size} bytes, {over} over the limit of {limit}",
                "彩信共 {size} 字节，超过上限 {limit} 字节 {over} 字节，请缩短文字"),
    "converted": ("slide {slide}: {name} does not fit as it is ({size} bytes); its first frame goes as a JPEG",
                  "第 {slide} 页：{name} 原样放不下（{size} 字节），改为发送其第一帧的 JPEG"),
}


def _say(t: Strings, key: str, **values: object) -> str:
    english, chinese = WORDS[key]
    return (chinese if t.language == "zh" else english).format(**values)


def _mms_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--to", required=True, help=t("help.to"))
    parser.add_argument("--subject", required=True, help=t("help.subject"))
    parser.add_argument("--slide", action="append", required=True, metavar="TEXT[:IMAGE]", help=t("help.slide"))
    parser.add_argument("--fit", action=argparse.BooleanOptionalAction, default=True, help=_say(t, "fit"))
    parser.add_argument("--duration", type=_seconds, default=5, metavar="SECONDS", help=_say(t, "duration"))
    schedule_arguments(parser, t)
    for action in parser._actions:  # BooleanOptionalAction's --no-fit shares --fit's help: give it its own
        if action.dest == "fit":
            action.help = f"{_say(t, 'fit')}{'；' if t.language == 'zh' else '; '}--no-fit: {_say(t, 'no_fit')}"


def _seconds(text: str) -> int:
    from ..service.mms_draft import MAX_SECONDS

    value = int(text)
    if not 1 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"1–{MAX_SECONDS}")
    return value


async def cmd_mms(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui mms`."""
    from ..service import InvalidInput, MmsJob, PictureError

    try:
        if args.fit:
            draft = await asyncio.to_thread(fitted_draft, args.slide, args.duration, out, service.mms_limit)
            package = draft.package(service.mms_limit)
        else:
            package = p.pack_mms(untouched_slides(args.slide, args.duration), service.mms_limit)
    except PictureError as exc:
        raise _invalid(exc) from None
    except p.TmsError as exc:
        failure = InvalidInput(str(exc))
        raise (failure.words("mms_package", where=exc.where, zh=exc.zh) if exc.zh else failure) from None
    job = MmsJob(send_time=schedule(args.at), extno=args.extno, mobiles=recipients(args.to, out.t),
                 subject=args.subject, package=package)
    return await send_and_report(service, job, args, out)


def fitted_draft(specs: list[str], seconds: int, out: Output, limit: int) -> MmsDraft:
    """The slides of --slide options with their pictures made to fit (the TUI's fitting); blocking."""
    from ..service import DraftSlide, MmsDraft, PictureError, read_picture

    draft = MmsDraft(slides=[])
    for number, spec in enumerate(specs, 1):
        text, image = slide(spec)
        picture = None
        if image:
            try:
                picture = read_picture(image)
            except PictureError as exc:
                raise exc.at(number) from None
        draft.slides.append(DraftSlide(text, seconds))
        if picture is not None:
            if not picture.as_jpeg and not draft.keeps(number - 1, picture, limit):
                picture.as_jpeg = True  # --fit makes it fit: the offer the TUI makes, taken
                out.note(_say(out.t, "converted", slide=number, name=picture.name,
                              size=f"{len(picture.original or b''):,}"))
            draft.slides[-1].picture = picture
    draft.refit(limit)
    for problem in draft.problems(limit):
        if problem.kind == "mms_text_gbk":
            raise _problem(problem, f"第 {problem.params['slide']} 页 文字",
                           _say(out.t, "gbk", characters=problem.params["characters"]))
        if problem.kind == "mms_too_big":
            raise _problem(problem, "彩信", _say(out.t, "too_big", **problem.params))
    return draft


def _problem(problem: p.Problem, where_zh: str, zh: str) -> Exception:
    from ..service import InvalidInput

    return InvalidInput(problem.message).words("mms_package", where=where_zh, zh=zh)


def untouched_slides(specs: list[str], seconds: int) -> list[p.Slide]:
    """The slides of --slide options with the picture files as they are (--no-fit)."""
    from ..service import InvalidInput

    slides = []
    for spec in specs:
        text, image = slide(spec)
        data = b""
        if image:
            try:
                data = Path(image).expanduser().read_bytes()
            except OSError as exc:
                raise InvalidInput(f"--slide {spec!r}: cannot read {image} ({exc.strerror})").words(
                    "slide_unreadable", spec=spec, image=image, reason=exc.strerror) from None
        slides.append(p.Slide(text, data, seconds * 1000))
    return slides


def _invalid(exc: PictureError) -> Exception:
    """A picture that cannot be used, as invalid input naming the slide and the part (in both languages)."""
    from ..service import InvalidInput

    return InvalidInput(str(exc)).words("mms_package", where=exc.where_zh, zh=exc.zh)


def slide(spec: str) -> tuple[str, str]:
    """A --slide value as (text, image path): the image is what follows the last `:` when it names an image file."""
    text, colon, image = spec.rpartition(":")
    if colon and image.lower().endswith((".jpg", ".jpeg", ".gif", ".png", ".webp", ".bmp", ".tif", ".tiff")):
        return text, image
    return spec, ""


COMMANDS = [Command("mms", _mms_arguments, cmd_mms, graceful=True)]
