"""Batch: open a spreadsheet, map its columns, check every row, fix or drop what is wrong, send it resumably."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from ... import protocol as p
from ...protocol.batch import reaches_at_night
from ...service import BatchJob, Held, InvalidInput, ServiceError
from ...service.batch_editor import DROPPED, HELD, KEPT, BatchDoc, Row
from ...service.batch_mapping import ColumnMap
from ...service.pager import Key, Pager
from ...service.resuming import Resumable, RowResult, abandon, resumable_sends, row_results
from ...words import error_text, held_text, problem_text
from ..messages import ServiceFailed
from ..palette import PaletteCommand
from ..sending import SendFlow
from ..styles import ERROR, INFO, MUTED, STRONG, SUCCESS, WARNING, Lines
from ..widgets.paged_table import Column, PagedTable
from ..widgets.path_input import BATCH_SUFFIXES, PathInput
from .ask import Ask
from .base import AreaScreen
from .batch_dialogs import MappingDialog, RowDialog, WriteDialog

ENCODINGS = ("", "utf-8", "gb18030", "utf-16", "big5")
DELIMITERS = ("", ",", "\t", ";")
LIVE_CHECK_ROWS = 5000  # up to here the opt-outs and rules are looked at as the batch is edited (beyond: at send)
SHOWN_KINDS = 8
WINDOW = 200


class BatchScreen(AreaScreen):
    """A personalised batch from a CSV or XLSX file, checked row by row, sent through the shared send flow."""

    AREA = "batch"
    CSS_PATH = "batch.tcss"
    WATCHES = frozenset({"optouts", "uplinks", "sends"})
    BINDINGS = [
        Binding("f9,alt+s", "send", "Send", id="batch.send", key_display="F9", priority=True,
                tooltip="Check, confirm and send the rows without errors"),
        Binding("alt+o", "open", "Open", id="batch.open", key_display="Alt+O", priority=True),
        Binding("alt+n", "next_bad", "Next problem", id="batch.next", key_display="Alt+N", priority=True),
        Binding("alt+e", "edit", "Edit row", id="batch.edit", key_display="Alt+E", priority=True),
        Binding("alt+d", "drop", "Drop row", id="batch.drop", key_display="Alt+D", priority=True),
        Binding("alt+k", "hold", "Hold back", id="batch.hold", key_display="Alt+K", priority=True, show=False),
        Binding("alt+l", "add", "Add row", id="batch.add", key_display="Alt+L", priority=True, show=False),
        Binding("alt+x", "delete", "Delete row", id="batch.delete", key_display="Alt+X", priority=True,
                show=False),
        Binding("alt+z", "undo", "Undo", id="batch.undo", key_display="Alt+Z", priority=True),
        Binding("alt+p", "columns", "Columns", id="batch.columns", key_display="Alt+P", priority=True),
        Binding("alt+w", "save", "Save as", id="batch.save", key_display="Alt+W", priority=True, show=False),
        Binding("alt+j", "export", "Export rejected", id="batch.export", key_display="Alt+J", priority=True,
                show=False),
        Binding("alt+y", "drop_bad", "Drop bad rows", id="batch.drop_bad", key_display="Alt+Y", priority=True,
                show=False),
    ]

    @dataclass
    class Opened(Message):
        """A file was read and checked (or the mapping changed and every row was checked again)."""

        doc: BatchDoc
        remapped: bool = False

    @dataclass
    class Failed(Message):
        """A file could not be read: the reason in words."""

        error: InvalidInput

    @dataclass
    class Progressed(Message):
        """Reading and checking got this far (0 … 1)."""

        share: float

    @dataclass
    class Resumables(Message):
        """Batch sends that a crash or a stop left part-way."""

        found: list[Resumable]

    @dataclass
    class Results(Message):
        """What became of each number of the last send."""

        send_id: str
        results: dict[str, RowResult]

    def __init__(self) -> None:
        super().__init__()
        self.doc: BatchDoc | None = None
        self.busy = False
        self.error = ""  # why the last file could not be read (shown until another is)
        self.held: dict[str, Held] = {}
        self.check_error: ServiceError | None = None
        self.results: dict[str, RowResult] = {}
        self.resumable: list[Resumable] = []
        self.schedule: datetime | None = None
        self.schedule_error = ""
        self.why_not = ""
        self.night_ok = False

    def compose_body(self) -> ComposeResult:
        t = self.app.strings
        with Horizontal(id="open-row"):
            yield Label(t("batch.file"), classes="field")
            yield PathInput(BATCH_SUFFIXES, placeholder=t("batch.path.placeholder"), id="path", compact=True)
            yield Select([(t("batch.encoding.auto"), "")] + [(e.upper(), e) for e in ENCODINGS[1:]],
                         id="encoding", compact=True, allow_blank=False, tooltip=t("batch.encoding"))
            yield Select([(t(f"batch.delimiter.{_delimiter_key(d)}"), d) for d in DELIMITERS], id="delimiter",
                         compact=True, allow_blank=False, tooltip=t("batch.delimiter"))
        with Horizontal(id="source-row"):
            yield Static(id="source")
            yield ProgressBar(id="progress", total=100, show_eta=False, show_percentage=True)
        with Horizontal(id="resume-row"):
            yield Static(id="resume-text")
            yield Button(t("batch.resume"), id="resume", variant="warning", compact=True)
            yield Button(t("batch.abandon"), id="abandon", compact=True)
        with Horizontal(id="template-row"):
            yield Label(t("batch.template"), classes="field")
            yield Input(placeholder=t("batch.template.placeholder"), id="template", compact=True)
        with Horizontal(id="body"):
            yield PagedTable[Row](self._columns(), self._cells, id="rows", placeholder="…",
                                  empty=t("batch.empty"))
            with VerticalScroll(id="side"):
                yield Static(id="summary")
                yield Static(id="preview")
                yield Static(id="totals")
        yield Static(id="totals-line")
        with Horizontal(id="send-row"):
            yield Label(t("compose.schedule"), classes="field")
            yield Input(placeholder="YYYY-MM-DD HH:MM", id="schedule", compact=True, max_length=19)
            yield Label(t("compose.extno"), classes="field")
            yield Input(id="extno", compact=True, max_length=5, restrict=r"[0-9]*")
            yield Static(id="why")
            yield Button(t("batch.send"), id="send", variant="primary", compact=True)
        yield SendFlow(id="flow")

    def _columns(self) -> list[Column]:
        t = self.app.strings
        return [Column(t("batch.col.line"), 6), Column("", 1), Column(t("batch.col.mobile"), 11),
                Column(t("batch.col.message"), 20)]

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#resume-row").display = False
        self.query_one("#path", Input).focus()
        self.redraw()
        self.look_for_resumable()

    def refresh_data(self) -> None:
        """Opt-outs, replies or sends arrived: who is held back (and what can be resumed) may have changed."""
        self.check_rules()
        self.look_for_resumable()

    def reload(self) -> None:
        """Another profile: its limits check the rows again; its journal may hold other resumable sends."""
        super().reload()
        doc, service = self.doc, self.app.service
        if doc is not None and service is not None and not self.busy:
            self.busy = True
            self._show_progress(0.0)
            self._relimit(doc, service.profile.max_content_length, service.profile.require_signature)
        self.look_for_resumable()

    def commands(self) -> list[PaletteCommand]:
        """The editor's actions in the command palette."""
        return [PaletteCommand("cmd.batch.open", "cmd.batch.open.help", self.action_open, "Alt+O"),
                PaletteCommand("cmd.batch.columns", "cmd.batch.columns.help", self.action_columns, "Alt+P"),
                PaletteCommand("cmd.batch.drop_bad", "cmd.batch.drop_bad.help", self.action_drop_bad, "Alt+Y"),
                PaletteCommand("cmd.batch.save", "cmd.batch.save.help", self.action_save, "Alt+W"),
                PaletteCommand("cmd.batch.export", "cmd.batch.export.help", self.action_export, "Alt+J")]

    # -- opening --------------------------------------------------------------------------------------------

    @on(Input.Submitted, "#path")
    def handle_path(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.open_file(event.value.strip())

    @on(Select.Changed, "#encoding")
    @on(Select.Changed, "#delimiter")
    def handle_reading_changed(self) -> None:
        if self.doc is not None and not self.busy:
            self.open_file(str(self.doc.path))

    def open_file(self, path: str) -> None:
        """Read and check a file in a worker, with a progress bar; the open batch stays until the new one is read
        (edits not saved are not given up without asking)."""
        if self.doc is not None and self.doc.edited:
            self.app.push_screen(Ask(self.app.strings("batch.unsaved.title"),
                                     self.app.strings("batch.unsaved", name=self.doc.path.name),
                                     self.app.strings("batch.unsaved.open"), self.app.strings("batch.cancel"),
                                     yes_focused=False, risky=True),
                                 lambda yes: self._read(path) if yes else None)
            return
        self._read(path)

    def _read(self, path: str) -> None:
        service = self.app.service
        profile = service.profile if service is not None else None
        max_length = profile.max_content_length if profile is not None else p.MAX_CONTENT_LENGTH
        signature = profile.require_signature if profile is not None else True
        encoding = str(self.query_one("#encoding", Select).value or "")
        delimiter = str(self.query_one("#delimiter", Select).value or "")
        template = self.query_one("#template", Input).value
        self.busy = True
        self._show_progress(0.0)
        self._open(path, encoding, delimiter, max_length, signature, template)

    @work(thread=True, exclusive=True, group="batch-open", exit_on_error=False)
    def _open(self, path: str, encoding: str, delimiter: str, max_length: int, signature: bool,
              template: str) -> None:
        try:
            doc = BatchDoc.open(Path(path).expanduser(), encoding=encoding, delimiter=delimiter,
                                max_length=max_length, require_signature=signature, template=template,
                                progress=self._progressed)
        except InvalidInput as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Opened(doc))

    @work(thread=True, exclusive=True, group="batch-open", exit_on_error=False)
    def _relimit(self, doc: BatchDoc, max_length: int, require_signature: bool) -> None:
        doc.set_limits(max_length, require_signature, progress=self._progressed)
        self.post_message(self.Opened(doc, remapped=True))

    @work(thread=True, exclusive=True, group="batch-open", exit_on_error=False)
    def _remap(self, doc: BatchDoc, mapping: ColumnMap, template: str) -> None:
        doc.remap(mapping, template, progress=self._progressed)
        self.post_message(self.Opened(doc, remapped=True))

    def _progressed(self, share: float) -> None:
        self.post_message(self.Progressed(share))

    @on(Progressed)
    def handle_progress(self, message: Progressed) -> None:
        if self.busy:
            self._show_progress(message.share)

    def _show_progress(self, share: float) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        self.query_one("#source", Static).display = False
        bar.update(progress=round(share * 100))

    def _hide_progress(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#source", Static).display = True

    @on(Failed)
    def handle_failed(self, message: Failed) -> None:
        self.busy = False
        self._hide_progress()
        self.error = error_text(self.app.strings, message.error)
        self.redraw()  # the batch open before (and its edits) stays

    @on(Opened)
    def handle_opened(self, message: Opened) -> None:
        self.busy = False
        self._hide_progress()
        self.error = ""
        doc = message.doc
        self.doc = doc
        self.held, self.results, self.night_ok = {}, {}, False
        if not message.remapped:
            self.query_one("#path", Input).value = str(doc.path)
            if doc.template is not None:
                self.query_one("#template", Input).value = doc.template.text
        table = self.rows_table
        table.show(self._pager(doc), keep_cursor=message.remapped)
        self.redraw()
        self.check_rules()
        table.focus()
        if doc.unsure() and not message.remapped:
            self.action_columns()

    @property
    def rows_table(self) -> PagedTable[Row]:
        """The virtual table of rows."""
        table: PagedTable[Row] = self.query_one("#rows", PagedTable)
        return table

    @staticmethod
    def _pager(doc: BatchDoc) -> Pager[Row]:
        """Windows over the batch in memory (the table reads only those on screen)."""

        async def fetch(limit: int, offset: int, _after: Key | None, _before: Key | None) -> list[Row]:
            return doc.rows[offset:offset + limit]

        async def count() -> int:
            return len(doc.rows)

        return Pager(fetch, count, size=WINDOW)

    @on(Input.Submitted, "#template")
    def handle_template(self, event: Input.Submitted) -> None:
        doc = self.doc
        if doc is None or self.busy:
            return
        if (doc.template.text if doc.template else "") == event.value:
            return
        self.busy = True
        self._show_progress(0.0)
        self._remap(doc, doc.mapping, event.value)

    # -- drawing ------------------------------------------------------------------------------------

    def _cells(self, row: Row) -> list[Any]:
        line = str(row.line) if row.line else "+"
        result = self.results.get(row.mobile) if row.state == KEPT and not row.bad else None
        # ASCII marks: one cell in every terminal, CJK ones too (a table's columns must line up).
        if row.state == DROPPED:
            mark = ("-", "paged-table--muted")
        elif row.state == HELD:
            mark = ("=", "paged-table--warn")
        elif row.bad:
            mark = ("x", "paged-table--bad")
        elif result is not None:
            mark = ("+", "paged-table--good") if result.state == "accepted" else ("?", "paged-table--warn")
        elif row.mobile in self.held:
            mark = ("=", "paged-table--warn")
        elif any(i.severity == "warning" for i in row.issues):
            mark = ("!", "paged-table--warn")
        else:
            mark = (" ", "")
        mobile = row.mobile or self._raw_mobile(row)
        muted = row.state == DROPPED
        message = row.message or (self._issue(row.issues[0]) if row.issues else "")
        if self._under_cursor(row):  # the cursor's colours, whole (a cell's own colour would hide them)
            return [line, mark[0], mobile, message]
        return [line, mark, (mobile, "paged-table--muted") if muted else
                (mobile, "paged-table--bad") if not row.mobile else mobile,
                (message, "paged-table--muted") if muted or not row.message else message]

    def _under_cursor(self, row: Row) -> bool:
        table = self.rows_table
        doc = self.doc
        return doc is not None and table.cursor < len(doc.rows) and doc.rows[table.cursor] is row

    def _raw_mobile(self, row: Row) -> str:
        """The number's cell as written (for a row whose number is not valid)."""
        column = self.doc.mapping.mobile if self.doc is not None else None
        return row.cells[column].strip() if column is not None and column < len(row.cells) else ""

    def _issue(self, issue: p.Problem) -> str:
        t = self.app.strings
        if issue.kind == "mobile_invalid":
            return t.get(f"invalid.{issue.params.get('why', '')}", issue.message,
                         **{**issue.params, "where": t("batch.col.mobile")})
        return t.get(f"batch.problem.{issue.kind}", "", **issue.params) or problem_text(t, issue)

    def redraw(self) -> None:
        """The source line, the summary, the selected row's preview, the totals and whether it can be sent."""
        t = self.app.strings
        doc = self.doc
        source = Lines()
        if self.error:
            source.add(f"✕ {self.error}", ERROR)
        elif doc is None:
            source.add(t("batch.none"), MUTED)
        else:
            source.add(_source_text(t, doc), MUTED)
            if doc.changed_on_disk():
                source.add("  " + t("batch.changed", name=doc.path.name), WARNING)
        self.query_one("#source", Static).update(source.content())
        self.query_one("#summary", Static).update(self._summary())
        self.query_one("#totals", Static).update(self._totals())
        self.query_one("#totals-line", Static).update(self._totals_line())
        self.draw_preview()
        reason = self._blocker()
        self.why_not = reason
        why = self.query_one("#why", Static)
        if reason:
            why.update(Content.styled(reason, ERROR))
        elif self._night():
            why.update(Content.styled(t("batch.night.short"), WARNING))
        else:
            why.update(Content.styled(t("why.ready"), SUCCESS))
        self.query_one("#send", Button).disabled = bool(reason)

    def _summary(self) -> Content:
        t = self.app.strings
        doc = self.doc
        lines = Lines()
        if self.error:
            lines.line(f"✕ {self.error}", ERROR).line(t("batch.kept") if doc is not None else "", MUTED)
        if doc is None:
            return lines.line(t("batch.hint.open"), MUTED).line(t("batch.hint.template"), MUTED).content()
        summary = doc.summary()
        if doc.template is not None and doc.template.problems:
            for problem in doc.template.problems:
                lines.line(f"✕ {self._issue(problem)}", ERROR)
        for finding in doc.table.findings[:3]:
            words = t.get(f"batch.finding.{finding.kind}", "", **finding.params) or finding.message.partition(": ")[2]
            lines.line(f"✕ {t('batch.line', n=finding.line)}: {words}", ERROR)
        if len(doc.table.findings) > 3:
            lines.line(f"  … +{len(doc.table.findings) - 3}", ERROR)
        if not summary and not self.held:
            lines.line(t("batch.all_good", rows=f"{len(doc.rows):,}"), SUCCESS)
        for kind in summary[:SHOWN_KINDS]:
            style = {"error": ERROR, "warning": WARNING}.get(kind.severity, INFO)
            mark = {"error": "✕", "warning": "!"}.get(kind.severity, "·")
            where = ", ".join(str(line) if line else "+" for _, line in kind.first)
            more = ", …" if kind.count > len(kind.first) else ""
            lines.add(f"{mark} {t.get(f'batch.kind.{kind.kind}', kind.kind)}: {kind.count:,}", style)
            key = "batch.lines" if kind.count > 1 else "batch.line"
            lines.line(f" ({t(key, lines=where + more, n=where)})", MUTED)
        if len(summary) > SHOWN_KINDS:
            lines.line(f"  … +{len(summary) - SHOWN_KINDS}", MUTED)
        if self.held:
            rules: dict[str, int] = {}
            for held in self.held.values():
                rules[held.rule] = rules.get(held.rule, 0) + 1
            for rule, count in rules.items():
                lines.line(f"= {t.get(f'batch.held.{rule}', rule)}: {count:,}", WARNING)
        if doc.blocking:
            lines.line(t("batch.hint.fix"), MUTED)
        return lines.content()

    def draw_preview(self) -> None:
        """The selected row's final message, with its length, segments and cost, and what is wrong with it."""
        t = self.app.strings
        doc = self.doc
        row = self.rows_table.current if doc is not None else None
        lines = Lines()
        if row is None or doc is None:
            self.query_one("#preview", Static).update(lines.content())
            return
        where = t("batch.line", n=row.line) if row.line else t("batch.new_row")
        number = row.mobile or self._raw_mobile(row) or "—"
        lines.add(f"{where} · ", MUTED).line(number, STRONG if row.mobile else ERROR)
        if row.message:
            lines.line(row.message)
            near = row.length >= doc.max_length * p.content.NEAR_LIMIT_RATIO
            lines.add(t("batch.preview.figures", length=row.length, max=doc.max_length, segments=row.segments),
                      WARNING if near else MUTED).line("")
        if row.state == DROPPED:
            lines.line(t("batch.state.dropped"), MUTED)
        elif row.state == HELD:
            lines.line(t("batch.state.held"), WARNING)
        for issue in row.issues:
            style = {"error": ERROR, "warning": WARNING}.get(issue.severity, INFO)
            lines.line(f"{'✕' if issue.severity == 'error' else '!'} {self._issue(issue)}", style)
        if (held := self.held.get(row.mobile)) is not None and row.state == KEPT:
            lines.line(f"‖ {held_text(t, held)}", WARNING)
        if (result := self.results.get(row.mobile)) is not None and row.state == KEPT and not row.bad:
            lines.line(t(f"batch.result.{_result_key(result.state)}", task=result.task_id or "—",
                         message=result.message), SUCCESS if result.state == "accepted" else WARNING)
        self.query_one("#preview", Static).update(lines.content())

    def _totals(self) -> Content:
        t = self.app.strings
        doc = self.doc
        if doc is None:
            return Content("")
        totals = doc.totals()
        service = self.app.service
        balance = service.balances.sms if service is not None else None
        after = balance.after(totals.segments) if balance is not None else None
        rows = [(t("batch.total.rows"), f"{totals.rows:,}", ""),
                (t("batch.total.send"), f"{totals.sendable - len(self.held):,}", STRONG),
                (t("batch.total.cost"), f"{totals.segments:,}", STRONG),
                (t("counter.after"), "…" if after is None else f"{after:,}", ERROR if (after or 0) < 0 else "")]
        if totals.dropped or totals.held:
            rows.append((t("batch.total.kept_out"), t("batch.total.kept_out.value", dropped=f"{totals.dropped:,}",
                                                      held=f"{totals.held:,}"), MUTED))
        if totals.longest:
            rows.append((t("batch.total.longest"), t("batch.total.longest.value", length=totals.longest), ""))
        if totals.near:
            rows.append((t("batch.total.near"), f"{totals.near:,}", WARNING))
        return Lines().rows(rows, t("colon")).content()

    def _totals_line(self) -> Content:
        t = self.app.strings
        doc = self.doc
        if doc is None:
            return Content("")
        service = self.app.service
        balance = service.balances.sms if service is not None else None
        after = balance.after(doc.segments) if balance is not None else None
        text = t("batch.totals", rows=f"{len(doc.rows):,}", send=f"{max(doc.sendable - len(self.held), 0):,}",
                 cost=f"{doc.segments:,}", after="…" if after is None else f"{after:,}")
        return Content.styled(text, ERROR if (after or 0) < 0 else MUTED)

    def _blocker(self) -> str:
        t = self.app.strings
        doc = self.doc
        if doc is None:
            return t("batch.why.no_file")
        if self.busy:
            return t("batch.why.busy")
        if doc.mapping.mobile is None:
            return t("batch.why.no_mobile")
        if doc.template is not None and doc.template.problems:
            return t("batch.why.template")
        if doc.template is None and doc.mapping.content is None:
            return t("batch.why.no_content")
        if doc.blocking:
            return t("batch.why.bad", count=f"{doc.blocking:,}")
        if not doc.sendable:
            return t("batch.why.nothing")
        if self.schedule_error:
            return self.schedule_error
        if self.check_error is not None:
            return error_text(t, self.check_error)
        service = self.app.service
        balance = service.balances.sms if service is not None else None
        if balance is not None and balance.shortfall(doc.segments):
            return t("why.balance")
        return ""

    def _night(self) -> bool:
        service = self.app.service
        return service is not None and reaches_at_night(self.schedule, service.clock())

    @on(PagedTable.Moved)
    def handle_moved(self) -> None:
        self.draw_preview()

    @on(PagedTable.Chosen)
    def handle_chosen(self) -> None:
        self.action_edit()

    # -- editing ------------------------------------------------------------------------------------

    def _position(self) -> int | None:
        doc = self.doc
        if doc is None or not doc.rows or self.busy:
            return None
        return min(self.rows_table.cursor, len(doc.rows) - 1)

    def changed(self) -> None:
        """The batch changed: what is on screen is drawn again, the rules looked at again."""
        self.results = {}
        self.rows_table.reload()
        self.redraw()
        self.check_rules()

    def action_open(self) -> None:
        """Type another file's path."""
        self.query_one("#path", Input).focus()

    def action_next_bad(self) -> None:
        """The cursor to the next row with an error."""
        position = self._position()
        if position is None or self.doc is None:
            return
        found = self.doc.next_bad(position)
        if found < 0:
            self.notify(self.app.strings("batch.no_bad"), timeout=3)
            return
        self.rows_table.cursor = found
        self.rows_table.focus()

    def action_edit(self, column: int | None = None) -> None:
        """Edit the selected row's cells."""
        position = self._position()
        doc = self.doc
        if position is None or doc is None:
            return
        if column is None:
            column = self._problem_column(doc.rows[position])
        self.app.push_screen(RowDialog(doc, position, column, self._issue),
                             lambda cells: self._edited(position, cells))

    def _problem_column(self, row: Row) -> int | None:
        """The cell the row's first problem is in: the number's, the empty merge field's, else the message's."""
        doc = self.doc
        if doc is None:
            return None
        for issue in row.issues:
            if issue.kind.startswith("mobile_"):
                return doc.mapping.mobile
            if issue.kind == "placeholder_empty" and (name := str(issue.params.get("name", ""))) in doc.names:
                return doc.names.index(name)
        return doc.mapping.content if doc.template is None else None

    def _edited(self, position: int, cells: list[str] | None) -> None:
        if cells is None or self.doc is None:
            return
        self.doc.set_cells(position, cells)
        self.changed()

    def action_drop(self) -> None:
        """Drop the selected row (again: keep it)."""
        self._set_state(DROPPED)

    def action_hold(self) -> None:
        """Keep the selected row back for now (again: send it)."""
        self._set_state(HELD)

    def _set_state(self, state: str) -> None:
        position = self._position()
        if position is None or self.doc is None:
            return
        self.doc.set_state(position, state)
        self.changed()

    def action_drop_bad(self) -> None:
        """Drop every row with an error (undo takes them back)."""
        if self.doc is None or self.busy:
            return
        count = self.doc.drop_bad()
        self.notify(self.app.strings("batch.dropped_bad", count=f"{count:,}"), timeout=4)
        self.changed()

    def action_add(self) -> None:
        """A new empty row under the selected one, opened for editing."""
        doc = self.doc
        if doc is None or self.busy:
            return
        position = doc.add_row(self._position() or 0 if doc.rows else -1)
        self.changed()
        self.rows_table.cursor = position
        self.app.push_screen(RowDialog(doc, position, describe=self._issue),
                             lambda cells: self._edited(position, cells))

    def action_delete(self) -> None:
        """Take the selected row out of the batch (undo puts it back)."""
        position = self._position()
        if position is None or self.doc is None:
            return
        self.doc.delete_row(position)
        self.changed()

    def action_undo(self) -> None:
        """Take back the last edit."""
        if self.doc is None or self.busy:
            return
        what = self.doc.undo()
        if not what:
            self.notify(self.app.strings("batch.undo.none"), timeout=3)
            return
        self.notify(self.app.strings("batch.undone", what=self.app.strings(f"batch.undo.{what}")), timeout=3)
        self.changed()

    def action_columns(self) -> None:
        """The mapping step: each column's role, and the template."""
        doc = self.doc
        if doc is None or self.busy:
            return
        template = self.query_one("#template", Input).value
        self.app.push_screen(MappingDialog(doc, template), self._mapped)

    def _mapped(self, chosen: tuple[ColumnMap, str] | None) -> None:
        doc = self.doc
        if chosen is None or doc is None:
            return
        mapping, template = chosen
        self.query_one("#template", Input).value = template
        self.busy = True
        self._show_progress(0.0)
        self._remap(doc, mapping, template)

    def action_save(self) -> None:
        """Write the batch as edited to CSV or XLSX."""
        doc = self.doc
        if doc is None:
            return
        t = self.app.strings
        suggested = doc.path.with_name(f"{doc.path.stem}-edited{doc.path.suffix or '.csv'}")
        self.app.push_screen(WriteDialog(t("batch.save.title"), str(suggested), t("batch.save.hint")),
                             lambda path: self._write(path, rejected=False))

    def action_export(self) -> None:
        """Write the rows not sent (with why) as CSV, for whoever made the file."""
        doc = self.doc
        if doc is None:
            return
        t = self.app.strings
        suggested = doc.path.with_name(f"{doc.path.stem}-rejected.csv")
        self.app.push_screen(WriteDialog(t("batch.export.title"), str(suggested), t("batch.export.hint")),
                             lambda path: self._write(path, rejected=True))

    def _write(self, path: str | None, rejected: bool) -> None:
        doc = self.doc
        if path is None or doc is None:
            return
        t = self.app.strings
        try:
            count = doc.export_rejected(path) if rejected else doc.save(path)
        except InvalidInput as exc:
            self.notify(error_text(t, exc), severity="error", timeout=8)
            return
        self.notify(t("batch.written", count=f"{count:,}", path=path), timeout=5)
        self.redraw()

    # -- the rules, through the shared flow ---------------------------------------------------------

    @on(Input.Changed, "#schedule")
    def handle_schedule_changed(self, event: Input.Changed) -> None:
        t = self.app.strings
        try:
            self.schedule = p.parse_send_time(event.value)
            self.schedule_error = ""
        except ValueError:
            self.schedule, self.schedule_error = None, t("schedule.format", text=event.value.strip())
        service = self.app.service
        if service is not None and (problem := p.check_schedule(self.schedule, service.clock())):
            self.schedule_error = problem_text(t, problem)
        self.night_ok = False
        self.redraw()
        self.check_rules()

    def job(self) -> BatchJob:
        """The send the batch describes: the rows without errors, neither dropped nor held."""
        rows = self.doc.job_rows() if self.doc is not None else ()
        return BatchJob(send_time=self.schedule, extno=self.query_one("#extno", Input).value, rows=rows)

    def check_rules(self) -> None:
        """Find (shortly after an edit) which numbers opt-outs, sends in doubt or the rules would hold back."""
        flow = self.query_one(SendFlow)
        doc = self.doc
        if doc is None or self._blocker() or doc.sendable > LIVE_CHECK_ROWS:
            flow.check(None)
            if self.held or self.check_error:
                self.held, self.check_error = {}, None
                self.redraw()
            return
        flow.check(self.job())

    @on(SendFlow.Checked)
    def handle_checked(self, message: SendFlow.Checked) -> None:
        self.check_error = message.error
        self.held = {h.mobile: h for h in message.preflight.held} if message.preflight else {}
        self.rows_table.refresh()
        self.redraw()

    def action_send(self) -> None:
        """Check, confirm and send the rows without errors (a send that reaches phones at night asks first)."""
        if self.why_not:
            self.notify(self.why_not, severity="warning")
            return
        if self._night() and not self.night_ok:
            t = self.app.strings
            self.app.push_screen(Ask(t("batch.night.title"), t("batch.night"), t("batch.night.yes"),
                                     t("batch.cancel"), yes_focused=False, risky=True), self._night_answered)
            return
        self._send()

    def _night_answered(self, yes: bool | None) -> None:
        if yes:
            self.night_ok = True
            self._send()

    def _send(self) -> None:
        doc = self.doc
        if doc is not None and doc.changed_on_disk():
            self.notify(self.app.strings("batch.changed", name=doc.path.name), severity="warning", timeout=6)
        self.query_one(SendFlow).send(self.job())

    @on(Button.Pressed, "#send")
    def handle_send_pressed(self) -> None:
        self.action_send()

    @on(SendFlow.Sent)
    def handle_sent(self, message: SendFlow.Sent) -> None:
        self.load_results(message.outcome.send_id)
        self.look_for_resumable()

    @work(exclusive=True, group="batch-results", exit_on_error=False)
    async def load_results(self, send_id: str) -> None:
        """What became of each row's number."""
        service = self.app.service
        if service is None or not send_id:
            return
        try:
            found = await row_results(service, send_id)
        except ServiceError as exc:
            self.app.post_message(ServiceFailed(exc, "send"))
            return
        self.post_message(self.Results(send_id, found))

    @on(Results)
    def handle_results(self, message: Results) -> None:
        self.results = message.results
        self.rows_table.refresh()
        self.draw_preview()

    # -- resuming -------------------------------------------------------------------------------------

    @work(exclusive=True, group="batch-resumable", exit_on_error=False)
    async def look_for_resumable(self) -> None:
        """Batch sends a crash or a stop left part-way."""
        service = self.app.service
        if service is None:
            return
        try:
            found = await resumable_sends(service, "batch")
        except ServiceError:
            return
        self.post_message(self.Resumables(found))

    @on(Resumables)
    def handle_resumables(self, message: Resumables) -> None:
        t = self.app.strings
        self.resumable = message.found
        row = self.query_one("#resume-row")
        row.display = bool(message.found)
        if message.found:
            first = message.found[0]
            text = t("batch.resumable", done=first.done, total=first.total, rows=f"{first.rows_waiting:,}",
                     send=first.send_id)
            if first.unknown:
                text += " " + t("batch.resumable.doubt", count=first.unknown)
            if len(message.found) > 1:
                text += " " + t("batch.resumable.more", count=len(message.found) - 1)
            self.query_one("#resume-text", Static).update(Content.styled(text, WARNING))

    @on(Button.Pressed, "#resume")
    def handle_resume(self) -> None:
        if self.resumable:
            self.query_one(SendFlow).resume(self.resumable[0].send_id)

    @on(Button.Pressed, "#abandon")
    def handle_abandon(self) -> None:
        if not self.resumable:
            return
        t = self.app.strings
        send = self.resumable[0]
        self.app.push_screen(Ask(t("batch.abandon.title"), t("batch.abandon.body", send=send.send_id,
                                                               rows=f"{send.rows_waiting:,}"),
                                 t("batch.abandon"), t("batch.cancel"), yes_focused=False, risky=True),
                             lambda yes: self._abandon_answered(send, yes))

    def _abandon_answered(self, send: Resumable, yes: bool | None) -> None:
        if yes:
            self.abandon(send)

    @work(exclusive=True, group="batch-resumable", exit_on_error=False)
    async def abandon(self, send: Resumable) -> None:
        """Close the chunks of a stopped batch that were never sent."""
        service = self.app.service
        if service is None:
            return
        try:
            closed = await abandon(service, send.send_id)
        except ServiceError as exc:
            self.app.post_message(ServiceFailed(exc, "send"))
            return
        self.app.notify(self.app.strings("batch.abandoned", send=send.send_id, count=closed), timeout=5)
        self.app.data_changed("sends")
        self.post_message(self.Resumables(await resumable_sends(service, "batch")))


def _delimiter_key(delimiter: str) -> str:
    return {"": "auto", ",": "comma", "\t": "tab", ";": "semicolon"}[delimiter]


def _result_key(state: str) -> str:
    return state if state in ("accepted", "refused", "unknown") else "waiting"


def _source_text(t: Any, doc: BatchDoc) -> str:
    """How the file was read and which columns are which: `CSV · GB18030 · comma · 4 rows · 手机号码 → number`."""
    source = doc.table.source
    names = doc.names
    if source.format == "xlsx":
        how = t("batch.source.xlsx", sheet=source.sheet)
    else:
        how = t("batch.source.csv", encoding=source.encoding_name,
                delimiter=t(f"batch.delimiter.{_delimiter_key(source.delimiter)}"))
    parts = [how, t("batch.source.rows", rows=f"{len(doc.rows):,}")]
    if doc.mapping.mobile is not None:
        parts.append(t("batch.source.mobile", name=names[doc.mapping.mobile]))
    if doc.template is None and doc.mapping.content is not None:
        parts.append(t("batch.source.content", name=names[doc.mapping.content]))
    return " · ".join(parts)


