"""Exports of lists as files people open in Excel: CSV in UTF-8 with a BOM, or XLSX; formula-looking cells defused."""

from __future__ import annotations

import asyncio
import csv
import os
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from ..runtime.files import OWNER_ONLY
from .errors import InvalidInput

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula (OWASP's list)
Rows = list[tuple[Any, ...]]
Progress = Callable[[int], None]  # told the rows written so far, on the reading thread (raising stops the export)


def defused(value: Any) -> Any:
    """A cell as written: text that a spreadsheet would read as a formula gets a leading `'` (replies are typed by
    strangers); numbers and empty cells stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_format(path: Path, fmt: str = "") -> str:
    """`csv` or `xlsx`: as asked, else by the file's suffix (CSV when it has neither)."""
    chosen = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if chosen not in ("csv", "xlsx"):
        raise InvalidInput(f"{path}: exports are CSV or XLSX, not {chosen!r}").words("export_format", path=str(path))
    return chosen


async def write_table(path: Path, headers: Sequence[str], produce: Callable[[Callable[[Rows], None]], Awaitable[int]],
                      shape: Callable[[tuple[Any, ...]], Sequence[Any]], fmt: str = "",
                      progress: Progress | None = None) -> int:
    """Write a table streamed by `produce` (which hands batches of rows to a sink on its own thread, each row
    shaped by `shape`, which defuses the cells that need it: see `defused`) to `path` atomically, owner-only (it
    holds customers' numbers); how many rows. `progress` hears the count after each batch; if it raises, nothing
    is left behind."""
    chosen = export_format(path, fmt)
    if progress is not None:
        produce = _told(produce, progress)
    part = path.with_name(path.name + ".part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write ({exc.strerror})").words("export_write", path=str(path),
                                                                           reason=exc.strerror or "") from None
    try:
        if chosen == "csv":
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:  # the BOM: Excel reads it as UTF-8
                writer = csv.writer(out)
                writer.writerow(headers)
                count = await produce(lambda rows: writer.writerows(map(shape, rows)))
        else:
            os.close(fd)
            count = await _write_xlsx(part, headers, produce, shape)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return count


def _told(produce: Callable[[Callable[[Rows], None]], Awaitable[int]], progress: Progress
          ) -> Callable[[Callable[[Rows], None]], Awaitable[int]]:
    """`produce`, telling `progress` how many rows it handed over after each batch."""

    async def telling(sink: Callable[[Rows], None]) -> int:
        done = 0

        def counted(rows: Rows) -> None:
            nonlocal done
            sink(rows)
            done += len(rows)
            progress(done)

        return await produce(counted)

    return telling


async def _write_xlsx(part: Path, headers: Sequence[str], produce: Callable[[Callable[[Rows], None]], Awaitable[int]],
                      shape: Callable[[tuple[Any, ...]], Sequence[Any]]) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # streamed: a million rows never sit in memory as cells
    sheet = book.create_sheet()
    sheet.append(list(headers))

    def sink(rows: Rows) -> None:
        for row in rows:
            sheet.append(list(shape(row)))

    count = await produce(sink)
    await asyncio.to_thread(book.save, part)
    return count
