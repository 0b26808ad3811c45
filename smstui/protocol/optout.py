"""Opt-out replies (TD, 退订, T): what a recipient types to stop messages, however they type it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

OPTOUT_WORDS = ("TD", "退订", "T")
_SIGNATURE = re.compile(r"【[^【】]*】")
_NOISE = re.compile(r"[\W_]+")  # spaces, punctuation and symbols of any script


def optout_key(text: str) -> str:
    """A reply reduced to what counts: full-width folded (NFKC), upper case, no signature, spaces or punctuation."""
    return _NOISE.sub("", _SIGNATURE.sub("", unicodedata.normalize("NFKC", text))).upper()


def is_optout(text: str, words: Iterable[str] = OPTOUT_WORDS) -> bool:
    """Whether a reply asks to stop messages: `ＴＤ`, ` td。`, `退订【星辰】` all do; `TD please call` does not."""
    key = optout_key(text)
    return bool(key) and key in {optout_key(word) for word in words}
