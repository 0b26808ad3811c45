"""Content checks before sending: empty, too long, signature, verification code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .length import MAX_CONTENT_LENGTH, text_length
from .signature import MAX_SIGNATURE, MIN_SIGNATURE, find_lookalike, find_signature, second_signature

Severity = Literal["error", "warning", "info"]
VERIFICATION_MARK = "验证码"
NEAR_LIMIT_RATIO = 0.9


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about an input: a stable kind, its §10 code if any, severity and a plain message."""

    kind: str
    message: str
    severity: Severity = "error"
    code: int | None = None
    params: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def blocking(self) -> bool:
        """Whether this problem prevents sending."""
        return self.severity == "error"


def find_sensitive(text: str, words: list[str]) -> list[str]:
    """The configured sensitive words a text contains, in the configured order."""
    return [word for word in words if word and word in text]


def sensitive_message(found: list[str]) -> str:
    """The gateway's refusal text for sensitive words, naming the first (`敏感词(xxx)`, PROTOCOL.md §12)."""
    return f"敏感词({found[0]})"


def keyword_check_message(found: list[str]) -> str:
    """The answer of the undocumented `action=checkkeyword` (PROTOCOL.md §12)."""
    return f"包含非法字符：{','.join(found)}" if found else "没有包含屏蔽词"


def unencodable(text: str, encoding: str = "gbk") -> list[str]:
    """The distinct characters of a text that an encoding (GBK for smsGBK.aspx) cannot carry, in order."""
    try:
        text.encode(encoding)
        return []
    except UnicodeEncodeError:
        pass
    bad: dict[str, None] = {}
    for character in text:
        try:
            character.encode(encoding)
        except UnicodeEncodeError:
            bad[character] = None
    return list(bad)


def describe_characters(characters: list[str]) -> str:
    """Characters for people: `'😀' (U+1F600), '€' (U+20AC)`."""
    return ", ".join(f"{c!r} (U+{ord(c):04X})" for c in characters[:5]) + (" …" if len(characters) > 5 else "")


def is_verification(content: str) -> bool:
    """Whether the content falls under the verification-code rule (it contains 验证码)."""
    return VERIFICATION_MARK in content


def validate_content(
    text: str, *, max_length: int = MAX_CONTENT_LENGTH, require_signature: bool = True
) -> list[Problem]:
    """Every problem of a message content, most serious first; empty when it may be sent."""
    problems: list[Problem] = []
    if not text.strip():
        return [Problem("content_empty", "The message is empty.", code=2001)]
    length = text_length(text)
    if length > max_length:
        problems.append(
            Problem(
                "content_too_long",
                f"The message has {length} characters; the gateway accepts at most {max_length}.",
                code=2105,
                params={"length": length, "max": max_length},
            )
        )
    elif length >= max_length * NEAR_LIMIT_RATIO:
        problems.append(
            Problem(
                "content_near_limit",
                f"The message has {length} of at most {max_length} characters.",
                severity="warning",
                params={"length": length, "max": max_length},
            )
        )
    problems.extend(_signature_problems(text, require_signature))
    if is_verification(text):
        problems.append(
            Problem(
                "verification_code",
                "Contains 验证码: each number may get at most 3 such messages in 3 minutes.",
                severity="info",
            )
        )
    return problems


def _signature_problems(text: str, required: bool) -> list[Problem]:
    signature = find_signature(text)
    if signature is None:
        if not required:
            return []
        lookalike = find_lookalike(text)
        hint = f" ({lookalike} is not a signature: use 【】)" if lookalike else ""
        return [
            Problem(
                "signature_missing",
                f"No signature: end the message with 【name】, {MIN_SIGNATURE}–{MAX_SIGNATURE} characters{hint}.",
                code=2113,
                params={"lookalike": lookalike or ""},
            )
        ]
    problems = []
    if not signature.valid:
        problems.append(
            Problem(
                "signature_length",
                f"The signature 【{signature.name}】 has {signature.length} characters; "
                f"it must have {MIN_SIGNATURE}–{MAX_SIGNATURE}.",
                code=2114,
                params={"name": signature.name, "length": signature.length},
            )
        )
    if signature.position == "start":
        problems.append(
            Problem(
                "signature_at_start",
                "The signature is at the start; the document asks for it at the end.",
                severity="info",
            )
        )
    if second_signature(text, signature):
        problems.append(
            Problem(
                "signature_twice",
                "There is a 【…】 at both ends: the gateway expects one signature.",
                severity="warning",
            )
        )
    return problems
