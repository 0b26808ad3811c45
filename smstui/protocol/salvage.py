"""Recovering statusbox/callbox blocks from a reply that is not well-formed XML (a raw `&` or `<` in one box)."""

from __future__ import annotations

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
