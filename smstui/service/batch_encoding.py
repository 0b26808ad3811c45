"""The text of a batch file: by its BOM, else UTF-8, else GB18030, unless the text and a detector both say otherwise."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from .batch_records import BatchFileError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# What a file GB18030 reads may really be in: GB18030 takes almost any pair of bytes, so Big5 and Shift-JIS text
# decodes as GB18030 too, as nonsense. These are tried only when the GB18030 reading looks like nonsense.
RIVALS = ("cp950", "big5", "big5hkscs", "cp932", "shift_jis", "euc_jp", "cp949", "euc_kr")
SAMPLE_BYTES = 64 * 1024
# GB18030 text of a Chinese customer is nearly all GB2312 (the 6,763 common characters); read as GB18030, Big5 and
# Shift-JIS are mostly not. Above this share of other characters a GB18030 reading is put to the detector.
DOUBTFUL_SHARE = 0.2
# Japanese is never without kana, Korean never without Hangul: a "Shift-JIS" reading of Chinese text is all kanji.
_CJK = re.compile("[\u4e00-\u9fff]")
_SCRIPT = {"cp932": "[\u3041-\u30ff]", "shift_jis": "[\u3041-\u30ff]", "euc_jp": "[\u3041-\u30ff]",
           "cp949": "[\uac00-\ud7a3]", "euc_kr": "[\uac00-\ud7a3]"}


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a file, the codec it was read with, and whether a detector chose it among several valid ones."""

    text: str
    encoding: str
    guessed: bool = False


def decode_text(data: bytes, path: Path, encoding: str = "") -> Decoded:
    """The text of a batch file's bytes (in `encoding` when the user chose one); BatchFileError names the line where
    no encoding smstui reads fits, or where a file partly in one encoding turns to another."""
    if encoding:
        return _forced(data, path, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec).removeprefix("\ufeff"), codec)
            except UnicodeDecodeError as exc:
                if codec == "utf-32":
                    continue  # FF FE 00 00 is also a UTF-16 BOM and a NUL
                raise BatchFileError(path, f"the file starts as {codec.upper()} (its BOM) but this line is not "
                                     f"{codec.upper()}: save it again", line=_line(data, exc.start, codec),
                                     kind="bom", codec=codec.upper()) from None
    if b"\x00" in data[:4096] and (utf16 := _bomless_utf16(data)) is not None:
        return utf16
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data, path)
    sample = _sample(data)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        if (rival := _rival(sample, data, gb18030=False)) is not None:
            return rival
        raise BatchFileError(path, f"not UTF-8, UTF-16 or GB18030 (GBK) text: byte 0x{data[exc.start]:02X} cannot be "
                             f"read{_hint(sample)}; save the file as CSV UTF-8", line=_line(data, exc.start),
                             kind="encoding", byte=f"0x{data[exc.start]:02X}") from None
    if _doubtful(text[: len(sample)]):  # Big5 or Shift-JIS read as GB18030? If the detector cannot say, say so
        return _rival(sample, data, gb18030=True) or Decoded(text, "gb18030", guessed=True)
    return Decoded(text, "gb18030")


def _forced(data: bytes, path: Path, encoding: str) -> Decoded:
    """The text in the encoding the user chose (a BOM of it skipped); BatchFileError names the line it breaks on."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise BatchFileError(path, f"{encoding!r} is not an encoding smstui knows", kind="no_such_encoding",
                             encoding=encoding) from None
    codec = "utf-8-sig" if codec == "utf-8" else codec
    try:
        return Decoded(data.decode(codec).removeprefix("\ufeff"), codec)
    except UnicodeDecodeError as exc:
        raise BatchFileError(path, f"this line is not {encoding.upper()} (byte 0x{data[exc.start]:02X}): choose "
                             "another encoding, or let smstui detect it", line=_line(data, exc.start, codec),
                             kind="not_encoding", encoding=encoding.upper(), byte=f"0x{data[exc.start]:02X}") from None


def _refuse_mixed(data: bytes, path: Path) -> None:
    """A file that is UTF-8 in some lines and not in others (two exports pasted together) is refused, naming both
    lines: read as one encoding, the others would turn to nonsense without a word."""
    utf8 = other = 0
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other = other or number
        else:
            if len(_CJK.findall(text)) >= 2:
                utf8 = utf8 or number
        if utf8 and other:
            raise BatchFileError(path, f"mixed encodings: line {utf8} is UTF-8 and this line is not (GBK?); save the "
                                 "whole file in one encoding (CSV UTF-8)", line=other, kind="mixed", utf8=utf8)


def _line(data: bytes, offset: int, codec: str = "") -> int:
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        return data[:offset].decode(codec, "replace").count("\n") + 1
    return data[:offset].count(b"\n") + 1


def _bomless_utf16(data: bytes) -> Decoded | None:
    """UTF-16 without a BOM, told by its NULs: the high bytes of ASCII, all on one side."""
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    codec = "utf-16-le" if odd >= max(2, len(sample) // 20) and even * 4 <= odd else (
        "utf-16-be" if even >= max(2, len(sample) // 20) and odd * 4 <= even else "")
    if not codec:
        return None
    try:
        return Decoded(data.decode(codec).removeprefix("\ufeff"), codec, guessed=True)
    except UnicodeDecodeError:
        return None


def _sample(data: bytes) -> bytes:
    """The first 64 KiB, cut after a line feed (never inside a character: no CJK encoding uses 0x0A as a trail)."""
    if len(data) <= SAMPLE_BYTES:
        return data
    cut = data.rfind(b"\n", 0, SAMPLE_BYTES)
    return data[: cut + 1] if cut > 0 else data[:SAMPLE_BYTES]


def _doubtful(text: str) -> bool:
    """Whether a GB18030 reading is mostly characters outside GB2312: likely another encoding read wrongly."""
    wide = len(text) - len(text.encode("ascii", "ignore"))
    if not wide:
        return False
    outside = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    return outside > wide * DOUBTFUL_SHARE


def _rival(sample: bytes, data: bytes, *, gb18030: bool) -> Decoded | None:
    """The encoding charset-normalizer prefers to GB18030 among those the bytes are valid in, if any."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # without the second opinion GB18030 stands, as it always has
        return None
    candidates = [codec for codec in RIVALS if _decodes(sample, codec)]
    if not candidates:
        return None
    try:
        best = from_bytes(sample, cp_isolation=(["gb18030"] if gb18030 else []) + candidates).best()
    except Exception:  # a second opinion that fails is no opinion
        return None
    if best is None or best.encoding not in candidates:
        return None
    try:
        text = data.decode(best.encoding)
    except UnicodeDecodeError:
        return None
    script = _SCRIPT.get(best.encoding)
    return Decoded(text, best.encoding, guessed=True) if script is None or re.search(script, text) else None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _hint(sample: bytes) -> str:
    """`; it looks like cp1252` when the detector has a guess."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return ""
    try:
        best = from_bytes(sample).best()
    except Exception:
        return ""
    return f"; it looks like {best.encoding}" if best is not None else ""
