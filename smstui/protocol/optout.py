"""Opt-out replies (TD, 退订, T): what a recipient types to stop messages, however they type it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

OPTOUT_WORDS = ("TD", "退订", "T")
_SIGNATURE = re.compile(r"【[^【】]*】")
_NOISE = re.compile(r"[\W_]+")  # spaces, punctuation and symbols of any script
_REPLY = "回复"


def optout_key(text: str) -> str:
    """A reply reduced to what counts: full-width folded (NFKC), upper case, no signature, spaces or punctuation."""
    return _NOISE.sub("", _SIGNATURE.sub("", unicodedata.normalize("NFKC", text))).upper()


def is_optout(text: str, words: Iterable[str] = OPTOUT_WORDS) -> bool:
    """Whether a reply asks to stop messages: `ＴＤ`, ` td。`, `退订【星辰】`, `TD退订`, `回复TD` all do;
    `TD please call`, `不要退订` and `TT` do not."""
    key = optout_key(text)
    keys = sorted({optout_key(word) for word in words} - {""}, key=len, reverse=True)
    if not key or not keys:
        return False
    # One word, or two different ones (`TD退订`), after an optional 回复 ("reply") copied from the message.
    match = re.fullmatch(f"(?:{_REPLY})?({'|'.join(map(re.escape, keys))})({'|'.join(map(re.escape, keys))})?", key)
    return match is not None and match[1] != match[2]


# What people write when they mean "stop" but not in the one word the rule takes: a person decides these.
NEAR_PHRASES = ("退订", "取消订阅", "不要再发", "不要发", "别再发", "别发", "不要给我发", "别给我发", "拒收",
                "停止发送", "停发", "屏蔽", "骚扰", "不需要", "不用再发")
NEAR_WORDS = ("TD", "STOP", "UNSUBSCRIBE", "OPTOUT", "CANCEL", "QUIT", "END")
_LATIN_WORD = re.compile(r"[A-Z]+")


def near_optout(text: str, words: Iterable[str] = OPTOUT_WORDS) -> bool:
    """Whether a reply that is not an opt-out still looks like one, for a person to decide: `退订，谢谢`, `不要再发了`,
    `拒收`, `STOP please` and `TD 不要` do; `TD` (an opt-out already), `收到`, `T恤` and `STD` do not."""
    if is_optout(text, words):
        return False
    folded = unicodedata.normalize("NFKC", _SIGNATURE.sub("", text)).upper()
    key = _NOISE.sub("", folded)
    extra = tuple(k for k in (optout_key(w) for w in words) if len(k) > 1)  # one letter (T) is too common alone
    if any(phrase in key for phrase in NEAR_PHRASES + tuple(k for k in extra if not k.isascii())):
        return True
    latin = set(_LATIN_WORD.findall(folded))
    return bool(latin & {*NEAR_WORDS, *(k for k in extra if k.isascii())} or "OPT OUT" in " ".join(folded.split()))
