"""The Templates area's dialogs: write or edit a template (the rules checked as typed), delete one (naming it), match
a content, import a file (what it would do first, then with progress), export every template."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, ProgressBar, Static, TextArea

from ... import protocol as p
from ...service import ImportPlan, ImportResult, ServiceError, read_template_file
from ...words import error_text, template_finding_text
from ..styles import ERROR, MUTED, STRONG, SUCCESS, WARNING, Lines
from ..widgets.template_view import chip, filled_text, match_lines, problem_lines, short, variables_text
from .modal import Dialog, WorkingDialog

CSS: list[str | PurePath] = ["../sending/sending.tcss", "templates_dialogs.tcss"]
SHOWN_REFUSED = 8


class TemplateDialog(WorkingDialog[str | None]):
    """A dialog of the area that does its work itself and says in place what went wrong (keeping what was typed)."""

    CSS_PATH = CSS


class TemplateEditor(TemplateDialog):
    """A new template, or a new text for one: the rules checked as typed; saving submits it for review."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="template_editor.cancel"),
                Binding("ctrl+s", "save", "Save", id="template_editor.save", key_display="Ctrl+S", priority=True)]

    @dataclass
    class Saved(Message):
        """The gateway took it: it is under review."""

        template_id: str

    def __init__(self, template: p.Template | None) -> None:
        super().__init__()
        self.template = template
        self.saved_id = ""  # the id the gateway gave (or kept), once saved

    def compose(self) -> ComposeResult:
        t = self.app.strings
        template = self.template
        with Vertical(id="dialog"):
            if template is None:
                yield Static(t("templates.new_title"), classes="title")
            else:
                yield Static(Content.assemble((t("templates.edit_title", id=template.template_id), STRONG), "  ",
                                              chip(t, int(template.status))), classes="title")
                yield Static(Lines().line(t("templates.back_to_review"), WARNING).content(), id="warning")
            yield TextArea(template.text if template else "", id="text", compact=True, soft_wrap=True)
            yield Static(t("templates.editor.hint"), classes="muted")
            with VerticalScroll(id="checks-box"):
                yield Static(id="checks")
            yield Static(id="said")
            with Horizontal(classes="buttons"):
                label = t("templates.submit") if template is None else t("templates.resubmit")
                yield Button(label, id="go", variant="primary", compact=True)
                yield Button(t("templates.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        field = self.query_one("#text", TextArea)
        field.focus()
        field.move_cursor(field.document.end)
        self.check()

    @on(TextArea.Changed, "#text")
    def check(self) -> None:
        """What the rules say about the text as it stands."""
        t = self.app.strings
        service = self.app.service
        text = p.normalise_newlines(self.query_one("#text", TextArea).text)
        lines = Lines()
        if service is None or not text.strip():
            lines.line(t("templates.editor.empty"), MUTED)
        else:
            book = service.template_book
            lines.line(variables_text(t, text)).line(f"{filled_text(t, text)} · {p.text_length(text)}/"
                                                     f"{book.max_length}", MUTED)
            problems = book.check(text)
            problem_lines(t, problems, lines)
            if not problems:
                lines.line(t("templates.editor.ok"), SUCCESS)
            same = book.same_text(text, but=self.template.template_id if self.template else "")
            if same is not None:
                lines.line(t("templates.editor.same", id=same.template_id), WARNING)
        self.query_one("#checks", Static).update(lines.content())
        self.say("")

    @on(Button.Pressed, "#go")
    def action_save(self) -> None:
        """Submit it (nothing goes while the rules refuse it)."""
        service = self.app.service
        if service is None:
            return
        text = p.normalise_newlines(self.query_one("#text", TextArea).text).strip()
        blocking = [x for x in service.template_book.check(text) if x.blocking]
        if not text or blocking:
            self.say(self.app.strings("templates.editor.fix"), ERROR)
            return
        self.busy(True)
        self.say(self.app.strings("templates.sending"))
        self.save(text)

    @work(exclusive=True, group="template-save", exit_on_error=False)
    async def save(self, text: str) -> None:
        """Add or update on the gateway."""
        service = self.app.service
        if service is None:
            return
        try:
            if self.template is None:
                template_id = await service.template_book.add(text)
            else:
                template_id = self.template.template_id
                await service.template_book.update(template_id, text)
        except ServiceError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Saved(template_id))

    @on(Saved)
    def handle_saved(self, message: Saved) -> None:
        t = self.app.strings
        key = "templates.added" if self.template is None else "templates.updated"
        self.saved_id = message.template_id
        self.dismiss(t(key, id=message.template_id))


class ConfirmDelete(Dialog[bool]):
    """Asks before a template is deleted on the gateway, naming it."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "cancel", "Keep", id="template_delete.cancel")]

    def __init__(self, template: p.Template) -> None:
        super().__init__()
        self.template = template
        self.saved_id = ""  # the id the gateway gave (or kept), once saved

    def compose(self) -> ComposeResult:
        t = self.app.strings
        template = self.template
        with Vertical(id="dialog"):
            yield Static(t("templates.delete_title", id=template.template_id), classes="title")
            yield Static(Lines().add(chip(t, int(template.status)).plain + "  ", MUTED).line(template.text, STRONG)
                         .line("").line(t("templates.delete_body"), WARNING).content())
            with Horizontal(classes="buttons"):
                yield Button(t("templates.delete_yes"), id="yes", variant="error", compact=True)
                yield Button(t("templates.delete_no"), id="no", variant="primary", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def handle_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        """Keep the template."""
        self.dismiss(False)


class MatchPreview(Dialog[None]):
    """Type or paste a content: the enabled template it matches, or the closest one and where it differs."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "close", "Close", id="template_match.close")]

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("templates.match_title"), classes="title")
            yield TextArea(id="content", compact=True, soft_wrap=True)
            with VerticalScroll(id="result-box"):
                yield Static(id="result")
            with Horizontal(classes="buttons"):
                yield Button(t("templates.close"), id="close", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#content", TextArea).focus()
        self.show()

    @on(TextArea.Changed, "#content")
    def show(self) -> None:
        """Match what is typed against the shared list (a template enabled a moment ago counts)."""
        service = self.app.service
        if service is None:
            return
        text = p.normalise_newlines(self.query_one("#content", TextArea).text)
        self.query_one("#result", Static).update(match_lines(self.app.strings, text,
                                                             service.template_book.index).content())

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)


class ImportTemplates(TemplateDialog):
    """A CSV or XLSX file of templates: what importing would do (new, already there, refused by line), then the
    new ones submitted for review, with progress."""

    BINDINGS = [Binding("escape", "cancel", "Close", id="template_import.close")]

    @dataclass
    class Planned(Message):
        """The file is read: what importing it would do."""

        plan: ImportPlan

    @dataclass
    class Progress(Message):
        """How many of the new ones were submitted."""

        done: int
        total: int

    @dataclass
    class Finished(Message):
        """What the import did."""

        result: ImportResult

    def __init__(self) -> None:
        super().__init__()
        self.plan: ImportPlan | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("templates.import_title"), classes="title")
            yield Label(t("templates.import_file"), classes="field")
            yield Input(id="path", compact=True, placeholder="~/templates.csv")
            yield Static(t("templates.import_hint"), classes="muted")
            with VerticalScroll(id="plan-box"):
                yield Static(id="plan")
            yield ProgressBar(id="bar", total=1, show_eta=False)
            yield Static(id="said")
            with Horizontal(classes="buttons"):
                yield Button(t("templates.import_read"), id="go", variant="primary", compact=True)
                yield Button(t("templates.close"), id="cancel", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#bar", ProgressBar).display = False
        self.query_one("#path", Input).focus()

    @on(Input.Changed, "#path")
    def handle_path_changed(self) -> None:
        if self.plan is not None and not self.running:
            self.plan = None
            go = self.query_one("#go", Button)
            go.label, go.disabled = self.app.strings("templates.import_read"), False
            self.query_one("#plan", Static).update("")

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#go")
    def handle_go(self) -> None:
        if self.running:
            return
        if self.plan is None:
            path = Path(self.query_one("#path", Input).value.strip()).expanduser()
            if not path.name:
                self.say(self.app.strings("templates.import_no_file"), ERROR)
                return
            self.busy(True)
            self.say(self.app.strings("templates.import_reading"))
            self.read(path)
        elif self.plan.new:
            self.running = True
            self.busy(True)
            bar = self.query_one("#bar", ProgressBar)
            bar.display = True
            bar.update(total=len(self.plan.new), progress=0)
            self.say(self.app.strings("templates.sending"))
            self.submit(self.plan)

    @work(exclusive=True, group="template-read", exit_on_error=False)
    async def read(self, path: Path) -> None:
        """Read the file (on a thread: a big workbook takes a while) and plan."""
        import asyncio

        service = self.app.service
        if service is None:
            return
        try:
            found = await asyncio.to_thread(read_template_file, path)
        except ServiceError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Planned(service.template_book.plan(found)))

    @on(Planned)
    def handle_planned(self, message: Planned) -> None:
        t = self.app.strings
        plan = self.plan = message.plan
        self.busy(False)
        lines = Lines().line(t("templates.import_plan", new=len(plan.new), present=len(plan.present),
                               refused=len(plan.refused)), STRONG)
        for row in plan.new[:SHOWN_REFUSED]:
            lines.line(f"+ {t('templates.import_line', line=row.line)}: {short(row.text, 48)}", SUCCESS)
        if len(plan.new) > SHOWN_REFUSED:
            lines.line(f"  … +{len(plan.new) - SHOWN_REFUSED}", SUCCESS)
        for finding in plan.refused[:SHOWN_REFUSED]:
            lines.line(f"✕ {template_finding_text(t, finding)}", ERROR)
        if len(plan.refused) > SHOWN_REFUSED:
            lines.line(f"  … +{len(plan.refused) - SHOWN_REFUSED}", ERROR)
        self.query_one("#plan", Static).update(lines.content())
        go = self.query_one("#go", Button)
        if plan.new:
            go.label = t("templates.import_go", count=len(plan.new))
            self.say("")
        else:
            go.disabled = True
            self.say(t("templates.import_nothing"), WARNING)

    def _progress(self, done: int, total: int) -> None:
        self.post_message(self.Progress(done, total))

    @on(Progress)
    def handle_progress(self, message: Progress) -> None:
        self.query_one("#bar", ProgressBar).update(total=message.total, progress=message.done)

    @work(exclusive=True, group="template-import", exit_on_error=False)
    async def submit(self, plan: ImportPlan) -> None:
        """Submit the new ones one by one."""
        service = self.app.service
        if service is not None:
            self.post_message(self.Finished(await service.template_book.submit(plan, self._progress)))

    @on(Finished)
    def handle_finished(self, message: Finished) -> None:
        t = self.app.strings
        result = message.result
        self.running = False
        lines = Lines().line(t("templates.import_done", added=len(result.added), refused=len(result.refused)),
                             SUCCESS if result.added else WARNING)
        for row, error in result.refused[:SHOWN_REFUSED]:
            lines.line(f"✕ {t('templates.import_line', line=row.line)}: {error_text(t, error)}", ERROR)
        if result.stopped is not None:
            lines.line(t("templates.import_stopped", left=result.left, why=error_text(t, result.stopped)), ERROR)
        self.query_one("#plan", Static).update(lines.content())
        self.say("")
        self.query_one("#cancel", Button).focus()
        if result.added:
            self.app.notify(t("templates.import_done", added=len(result.added), refused=len(result.refused)),
                            timeout=8)


class ExportTemplates(TemplateDialog):
    """Every template to a CSV (UTF-8 with BOM, cells defused) or XLSX file."""

    BINDINGS = [Binding("escape", "cancel", "Close", id="template_export.close")]

    @dataclass
    class Written(Message):
        """The file is written."""

        count: int
        path: Path

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default
        self.replace_ok: Path | None = None

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("templates.export_title"), classes="title")
            yield Label(t("templates.export_file"), classes="field")
            yield Input(str(self.default), id="path", compact=True)
            yield Static(t("templates.export_hint"), classes="muted")
            yield Static(id="said")
            with Horizontal(classes="buttons"):
                yield Button(t("templates.export_go"), id="go", variant="primary", compact=True)
                yield Button(t("templates.close"), id="cancel", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#go")
    def handle_go(self) -> None:
        t = self.app.strings
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.name:
            self.say(t("templates.import_no_file"), ERROR)
            return
        if path.exists() and self.replace_ok != path:
            self.replace_ok = path  # said once: the next Export replaces it
            self.say(t("templates.export_exists", path=str(path)), WARNING)
            return
        self.busy(True)
        self.write(path)

    @work(exclusive=True, group="template-export", exit_on_error=False)
    async def write(self, path: Path) -> None:
        """Write the file."""
        service = self.app.service
        if service is None:
            return
        try:
            count = await service.template_book.export(path)
        except ServiceError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Written(count, path))

    @on(Written)
    def handle_written(self, message: Written) -> None:
        self.dismiss(self.app.strings("templates.export_done", count=message.count, path=str(message.path)))
