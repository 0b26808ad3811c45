"""The cells of a workbook's first visible worksheet as text, by row: python-calamine if installed, else openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from .batch_records import BatchFileError, Source

ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .xlsm, .ods
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003), or an .xlsx with a password

Table = list[tuple[int, list[str]]]  # (row number, cells) for every row that holds something


def is_workbook(data: bytes) -> bool:
    """Whether the bytes are a spreadsheet container rather than text, whatever the file is called."""
    return data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC)


def read_workbook(data: bytes, path: Path) -> tuple[Table, Source]:
    """The rows of the first visible worksheet; BatchFileError when the workbook cannot be read."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return _with_openpyxl(data, path)
    return _with_calamine(data, path)


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without `.0` (Excel stores 13900139000 as a float), dates without midnight."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"  # Excel shows 15 significant digits
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _table(rows: Iterable[Sequence[object]]) -> Table:
    """Rows as text, numbered from 1, blank ones left out, without the empty columns left of the data."""
    table = []
    for number, row in enumerate(rows, 1):
        cells = [cell if type(cell) is str else cell_text(cell) for cell in row]
        if "".join(cells).strip():
            table.append((number, cells))
    skip = 0
    while table and all(len(cells) > skip and not cells[skip].strip() for _, cells in table):
        skip += 1  # stops at the first row with something in the column: at once, when the data starts in A
    return [(number, cells[skip:]) for number, cells in table] if skip else table


def _with_calamine(data: bytes, path: Path) -> tuple[Table, Source]:
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [meta for meta in book.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
        visible = [meta for meta in sheets if meta.visible == SheetVisibleEnum.Visible] or sheets
        if not visible:
            raise BatchFileError(path, "the workbook has no worksheet", kind="no_sheet")
        rows = book.get_sheet_by_name(visible[0].name).to_python(skip_empty_area=False)
    except BatchFileError:
        raise
    except PasswordError:
        raise BatchFileError(path, "the workbook is protected by a password: save a copy without it",
                             kind="protected") from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's errors (zip, XML, format), and a Rust panic, which is a BaseException
        raise _unreadable(path, exc) from None
    return _table(rows), Source("xlsx", sheet=visible[0].name, sheets=len(sheets), reader="calamine")


def _with_openpyxl(data: bytes, path: Path) -> tuple[Table, Source]:
    if data.startswith(OLE_MAGIC):
        raise BatchFileError(path, "an Excel 97–2003 (.xls) or password-protected workbook: save it as .xlsx "
                             "(without a password) or as CSV UTF-8", kind="xls")
    try:
        import openpyxl
    except ImportError:
        raise BatchFileError(path, "reading a workbook needs python-calamine or openpyxl (pip install "
                             "python-calamine)", kind="no_reader") from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = book.worksheets
            visible = [sheet for sheet in sheets if sheet.sheet_state == "visible"] or sheets
            if not visible:
                raise BatchFileError(path, "the workbook has no worksheet", kind="no_sheet")
            sheet = visible[0]
            sheet.reset_dimensions()  # the stored dimensions may be wrong; read every row there is
            rows = list(sheet.iter_rows(values_only=True))
        finally:
            book.close()
    except BatchFileError:
        raise
    except Exception as exc:  # openpyxl raises zip, XML, key and value errors for broken files
        raise _unreadable(path, exc) from None
    return _table(rows), Source("xlsx", sheet=sheet.title, sheets=len(sheets), reader="openpyxl")


def _unreadable(path: Path, exc: BaseException) -> BatchFileError:
    why = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return BatchFileError(path, f"not a readable .xlsx workbook ({why})", kind="workbook", why=why)
