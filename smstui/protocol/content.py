"""Content checks before sending: empty, broken or control characters, too long, signature, verification code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .controls import control_characters, describe_controls
from .length import MAX_CONTENT_LENGTH, text_length
from .signature import (
    MAX_SIGNATURE,
    MIN_SIGNATURE,
    find_lookalike,
    find_signature,
    second_signature,
    text_after_signature,
)

Severity = Literal["error", "warning", "info"]
VERIFICATION_MARK = "验证码"
NEAR_LIMIT_RATIO = 0.9
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about an input: a stable kind, its §10 code if any, severity, plain words, the gateway's words."""

    kind: str
    message: str
    severity: Severity = "error"
    code: int | None = None
    params: dict[str, object] = field(default_factory=dict, compare=False)
    zh: str = field(default="", compare=False)  # the gateway's own words for it, when it refuses

    @property
    def blocking(self) -> bool:
        """Whether this problem prevents sending."""
        return self.severity == "error"


def find_sensitive(text: str, words: list[str]) -> list[str]:
    """The configured sensitive words a text contains, in the configured order."""
    return [word for word in words if word and word in text]


def sensitive_message(found: list[str]) -> str:
    """The gateway's refusal text for sensitive words, naming the first (`敏感词(xxx)`, docs/protocol.md §12)."""
    return f"敏感词({found[0]})"


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


def broken_characters(text: str) -> list[str]:
    """The lone surrogates of a text (half an emoji from a broken paste): no encoding can carry them."""
    if text.isascii():
        return []
    return list(dict.fromkeys(_SURROGATES.findall(text)))


def validate_content(
    text: str, *, max_length: int = MAX_CONTENT_LENGTH, require_signature: bool = True
) -> list[Problem]:
    """Every problem of a message content, most serious first (errors, warnings, info); empty when it may be sent."""
    if not text.strip():
        return [Problem("content_empty", "The message is empty.", code=2001, zh="内容为空")]
    problems: list[Problem] = []
    if broken := broken_characters(text):
        problems.append(
            Problem(
                "content_broken_characters",
                f"The message holds broken characters ({describe_characters(broken)}), e.g. half an emoji; "
                "retype or remove them.",
                params={"characters": broken},
                zh="内容含有无效字符",
            )
        )
    if controls := control_characters(text):
        problems.append(
            Problem(
                "content_control_characters",
                f"The message holds invisible control characters ({describe_controls(controls)}); remove them.",
                params={"characters": [c for _, c in controls], "positions": [at for at, _ in controls],
                        "at": ", ".join(str(at) for at, _ in controls[:5])},
                zh="内容含有控制字符",
            )
        )
    length = text_length(text)
    if length > max_length:
        problems.append(
            Problem(
                "content_too_long",
                f"The message has {length} characters; the gateway accepts at most {max_length}.",
                code=2105,
                params={"length": length, "max": max_length},
                zh=f"内容太长，最多{max_length}个字",
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
    return sorted(problems, key=lambda problem: _RANK[problem.severity])


_RANK = {"error": 0, "warning": 1, "info": 2}


def _signature_problems(text: str, required: bool) -> list[Problem]:
    signature = find_signature(text)
    if signature is None:
        return _missing_signature(text) if required else []
    problems = []
    if not (text[: signature.start] + text[signature.end :]).strip():
        # A signature alone leaves nothing to send: the gateway's ContentEmpty (2001) is the code that fits.
        problems.append(
            Problem(
                "content_only_signature",
                f"The message is only the signature 【{signature.name}】: write the text before it.",
                code=2001,
                zh="内容为空，只有签名",
            )
        )
    if signature.empty:
        problems.append(
            Problem(
                "signature_length",
                f"The signature 【{signature.name}】 is empty; "
                f"write a name of {MIN_SIGNATURE}–{MAX_SIGNATURE} characters.",
                code=2114,
                params={"name": signature.name, "length": 0},
                zh="签名为空",
            )
        )
    elif not signature.valid:
        problems.append(
            Problem(
                "signature_length",
                f"The signature 【{signature.name}】 has {signature.length} characters; "
                f"it must have {MIN_SIGNATURE}–{MAX_SIGNATURE}.",
                code=2114,
                params={"name": signature.name, "length": signature.length},
                zh=f"签名字数{MIN_SIGNATURE}-{MAX_SIGNATURE}个字",
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
                "There is a second 【…】 beside the signature or at the other end: the gateway expects one signature.",
                severity="warning",
            )
        )
    return problems


def _missing_signature(text: str) -> list[Problem]:
    after = text_after_signature(text)
    if after is not None:
        name, tail = after
        return [
            Problem(
                "signature_not_at_end",
                f"{tail!r} follows the signature 【{name}】: the signature must end the message; "
                f"move that text before 【 or remove it.",
                code=2113,
                params={"name": name, "tail": tail},
                zh="签名必须在内容末尾",
            )
        ]
    lookalike = find_lookalike(text)
    hint = f" ({lookalike} is not a signature: use 【】)" if lookalike else ""
    return [
        Problem(
            "signature_missing",
            f"No signature: end the message with 【name】, {MIN_SIGNATURE}–{MAX_SIGNATURE} characters{hint}.",
            code=2113,
            params={"lookalike": lookalike or ""},
            zh="需要签名",
        )
    ]
