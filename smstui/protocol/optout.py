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
