"""One strict checker for config dataclasses read from TOML or JSON: known keys, the declared types, sane ranges."""

from __future__ import annotations

import difflib
import math
import types
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Bound:
    """The range a number may take: at least `low` (above it when `open_low`), at most `high`."""

    low: float | None = None
    high: float | None = None
    open_low: bool = False
    unit: str = ""
    wording: str = ""  # how an error says the range, when the plain words would not fit it

    def refuses(self, value: float) -> str:
        """Why a value is out of range (what it must be), or an empty string."""
        unit = f" {self.unit}" if self.unit else ""
        low = self.low is not None and (value <= self.low if self.open_low else value < self.low)
        high = self.high is not None and value > self.high
        if not (low or high):
            return ""
        if self.wording:
            return self.wording
        if low:
            return f"{'above' if self.open_low else 'at least'} {self.low:g}{unit}"
        return f"at most {self.high:g}{unit}"

    def kind(self, value: float) -> str:
        """Which side a refused value is on (`above`, `at_least`, `at_most`), or `range` for a worded bound."""
        if self.wording:
            return "range"
        if self.low is not None and (value <= self.low if self.open_low else value < self.low):
            return "above" if self.open_low else "at_least"
        return "at_most"


RATIO = Bound(0, 1, wording="between 0 and 1")
SECONDS = Bound(0, wording="0 or more (seconds)")
POSITIVE = Bound(0, open_low=True, wording="above 0")


def _failure(error: type[Exception], message: str, kind: str, **params: object) -> Exception:
    """The error to raise, with its kind and figures for the words of another language when the type takes them."""
    failure = error(message)
    words = getattr(failure, "words", None)
    return words(kind, **params) if callable(words) else failure


def shown(name: str, value: Any, secrets: Collection[str]) -> str:
    """A value as an error message may show it: a secret key's value never appears."""
    return "(hidden)" if name in secrets else repr(value)


def unknown_keys(cls: type, data: Mapping[str, Any], where: str, error: type[Exception],
                 known: Collection[str] | None = None) -> None:
    """Refuse keys the dataclass does not have, suggesting the closest one."""
    names = set(known) if known is not None else {f.name for f in fields(cls)}
    unknown = sorted(str(key) for key in data if key not in names)
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(key, names, 1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise _failure(error, f"{where}: unknown key {key!r}{hint}", "config_unknown_key_close" if close else
                       "config_unknown_key", where=where, setting=repr(key), close=repr(close[0]) if close else "")


def checked_fields(cls: type, data: Mapping[str, Any], where: str, *, error: type[Exception],
                   bounds: Mapping[str, Bound] | None = None, secrets: Collection[str] = (),
                   known: Collection[str] | None = None) -> dict[str, Any]:
    """`data` checked against the fields of a config dataclass; `error` (naming `where` and the key) when wrong."""
    unknown_keys(cls, data, where, error, known)
    hints = typing.get_type_hints(cls)
    return {name: _checked(name, value, hints[name], where, error, bounds or {}, secrets)
            for name, value in data.items()}


def _checked(name: str, value: Any, hint: Any, where: str, error: type[Exception], bounds: Mapping[str, Bound],
             secrets: Collection[str]) -> Any:
    def bad(expected: str, kind: str = "", **figures: object) -> Exception:
        return _failure(error, f"{where}: {name} must be {expected}, not {shown(name, value, secrets)}",
                        f"config_must_{kind}" if kind else "config_must", where=where, setting=name,
                        value=shown(name, value, secrets), expected=expected, **figures)

    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):  # `X | None`: None is allowed, else the other type
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return None if value is None else _checked(name, value, options[0], where, error, bounds, secrets)
    if origin is Literal:
        if value not in typing.get_args(hint):
            choices = " or ".join(repr(a) for a in typing.get_args(hint))
            raise bad(choices, "choice", choices=", ".join(repr(a) for a in typing.get_args(hint)))
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise bad("true or false", "bool")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise bad("a string", "string")
        return value
    if hint in (int, float):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (hint is int and not isinstance(value, int))
        ):
            raise bad("a whole number", "int") if hint is int else bad("a number", "number")
        if isinstance(value, float) and not math.isfinite(value):
            raise bad("a finite number", "finite")
        bound = bounds.get(name)
        if bound is not None and (why := bound.refuses(value)):
            raise bad(why, bound.kind(value), **{side: f"{limit:g}" for side, limit in (("low", bound.low),
                                                                                          ("high", bound.high))
                                                    if limit is not None})
        return hint(value)
    if origin is list:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise bad("a list", "list")
        if item is str:
            if not all(isinstance(v, str) for v in value):
                raise bad("a list of strings", "strings")
            return list(value)
        return [_checked(name, v, item, where, error, bounds, secrets) for v in value]
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise bad("a table of strings", "table")
        return dict(value)
    return value
