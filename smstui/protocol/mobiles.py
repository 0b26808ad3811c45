"""Mobile number lists as people paste them: normalised, de-duplicated, every bad entry located."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

MOBILE = re.compile(r"1[3-9]\d{9}")
# Entries that are not already a plain valid number, found in one pass of the regex engine.
_ODD = re.compile(r"^(?!1[3-9]\d{9}$).*$", re.M)
# Hard separators: every one becomes a half-width comma (one character for one, so offsets hold).
_SEPARATORS = "，;；、|\t\n\r"
_TO_COMMA = str.maketrans({sep: "," for sep in _SEPARATORS})
_FILLERS = re.compile(r"[\s\-().（）\u3000]")
_PREFIXES = ("+86", "0086", "86")


@dataclass(frozen=True, slots=True)
class InvalidEntry:
    """An entry that is not a mainland mobile number, where it stands and why."""

    text: str
    line: int
    entry: int
    reason: str
    where: str

    @property
    def message(self) -> str:
        """A message naming the place and the fault, e.g. `line 3: 1380013800 has 10 digits`."""
        return f"{self.where}: {self.text} {self.reason}"


@dataclass(frozen=True, slots=True)
class DuplicateEntry:
    """A number given again, where it stands and where it was first given."""

    mobile: str
    line: int
    entry: int
    where: str
    first_where: str

    @property
    def message(self) -> str:
        """A message naming both places."""
        return f"{self.where}: {self.mobile} was already given at {self.first_where}"


@dataclass(frozen=True, slots=True)
class MobileList:
    """The result of reading a pasted list: valid unique numbers in order, and every fault."""

    numbers: list[str]
    invalid: list[InvalidEntry] = field(default_factory=list)
    duplicates: list[DuplicateEntry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether there is at least one number and no invalid entry."""
        return bool(self.numbers) and not self.invalid

    def joined(self) -> str:
        """The numbers as the gateway's `mobile` field: half-width commas."""
        return ",".join(self.numbers)


def is_mobile(text: str) -> bool:
    """Whether a text is exactly a mainland mobile number as the gateway takes it (11 digits, 13–19)."""
    return MOBILE.fullmatch(text) is not None


def normalise_mobile(text: str) -> str | None:
    """One entry as a plain 11-digit number (prefix, spaces and dashes removed), or None."""
    compact = _FILLERS.sub("", text)
    for prefix in _PREFIXES:
        if compact.startswith(prefix) and len(compact) == len(prefix) + 11:
            compact = compact[len(prefix) :]
            break
    return compact if MOBILE.fullmatch(compact) else None


def why_invalid(text: str) -> str:
    """Why an entry is not a mainland mobile number, in plain words."""
    compact = _FILLERS.sub("", text)
    if compact.startswith("+") and not compact.startswith("+86"):
        return "is not a mainland China number (+86)"
    for prefix in _PREFIXES:
        if compact.startswith(prefix) and len(compact) > 11:
            compact = compact[len(prefix) :]
            break
    if not compact.isdigit() or not compact.isascii():
        return "contains characters other than digits"
    if len(compact) != 11:
        return f"has {len(compact)} digits (a mainland mobile number has 11)"
    if compact[0] != "1" or compact[1] not in "3456789":
        return "does not start with 13–19"
    return "is not a valid mobile number"


def parse_mobiles(text: str) -> MobileList:
    """Read a pasted list (commas of both widths, `;`, spaces, lines, `+86`) into a MobileList."""
    flat = text.translate(_TO_COMMA) if any(sep in text for sep in _SEPARATORS) else text
    raw = flat.split(",")
    odd = set(_ODD.findall("\n".join(raw)))
    seen: dict[str, int] = {}
    bad: list[tuple[int, str, str]] = []  # (raw index, text, reason)
    repeats: list[tuple[int, str]] = []  # (raw index, number)
    empties: list[int] = []
    if odd:
        for index, entry in enumerate(raw):
            if entry in odd:
                _odd_entry(index, entry, seen, bad, repeats, empties)
            elif entry in seen:
                repeats.append((index, entry))
            else:
                seen[entry] = index
    else:
        for index, entry in enumerate(raw):
            if entry in seen:
                repeats.append((index, entry))
            else:
                seen[entry] = index
    if not bad and not repeats:
        return MobileList(list(seen))
    place = _Places(text, raw, empties)
    invalid = [InvalidEntry(t, place.line(i), place.entry(i), reason, place.where(i)) for i, t, reason in bad]
    duplicates = [
        DuplicateEntry(m, place.line(i), place.entry(i), place.where(i), place.where(seen[m])) for i, m in repeats
    ]
    return MobileList(list(seen), invalid, duplicates)


def _odd_entry(
    index: int,
    entry: str,
    seen: dict[str, int],
    bad: list[tuple[int, str, str]],
    repeats: list[tuple[int, str]],
    empties: list[int],
) -> None:
    stripped = entry.strip()
    if not stripped:
        empties.append(index)
        return
    number = normalise_mobile(stripped)
    tokens = [number] if number else stripped.split()
    for token in tokens:
        number = token if token is number else normalise_mobile(token)
        if number is None:
            bad.append((index, token, why_invalid(token)))
        elif number in seen:
            repeats.append((index, number))
        else:
            seen[number] = index


class _Places:
    """Turns raw entry indexes into line numbers and entry ordinals, computed only when needed."""

    def __init__(self, text: str, raw: list[str], empties: list[int]) -> None:
        self._empties = empties
        self._multiline = "\n" in text
        if self._multiline:
            self._offsets = [0, *accumulate(len(entry) + 1 for entry in raw)]
            self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, index: int) -> int:
        """The 1-based line of a raw entry."""
        if not self._multiline:
            return 1
        return bisect_right(self._newlines, self._offsets[index]) + 1

    def entry(self, index: int) -> int:
        """The 1-based ordinal of a raw entry among the non-empty ones."""
        return index - bisect_right(self._empties, index) + 1

    def where(self, index: int) -> str:
        """`line N` for a list of lines, `entry N` for a one-line list."""
        return f"line {self.line(index)}" if self._multiline else f"entry {self.entry(index)}"
