"""The MMS package (chapter 2): TMS parts with little-endian sizes, GBK text, a SMIL layout."""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from .errors import TmsError

MAX_MMS_BYTES = 300 * 1024
SMIL_NAME = "mms.smil"
TEXT_ENCODING = "gbk"
DEFAULT_SLIDE_MS = 5000
_SIZE = struct.Struct("<I")
_MALFORMED_ZH = "tms文件格式错误"
IMAGE_TYPES = {"jpg": b"\xff\xd8\xff", "gif": b"GIF8", "png": b"\x89PNG\r\n\x1a\n"}


@dataclass(frozen=True, slots=True)
class TmsPart:
    """One file of the package: its name (with extension) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Slide:
    """One page of an MMS: optional text, optional image (bytes), how long it shows."""

    text: str = ""
    image: bytes = b""
    duration_ms: int = DEFAULT_SLIDE_MS


@dataclass(frozen=True, slots=True)
class SmilSlide:
    """One `<par>` of the SMIL: the part names it shows and its duration."""

    text: str | None = None
    image: str | None = None
    duration_ms: int = DEFAULT_SLIDE_MS


def image_type(data: bytes) -> str | None:
    """The extension (jpg, gif, png) an image's leading bytes show, or None."""
    for extension, magic in IMAGE_TYPES.items():
        if data.startswith(magic):
            return extension
    return None


def pack_tms(parts: Iterable[TmsPart], max_bytes: int | None = MAX_MMS_BYTES) -> bytes:
    """The TMS bytes: per part, ASCII name, NUL, 4-byte little-endian size, data."""
    out = bytearray()
    for number, part in enumerate(parts, 1):
        if not part.name or "\x00" in part.name or not part.name.isascii():
            raise TmsError(f"the name {part.name!r} must be non-empty ASCII", f"part {number}")
        out += part.name.encode("ascii") + b"\x00" + _SIZE.pack(len(part.data)) + part.data
    if max_bytes is not None and len(out) > max_bytes:
        raise TmsError(f"the package has {len(out):,} bytes; the limit is {max_bytes:,}", "MMS")
    return bytes(out)


def unpack_tms(data: bytes) -> list[TmsPart]:
    """The parts of a TMS package; TmsError names the part that is cut short or malformed."""
    parts: list[TmsPart] = []
    offset = 0
    while offset < len(data):
        number = len(parts) + 1
        end = data.find(b"\x00", offset)
        if end < 0:
            raise TmsError("the name has no NUL terminator", f"part {number}", _MALFORMED_ZH)
        try:
            name = data[offset:end].decode("ascii")
        except UnicodeDecodeError:
            raise TmsError("the name is not ASCII", f"part {number}", _MALFORMED_ZH) from None
        if not name:
            raise TmsError("the name is empty", f"part {number}", _MALFORMED_ZH)
        if end + 5 > len(data):
            raise TmsError(f"{name}: the size is cut short", f"part {number}", _MALFORMED_ZH)
        (size,) = _SIZE.unpack_from(data, end + 1)
        start = end + 5
        if start + size > len(data):
            raise TmsError(
                f"{name}: {size} bytes announced, {len(data) - start} present", f"part {number}", _MALFORMED_ZH
            )
        parts.append(TmsPart(name, data[start : start + size]))
        offset = start + size
    return parts


def build_smil(slides: Sequence[SmilSlide]) -> str:
    """A SMIL presentation: one `<par>` per slide with an image region over a text region."""
    pars = []
    for slide in slides:
        items = []
        if slide.image:
            items.append(f'<img src="{escape(slide.image)}" region="Image"/>')
        if slide.text:
            items.append(f'<text src="{escape(slide.text)}" region="Text"/>')
        pars.append(f'<par dur="{int(slide.duration_ms)}ms">{"".join(items)}</par>')
    return (
        "<smil><head><layout>"
        '<root-layout width="240" height="320"/>'
        '<region id="Image" left="0" top="0" width="240" height="200" fit="meet"/>'
        '<region id="Text" left="0" top="200" width="240" height="120" fit="scroll"/>'
        f"</layout></head><body>{''.join(pars)}</body></smil>"
    )


def layout(slides: Sequence[tuple[str | None, bool, int]]) -> list[SmilSlide]:
    """The parts of slides given as (image extension or None, has text, duration): `N.ext` then `N.txt`, numbered in
    part order — the one naming the packer and the size meter share."""
    out: list[SmilSlide] = []
    count = 0
    for extension, has_text, duration_ms in slides:
        image_name = text_name = None
        if extension:
            count += 1
            image_name = f"{count}.{extension}"
        if has_text:
            count += 1
            text_name = f"{count}.txt"
        out.append(SmilSlide(text_name, image_name, duration_ms))
    return out


def slides_to_parts(slides: Sequence[Slide]) -> list[TmsPart]:
    """The parts of an MMS made of slides: numbered text and image files, then `mms.smil`."""
    if not slides:
        raise TmsError("an MMS needs at least one slide", "MMS")
    shapes: list[tuple[str | None, bool, int]] = []
    data: list[tuple[bytes, bytes]] = []
    for number, slide in enumerate(slides, 1):
        if not slide.text and not slide.image:
            raise TmsError("the slide has neither text nor image", f"slide {number}")
        extension = None
        if slide.image:
            extension = image_type(slide.image)
            if extension is None:
                raise TmsError("the image is not a JPEG, GIF or PNG", f"slide {number}")
        try:
            encoded = slide.text.encode(TEXT_ENCODING)
        except UnicodeEncodeError as exc:
            bad = slide.text[exc.start : exc.end]
            raise TmsError(f"{bad!r} cannot be written in GBK (MMS text)", f"slide {number}") from None
        shapes.append((extension, bool(slide.text), slide.duration_ms))
        data.append((slide.image, encoded))
    smil = layout(shapes)
    parts: list[TmsPart] = []
    for names, (image, text) in zip(smil, data, strict=True):
        if names.image:
            parts.append(TmsPart(names.image, image))
        if names.text:
            parts.append(TmsPart(names.text, text))
    parts.append(TmsPart(SMIL_NAME, build_smil(smil).encode("utf-8")))
    return parts


def pack_mms(slides: Sequence[Slide], max_bytes: int | None = MAX_MMS_BYTES) -> bytes:
    """The TMS package of an MMS made of slides."""
    return pack_tms(slides_to_parts(slides), max_bytes)


def check_tms(data: bytes, max_bytes: int = MAX_MMS_BYTES) -> list[TmsPart]:
    """The parts of a received package after the packer's checks (size, types, GBK text, names)."""
    if len(data) > max_bytes:
        raise TmsError(
            f"the package has {len(data):,} bytes; the limit is {max_bytes:,}", "MMS", f"彩信内容超过{max_bytes}字节"
        )
    parts = unpack_tms(data)
    if not parts:
        raise TmsError("the package is empty", "MMS", "彩信内容为空")
    for part in parts:
        extension = part.name.rsplit(".", 1)[-1].lower() if "." in part.name else ""
        if extension in ("jpg", "jpeg", "gif", "png"):
            if image_type(part.data) is None:
                raise TmsError("is not a JPEG, GIF or PNG image", part.name, f"{part.name}不是有效的图片")
        elif extension == "txt":
            try:
                part.data.decode(TEXT_ENCODING)
            except UnicodeDecodeError:
                raise TmsError("the text is not GBK", part.name, f"{part.name}不是GBK编码的文本") from None
        elif extension != "smil":
            raise TmsError(f"unsupported part type .{extension}", part.name, f"不支持的文件类型({part.name})")
    return parts
