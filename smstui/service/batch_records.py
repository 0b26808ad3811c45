"""What the batch-file reader tells besides the rows: how the file was read, each problem with its line, the error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import InvalidInput

ENCODING_NAMES = {
    "utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16 (BOM)", "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE", "utf-32": "UTF-32 (BOM)", "gb18030": "GB18030", "big5": "Big5", "cp950": "Big5 (CP950)",
    "big5hkscs": "Big5-HKSCS", "shift_jis": "Shift-JIS", "cp932": "Shift-JIS (CP932)", "euc_jp": "EUC-JP",
    "euc_kr": "EUC-KR", "cp949": "EUC-KR (CP949)",
}
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


class BatchFileError(InvalidInput):
    """A batch file that cannot be read at all; names the file, and the line when there is one."""

    def __init__(self, path: Path | str, reason: str, *, line: int | None = None, kind: str = "unreadable",
                 **params: object) -> None:
        super().__init__(f"{path}, line {line}: {reason}" if line else f"{path}: {reason}")
        self.path = Path(path)
        self.line = line
        self.reason = reason
        self.words(f"batch_{kind}", path=str(path), line=line or 0, reason=reason, **params)


@dataclass(frozen=True, slots=True)
class LineProblem:
    """One problem of a batch file: its line (1 = the first), a stable kind, the column it is in, plain words."""

    line: int
    kind: str
    message: str  # complete, beginning `line N: `
    column: str = ""  # the header of the cell it concerns (or `column N`), when it concerns one
    params: dict[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def at(cls, line: int, kind: str, words: str, column: str = "", **params: object) -> LineProblem:
        """The problem a line has, in words."""
        return cls(line, kind, f"line {line}: {words}", column, params)


@dataclass(frozen=True, slots=True)
class Source:
    """How a batch file was read: format, text encoding and delimiter (CSV), sheet and library (XLSX)."""

    format: Literal["csv", "xlsx"]
    encoding: str = ""  # the codec of a CSV file: utf-8, utf-8-sig, utf-16, gb18030, big5, cp932, …
    guessed: bool = False  # the bytes are valid in several encodings and a detector chose this one: check the preview
    delimiter: str = ""
    sheet: str = ""
    sheets: int = 0  # the workbook's worksheets (only `sheet` is read)
    reader: str = "csv"  # csv, calamine or openpyxl

    @property
    def encoding_name(self) -> str:
        """The encoding as people know it (`GB18030`, `UTF-8 (BOM)`, `Big5`), empty for a spreadsheet."""
        return ENCODING_NAMES.get(self.encoding, self.encoding.upper())

    def describe(self) -> str:
        """One line for a preview: `CSV, GB18030, comma-separated` or `XLSX, sheet 名单 (the workbook has 2)`."""
        if self.format == "xlsx":
            return f"XLSX, sheet {self.sheet}" + (f" (the workbook has {self.sheets})" if self.sheets > 1 else "")
        guessed = ", detected: check the text" if self.guessed else ""
        delimiter = DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))
        return f"CSV, {self.encoding_name}{guessed}, {delimiter}-separated"
