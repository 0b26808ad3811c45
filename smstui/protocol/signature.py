"""The 【signature】 rule: one signature of 3–8 characters at the end (or the start)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .length import text_length

OPEN, CLOSE = "【", "】"
MIN_SIGNATURE, MAX_SIGNATURE = 3, 8
LOOKALIKES = (("[", "]"), ("〖", "〗"), ("［", "］"), ("〔", "〕"))


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature found in a content: its name, where it stands and whether its length is valid."""

    name: str
    position: Literal["end", "start"]
    start: int
    end: int

    @property
    def length(self) -> int:
        """The name's length in the gateway's unit."""
        return text_length(self.name)

    @property
    def valid(self) -> bool:
        """Whether the name is 3–8 characters long."""
        return MIN_SIGNATURE <= self.length <= MAX_SIGNATURE


def find_signature(text: str) -> Signature | None:
    """The signature at the end of the text, else the one at its start, else None."""
    stripped_end = len(text.rstrip())
    if stripped_end and text[stripped_end - 1] == CLOSE:
        opening = text.rfind(OPEN, 0, stripped_end - 1)
        if opening >= 0 and CLOSE not in text[opening + 1 : stripped_end - 1]:
            return Signature(text[opening + 1 : stripped_end - 1], "end", opening, stripped_end)
    stripped_start = len(text) - len(text.lstrip())
    if text[stripped_start : stripped_start + 1] == OPEN:
        closing = text.find(CLOSE, stripped_start + 1)
        if closing >= 0 and OPEN not in text[stripped_start + 1 : closing]:
            return Signature(text[stripped_start + 1 : closing], "start", stripped_start, closing + 1)
    return None


def find_lookalike(text: str) -> str | None:
    """A bracket pair that looks like a signature but is not 【】 (e.g. `[name]`), if the text ends with one."""
    stripped = text.rstrip()
    for opening, closing in LOOKALIKES:
        if stripped.endswith(closing) and opening in stripped:
            return opening + closing
    return None


def second_signature(text: str, signature: Signature) -> bool:
    """Whether a signature-like 【…】 also stands at the other end of the text."""
    if signature.position == "end":
        head = text.lstrip()
        return head.startswith(OPEN) and CLOSE in head and signature.start > len(text) - len(head)
    tail = text.rstrip()
    return tail.endswith(CLOSE) and OPEN in tail[signature.end :]
