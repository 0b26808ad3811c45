"""Recovering statusbox/callbox blocks from a reply that is not well-formed XML (a raw `&` or `<` in one box)."""

from __future__ import annotations

import json
import re

from .wire import decode_body

_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_FIELD = re.compile(r"<([A-Za-z_][\w.-]*)\s*(?:/>|>(.*?)</\1\s*>)", re.S)
_ROOT_END = re.compile(r"</returnsms\s*>\s*\Z", re.I)


def unescape(text: str) -> str:
    """Replace the five XML entities and numeric references; a bare `&` stays as it is."""
    if "&" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        name, decimal, hexadecimal = match.groups()
        if name:
            return _NAMED[name]
        number = int(decimal) if decimal else int(hexadecimal, 16)
        return chr(number) if 0 < number < 0x110000 else match.group()

    return _ENTITY.sub(one, text)


def salvage_boxes(raw: bytes | str, kinds: tuple[str, ...]) -> list[tuple[str, dict[str, str]]] | None:
    """The boxes of a whole `<returnsms>` body, as (kind, raw field texts) in order; None when it cannot be trusted."""
    text = decode_body(raw)
    if "<!DOCTYPE" in text or "<!ENTITY" in text or not _ROOT_END.search(text):
        return None  # refused, or cut short: boxes missing from the end would go unnoticed
    names = "|".join(re.escape(kind) for kind in kinds)
    blocks = list(re.finditer(rf"<({names})\s*>(.*?)</\1\s*>", text, re.S | re.I))
    if len(blocks) != len(re.findall(rf"<(?:{names})[\s>/]", text, re.I)):
        return None  # a box without its end, or one inside another
    boxes = []
    for block in blocks:
        fields: dict[str, str] = {}
        for match in _FIELD.finditer(block.group(2)):
            fields.setdefault(match.group(1).lower(), unescape(match.group(2) or ""))
        boxes.append((block.group(1).lower(), fields))
    return boxes


_JSON_OBJECT = re.compile(r"\{[^{}\[\]]*\}")


def salvage_cut(raw: bytes | str, kinds: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """The boxes that arrived whole in an XML body cut short (a dropped connection, a cut reply): every box up to
    the last one that ended; nothing from a body that is refused (a DTD), not the gateway's, or an error answer."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    names = "|".join(re.escape(kind) for kind in kinds)
    ends = list(re.finditer(rf"</(?:{names})\s*>".encode(), data, re.I))
    if not ends:
        return []
    head = data[: ends[-1].end()]  # cut at an ASCII boundary: what is left decodes whole
    text = decode_body(head)
    if "<!DOCTYPE" in text or "<!ENTITY" in text or not re.search(r"<returnsms\s*>", text, re.I):
        return []
    if re.search(r"<errorstatus", text, re.I):
        return []
    boxes = []
    for block in re.finditer(rf"<({names})\s*>(.*?)</\1\s*>", text, re.S | re.I):
        fields: dict[str, str] = {}
        for match in _FIELD.finditer(block.group(2)):
            fields.setdefault(match.group(1).lower(), unescape(match.group(2) or ""))
        boxes.append((block.group(1).lower(), fields))
    return boxes


def salvage_cut_json(raw: bytes | str, box: str) -> list[dict[str, str]]:
    """The entries that arrived whole in a JSON body cut short: each complete flat object after the box's key."""
    text = raw.decode("utf-8", "ignore") if isinstance(raw, bytes) else raw
    start = re.search(rf'"{re.escape(box)}"\s*:\s*\[', text, re.I)
    if start is None or not re.search(r'"error"\s*:\s*"?1"?\s*[,}]', text[: start.start()] + text[start.end():], re.I):
        return []
    entries = []
    for match in _JSON_OBJECT.finditer(text, start.end()):
        try:
            value = json.loads(match.group())
        except ValueError:
            continue
        if isinstance(value, dict):
            entries.append({str(k).lower(): "" if v is None else str(v) for k, v in value.items()})
    return entries
