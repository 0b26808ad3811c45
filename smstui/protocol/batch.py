"""The point-to-point body of BatchSms.ashx (§1.6): escaped lines, CRLF, gzip, base64."""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import zlib
from collections.abc import Iterable
from operator import itemgetter
from typing import NamedTuple

from .errors import BatchFormatError

GZIP_LEVEL = 6
_ESCAPES = {"\\": "\\\\", "\r": "\\r", "\n": "\\n"}
_NEEDS_ESCAPE = re.compile(r"[\\\r\n]")
_UNESCAPE = re.compile(r"\\([\\rn])")
_UNESCAPED = {"\\": "\\", "r": "\r", "n": "\n"}
_LINE_BREAK = re.compile(r"\r?\n")


class BatchRow(NamedTuple):
    """One personalised message: a number and its own content."""

    mobile: str
    content: str


def escape_content(content: str) -> str:
    """Escape backslash, CR and LF as two characters each, so a message stays on one line."""
    if _NEEDS_ESCAPE.search(content) is None:
        return content
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], content)


def unescape_content(content: str) -> str:
    """Undo escape_content; a backslash before any other character stays as it is."""
    if "\\" not in content:
        return content
    return _UNESCAPE.sub(lambda m: _UNESCAPED[m.group(1)], content)


def batch_text(rows: Iterable[BatchRow | tuple[str, str]]) -> str:
    """The plain text of a batch: `mobile,content` lines joined with CRLF; refuses duplicates."""
    rows = rows if isinstance(rows, list) else list(rows)
    mobiles = list(map(itemgetter(0), rows))
    if len(set(mobiles)) != len(mobiles) or "" in mobiles or _has_any("".join(mobiles), ",\\\r\n"):
        _refuse_mobiles(mobiles)
    # One join over a flat list [m, ",", c, "\r\n", …] is much cheaper than a join per row.
    count = len(rows)
    pieces = [","] * (4 * count)
    pieces[0::4] = mobiles
    pieces[2::4] = list(map(itemgetter(1), rows))
    pieces[3::4] = ["\r\n"] * count
    text = "".join(pieces[:-1])
    # Only the separators may hold CR or LF, and nothing a backslash: then no row needs escaping.
    if "\\" in text or text.count("\r") != count - 1 or text.count("\n") != count - 1:
        text = "\r\n".join([f"{mobile},{escape_content(content)}" for mobile, content in rows])
    return text


def _has_any(text: str, characters: str) -> bool:
    return any(character in text for character in characters)


def _refuse_mobiles(mobiles: list[str]) -> None:
    seen: dict[str, int] = {}
    for number, mobile in enumerate(mobiles, 1):
        if mobile in seen:
            raise BatchFormatError(f"{mobile} is already in row {seen[mobile]}", f"row {number}")
        if not mobile or _NEEDS_ESCAPE.search(mobile) or "," in mobile:
            raise BatchFormatError(f"{mobile!r} is not a mobile number", f"row {number}")
        seen[mobile] = number


def encode_batch(rows: Iterable[BatchRow | tuple[str, str]]) -> str:
    """The `content` field of a point-to-point send: gzip then base64 of the batch text."""
    data = batch_text(rows).encode("utf-8")
    return base64.b64encode(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)).decode("ascii")


def decode_batch(content: str) -> list[BatchRow]:
    """The rows of a point-to-point `content` field; BatchFormatError says what is wrong."""
    try:
        packed = base64.b64decode(content.strip().replace(" ", "+"), validate=True)
    except (binascii.Error, ValueError):
        raise BatchFormatError("not valid base64", "content") from None
    try:
        text = gzip.decompress(packed).decode("utf-8")
    except (OSError, EOFError, zlib.error):
        raise BatchFormatError("not gzip data", "content") from None
    except UnicodeDecodeError:
        raise BatchFormatError("the unpacked text is not UTF-8", "content") from None
    rows: list[BatchRow] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        if not line.strip():
            continue
        mobile, comma, message = line.partition(",")
        mobile = mobile.strip()
        if not comma:
            raise BatchFormatError("no comma between number and content", f"line {number}")
        if mobile in seen:
            raise BatchFormatError(f"{mobile} is already on line {seen[mobile]}", f"line {number}")
        seen[mobile] = number
        rows.append(BatchRow(mobile, unescape_content(message)))
    return rows
