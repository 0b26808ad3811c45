"""Reading personalised batches from CSV or XLSX files (Chinese spreadsheets often write GBK)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .. import protocol as p

MOBILE_HEADERS = {"mobile", "phone", "number", "手机号", "手机号码", "号码", "手机"}
CONTENT_HEADERS = {"content", "text", "message", "内容", "短信内容"}


class BatchFileError(ValueError):
    """A batch file that cannot be read; says which file and where."""


@dataclass
class BatchFile:
    """The rows of a batch file, and every problem found with its line."""

    rows: list[p.BatchRow]
    problems: list[str] = field(default_factory=list)
    encoding: str = "utf-8"


def decode_text(data: bytes) -> tuple[str, str]:
    """Text of a file: UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise BatchFileError("the file is neither UTF-8 nor GBK text")


def _table_from_csv(data: bytes, path: Path) -> tuple[list[list[str]], str]:
    try:
        text, encoding = decode_text(data)
    except BatchFileError as exc:
        raise BatchFileError(f"{path}: {exc}") from None
    # Only the delimiter is guessed (from the first line); quoting stays Excel's, so `""` inside a cell is a quote.
    # (csv.Sniffer may also guess quoting rules and then cut a message at its first `""`.)
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count) if any(d in first for d in ",\t;") else ","
    return list(csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)), encoding


def _table_from_xlsx(path: Path) -> list[list[str]]:
    try:
        import openpyxl
    except ImportError:
        raise BatchFileError("reading .xlsx needs openpyxl (pip install openpyxl)") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise BatchFileError(f"{path}: not a readable .xlsx file ({exc})") from None
    sheet = book.active
    rows = [["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for v in row]
            for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def read_batch_file(path: str | Path) -> BatchFile:
    """Rows (mobile, content) of a CSV or XLSX file; numbers normalised, every bad line reported."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            table, encoding = _table_from_xlsx(path), "xlsx"
        else:
            table, encoding = _table_from_csv(path.read_bytes(), path)
    except OSError as exc:
        raise BatchFileError(f"{path}: cannot read ({exc.strerror})") from None
    if not table:
        raise BatchFileError(f"{path}: the file is empty")
    header = [cell.strip().lower() for cell in table[0]]
    mobile_col = next((i for i, h in enumerate(header) if h in MOBILE_HEADERS), None)
    content_col = next((i for i, h in enumerate(header) if h in CONTENT_HEADERS), None)
    start = 1
    if mobile_col is None or content_col is None:
        mobile_col, content_col, start = 0, 1, 0
    rows: list[p.BatchRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(table[start:], start + 1):
        if not any(cell.strip() for cell in row):
            continue
        raw = row[mobile_col].strip() if len(row) > mobile_col else ""
        content = row[content_col] if len(row) > content_col else ""
        mobile = p.normalise_mobile(raw)
        if mobile is None:
            problems.append(f"line {line}: {raw or '(empty)'} {p.mobiles.why_invalid(raw) if raw else 'has no number'}")
            continue
        if mobile in seen:
            problems.append(f"line {line}: {mobile} is already on line {seen[mobile]}")
            continue
        if not content.strip():
            problems.append(f"line {line}: the content for {mobile} is empty")
            continue
        seen[mobile] = line
        rows.append(p.BatchRow(mobile, p.normalise_newlines(content)))
    return BatchFile(rows, problems, encoding)
