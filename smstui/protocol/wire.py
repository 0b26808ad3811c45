"""Reading and writing reply bodies tolerantly: encodings, safe XML, status words, numbers."""

from __future__ import annotations

import functools
import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from html import escape as _html_escape
from typing import ParamSpec, TypeVar

from .errors import GatewayReplyError

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_BOM = b"\xef\xbb\xbf"
_LEADING_BYTES = b" \t\r\n"
_LEADING_TEXT = " \t\r\n\ufeff"
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_GBK_FAMILY = ("gb2312", "gbk", "gb18030", "cp936")
# Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SUCCESS = {"success", "sucess", "ok", "1"}
_FAILURE = {"fail", "faild", "failed", "failure", "error"}
XML_DECLARATION = '<?xml version="1.0" encoding="{}" ?>'
_P = ParamSpec("_P")
_R = TypeVar("_R")


def reply_parser(parse: Callable[_P, _R]) -> Callable[_P, _R]:
    """Make a parser's promise hold: it returns a result or raises GatewayReplyError, nothing else."""

    @functools.wraps(parse)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return parse(*args, **kwargs)
        except GatewayReplyError:
            raise
        except Exception as exc:
            raw = args[0] if args and isinstance(args[0], (bytes, str)) else b""
            raise GatewayReplyError(f"unreadable reply ({type(exc).__name__}: {exc})", raw) from exc

    return guarded


def decode_body(raw: bytes | str) -> str:
    """A body as text: leading BOM and whitespace removed, UTF-8 when it is UTF-8, else the declared encoding."""
    if isinstance(raw, str):
        return raw.lstrip(_LEADING_TEXT)
    raw = raw.lstrip(_LEADING_BYTES)
    while raw.startswith(_BOM):
        raw = raw[len(_BOM) :].lstrip(_LEADING_BYTES)
    declared = _DECLARED.match(raw)
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    # Strict UTF-8 first even under a GBK declaration: servers declare gb2312 over UTF-8 bytes, and GBK text
    # with Chinese in it is practically never valid UTF-8.
    if encoding in _GBK_FAMILY or encoding in ("utf-8", "utf8"):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "gb18030"
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", "replace")


def parse_xml(raw: bytes | str, root: str = "returnsms") -> ET.Element:
    """The root element of an XML reply; GatewayReplyError for non-XML, a DTD, or another root."""
    text = decode_body(raw)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise GatewayReplyError("the XML declares a DTD or entities, which are refused", raw)
    if not text.strip():
        raise GatewayReplyError("the body is empty", raw)
    try:
        element = ET.fromstring(text)
    except ET.ParseError as exc:
        raise GatewayReplyError(f"not XML ({exc})", raw) from None
    tag = local_name(element.tag)
    if tag.lower() != root:
        raise GatewayReplyError(f"expected <{root}>, got <{tag}>", raw)
    return element


def parse_json(raw: bytes | str) -> dict:
    """The object of a JSON reply; GatewayReplyError for anything else."""
    text = decode_body(raw).strip()
    if not text:
        raise GatewayReplyError("the body is empty", raw)
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise GatewayReplyError(f"not JSON ({exc})", raw) from None
    if not isinstance(value, dict):
        raise GatewayReplyError("the JSON is not an object", raw)
    return value


def local_name(tag: str) -> str:
    """A tag without its `{namespace}`."""
    return tag.rsplit("}", 1)[-1]


def fields_of(element: ET.Element, keep: tuple[str, ...] = ()) -> dict[str, str]:
    """An element's children as lower-case name → text, stripped unless named in `keep` (first one wins)."""
    fields: dict[str, str] = {}
    for child in element:
        tag = child.tag
        name = (tag.rsplit("}", 1)[1] if "}" in tag else tag).lower()
        if name not in fields:
            text = child.text
            fields[name] = "" if text is None else text if name in keep else text.strip()
    return fields


def json_fields(value: dict) -> dict[str, str]:
    """A JSON object's scalar members as lower-case name → stripped text."""
    return {
        str(k).lower(): "" if v is None else str(v).strip()
        for k, v in value.items()
        if not isinstance(v, (list, dict))
    }


def error_text(error: object) -> str:
    """One entry of an `Errors` list for people: a string as it is, an object as `Key: value` pairs, a list joined."""
    if isinstance(error, dict):
        return ", ".join(f"{k}: {error_text(v)}" for k, v in error.items() if v not in (None, ""))
    if isinstance(error, list):
        return "; ".join(error_text(e) for e in error)
    return "" if error is None else str(error)


def status_word(word: str | None) -> bool | None:
    """Success (True), failure (False) or unknown (None) for `Success`, `Sucess`, `Faild`, …"""
    if word is None:
        return None
    word = word.strip().lower()
    if word in _SUCCESS:
        return True
    if word in _FAILURE:
        return False
    return None


def returnstatus(fields: dict[str, str], raw: bytes | str) -> tuple[bool, str]:
    """A reply's `returnstatus`: whether it says success, and the word as sent; GatewayReplyError if neither."""
    status = fields.get("returnstatus")
    ok = status_word(status)
    if ok is None:
        raise GatewayReplyError(f"returnstatus {status!r} is neither success nor failure", raw)
    return ok, status or ""


def to_int(text: str | int | float | None) -> int | None:
    """A whole number from a tolerant text (`' 16'`, `'-4'`, `'12.0'`); None when absent or not a number."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        return int(text) if math.isfinite(text) else None
    if not isinstance(text, str):
        return None
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return int(float(text))
        except (ValueError, OverflowError):
            return None


def to_number(text: str | int | float | None) -> int | float | None:
    """A balance or amount: an int when whole (`' 16'`, `'12.0'`), a float when not (`'12.50'` stays 12.5)."""
    # Gateways that bill in money write fractions; cutting 12.50 to 12 would misstate the balance.
    if isinstance(text, str):
        text = text.strip().replace(",", "")
        if not _NUMBER.fullmatch(text):
            return None
        value = float(text)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(text, float) and math.isfinite(text) and not text.is_integer():
        return text
    return to_int(text)


def xml_text(value: object) -> str:
    """A value as XML character data: escaped, CR kept as `&#13;`, characters XML cannot carry dropped."""
    text = _html_escape("" if value is None else str(value), quote=False)  # & < > (xml.sax's escape costs 20 ms)
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    return text


def render_xml(fields: Sequence[tuple[str, object]], root: str = "returnsms", encoding: str = "utf-8") -> bytes:
    """A reply document: declaration, root, one child per line in the given order, CRLF endings."""
    lines = [XML_DECLARATION.format(encoding), f"<{root}>"]
    for name, value in fields:
        lines.append(f"<{name}>{xml_text(value)}</{name}>")
    lines.append(f"</{root}>")
    return "\r\n".join(lines).encode(_codec(encoding), "replace")


def render_json(value: object, encoding: str = "utf-8") -> bytes:
    """A JSON reply with non-ASCII written raw, as the gateway writes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(_codec(encoding), "replace")


def render_fields(pairs: Sequence[tuple[str, object]], fmt: str = "xml", encoding: str = "utf-8") -> bytes:
    """A flat reply in the document's field order: XML elements, or a JSON object of strings (`fmt="json"`)."""
    if fmt == "json":
        return render_json({name: str(value) for name, value in pairs}, encoding)
    return render_xml(pairs, encoding=encoding)


def _codec(encoding: str) -> str:
    return "gb18030" if encoding.lower() in ("gb2312", "gbk") else encoding
