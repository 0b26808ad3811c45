"""The point-to-point body of BatchSms.ashx (§1.6): escaped lines, CRLF, gzip, base64."""

from __future__ import annotations

import base64
import binascii
import gzip
import queue
import re
import threading
import zlib
from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter
from typing import NamedTuple

from .beijing import to_beijing
from .content import VERIFICATION_MARK, Problem, broken_characters, validate_content
from .errors import BatchFormatError
from .length import MAX_CONTENT_LENGTH, text_length
from .mobiles import all_plain, normalise_mobile, why_invalid
from .signature import CLOSE, LOOKALIKES, OPEN

GZIP_LEVEL = 6
PARALLEL_ROWS = 20_000  # from here on the text is compressed piece by piece while the next is joined
PIECE_ROWS = 10_000  # small enough that compressing starts early, large enough that handing pieces over is cheap
OWN_ANSWERS = 50_000  # irregular texts whose answers ContentChecker keeps (a file of them all is checked anyway)
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
    """The plain text of a batch: `mobile,content` lines joined with CRLF; numbers normalised, duplicates refused."""
    mobiles, contents = _columns(rows)
    if not _plain(mobiles):
        mobiles = _checked_mobiles(mobiles)
    return _joined(mobiles, contents)


def _columns(rows: Iterable[BatchRow | tuple[str, str]]) -> tuple[list[str], list[str]]:
    """The numbers and the contents of the rows, as two lists; BatchFormatError when there is no row."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        raise BatchFormatError("the batch has no rows", "rows")
    return list(map(itemgetter(0), rows)), list(map(itemgetter(1), rows))


def _plain(mobiles: list[str]) -> bool:
    """Whether every number is already plain and none repeats: one regex pass over all of them and one set (only a
    list that fails is read number by number)."""
    return all_plain(mobiles) and len(set(mobiles)) == len(mobiles)


def _joined(mobiles: list[str], contents: list[str], last: bool = True) -> str:
    """`mobile,content` lines joined with CRLF (ending in one unless `last`), each content escaped when any needs
    it."""
    # One join over a flat list [m, ",", c, "\r\n", …] is much cheaper than a join per row.
    pieces = ["", ",", "", "\r\n"] * len(mobiles)
    pieces[0::4] = mobiles
    pieces[2::4] = contents
    if last:
        pieces[-1] = ""
    text = "".join(pieces)
    # Only the separators break lines (numbers are digits): counting line ends spares a pass over the contents.
    breaks = len(mobiles) - last
    if text.count("\n") != breaks or text.count("\r") != breaks or "\\" in text:
        pieces[2::4] = map(escape_content, contents)
        text = "".join(pieces)
    return text


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
    """The `content` field of a point-to-point send: gzip then base64 of the batch text.

    A large batch is compressed piece by piece on a thread of its own (zlib lets go of the interpreter) while the
    next piece of text is joined and its numbers are checked; numbers that are not plain are normalised and the text
    compressed again, so the answer is the same either way."""
    rows = rows if isinstance(rows, list) else list(rows)
    if len(rows) < PARALLEL_ROWS:
        mobiles, contents = _columns(rows)
        if not _plain(mobiles):
            mobiles = _checked_mobiles(mobiles)
        return _packed(_joined(mobiles, contents), contents)
    packing = _Packing()
    seen: set[str] = set()
    plain = True
    try:
        count = len(rows)
        for start in range(0, count, PIECE_ROWS):
            end = min(start + PIECE_ROWS, count)
            mobiles, contents = _columns(rows[start:end])
            packing.feed(_utf8(_joined(mobiles, contents, last=end == count), contents, start))
            plain = plain and all_plain(mobiles)  # while the thread compresses this piece
            seen.update(mobiles)
    finally:
        packed = packing.result()
    if plain and len(seen) == count:
        return base64.b64encode(packed).decode("ascii")
    mobiles, contents = _columns(rows)
    return _packed(_joined(_checked_mobiles(mobiles), contents), contents)


def _packed(text: str, contents: list[str]) -> str:
    return base64.b64encode(_gzip(_utf8(text, contents))).decode("ascii")


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def _utf8(text: str, contents: list[str], first: int = 0) -> bytes:
    """The text as UTF-8; BatchFormatError names the row whose content holds a broken character."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        row = next(n for n, content in enumerate(contents, first + 1) if broken_characters(content))
        raise BatchFormatError("the content holds a broken character (a lone surrogate); retype or remove it",
                               f"row {row}") from None


class _Packing:
    """gzip (as gzip.compress with mtime 0 writes it) of bytes fed piece by piece, on a thread of its own."""

    def __init__(self) -> None:
        self._pieces: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._taken: queue.SimpleQueue[None] = queue.SimpleQueue()
        self._packed: list[bytes] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="smstui-gzip", daemon=True)
        self._thread.start()

    def feed(self, data: bytes) -> None:
        """The next piece of the text; returns once the thread has it in hand."""
        self._pieces.put(data)
        # Waiting here lets go of the interpreter lock, so the thread starts compressing now: otherwise it waits for
        # the lock while the caller's next long call (a join, a regex over every number) holds it, and nothing
        # overlaps.
        self._taken.get()

    def _run(self) -> None:
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: a gzip header, mtime 0
        try:
            while (piece := self._pieces.get()) is not None:
                self._taken.put(None)
                self._packed.append(packer.compress(piece))
            self._packed.append(packer.flush())
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def result(self) -> bytes:
        """The compressed bytes, once every piece was fed (and the thread is done)."""
        self._pieces.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return b"".join(self._packed)


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


# What makes a text irregular for ContentChecker: control characters, surrogates (lone or not) and characters outside
# the BMP (they count 2), in one search.
_IRREGULAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\U00010000-\U0010ffff]")
_LOOKALIKE_ENDS = frozenset(closing for _, closing in LOOKALIKES)


class ContentChecker:
    """validate_content for every row of a batch, with its answers, fast: rows alike in all the content rules look
    at share one answer.

    A text is regular when its only 【…】 is the one that ends it (or it holds none and ends in neither a space
    nor the closing bracket of a look-alike pair), its body is not blank, and it holds no control, broken or
    non-BMP character. validate_content judges a regular text by its signature, its length and whether it holds
    验证码 only, so regular texts with the same three share one (computed) answer; every other text is checked by
    validate_content itself. tests/protocol/test_batch_check.py holds this against validate_content."""

    def __init__(self, *, max_length: int = MAX_CONTENT_LENGTH, require_signature: bool = True) -> None:
        self.max_length = max_length
        self.require_signature = require_signature
        self._alike: dict[tuple[str, int, bool], tuple[Problem, ...]] = {}
        self._own: dict[str, tuple[Problem, ...]] = {}

    def check(self, text: str) -> tuple[Problem, ...]:
        """The problems of one content, as validate_content finds them (most serious first)."""
        key = self._key(text)
        if key is None:
            found = self._own.get(text)
            if found is None:
                found = self._validate(text)
                if len(self._own) < OWN_ANSWERS:
                    self._own[text] = found
            return found
        found = self._alike.get(key)
        if found is None:
            found = self._alike[key] = self._validate(text)
        return found

    def measure(self, text: str) -> tuple[tuple[Problem, ...], int]:
        """The problems of one content and its length as the gateway counts it (one search for both)."""
        key = self._key(text)
        if key is None:
            return self.check(text), text_length(text)
        found = self._alike.get(key)
        if found is None:
            found = self._alike[key] = self._validate(text)
        return found, key[1]  # a regular text holds no character outside the BMP: its length is len()

    def measure_all(self, texts: list[str]) -> list[tuple[tuple[Problem, ...], int]]:
        """`measure` of many contents; when none holds an irregular character (one search of them all), each is
        keyed in a loop of its own, the same key `_key` makes."""
        if _IRREGULAR.search("\n".join(texts)) is not None:
            return [self.measure(text) for text in texts]
        alike, validate, mark, close, open_ = self._alike, self._validate, VERIFICATION_MARK, CLOSE, OPEN
        ends = _LOOKALIKE_ENDS
        out: list[tuple[tuple[Problem, ...], int]] = []
        append = out.append
        for text in texts:
            key: tuple[str, int, bool] | None = None
            if text:
                last = text[-1]
                if last == close:
                    at = text.find(open_)
                    if at > 0 and text.count(open_) == 1 and text.count(close) == 1 and not text[:at].isspace():
                        key = text[at:], len(text), mark in text
                elif open_ not in text and close not in text and last not in ends and not last.isspace():
                    key = "", len(text), mark in text
            if key is None:
                append(self.measure(text))
                continue
            found = alike.get(key)
            if found is None:
                found = alike[key] = validate(text)
            append((found, key[1]))
        return out

    def _validate(self, text: str) -> tuple[Problem, ...]:
        return tuple(validate_content(text, max_length=self.max_length, require_signature=self.require_signature))

    @staticmethod
    def _key(text: str) -> tuple[str, int, bool] | None:
        """(the signature with its brackets, the length, whether it holds 验证码) of a regular text, else None."""
        if not text or _IRREGULAR.search(text) is not None:
            return None
        opens, closes = text.count(OPEN), text.count(CLOSE)
        if opens == closes == 1 and text[-1] == CLOSE:
            at = text.find(OPEN)
            body, signature = text[:at], text[at:]
        elif opens == closes == 0 and text[-1] not in _LOOKALIKE_ENDS and not text[-1].isspace():
            body, signature = text, ""
        else:
            return None
        if not body or body.isspace():
            return None
        return signature, len(text), VERIFICATION_MARK in text


NIGHT_STARTS, NIGHT_ENDS = 22, 8  # Beijing hours between which messages reach customers at night


def reaches_at_night(send_time: datetime | None, now: datetime) -> bool:
    """Whether a send (scheduled, or now when None) reaches phones between 22:00 and 08:00 Beijing time."""
    hour = to_beijing(send_time or now).hour
    return hour >= NIGHT_STARTS or hour < NIGHT_ENDS
