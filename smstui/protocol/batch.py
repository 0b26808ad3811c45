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

from .content import broken_characters
from .errors import BatchFormatError
from .mobiles import normalise_mobile, why_invalid

GZIP_LEVEL = 6
_ESCAPES = {"\\": "\\\\", "\r": "\\r", "\n": "\\n"}
_NEEDS_ESCAPE = re.compile(r"[\\\r\n]")
_UNESCAPE = re.compile(r"\\([\\rn])")
_UNESCAPED = {"\\": "\\", "r": "\r", "n": "\n"}
_LINE_BREAK = re.compile(r"\r?\n")
_PLAIN_MOBILES = re.compile(r"1[3-9][0-9]{9}(?:,1[3-9][0-9]{9})*")


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
    """The plain text of a batch: `mobile,content` lines joined with CRLF; numbers normalised, duplicates refused."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        raise BatchFormatError("the batch has no rows", "rows")
    mobiles = list(map(itemgetter(0), rows))
    # One regex pass over all numbers and one set: only a list that fails them is read number by number.
    try:
        plain = _PLAIN_MOBILES.fullmatch(",".join(mobiles)) is not None and len(set(mobiles)) == len(mobiles)
    except TypeError:  # a number that is not text
        plain = False
    if not plain:
        mobiles = _checked_mobiles(mobiles)
    contents = list(map(itemgetter(1), rows))
    joined = "".join(contents)
    if "\\" in joined or "\r" in joined or "\n" in joined:
        contents = list(map(escape_content, contents))
    # One join over a flat list [m, ",", c, "\r\n", …] is much cheaper than a join per row.
    pieces = ["", ",", "", "\r\n"] * len(rows)
    pieces[0::4] = mobiles
    pieces[2::4] = contents
    pieces[-1] = ""
    return "".join(pieces)


def _checked_mobiles(mobiles: list[str]) -> list[str]:
    """Every number normalised (spaces, +86, full width); BatchFormatError names the first bad or repeated row."""
    seen: dict[str, int] = {}
    for row, mobile in enumerate(mobiles, 1):
        number = normalise_mobile(mobile) if isinstance(mobile, str) else None
        if number is None:
            reason = why_invalid(mobile) if isinstance(mobile, str) and mobile.strip() else "is not a mobile number"
            raise BatchFormatError(f"{mobile!r} {reason}", f"row {row}")
        if number in seen:
            raise BatchFormatError(f"{number} is already in row {seen[number]}", f"row {row}")
        seen[number] = row
    return list(seen)


def encode_batch(rows: Iterable[BatchRow | tuple[str, str]]) -> str:
    """The `content` field of a point-to-point send: gzip then base64 of the batch text."""
    rows = rows if isinstance(rows, list) else list(rows)
    text = batch_text(rows)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        row = next(n for n, (_, content) in enumerate(rows, 1) if broken_characters(content))
        raise BatchFormatError("the content holds a broken character (a lone surrogate); retype or remove it",
                               f"row {row}") from None
    return base64.b64encode(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)).decode("ascii")


def decode_batch(content: str) -> list[BatchRow]:
    """The rows of a point-to-point `content` field; BatchFormatError says what is wrong."""
    try:
        packed = base64.b64decode(content.strip().replace(" ", "+"), validate=True)
    except (binascii.Error, ValueError):
        raise BatchFormatError("not valid base64", "content", "不是有效的base64编码") from None
    try:
        text = gzip.decompress(packed).decode("utf-8")
    except (OSError, EOFError, zlib.error):
        raise BatchFormatError("not gzip data", "content", "不是GZip压缩的内容") from None
    except UnicodeDecodeError:
        raise BatchFormatError("the unpacked text is not UTF-8", "content", "内容不是UTF-8编码") from None
    rows: list[BatchRow] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        if not line.strip():
            continue
        mobile, comma, message = line.partition(",")
        mobile = mobile.strip()
        if not comma:
            raise BatchFormatError("no comma between number and content", f"line {number}", f"第{number}行缺少逗号")
        if mobile in seen:
            raise BatchFormatError(f"{mobile} is already on line {seen[mobile]}", f"line {number}",
                                   f"第{number}行手机号码{mobile}重复")
        seen[mobile] = number
        rows.append(BatchRow(mobile, unescape_content(message)))
    return rows
