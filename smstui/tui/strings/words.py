"""Findings of the protocol and the service in the user's language: by their kind and values, from the catalog."""

from __future__ import annotations

import re
from typing import Any

from . import CATALOG, Strings

_WHERE = re.compile(r"(line|entry) (\d+)")


def problem_text(t: Strings, problem: Any) -> str:
    """A content Problem (kind + params) in the user's language; the protocol's own words when not catalogued."""
    return t.get(f"problem.{problem.kind}", problem.message, **problem.params)


def where_text(t: Strings, where: str) -> str:
    """A place in a pasted list (`line 3`, `entry 2`) in the user's language."""
    match = _WHERE.fullmatch(where)
    return t(f"where.{match[1]}", n=match[2]) if match else where


def invalid_text(t: Strings, entry: Any) -> str:
    """An invalid entry of a pasted number list, naming where it is and what is wrong."""
    kind = getattr(entry, "kind", "")
    params = {"where": where_text(t, entry.where), "text": entry.text, **getattr(entry, "params", {})}
    return t.get(f"invalid.{kind}", entry.message, **params) if kind else entry.message


def duplicate_text(t: Strings, entry: Any) -> str:
    """A number given twice, naming both places."""
    return t("dup.entry", where=where_text(t, entry.where), mobile=entry.mobile, first=where_text(t, entry.first_where))


def held_text(t: Strings, held: Any) -> str:
    """Why a number is held back before sending (opt-out, or one of the two sending rules)."""
    return t.get(f"held.{held.rule}", held.reason, mobile=held.mobile)


def error_text(t: Strings, error: Any) -> str:
    """A service failure for people: its findings by kind, a gateway refusal by its code, else its own words."""
    findings = getattr(error, "findings", None)
    if findings:
        return "; ".join(problem_text(t, finding) for finding in findings)
    code = getattr(error, "code", None)
    kind = str(getattr(error, "kind", ""))
    if code is None and kind and f"error.kind.{kind}" in CATALOG:
        return t.get(f"error.kind.{kind}", error.message, **error.params)
    return refusal_text(t, code, error.message, getattr(error, "gateway_message", ""))


def error_title(t: Strings, error: Any) -> str:
    """The title of a failure's notification: by its type, the nearest catalogued one (never a KeyError)."""
    for kind in type(error).__mro__:
        key = f"error.{kind.__name__}"
        if key in CATALOG:
            return t(key)
    return getattr(error, "title", "Error")


def refusal_text(t: Strings, code: int | None, own_words: str, said: str = "") -> str:
    """A refusal by its result code: meaning, what to do, the gateway's own words; `own_words` in English."""
    if t.language != "zh" or code is None:
        return own_words
    from ...protocol import RESULT_CODES
    from ...protocol.codes import remedy_zh

    info = RESULT_CODES.get(code)
    if info is None:
        return own_words
    text = f"{info.code} {info.meaning_zh}。{remedy_zh(code, said)}"
    return f"{text}（网关：{said}）" if said and said != info.meaning_zh else text
