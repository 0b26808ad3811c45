"""A batch file as a table of text cells (header, rows, their lines), before any column has a role."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .. import protocol as p
from .batch_csv import DELIMITERS, guess_delimiter, line_cells, physical_lines, split_rows
from .batch_encoding import decode_text
from .batch_mapping import CONTENT_HEADERS, MOBILE_HEADERS, auto_map, header_key
from .batch_records import BatchFileError, LineProblem, Source
from .batch_workbook import is_workbook, read_workbook

Progress = Callable[[float], None]  # the share of the work done, 0 … 1
SNIFF_ROWS = 50


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a file was when read: its size and modification time (to tell that it changed on disk)."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Stamp | None:
        """The file's stamp now (None when it is gone)."""
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return cls(stat.st_size, stat.st_mtime_ns)


@dataclass(frozen=True)
class BatchTable:
    """The rows of a file as cells, each with the line (or sheet row) it begins on, and the lines not read."""

    path: Path
    header: tuple[str, ...]
    rows: list[list[str]]
    lines: list[int]
    findings: tuple[LineProblem, ...]  # lines that could not be read as rows (an unclosed quote, …)
    source: Source
    stamp: Stamp | None = None
    header_line: int = 0

    @property
    def width(self) -> int:
        """The number of columns: the header's, or the widest row's."""
        return max(len(self.header), max((len(row) for row in self.rows[:1000]), default=0), 1)

    def changed_on_disk(self) -> bool:
        """Whether the file is no longer what was read (changed, replaced or deleted)."""
        return self.stamp is not None and Stamp.of(self.path) != self.stamp


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: building 100,000 rows of cells would start it hundreds of times, each
    time walking every object made so far (reference counting still frees what is let go)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_table(path: str | Path, *, encoding: str = "", delimiter: str = "",
               progress: Progress | None = None) -> BatchTable:
    """The table of a CSV/TSV or XLSX file (the encoding and delimiter detected unless given); BatchFileError when
    the file cannot be read at all, naming the file and the line."""
    with bulk():
        return _read_table(Path(path), encoding, delimiter, progress)


def _read_table(path: Path, encoding: str, delimiter: str, progress: Progress | None) -> BatchTable:
    report = progress or (lambda _share: None)
    stamp = Stamp.of(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise BatchFileError(path, "is a folder, not a file", kind="folder") from None
    except OSError as exc:
        raise BatchFileError(path, f"cannot read ({exc.strerror or exc})", why=exc.strerror or exc) from None
    except ValueError as exc:
        raise BatchFileError(path, f"cannot read ({exc})", why=exc) from None
    if not data.strip():
        raise BatchFileError(path, "the file is empty (0 bytes)" if not data else "the file is empty", kind="empty")
    report(0.1)
    findings: list[LineProblem] = []
    if is_workbook(data):
        table, source = read_workbook(data, path)
    else:
        decoded = decode_text(data, path, encoding)
        if "\x00" in decoded.text[:4096]:
            raise BatchFileError(path, "not a table: the file holds binary data (a picture, a PDF, a zip?); save the "
                                 "sheet as CSV or XLSX", line=decoded.text[:4096].split("\x00")[0].count("\n") + 1,
                                 kind="binary")
        lines = physical_lines(decoded.text)
        first = next((number for number, line in enumerate(lines, 1) if line.strip()), 0)
        if delimiter and delimiter not in DELIMITERS:
            raise BatchFileError(path, f"{delimiter!r} is not a delimiter smstui reads (comma, tab, semicolon)",
                                 kind="delimiter", delimiter=repr(delimiter))
        chosen = delimiter or (guess_delimiter(lines[first - 1], _known) if first else ",")
        sniffed = [line_cells(line, chosen) for line in lines[first - 1:first - 1 + SNIFF_ROWS]] if first else []
        header_cells = sniffed[0] if sniffed and _is_header(sniffed[0]) else []
        mobile = auto_map(header_cells, sniffed[1:] if header_cells else sniffed, len(sniffed[0]) if sniffed else 1)
        column = mobile.mobile if mobile.mobile is not None else 0
        report(0.3)
        table, found = split_rows(lines, chosen, _row_test(column))
        findings.extend(found)
        source = Source("csv", decoded.encoding, decoded.guessed, chosen)
    report(0.8)
    header: tuple[str, ...] = ()
    header_line = 0
    if table and _is_header(table[0][1]):
        header_line, cells = table[0]
        header = tuple(cell.strip() for cell in cells)
        table = table[1:]
    if not table:
        if header:
            named = ", ".join(c for c in header if c)
            raise BatchFileError(path, f"the file has a header ({named}) and no rows", kind="no_rows", header=named)
        if findings:
            first_problem = findings[0]
            raise BatchFileError(path, first_problem.message.partition(": ")[2], line=first_problem.line,
                                 kind="not_table")
        raise BatchFileError(path, "the file is empty", kind="empty")
    rows = [cells for _, cells in table]
    if source.format == "csv" and max(len(row) for row in rows[:SNIFF_ROWS]) < 2 and len(header) < 2:
        raise BatchFileError(path, "not a table: one cell and no delimiter (comma, tab, semicolon) on this line; a "
                             "batch needs a number and a message on each line", line=header_line or table[0][0],
                             kind="one_cell")
    return BatchTable(path, header, rows, [line for line, _ in table], tuple(findings), source, stamp, header_line)


def _known(cell: str) -> bool:
    """Whether a cell is a header smstui knows or a mobile number (for guessing the delimiter)."""
    key = header_key(cell)
    return key in MOBILE_HEADERS or key in CONTENT_HEADERS or p.normalise_mobile(cell) is not None


def _is_header(cells: list[str]) -> bool:
    """Whether a first row names columns: no cell of it is a number, and some cell is text."""
    if any(p.normalise_mobile(cell) is not None for cell in cells):
        return False
    return any(cell.strip() and not cell.strip().isdigit() for cell in cells)


def _row_test(mobile_col: int) -> Callable[[list[str]], bool]:
    def row_like(cells: list[str]) -> bool:
        """Whether a line read alone is a row: a number where the numbers are, and another cell."""
        return len(cells) >= 2 and len(cells) > mobile_col and p.normalise_mobile(cells[mobile_col]) is not None

    return row_like
