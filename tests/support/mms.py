"""Pictures for the MMS tests, made here and seeded: photo-like JPEGs (with EXIF orientation), PNG, GIF, broken ones;
and a look at the packages the simulator accepted."""

from __future__ import annotations

import functools
import io
import random
import struct
import zlib
from pathlib import Path

from PIL import Image

import smstui.protocol as p


def photo_image(width: int, height: int, seed: int = 1) -> Image.Image:
    """A picture that compresses like a photo: smooth colour fields under a fine grain."""
    rnd = random.Random(seed)
    small = Image.new("RGB", (12, 9))
    small.putdata([(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)) for _ in range(12 * 9)])
    fields = small.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.frombytes("L", (width // 4, height // 4), rnd.randbytes((width // 4) * (height // 4)))
    grain = grain.resize((width, height), Image.Resampling.NEAREST).convert("RGB")
    return Image.blend(fields, grain, 0.22)


@functools.cache
def photo_jpeg(width: int = 4000, height: int = 3000, seed: int = 1, orientation: int = 1, quality: int = 88) -> bytes:
    """A photo-like JPEG (12 megapixels by default) with an EXIF orientation."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    photo_image(width, height, seed).save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


@functools.cache
def photo_png(width: int = 480, height: int = 360, seed: int = 4) -> bytes:
    """A photo saved as PNG (a screenshot of one, say): big, but it may still fit as it is."""
    out = io.BytesIO()
    photo_image(width, height, seed).save(out, "PNG")
    return out.getvalue()


@functools.cache
def logo_png(size: int = 120, seed: int = 2) -> bytes:
    """A small PNG of a few colours, with transparency (a logo): it fits as it is."""
    rnd = random.Random(seed)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    for _ in range(6):
        x, y = rnd.randrange(size - 20), rnd.randrange(size - 20)
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256), 255)
        image.paste(colour, (x, y, x + 20, y + 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@functools.cache
def big_gif(size: int = 420, frames: int = 4, seed: int = 3) -> bytes:
    """An animated GIF of noise, far bigger than an MMS can carry as it is."""
    rnd = random.Random(seed)
    images = [Image.frombytes("L", (size, size), rnd.randbytes(size * size)).convert("P") for _ in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=200, loop=0)
    return out.getvalue()


@functools.cache
def small_gif(size: int = 32) -> bytes:
    """A tiny GIF that fits as it is."""
    out = io.BytesIO()
    Image.new("P", (size, size), 3).save(out, "GIF")
    return out.getvalue()


def huge_png_header(width: int = 8660, height: int = 5774) -> bytes:
    """A PNG whose header says 50 megapixels (its pixels need not exist for the check to refuse it)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        chunk(b"IEND", b"")


def write(folder: Path, name: str, data: bytes) -> Path:
    """A file of the test's own."""
    path = folder / name
    path.write_bytes(data)
    return path


def accepted_packages(simulator) -> list[tuple[str, list[p.TmsPart]]]:
    """(subject, parts) of every MMS the simulator accepted, in order — the simulator's own unpacking of them.

    The simulator unpacks and checks each package (`Gateway._check_mms`) but its tasks keep only the subject; this
    records the order it accepted, calling through to the real gateway (nothing of its behaviour changes).
    """
    gateway = simulator.gateway
    seen: list[tuple[str, list[p.TmsPart]]] = getattr(gateway, "_mms_seen", None) or []
    if not hasattr(gateway, "_mms_seen"):
        real_send = gateway.send

        def send(order):
            task, count = real_send(order)
            if order.kind == "mms":
                seen.append((order.subject, p.check_tms(order.package, simulator.config.max_mms_bytes)))
            return task, count

        gateway.send = send
        gateway._mms_seen = seen
    return seen
