"""Merge fields: a message template whose `{姓名}` placeholders take each row's cells of those columns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import protocol as p
from .batch_mapping import column_by_place, column_letter, header_key

# {name} or the full-width ｛name｝ an input method types; {{ and }} stand for a brace.
_TOKEN = re.compile(r"\{\{|\}\}|[{｛]([^{}｛｝\r\n]*)[}｝]")


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One `{name}` of a template: its name as written, the column it takes (None when it names none), its place."""

    name: str
    column: int | None
    start: int
    end: int


@dataclass(frozen=True)
class Template:
    """A message template compiled against a file's columns; `problems` say what keeps it from being used."""

    text: str
    placeholders: tuple[Placeholder, ...]
    problems: tuple[p.Problem, ...]
    columns: tuple[int, ...]  # the column of each placeholder, in order
    names: tuple[str, ...]  # the name of each column it takes, as the file writes it
    _format: str

    @property
    def usable(self) -> bool:
        """Whether every placeholder names one column and there is some text."""
        return not self.problems

    def render(self, cells: Sequence[str]) -> tuple[str, int]:
        """The message of one row, and the first placeholder column whose cell is empty (-1 when none is)."""
        count = len(cells)
        values = [cells[i].strip() if i < count else "" for i in self.columns]
        if "" in values:
            return "", self.columns[values.index("")]
        text = self._format.format(*values)
        return (p.normalise_newlines(text) if "\r" in text else text), -1


def compile_template(text: str, header: Sequence[str], width: int) -> Template:
    """A template's placeholders matched to columns by header (ignoring case, spaces, `_`, `-`), by number ({3}) or
    by letter ({C}); a placeholder that names no column, or two, is a problem of the template."""
    keys: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        if key := header_key(cell):
            keys.setdefault(key, []).append(index)
    pieces: list[str] = []
    placeholders: list[Placeholder] = []
    problems: list[p.Problem] = []
    at = 0
    for match in _TOKEN.finditer(text):
        pieces.append(_literal(text[at:match.start()]))
        at = match.end()
        token = match.group()
        if token in ("{{", "}}"):
            pieces.append(token)
            continue
        name = match.group(1).strip()
        column = _column(name, keys, width)
        placeholders.append(Placeholder(name, column if column is not None and column >= 0 else None,
                                        match.start(), match.end()))
        if column is None:
            known = ", ".join(cell.strip() for cell in header if cell.strip()) or ", ".join(
                column_letter(i) for i in range(width))
            problems.append(p.Problem("placeholder_unknown", f"{{{name}}} names no column (the columns: {known})",
                                      params={"name": name, "known": known}))
        elif column < 0:
            problems.append(p.Problem("placeholder_twice", f"{{{name}}} names {len(keys[header_key(name)])} columns: "
                                      "rename one of them in the file, or use the column's letter",
                                      params={"name": name, "count": len(keys[header_key(name)])}))
        pieces.append(f"{{{len(placeholders) - 1}}}")
    pieces.append(_literal(text[at:]))
    if not text.strip():
        problems.append(p.Problem("template_empty", "the template is empty"))
    columns = tuple(x.column if x.column is not None else 0 for x in placeholders)
    names = tuple(dict.fromkeys(header[c].strip() if c < len(header) and header[c].strip() else column_letter(c)
                                for c in columns))
    return Template(text, tuple(placeholders), tuple(problems), columns, names, "".join(pieces))


def _literal(text: str) -> str:
    """Text as a format string writes it: a lone brace doubled."""
    return text.replace("{", "{{").replace("}", "}}")


def _column(name: str, keys: dict[str, list[int]], width: int) -> int | None:
    """The column a placeholder names (-1 when it names two), None when it names none."""
    found = keys.get(header_key(name))
    if found:
        return found[0] if len(found) == 1 else -1
    return column_by_place(name, width)
