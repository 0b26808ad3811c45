"""Pictures made to fit an MMS: decoded with Pillow (imported lazily), turned upright, scaled for handsets, and
re-encoded as JPEG at the highest quality whose bytes fit their share of what the package leaves; a GIF or PNG that
fits is kept as it is. The original file is never changed. Blocking work: call it from a thread."""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

MAX_EDGE = 640  # longest side sent to handsets (the SMIL's image region is 240×200; phones zoom)
MAX_PIXELS = 40_000_000  # a bigger picture is refused before it is decoded (decompression bombs)
MAX_FILE_BYTES = 64 * 1024 * 1024
QUALITY_MAX = 90
QUALITY_MIN = 10
PREVIEW_EDGE = 64  # pixels of the preview the terminal draws from
KEEPABLE = ("gif", "png")  # types a handset takes as they are
READABLE = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "BMP": "bmp", "TIFF": "tif", "MPO": "jpg"}
_WARNINGS = threading.Lock()


class PictureError(Exception):
    """A picture that cannot be used, by kind (`params` for translations), in English and Chinese, and where."""

    def __init__(self, kind: str, message: str, zh: str, part: str = "", slide: int = 0, **params: object) -> None:
        super().__init__(message)
        self.kind, self.message, self.zh, self.part, self.slide = kind, message, zh, part, slide
        self.params = params

    def at(self, slide: int) -> PictureError:
        """The same error, on a slide (1-based)."""
        self.slide = slide
        return self

    @property
    def where(self) -> str:
        """The slide and the part, in English."""
        slide = f"slide {self.slide}" if self.slide else ""
        return ", ".join(x for x in (slide, self.part) if x)

    @property
    def where_zh(self) -> str:
        """The slide and the part, in Chinese."""
        slide = f"第 {self.slide} 页" if self.slide else ""
        return " ".join(x for x in (slide, self.part) if x)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True, slots=True)
class Fitted:
    """A picture's bytes as the package carries them: the type, and the JPEG quality (None: the file as it is)."""

    data: bytes = field(repr=False)
    type: str
    quality: int | None = None


@dataclass(frozen=True, slots=True)
class Pixels:
    """A small picture as rows of RGB colours, for drawing in the terminal."""

    width: int
    height: int
    rows: tuple[tuple[tuple[int, int, int], ...], ...]


class Picture:
    """A picture attached to a slide, decoded once: upright, scaled for handsets (RGB), with its original bytes when
    a handset could take it as it is (GIF, PNG). Encodings are remembered, so fitting again is cheap."""

    def __init__(self, name: str, source: str, file_type: str, size: tuple[int, int], base: Image.Image,
                 original: bytes | None = None, frames: int = 1, key: str = "", as_jpeg: bool | None = None) -> None:
        self.name = name  # the file's name, as the user knows it
        self.source = source  # the path it was read from
        self.file_type = file_type  # jpg, png, gif, webp, …
        self.size = size  # the original's width and height, upright
        self.base = base
        self.original = original if file_type in KEEPABLE else None
        self.frames = frames
        self.key = key or hashlib.sha256(original or base.tobytes()).hexdigest()[:20]  # names its files in a draft
        self.as_jpeg = self.original is None if as_jpeg is None else as_jpeg or self.original is None
        self._encoded: dict[int, bytes] = {}
        self._lock = threading.Lock()
        self._preview: Pixels | None = None

    def __repr__(self) -> str:
        return f"Picture({self.name!r}, {self.file_type}, {self.size[0]}×{self.size[1]})"

    @property
    def megapixels(self) -> float:
        """The original's size in megapixels."""
        return self.size[0] * self.size[1] / 1e6

    def encode(self, quality: int) -> bytes:
        """The scaled picture as a baseline JPEG at a quality (remembered)."""
        with self._lock:
            found = self._encoded.get(quality)
            if found is None:
                out = io.BytesIO()
                self.base.save(out, "JPEG", quality=quality, optimize=True)
                found = self._encoded[quality] = out.getvalue()
            return found

    def png(self) -> bytes:
        """The scaled picture as a PNG (how a draft keeps it, losing nothing)."""
        with self._lock:
            out = io.BytesIO()
            self.base.save(out, "PNG", compress_level=1)
            return out.getvalue()

    def kept(self) -> Fitted:
        """The original file, as the package would carry it."""
        assert self.original is not None
        return Fitted(self.original, self.file_type)

    def jpeg(self, quality: int) -> Fitted:
        """The scaled picture as a JPEG of a quality."""
        return Fitted(self.encode(quality), "jpg", quality)

    def floor(self) -> int:
        """The fewest bytes it can take: as it is, or as a JPEG of the lowest quality."""
        return len(self.original) if not self.as_jpeg and self.original else len(self.encode(QUALITY_MIN))

    def preview(self) -> Pixels:
        """The picture at most PREVIEW_EDGE pixels a side, as colours (for the terminal's half blocks)."""
        with self._lock:
            if self._preview is None:
                self._preview = _pixels(self.base, PREVIEW_EDGE, PREVIEW_EDGE)
            return self._preview

    def thumbnail(self, width: int, height: int) -> Pixels:
        """The picture within width × height pixels, aspect kept, as colours."""
        with self._lock:
            return _pixels(self.base, width, height)


def _pixels(image: Any, width: int, height: int) -> Pixels:
    """An RGB image made to fit width × height (aspect kept), as rows of colours."""
    small = image.copy()
    small.thumbnail((max(width, 1), max(height, 1)))
    w, h = small.size
    data = small.tobytes()
    rows = tuple(tuple((data[i], data[i + 1], data[i + 2]) for i in range(y * w * 3, (y + 1) * w * 3, 3))
                 for y in range(h))
    return Pixels(w, h, rows)


def _pil() -> Any:
    try:
        from PIL import Image, ImageOps
    except ImportError:  # pragma: no cover - Pillow is a dependency
        raise PictureError("no_pillow", "pictures need Pillow (pip install pillow)",
                           "处理图片需要 Pillow（pip install pillow）") from None
    return Image, ImageOps


def read_picture(path: str | Path, *, max_pixels: int = MAX_PIXELS) -> Picture:
    """Read a picture file (never changing it); PictureError says in words what is wrong with it."""
    file = Path(path).expanduser()
    name = file.name or str(path)
    try:
        if file.is_dir():
            raise PictureError("is_folder", "this is a folder, not a picture", "这是文件夹，不是图片", name)
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PictureError("file_too_big", f"the file has {size:,} bytes; pictures up to {MAX_FILE_BYTES:,} are "
                               "read", f"文件有 {size:,} 字节，最多读取 {MAX_FILE_BYTES:,} 字节的图片", name,
                               size=size, limit=MAX_FILE_BYTES)
        data = file.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PictureError("unreadable", f"cannot read the file ({reason})", f"无法读取文件（{reason}）", name,
                           reason=reason) from None
    return decode_picture(data, name, str(file), max_pixels=max_pixels)


def decode_picture(data: bytes, name: str, source: str = "", *, max_pixels: int = MAX_PIXELS) -> Picture:
    """A picture from a file's bytes: checked, decoded, upright, scaled; PictureError for what cannot be used."""
    image_module, image_ops = _pil()
    try:
        with _WARNINGS, warnings.catch_warnings():
            warnings.simplefilter("ignore", image_module.DecompressionBombWarning)
            image = image_module.open(io.BytesIO(data))
    except image_module.DecompressionBombError:
        raise _too_many(name, 0, 0, max_pixels) from None
    except (image_module.UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PictureError("not_image", "this is not a picture smstui can read (JPEG, PNG, GIF, WebP, BMP, TIFF)",
                           "这不是可读取的图片（JPEG、PNG、GIF、WebP、BMP、TIFF）", name) from None
    file_type = READABLE.get(image.format or "")
    if file_type is None:
        raise PictureError("not_image", f"{image.format} pictures are not taken (JPEG, PNG, GIF, WebP, BMP, TIFF)",
                           f"不支持 {image.format} 格式的图片（可用 JPEG、PNG、GIF、WebP、BMP、TIFF）", name,
                           format=image.format)
    width, height = image.size
    if width * height > max_pixels:
        raise _too_many(name, width, height, max_pixels)
    frames = getattr(image, "n_frames", 1)
    try:
        if file_type == "jpg":
            image.draft("RGB", (MAX_EDGE, MAX_EDGE))  # decode at a fraction of the size: far less work
        image.seek(0)
        image.load()
        upright = image_ops.exif_transpose(image)
        if file_type in KEEPABLE:  # a picture kept as it is must be whole, every frame of it
            for index in range(1, frames):
                image.seek(index)
                image.load()
            image.seek(0)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PictureError("damaged", f"the picture is cut short or damaged ({exc})",
                           f"图片不完整或已损坏（{exc}）", name, reason=str(exc)) from None
    size = (height, width) if _rotated(image) else (width, height)
    base = _flatten(upright, image_module)
    base.thumbnail((MAX_EDGE, MAX_EDGE), image_module.Resampling.LANCZOS)
    return Picture(name, source, file_type, size, base, data if file_type in KEEPABLE else None, frames,
                   hashlib.sha256(data).hexdigest()[:20])


def _rotated(image: Any) -> bool:
    """Whether the EXIF orientation turns the picture a quarter."""
    try:
        return image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    except Exception:  # a broken EXIF block is no reason to refuse the picture
        return False


def _flatten(image: Any, image_module: Any) -> Any:
    """An RGB copy: transparency laid on white, palettes and grey expanded."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = image_module.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    return image.convert("RGB")


def _too_many(name: str, width: int, height: int, limit: int) -> PictureError:
    pixels = f"{width * height / 1e6:.1f}" if width else "> 89"
    return PictureError("too_many_pixels", f"{pixels} megapixels ({width}×{height}); pictures up to "
                        f"{limit / 1e6:.0f} megapixels are taken — scale it down first",
                        f"图片有 {pixels} 百万像素（{width}×{height}），最多 {limit / 1e6:.0f} 百万像素，请先缩小",
                        name, megapixels=pixels, width=width, height=height, limit=limit)


# -- sharing out what the package leaves ----------------------------------------------------------------------------

def fits_as_is(picture: Picture, others: Sequence[Picture], room: int) -> bool:
    """Whether a GIF or PNG can go as it is beside the other pictures in the room the package leaves for pictures."""
    if picture.original is None:
        return False
    return len(picture.original) + sum(other.floor() for other in others) <= room


def fit_pictures(pictures: Sequence[tuple[int, Picture]], room: int) -> dict[int, Fitted]:
    """Each slide's picture (slide number, picture) as the package will carry it, all within `room` bytes: kept ones
    as they are, the others as JPEG at the highest quality that fits an equal share of what is left (a picture that
    needs less leaves the rest to the others). PictureError ("no_room") when even the lowest quality cannot fit."""
    out: dict[int, Fitted] = {}
    if not pictures:
        return out  # texts alone over the limit: the size says so, there is nothing to fit
    left = room
    encoded: list[tuple[int, Picture]] = []
    for slide, picture in pictures:
        if picture.as_jpeg:
            encoded.append((slide, picture))
        else:
            out[slide] = picture.kept()
            left -= len(picture.original or b"")
    if not encoded:
        if left < 0:
            raise _no_room(pictures, room)
        return out
    natural = [len(picture.encode(QUALITY_MAX)) for _, picture in encoded]
    if sum(natural) <= left:
        out.update((slide, picture.jpeg(QUALITY_MAX)) for slide, picture in encoded)
        return out
    floors = [picture.floor() for _, picture in encoded]
    if sum(floors) > left:
        raise _no_room(pictures, room)
    for (slide, picture), share in zip(encoded, _shares(left, floors, natural), strict=True):
        out[slide] = picture.jpeg(_best_quality(picture, share))
    return out


def _shares(room: int, floors: Sequence[int], natural: Sequence[int]) -> list[int]:
    """Water-filling: one level for all, no share below a picture's floor or above what it needs at best quality."""
    def total(level: int) -> int:
        return sum(min(n, max(f, level)) for f, n in zip(floors, natural, strict=True))

    low, high = 0, max(natural)
    while low < high:  # the highest level whose shares add up to no more than the room
        mid = (low + high + 1) // 2
        if total(mid) <= room:
            low = mid
        else:
            high = mid - 1
    return [min(n, max(f, low)) for f, n in zip(floors, natural, strict=True)]


def _best_quality(picture: Picture, share: int) -> int:
    """The highest quality whose bytes fit the share (the lowest always does: the share is never below it)."""
    low, high = QUALITY_MIN, QUALITY_MAX  # low fits, high does not
    while high - low > 1:
        mid = (low + high) // 2
        if len(picture.encode(mid)) <= share:
            low = mid
        else:
            high = mid
    return low


def _no_room(pictures: Sequence[tuple[int, Picture]], room: int) -> PictureError:
    need = sum(picture.floor() for _, picture in pictures)
    slide, biggest = max(pictures, key=lambda item: item[1].floor())
    kept = "" if biggest.as_jpeg else " as it is"
    kept_zh = "" if biggest.as_jpeg else "（原样）"
    return PictureError(
        "no_room", f"the pictures need at least {need:,} bytes even at the lowest quality, and the package leaves "
        f"{max(room, 0):,} for them (this one{kept} {biggest.floor():,}): remove a picture or shorten the texts",
        f"即使最低画质，图片也至少需要 {need:,} 字节，而彩信只剩 {max(room, 0):,} 字节（这张{kept_zh} "
        f"{biggest.floor():,} 字节）：请删除一张图片或缩短文字", biggest.name, slide, need=need, room=max(room, 0))
