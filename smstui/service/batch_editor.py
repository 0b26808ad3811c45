"""A batch being edited: the file's table, the columns' roles, a template, every row checked; an edit re-checks only
its row (and the rows that share its number)."""

from __future__ import annotations

import csv
import heapq
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import protocol as p
from ..protocol.batch import ContentChecker
from ..runtime.files import OWNER_ONLY
from .batch_mapping import ColumnMap, apply_options, auto_map, column_names
from .batch_merge import Template, compile_template
from .batch_records import BatchFileError
from .batch_table import BatchTable, Progress, Stamp
from .export import defused

# The kinds a row can have besides the content rules' (their words are under problem.<kind>).
ROW_KINDS = ("mobile_invalid", "mobile_empty", "mobile_repeated", "content_empty", "placeholder_empty",
             "cells_extra")
UNDO_DEPTH = 100
SHOWN_LINES = 3  # lines of each kind the summary names
NEAR = p.content.NEAR_LIMIT_RATIO
_NONE: tuple[p.Problem, ...] = ()

KEPT, DROPPED, HELD = "", "dropped", "held"


class Row:
    """One row: its cells, where it was in the file (0 when added here), what the user chose, what the check found."""

    __slots__ = ("cells", "id", "issues", "length", "line", "message", "mobile", "segments", "state")

    def __init__(self, id: int, line: int, cells: list[str], state: str = KEPT) -> None:
        self.id = id
        self.line = line
        self.cells = cells
        self.state = state  # dropped (not sent), held (kept back for now)
        self.mobile = ""  # the normalised number ("" when there is none)
        self.message = ""  # the final text (from the content column or the template)
        self.length = 0
        self.segments = 0
        self.issues: tuple[p.Problem, ...] = ()

    @property
    def bad(self) -> bool:
        """Whether something forbids sending this row."""
        return any(issue.severity == "error" for issue in self.issues)

    @property
    def where(self) -> str:
        """The row's place in words: `line 12`, or `new row` for a row added in the editor."""
        return f"line {self.line}" if self.line else "new row"


@dataclass(frozen=True, slots=True)
class KindSummary:
    """One kind of problem: how many rows have it, the first of them (position, line), its severity."""

    kind: str
    count: int
    severity: str
    first: tuple[tuple[int, int], ...]  # (row id, line) of the first rows with it
    example: p.Problem


@dataclass(frozen=True, slots=True)
class Totals:
    """What the batch would send now."""

    rows: int  # every row in the batch
    sendable: int  # rows with no error, neither dropped nor held
    bad: int  # rows with an error that the user has not dropped or held
    dropped: int
    held: int
    segments: int
    longest: int  # the length of the longest sendable message
    near: int  # sendable rows near the content limit


@dataclass
class _Undo:
    what: str
    undo: Callable[[], None]


@dataclass
class BatchDoc:
    """An editable batch over a BatchTable; not thread-safe (one worker or the UI at a time)."""

    table: BatchTable
    max_length: int = p.MAX_CONTENT_LENGTH
    require_signature: bool = True
    mapping: ColumnMap = field(default_factory=lambda: ColumnMap(()))
    template: Template | None = None
    rows: list[Row] = field(default_factory=list)
    version: int = 0  # moves on every change (the table redraws what it shows)
    edited: bool = False  # changed since opened or saved

    def __post_init__(self) -> None:
        self.checker = ContentChecker(max_length=self.max_length, require_signature=self.require_signature)
        self._by_id: dict[int, Row] = {}
        self._by_mobile: dict[str, list[Row]] = {}
        self._kinds: dict[str, set[int]] = {}
        self._examples: dict[str, p.Problem] = {}
        self._segments = 0
        self._sendable = 0
        self._undo: list[_Undo] = []
        self._next_id = 0

    # -- opening --------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, encoding: str = "", delimiter: str = "", max_length: int = p.MAX_CONTENT_LENGTH,
             require_signature: bool = True, options: tuple[str, ...] = (), template: str = "",
             progress: Progress | None = None) -> BatchDoc:
        """Read, map and check a file (BatchFileError or InvalidInput when it cannot be used at all)."""
        from .batch_table import bulk, read_table

        report = progress or (lambda _share: None)
        table = read_table(path, encoding=encoding, delimiter=delimiter, progress=lambda x: report(x * 0.5))
        doc = cls(table, max_length, require_signature)
        mapping = auto_map(table.header, table.rows, table.width)
        if options:
            mapping = apply_options(mapping, options, table.header, table.width)
        doc.mapping = mapping
        if template:
            doc.template = compile_template(template, table.header, table.width)
        with bulk():
            doc.rows = [Row(index, line, cells) for index, (line, cells) in enumerate(zip(table.lines, table.rows,
                                                                                          strict=True))]
            doc._next_id = len(doc.rows)
            doc.check_all(lambda x: report(0.5 + x * 0.5))
        return doc

    @property
    def path(self) -> Path:
        """The file the batch was read from."""
        return self.table.path

    @property
    def width(self) -> int:
        """The number of columns."""
        return max(self.table.width, len(self.mapping.roles))

    @property
    def names(self) -> list[str]:
        """Each column's name: its header, else its letter."""
        return column_names(self.table.header, self.width)

    def changed_on_disk(self) -> bool:
        """Whether the file changed on disk since it was read (the edits here are kept either way)."""
        return self.table.changed_on_disk()

    def unsure(self) -> tuple[str, ...]:
        """What the mapping step must ask: the numbers' column, and the messages' when there is no template."""
        return self.mapping.unsure(template=self.template is not None)

    # -- checking -------------------------------------------------------------------------------

    def check_all(self, progress: Progress | None = None) -> None:
        """Check every row again (after the mapping or the template changed): each column in one pass, the contents
        measured together."""
        rows = self.rows
        report = progress or (lambda _share: None)
        self._by_id = {row.id: row for row in rows}
        self._by_mobile = {}
        self._kinds = {}
        self._examples = {}
        self._segments = self._sendable = 0
        every = [row.cells for row in rows]
        raws = self._raw_mobiles(every)
        report(0.2)
        messages, missing = self._messages(every)
        report(0.4)
        measured = self.checker.measure_all(messages)
        report(0.7)
        plain = p.all_plain(raws)
        expected = len(self.mapping.roles)
        settle = self._settle
        groups = self._by_mobile
        segments = p.segments_for_length
        for row, raw, message, gap, found in zip(rows, raws, messages, missing, measured, strict=True):
            if plain and message and gap < 0 and len(row.cells) <= expected:  # the common row, in short
                row.mobile = raw
                row.message = message
                row.issues, row.length = found
                row.segments = segments(row.length)
                group = groups.get(raw)
                if group is None:
                    groups[raw] = [row]
                else:
                    group.append(row)
            else:
                settle(row, raw, message, gap, found, plain)
        report(0.9)
        for group in groups.values():
            if len(group) > 1:
                group.sort(key=lambda r: (r.state == DROPPED, r.id))
        count = self._count
        sendable = total = 0
        for row in rows:
            if row.mobile and len(mates := groups[row.mobile]) > 1 and mates[0] is not row and row.state != DROPPED:
                row.issues = (self._repeated(row, mates), *row.issues)
            if row.issues or row.state != KEPT:
                count(row, 1)
            else:
                sendable += 1
                total += row.segments
        self._sendable += sendable
        self._segments += total
        self.version += 1
        report(1.0)

    def _raw_mobiles(self, every: list[list[str]]) -> list[str]:
        """The numbers' cells as written (stripped), one a row."""
        column = self.mapping.mobile
        if column is None:
            return [""] * len(every)
        return [cells[column].strip() if column < len(cells) else "" for cells in every]

    def _messages(self, every: list[list[str]]) -> tuple[list[str], list[int]]:
        """Each row's final message and the column of its first empty merge field (-1 when none is)."""
        template = self.template
        if template is not None:
            if not template.usable:
                return [""] * len(every), [-1] * len(every)
            rendered = [template.render(cells) for cells in every]
            return [message for message, _ in rendered], [gap for _, gap in rendered]
        column = self.mapping.content
        if column is None:
            return [""] * len(every), [-1] * len(every)
        messages = [cells[column] if column < len(cells) else "" for cells in every]
        return [p.normalise_newlines(m) if "\r" in m else m for m in messages], [-1] * len(every)

    def _derive(self, row: Row) -> None:
        """One row checked again (a repeat of its number is looked at by the caller)."""
        cells = [row.cells]
        (message,), (gap,) = self._messages(cells)
        self._settle(row, self._raw_mobiles(cells)[0], message, gap, self.checker.measure(message), False)

    def _settle(self, row: Row, raw: str, message: str, gap: int, measured: tuple[tuple[p.Problem, ...], int],
                plain: bool) -> None:
        """A row's number, message and own problems from what was read of it (`plain`: every number of the batch
        is a plain mobile number, so this one is)."""
        issues: list[p.Problem] = []
        if plain or p.is_mobile(raw):
            mobile = raw
        else:
            mobile = p.normalise_mobile(raw) or ""
            if not mobile:
                if raw:
                    kind, values = p.mobiles.diagnose(raw)
                    issues.append(p.Problem("mobile_invalid", f"{raw} {p.mobiles.why_invalid(raw)}",
                                            params={"text": raw, "why": kind, **values}))
                else:
                    issues.append(p.Problem("mobile_empty", "the row has no number"))
        if gap >= 0:
            name = self.names[gap]
            issues.append(p.Problem("placeholder_empty", f"{{{name}}} is empty in this row", params={"name": name}))
        cells = row.cells
        expected = len(self.mapping.roles)
        if len(cells) > expected and any(cell.strip() for cell in cells[expected:]):
            issues.append(p.Problem("cells_extra", f"{len(cells)} cells where {expected} are expected: a delimiter "
                                    "in the content? Put the content in quotes",
                                    params={"cells": len(cells), "expected": expected}))
        if message:
            found, length = measured
        else:
            found, length = _NONE, 0
            if gap < 0:
                issues.append(p.Problem("content_empty", "the message is empty"))
        row.mobile = mobile
        row.message = message
        row.length = length
        row.segments = p.segments_for_length(length)
        row.issues = tuple(issues) + found if issues else found
        if mobile:
            group = self._by_mobile.get(mobile)
            if group is None:
                self._by_mobile[mobile] = [row]
            else:
                group.append(row)

    @staticmethod
    def _repeated(row: Row, group: list[Row]) -> p.Problem:
        first = group[0]
        where = f"line {first.line}" if first.line else "a new row"
        return p.Problem("mobile_repeated", f"{row.mobile} is already on {where} (a number at most once a batch)",
                         params={"mobile": row.mobile, "first": first.line})

    def _count(self, row: Row, sign: int) -> None:
        """Add (1) or take away (-1) a row's problems and figures from the summary."""
        if row.state != KEPT:
            return
        bad = False
        for issue in row.issues:
            ids = self._kinds.get(issue.kind)
            if sign > 0:
                if ids is None:
                    ids = self._kinds[issue.kind] = set()
                    self._examples[issue.kind] = issue
                ids.add(row.id)
            elif ids is not None:
                ids.discard(row.id)
            bad = bad or issue.severity == "error"
        if not bad:
            self._sendable += sign
            self._segments += sign * row.segments

    def _recheck(self, row: Row) -> None:
        """Check one row again after its cells changed; the rows sharing its old or new number too."""
        self._count(row, -1)
        old = row.mobile
        if old:
            self._leave(row)
        self._derive(row)
        self._settle_group(row.mobile, row)
        if old and old != row.mobile:
            self._settle_group(old, None)
        self.version += 1

    def _leave(self, row: Row) -> None:
        group = self._by_mobile.get(row.mobile)
        if group is not None:
            if row in group:
                group.remove(row)
            if not group:
                del self._by_mobile[row.mobile]

    def _settle_group(self, mobile: str, fresh: Row | None) -> None:
        """The rows of one number: the first kept one is its owner, the others repeat it."""
        group = self._by_mobile.get(mobile) if mobile else None
        if not group:
            if fresh is not None:
                self._count(fresh, 1)
            return
        group.sort(key=lambda r: (r.state == DROPPED, r.id))
        for member in group:
            if member is not fresh:
                self._count(member, -1)
            own = tuple(i for i in member.issues if i.kind != "mobile_repeated")
            if member is not group[0] and member.state != DROPPED:
                member.issues = (self._repeated(member, group), *own)
            else:
                member.issues = own
            self._count(member, 1)

    # -- what the batch is ------------------------------------------------------------------------

    def totals(self) -> Totals:
        """Rows, sendable rows, segments, and what is held or dropped (longest and near-limit rows: one pass)."""
        dropped = held = 0
        longest = near = 0
        limit = self.max_length * NEAR
        for row in self.rows:
            if row.state == DROPPED:
                dropped += 1
            elif row.state == HELD:
                held += 1
            elif row.length >= limit and not row.bad:
                near += 1
            if row.state == KEPT and row.length > longest and not row.bad:
                longest = row.length
        bad = len(self.rows) - dropped - held - self._sendable
        return Totals(len(self.rows), self._sendable, bad, dropped, held, self._segments, longest, near)

    @property
    def sendable(self) -> int:
        """Rows that would be sent."""
        return self._sendable

    @property
    def segments(self) -> int:
        """The segments of the rows that would be sent (the cost, in points)."""
        return self._segments

    @property
    def blocking(self) -> int:
        """Rows with an error the user has not fixed, dropped or held back."""
        return len(self.rows) - sum(1 for row in self.rows if row.state != KEPT) - self._sendable

    def summary(self) -> list[KindSummary]:
        """The problems grouped by kind, errors first, each with its count and first rows."""
        out = []
        for kind, ids in self._kinds.items():
            if not ids:
                continue
            example = self._examples[kind]
            first = tuple((i, self._by_id[i].line) for i in heapq.nsmallest(SHOWN_LINES, ids))
            out.append(KindSummary(kind, len(ids), example.severity, first, example))
        rank = {"error": 0, "warning": 1, "info": 2}
        return sorted(out, key=lambda s: (rank.get(s.severity, 3), -s.count, s.kind))

    def position(self, row_id: int) -> int:
        """Where a row is now (-1 when it was deleted)."""
        row = self._by_id.get(row_id)
        if row is None:
            return -1
        try:
            return self.rows.index(row)
        except ValueError:
            return -1

    def next_bad(self, after: int) -> int:
        """The position of the next row with an error after `after` (round to the top), -1 when there is none."""
        rows = self.rows
        count = len(rows)
        for step in range(1, count + 1):
            row = rows[(after + step) % count]
            if row.state == KEPT and row.bad:
                return (after + step) % count
        return -1

    def job_rows(self) -> tuple[p.BatchRow, ...]:
        """The rows that would be sent, as the gateway gets them."""
        return tuple(p.BatchRow(row.mobile, row.message) for row in self.rows if row.state == KEPT and not row.bad)

    def row_of(self, mobile: str) -> Row | None:
        """The row that sends to a number."""
        group = self._by_mobile.get(mobile)
        return group[0] if group else None

    # -- editing ------------------------------------------------------------------------------

    def set_cell(self, position: int, column: int, value: str) -> None:
        """Change one cell; only that row (and the rows of its number) are checked again."""
        row = self.rows[position]
        old = list(row.cells)
        cells = list(row.cells) + [""] * max(0, column + 1 - len(row.cells))
        cells[column] = value
        self._replace_cells(row, cells)
        self._remember("edit", lambda: self._replace_cells(row, old))

    def set_cells(self, position: int, cells: list[str]) -> None:
        """Change a row's cells at once (the row editor's Save)."""
        row = self.rows[position]
        old = list(row.cells)
        if cells == old:
            return
        self._replace_cells(row, list(cells))
        self._remember("edit", lambda: self._replace_cells(row, old))

    def _replace_cells(self, row: Row, cells: list[str]) -> None:
        row.cells = cells
        self._recheck(row)
        self.edited = True

    def set_state(self, position: int, state: str) -> None:
        """Drop a row, hold it back, or keep it again (the same state twice keeps it)."""
        row = self.rows[position]
        old = row.state
        new = KEPT if state == old else state
        self._state(row, new)
        self._remember(state or "keep", lambda: self._state(row, old))

    def drop_bad(self) -> int:
        """Drop every row with an error (the user's choice, once they saw them); how many were dropped."""
        bad = [row for row in self.rows if row.state == KEPT and row.bad]
        for row in bad:
            self._state(row, DROPPED)

        def undo() -> None:
            for row in bad:
                self._state(row, KEPT)

        if bad:
            self._remember("drop_bad", undo)
        return len(bad)

    def _state(self, row: Row, state: str) -> None:
        self._count(row, -1)
        row.state = state
        if row.mobile:
            self._settle_group(row.mobile, row)
        else:
            self._count(row, 1)
        self.version += 1
        self.edited = True

    def add_row(self, position: int, cells: list[str] | None = None) -> int:
        """A new row after a position (-1: at the top); its position."""
        row = Row(self._next_id, 0, list(cells) if cells else [""] * self.width)
        self._next_id += 1
        at = position + 1
        self.rows.insert(at, row)
        self._by_id[row.id] = row
        self._derive(row)
        self._settle_group(row.mobile, row)
        self.version += 1
        self.edited = True
        self._remember("add", lambda: self._delete(row))
        return at

    def delete_row(self, position: int) -> None:
        """Take a row out of the batch (undo puts it back)."""
        row = self.rows[position]
        self._delete(row)
        self._remember("delete", lambda: self._insert(position, row))

    def _delete(self, row: Row) -> None:
        self._count(row, -1)
        self.rows.remove(row)
        self._by_id.pop(row.id, None)
        if row.mobile:
            self._leave(row)
            self._settle_group(row.mobile, None)
        self.version += 1
        self.edited = True

    def _insert(self, position: int, row: Row) -> None:
        self.rows.insert(position, row)
        self._by_id[row.id] = row
        mobile = row.mobile
        if mobile:
            self._by_mobile.setdefault(mobile, []).append(row)
            self._settle_group(mobile, row)
        else:
            self._count(row, 1)
        self.version += 1

    def _remember(self, what: str, undo: Callable[[], None]) -> None:
        self._undo.append(_Undo(what, undo))
        del self._undo[:-UNDO_DEPTH]

    def undo(self) -> str:
        """Take back the last edit; what it was (`edit`, `drop`, …), empty when there is nothing to undo."""
        if not self._undo:
            return ""
        last = self._undo.pop()
        last.undo()
        self.version += 1
        return last.what

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to take back."""
        return bool(self._undo)

    def remap(self, mapping: ColumnMap, template: str | None = None, progress: Progress | None = None) -> None:
        """Other roles for the columns (and another template, '' for none): every row is checked again."""
        from .batch_table import bulk

        self.mapping = mapping
        if template is not None:
            self.template = compile_template(template, self.table.header, self.width) if template.strip() else None
        with bulk():
            self.check_all(progress)

    def set_limits(self, max_length: int, require_signature: bool, progress: Progress | None = None) -> None:
        """Another profile's content rules: every row is checked again (the edits stay)."""
        from .batch_table import bulk

        self.max_length, self.require_signature = max_length, require_signature
        self.checker = ContentChecker(max_length=max_length, require_signature=require_signature)
        with bulk():
            self.check_all(progress)

    # -- writing --------------------------------------------------------------------------------

    def rejected(self) -> Iterator[tuple[Row, str]]:
        """The rows not sent, with why (a problem's words, `dropped`, `held`), in order."""
        for row in self.rows:
            if row.state != KEPT:
                yield row, row.state
            elif row.bad:
                yield row, "; ".join(i.message for i in row.issues if i.severity == "error")

    def export_rejected(self, path: str | Path) -> int:
        """Write the rejected rows as CSV (UTF-8 with a BOM, for Excel; cells that could run as formulas defused):
        line, the cells, why; how many."""
        rows = [[str(row.line or ""), *map(defused, _padded(row.cells, self.width)), why]
                for row, why in self.rejected()]
        _write_csv(Path(path), ["line", *self.names, "problem"], rows)
        return len(rows)

    def save(self, path: str | Path) -> int:
        """Write the batch as edited (dropped rows left out) to CSV or XLSX, by the name's suffix; how many rows.
        The file read is never overwritten unless it is the path given."""
        path = Path(path)
        header = list(self.table.header) or self.names
        rows = [_padded(row.cells, self.width) for row in self.rows if row.state != DROPPED]
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            _write_xlsx(path, header, rows)
        else:
            _write_csv(path, header, rows)
        if path == self.path:
            self.table = replace(self.table, stamp=Stamp.of(path))
        self.edited = False
        return len(rows)


def _padded(cells: list[str], width: int) -> list[str]:
    return list(cells) + [""] * max(0, width - len(cells))


def _written(path: Path, write: Callable[[Path], object]) -> None:
    """Write a file whole and owner-only (it holds customers' numbers), then rename it into place."""
    part = path.with_name(path.name + ".part")
    try:
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY))
        os.chmod(part, OWNER_ONLY)  # a .part left looser by someone else
        write(part)
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise BatchFileError(path, f"cannot write ({exc.strerror or exc})", kind="unwritable",
                             why=exc.strerror or exc) from None


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    _written(path, lambda part: part.write_text(out.getvalue(), encoding="utf-8-sig", newline=""))


def _write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("batch")
    sheet.append(header)
    for row in rows:
        sheet.append(row)  # text stays text: a number keeps its leading digits
    _written(path, book.save)
