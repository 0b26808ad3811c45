"""Mobile number lists as people paste them: normalised, de-duplicated, every bad entry located."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, count
from operator import add

MOBILE = re.compile(r"1[3-9][0-9]{9}")
_PLAIN_LIST = re.compile(r"1[3-9][0-9]{9}(?:,1[3-9][0-9]{9})*")  # plain numbers joined by commas
# Entries that are not already a plain valid number, found in one pass of the regex engine.
_ODD = re.compile(r"^(?!1[3-9][0-9]{9}$).*$", re.M)
# Hard separators: every one becomes a half-width comma (one character for one, so offsets hold).
_SEPARATORS = "，;；、|\t\n\r"
_FILLERS = re.compile(r"[\s\-().（）\u3000－]")
_PREFIXES = ("+86", "0086", "86")
# Full-width digits and plus, as a Chinese input method types them.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９＋", "0123456789+")


@dataclass(frozen=True, slots=True)
class InvalidEntry:
    """An entry that is not a mainland mobile number, where it stands and why."""

    text: str
    line: int
    entry: int
    reason: str
    where: str
    kind: str = "invalid"  # a key of INVALID_REASONS, with `params` its values (for translations)
    params: dict[str, object] = field(default_factory=dict, compare=False)

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
    """Whether a text is exactly a mainland mobile number as the gateway takes it (11 ASCII digits, 13–19)."""
    return MOBILE.fullmatch(text) is not None


def all_plain(mobiles: list[str]) -> bool:
    """Whether every one of many numbers is already exactly a mobile number (one regex pass over them all)."""
    try:
        return bool(mobiles) and _PLAIN_LIST.fullmatch(",".join(mobiles)) is not None
    except TypeError:  # a number that is not text
        return False


def _cleaned(text: str) -> str:
    """The text without invisible format characters (zero-width space, BOM, marks: Cf), full-width digits as ASCII."""
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf").translate(_HALF_WIDTH)


def normalise_mobile(text: str) -> str | None:
    """One entry as a plain 11-digit number (prefix, spaces, dashes, invisibles removed; full width read), or None."""
    compact = _FILLERS.sub("", _cleaned(text))
    for prefix in _PREFIXES:
        if compact.startswith(prefix) and len(compact) == len(prefix) + 11:
            compact = compact[len(prefix) :]
            break
    return compact if MOBILE.fullmatch(compact) else None


# Why an entry is not a number: a stable kind (for translations) and the plain English words.
INVALID_REASONS = {
    "foreign": "is not a mainland China number (+86)",
    "not_digits": "contains characters other than digits",
    "length": "has {digits} digits (a mainland mobile number has 11)",
    "prefix": "does not start with 13–19",
    "invalid": "is not a valid mobile number",
}


def diagnose(text: str) -> tuple[str, dict[str, object]]:
    """Why an entry is not a mainland mobile number: a kind of INVALID_REASONS and its values."""
    compact = _FILLERS.sub("", _cleaned(text))
    if compact.startswith("+") and not compact.startswith("+86"):
        return "foreign", {}
    for prefix in _PREFIXES:
        if compact.startswith(prefix) and len(compact) > 11:
            compact = compact[len(prefix) :]
            break
    if not compact.isdigit() or not compact.isascii():
        return "not_digits", {}
    if len(compact) != 11:
        return "length", {"digits": len(compact)}
    if compact[0] != "1" or compact[1] not in "3456789":
        return "prefix", {}
    return "invalid", {}


def why_invalid(text: str) -> str:
    """Why an entry is not a mainland mobile number, in plain words."""
    kind, values = diagnose(text)
    return INVALID_REASONS[kind].format(**values)


def parse_mobiles(text: str) -> MobileList:
    """Read a pasted list (commas of both widths, `;`, spaces, lines, `+86`) into a MobileList."""
    compact = _compact(text)
    raw = _flatten(compact).split(",")
    odd = set(_ODD.findall("\n".join(raw)))
    seen: dict[str, int] = {}
    reader = _OddEntries(seen)
    repeats = reader.repeats
    if odd:
        for index, entry in enumerate(raw):
            if entry in odd:
                reader.read(index, entry)
            elif entry in seen:
                repeats.append((index, 0, entry))
            else:
                seen[entry] = index
    else:
        for index, entry in enumerate(raw):
            if entry in seen:
                repeats.append((index, 0, entry))
            else:
                seen[entry] = index
    if not reader.bad and not repeats:
        return MobileList(list(seen))
    place = _Places(compact, raw, reader.empties, reader.splits)
    invalid = [InvalidEntry(t, place.line(i), place.entry(i, k), INVALID_REASONS[kind].format(**values),
                            place.where(i, k), kind, values) for i, k, t, (kind, values) in reader.bad]
    duplicates = [
        DuplicateEntry(
            m, place.line(i), place.entry(i, k), place.where(i, k), place.where(seen[m], reader.tokens.get(m, 0))
        )
        for i, k, m in repeats
    ]
    return MobileList(list(seen), invalid, duplicates)


def _compact(text: str) -> str:
    """The text with CRLF as LF and the space after a comma or semicolon gone: fewer odd entries, same lines."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    for spaced in (", ", "， ", "; "):
        if spaced in text:
            text = text.replace(spaced, spaced[0])
    return text


def _flatten(text: str) -> str:
    """Every hard separator as a half-width comma, one character for one."""
    for separator in _SEPARATORS:
        if separator in text:
            text = text.replace(separator, ",")
    return text


class _OddEntries:
    """Reads the entries that are not plain numbers: empty ones, prefixed or spaced numbers, several in one entry."""

    def __init__(self, seen: dict[str, int]) -> None:
        self.seen = seen
        self.bad: list[tuple[int, int, str, tuple[str, dict[str, object]]]] = []  # (raw index, token, text, why)
        self.repeats: list[tuple[int, int, str]] = []  # (raw index, token, number)
        self.empties: list[int] = []
        self.splits: list[tuple[int, int]] = []  # (raw index, extra entries its tokens make)
        self.tokens: dict[str, int] = {}  # numbers first seen as a later token of an entry → that token

    def read(self, index: int, entry: str) -> None:
        """Read one odd entry; whitespace-separated tokens count as entries of their own."""
        stripped = _cleaned(entry).strip()
        if not stripped:
            self.empties.append(index)
            return
        number = normalise_mobile(stripped)
        tokens = [number] if number else _numbers_in(stripped.split())
        if len(tokens) > 1:
            self.splits.append((index, len(tokens) - 1))
        for token_index, token in enumerate(tokens):
            number = token if token is number else normalise_mobile(token)
            if number is None:
                self.bad.append((index, token_index, token, diagnose(token)))
            elif number in self.seen:
                self.repeats.append((index, token_index, number))
            else:
                self.seen[number] = index
                if token_index:
                    self.tokens[number] = token_index


def _numbers_in(tokens: list[str]) -> list[str]:
    """Space-separated pieces regrouped into the numbers they spell (`+86 138 0013 8000 +86 139 0013 9000` is two);
    a piece that starts no number stays alone, a `+` country code with the piece after it."""
    entries: list[str] = []
    start = 0
    while start < len(tokens):
        end = next(
            (
                end
                for end in range(start + 1, min(start + _MOST_PIECES, len(tokens)) + 1)
                if normalise_mobile(" ".join(tokens[start:end]))
            ),
            None,
        )
        if end is None:
            end = start + (2 if tokens[start].startswith("+") and start + 1 < len(tokens) else 1)
        entries.append(" ".join(tokens[start:end]))
        start = end
    return entries


_MOST_PIECES = 5  # `+86 138 0013 8000` is four


class _Places:
    """Turns raw entry indexes into line numbers and entry ordinals, computed only when needed."""

    def __init__(self, text: str, raw: list[str], empties: list[int], splits: list[tuple[int, int]]) -> None:
        self._empties = empties
        self._split_at = [index for index, _ in splits]
        self._extra = list(accumulate((extra for _, extra in splits), initial=0))
        self._multiline = "\n" in text
        self._one_per_line = self._multiline and text.count("\n") == len(raw) - 1
        if self._multiline and not self._one_per_line:
            # Where each entry and each line starts: lengths summed in C, plus one separator per entry or line.
            self._entry_starts = list(map(add, accumulate(map(len, raw), initial=0), count()))
            self._line_starts = list(map(add, accumulate(map(len, text.split("\n")), initial=0), count()))

    def line(self, index: int) -> int:
        """The 1-based line of a raw entry."""
        if not self._multiline:
            return 1
        if self._one_per_line:
            return index + 1
        return bisect_right(self._line_starts, self._entry_starts[index])

    def entry(self, index: int, token: int = 0) -> int:
        """The 1-based ordinal of a raw entry's token among the non-empty entries and tokens."""
        extra = self._extra[bisect_left(self._split_at, index)]
        return index - bisect_right(self._empties, index) + extra + token + 1

    def where(self, index: int, token: int = 0) -> str:
        """`line N` for a list of lines, `entry N` for a one-line list."""
        return f"line {self.line(index)}" if self._multiline else f"entry {self.entry(index, token)}"
