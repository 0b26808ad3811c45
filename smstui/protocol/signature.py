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
    def empty(self) -> bool:
        """Whether the name is nothing but whitespace (`【   】`)."""
        return not self.name.strip()

    @property
    def valid(self) -> bool:
        """Whether the name is 3–8 characters long and not only whitespace."""
        return not self.empty and MIN_SIGNATURE <= self.length <= MAX_SIGNATURE


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
    """Whether another signature-like 【…】 stands at the other end of the text or right beside the signature."""
    if signature.position == "end":
        head = text.lstrip()
        if head.startswith(OPEN) and CLOSE in head and signature.start > len(text) - len(head):
            return True
        before = text[: signature.start].rstrip()
        return before.endswith(CLOSE) and _looks_like_signature(before[before.rfind(OPEN) + 1 : -1], before)
    tail = text.rstrip()
    if tail.endswith(CLOSE) and OPEN in tail[signature.end :]:
        return True
    after = text[signature.end :].lstrip()
    return after.startswith(OPEN) and _looks_like_signature(after[1 : after.find(CLOSE)], after)


def _looks_like_signature(name: str, around: str) -> bool:
    return (
        OPEN in around
        and CLOSE in around
        and OPEN not in name
        and MIN_SIGNATURE <= text_length(name.strip()) <= MAX_SIGNATURE
    )


def text_after_signature(text: str, longest: int = 5) -> tuple[str, str] | None:
    """(signature name, the text after it) when a short text follows the last 【…】 (`您好【星辰科技】。`)."""
    closing = text.rfind(CLOSE)
    opening = text.rfind(OPEN, 0, closing) if closing > 0 else -1
    if opening < 0:
        return None
    name, tail = text[opening + 1 : closing], text[closing + 1 :].strip()
    if not tail or OPEN in name or not name.strip() or text_length(tail) > longest:
        return None
    return name, tail
