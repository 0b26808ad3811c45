"""Reading personalised batches from CSV or XLSX files: every row read whole or refused, every problem by its line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import protocol as p
from .batch_csv import RowTest, guess_delimiter, line_cells, physical_lines, split_rows
from .batch_encoding import decode_text
from .batch_mapping import CONTENT_HEADERS, MOBILE_HEADERS, header_key
from .batch_records import BatchFileError, LineProblem, Source
from .batch_workbook import is_workbook, read_workbook

__all__ = ["CONTENT_HEADERS", "MOBILE_HEADERS", "BatchFile", "BatchFileError", "LineProblem", "Source",
           "read_batch_file"]

_SHOWN = 40  # characters of a cell a message quotes


@dataclass(frozen=True, slots=True)
class BatchFile:
    """The rows of a batch file, the line each begins on, every problem by its line, and how the file was read."""

    path: Path
    rows: tuple[p.BatchRow, ...]
    lines: tuple[int, ...]  # the line (or sheet row) each row begins on
    findings: tuple[LineProblem, ...]
    source: Source
    header: tuple[str, ...] = ()  # the header row as written; empty when the file has none
    columns: tuple[int, int] = (0, 1)  # the mobile and the content column (0 = the first)

    @property
    def problems(self) -> list[str]:
        """Every problem in words, in the order of the file (`line 3: 1234 has 4 digits …`)."""
        return [finding.message for finding in self.findings]

    @property
    def encoding(self) -> str:
        """The codec a CSV file was read with (`gb18030`, `utf-8-sig`, `big5`), or `xlsx`."""
        return self.source.encoding or self.source.format


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the numbers and the messages are, and the header row if there is one."""

    mobile: int = 0
    content: int = 1
    header: tuple[str, ...] = ()
    line: int = 0  # the header's line, 0 when there is none
    problem: LineProblem | None = None


def read_batch_file(path: str | Path) -> BatchFile:
    """Rows (mobile, content) of a CSV or XLSX file; numbers normalised, every bad line reported with its line.

    BatchFileError (an InvalidInput) when the file cannot be read at all, naming the file (and the line)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BatchFileError(path, f"cannot read ({exc.strerror or exc})", why=exc.strerror or exc) from None
    except ValueError as exc:  # a NUL in the name
        raise BatchFileError(path, f"cannot read ({exc})", why=exc) from None
    if is_workbook(data):
        table, source = read_workbook(data, path)
        layout = _layout(table[0][1], table[0][0]) if table else _Layout()
        found: list[LineProblem] = []
        width = 0  # a sheet's cells are never split by a delimiter: other columns are just other columns
        may_hold_controls = True
    else:
        decoded = decode_text(data, path)
        lines = physical_lines(decoded.text)
        first = next((number for number, line in enumerate(lines, 1) if line.strip()), 0)
        delimiter = guess_delimiter(lines[first - 1], _known) if first else ","
        layout = _layout(line_cells(lines[first - 1], delimiter), first) if first else _Layout()
        table, found = split_rows(lines, delimiter, _row_test(layout.mobile))
        source = Source("csv", decoded.encoding, decoded.guessed, delimiter)
        width = max(len(layout.header), 2)
        may_hold_controls = bool(p.control_characters(decoded.text))  # one search of the text spares one a row
    if layout.problem is not None:
        found.insert(0, layout.problem)
    batch = _rows(path, table, layout, found, source, width, may_hold_controls)
    if not batch.rows and not batch.findings:
        if layout.header:
            named = _listed(layout.header)
            raise BatchFileError(path, f"the file has a header ({named}) and no rows", kind="no_rows", header=named)
        raise BatchFileError(path, "the file is empty", kind="empty")
    return batch


def _rows(path: Path, table: list[tuple[int, list[str]]], layout: _Layout, found: list[LineProblem], source: Source,
          width: int, may_hold_controls: bool) -> BatchFile:
    """The rows of a table and the problems of its lines, in the order of the file."""
    rows: list[p.BatchRow] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    mobile_col, content_col = layout.mobile, layout.content
    content_name = layout.header[content_col] if content_col < len(layout.header) else ""
    for line, cells in table:
        if line == layout.line:
            continue
        raw = cells[mobile_col].strip() if len(cells) > mobile_col else ""
        mobile = raw if p.is_mobile(raw) else p.normalise_mobile(raw)
        if mobile is None:
            why = p.mobiles.why_invalid(raw) if raw else "has no number"
            found.append(LineProblem.at(line, "mobile_invalid", f"{_shown(raw) or '(empty)'} {why}", entry=raw))
            continue
        if mobile in seen:
            found.append(LineProblem.at(line, "mobile_repeated", f"{mobile} is already on line {seen[mobile]}",
                                        mobile=mobile, first=seen[mobile]))
            continue
        seen[mobile] = line
        if width and len(cells) > width and (extra := sum(1 for cell in cells[width:] if cell.strip())):
            found.append(LineProblem.at(
                line, "cells_extra", f"{width + extra} cells where {width} are expected: a delimiter in the content? "
                "Put the content in quotes (or name every column in a header row)", mobile=mobile, cells=width + extra))
            continue
        content = cells[content_col] if len(cells) > content_col else ""
        if not content.strip():
            found.append(LineProblem.at(line, "content_empty", f"the content for {mobile} is empty", content_name,
                                        mobile=mobile))
            continue
        if "\r" in content:
            content = p.normalise_newlines(content)
        if may_hold_controls and (controls := p.control_characters(content)):
            found.append(LineProblem.at(
                line, "content_control_characters", f"the content for {mobile} holds invisible control characters "
                f"({p.describe_controls(controls)}); remove them", content_name, mobile=mobile,
                positions=[at for at, _ in controls]))
            continue
        rows.append(p.BatchRow(mobile, content))
        lines.append(line)
    found.sort(key=lambda finding: finding.line)  # stable: a line's own problems keep their order
    return BatchFile(path, tuple(rows), tuple(lines), tuple(found), source, layout.header,
                     (mobile_col, content_col))


def _known(cell: str) -> bool:
    """Whether a cell is a header smstui knows or a mobile number (for guessing the delimiter)."""
    key = header_key(cell)
    return key in MOBILE_HEADERS or key in CONTENT_HEADERS or p.normalise_mobile(cell) is not None


def _layout(cells: list[str], line: int) -> _Layout:
    """The columns a first row names, a problem if it is a header smstui cannot use, or no header at all."""
    keys = [header_key(cell) for cell in cells]
    mobile = next((i for i, key in enumerate(keys) if key in MOBILE_HEADERS), None)
    content = next((i for i, key in enumerate(keys) if key in CONTENT_HEADERS and i != mobile), None)
    header = tuple(cells)
    if mobile is not None and content is not None:
        return _Layout(mobile, content, header, line)
    if mobile is not None or content is not None:
        known = mobile if mobile is not None else content
        other = next((i for i, cell in enumerate(cells) if i != known and cell.strip()), 1 if known == 0 else 0)
        what, names = ("content", "content, 内容, 短信内容") if content is None else ("mobile", "mobile, 手机号码")
        problem = LineProblem.at(line, "header_incomplete", f"the header ({_listed(cells)}) has no {what} column: "
                                 f"name it one of {names}, …", header=list(header))
        return _Layout(other if mobile is None else mobile, other if content is None else content, header, line,
                       problem)
    if cells and cells[0].strip() and not any(ch.isdigit() for ch in cells[0]):
        problem = LineProblem.at(line, "header_unknown", f"the header ({_listed(cells)}) names no column smstui "
                                 "knows: name the numbers' column mobile (or 手机号码, …) and the messages' column "
                                 "content (or 内容, …)", header=list(header))
        return _Layout(0, 1, header, line, problem)
    return _Layout()


def _row_test(mobile_col: int) -> RowTest:
    def row_like(cells: list[str]) -> bool:
        """Whether a line read alone is a row: a number where the numbers are, and another cell."""
        return len(cells) >= 2 and len(cells) > mobile_col and p.normalise_mobile(cells[mobile_col]) is not None

    return row_like


def _shown(text: str) -> str:
    """A cell as a message quotes it: control characters visible, at most 40 characters."""
    text = p.show_controls(text)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _listed(cells: list[str] | tuple[str, ...]) -> str:
    return ", ".join(_shown(cell.strip()) for cell in cells if cell.strip())
