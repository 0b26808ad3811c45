"""CSV text as rows with their line numbers; a quoted cell that swallows what looks like the next row is refused."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable

from .batch_records import LineProblem

DELIMITERS = ",\t;"
Table = list[tuple[int, list[str]]]  # (the line a row begins on, its cells) for every row that holds something
RowTest = Callable[[list[str]], bool]


def physical_lines(text: str) -> list[str]:
    """The lines of a text as a CSV reader counts them (CRLF, LF or a lone CR ends one), with their endings."""
    return io.StringIO(text, newline="").readlines()


def guess_delimiter(first_line: str, known: Callable[[str], bool]) -> str:
    """The delimiter of the first line: the most frequent of `,` tab `;` that cuts out a known cell, else the most
    frequent (only the delimiter is guessed: quoting stays Excel's, so `""` in a quoted cell is a quote)."""
    found = sorted((d for d in DELIMITERS if d in first_line), key=first_line.count, reverse=True)
    for delimiter in found:
        if any(known(cell) for cell in line_cells(first_line, delimiter)):
            return delimiter
    return found[0] if found else ","


def split_rows(lines: list[str], delimiter: str, row_like: RowTest) -> tuple[Table, list[LineProblem]]:
    """The rows of CSV lines, each with the line it begins on, and every line that cannot be read as CSV.

    A row that spans lines has a line break inside a quoted cell: allowed (Excel writes a cell's line breaks so), unless
    a line inside the cell looks like a row of its own (`row_like`), which means an unclosed quote: that row is refused
    and reading goes on at the line that looked like a row, so nothing is merged into the cell and nothing is lost."""
    rows: Table = []
    problems: list[LineProblem] = []
    start = 0  # the index of the line the current reader began at
    while start < len(lines):
        reader = csv.reader(itertools.islice(lines, start, None), csv.excel, delimiter=delimiter, strict=True)
        consumed, restart = 0, len(lines)
        while True:
            first = start + consumed + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                last = start + reader.line_num
                swallowed = _row_inside(lines, first, last, delimiter, row_like)
                problems.append(_runs_over(first, swallowed) if swallowed else _unreadable(first, last, exc))
                restart = swallowed - 1 if swallowed else last
                break
            last = start + reader.line_num
            if last > first and (swallowed := _row_inside(lines, first, last, delimiter, row_like)):
                problems.append(_runs_over(first, swallowed))
                restart = swallowed - 1
                break
            if cells and "".join(cells).strip():
                rows.append((first, cells))
            consumed = reader.line_num
        start = restart
    return rows, problems


def line_cells(line: str, delimiter: str) -> list[str]:
    """One line's cells, read leniently (for guessing, and for the lines inside a quoted cell)."""
    return next(csv.reader([line], csv.excel, delimiter=delimiter), [])


def _row_inside(lines: list[str], first: int, last: int, delimiter: str, row_like: RowTest) -> int:
    """The first of the lines after `first` up to `last` that looks like a row of its own, or 0."""
    return next((line for line in range(first + 1, last + 1) if row_like(line_cells(lines[line - 1], delimiter))), 0)


def _runs_over(first: int, swallowed: int) -> LineProblem:
    return LineProblem.at(
        first, "quote_runs_over",
        f'a quoted cell opens here and is not closed before line {swallowed}, which looks like a row of its own: '
        'close the quote (") or, to keep it in the text, double it ("")', swallowed=swallowed)


def _unreadable(first: int, last: int, exc: csv.Error) -> LineProblem:
    """A line the CSV reader refused, in words: unclosed quote, text after a closing quote, an over-long cell."""
    why = str(exc)
    if "unexpected end of data" in why:
        return LineProblem.at(first, "quote_unclosed", 'a quoted cell opens here and is never closed (the file ends '
                              'inside it): close the quote (") or, to keep it in the text, double it ("")')
    where = f" (line {last})" if last > first else ""
    if "expected after" in why:
        return LineProblem.at(first, "quote_stray", f"text follows the closing quote of a cell{where}: put the whole "
                              'cell in quotes and double each quote inside it ("")', last=last)
    if "field larger than field limit" in why:
        return LineProblem.at(first, "cell_too_long", f"a cell{where} holds more than {csv.field_size_limit():,} "
                              "characters (an unclosed quote?)", last=last)
    return LineProblem.at(first, "csv", f"cannot be read as CSV{where} ({why})", last=last)
