"""The desk's dialogs: export the filtered set (with progress), copy a number or an id, decide a reply that looks like
an opt-out, add a number to the opt-out list, take one off it (asking why)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from ...service import ServiceError
from ...service.filters import Filter
from ..styles import ERROR, MUTED, STRONG, SUCCESS, WARNING, Lines
from .modal import Dialog, WorkingDialog

CSS: list[str | PurePath] = ["../sending/sending.tcss", "desk_dialogs.tcss"]


class ExportStopped(Exception):
    """The user stopped an export (raised on the reading thread: the half-written file goes)."""


class DeskDialog(WorkingDialog[str | None]):
    """A desk dialog that does its work itself and says in place what went wrong."""

    CSS_PATH = CSS


class ExportDialog(DeskDialog):
    """Writes exactly the filtered set to a CSV (UTF-8 with BOM) or XLSX file, with progress; Esc stops it."""

    BINDINGS = [Binding("escape", "cancel", "Close", id="export.close")]

    @dataclass
    class Finished(Message):
        """The file is written."""

        written: int
        path: Path

    @dataclass
    class Stopped(Message):
        """The user stopped it: nothing was left behind."""

    def __init__(self, kind: str, f: Filter, count: int, default: Path) -> None:
        super().__init__()
        self.kind = kind  # reports or replies
        self.filter = f
        self.count = count
        self.default = default
        self.written = 0  # set by the reading thread as it goes
        self.running = False
        self.stopping = False
        self.replace_ok: Path | None = None

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t(f"export.title.{self.kind}", count=f"{self.count:,}"), classes="title")
            yield Static(Lines().add(t("export.filter"), MUTED).line(self.filter.text.strip() or t("export.all"),
                                                                      STRONG).content())
            yield Label(t("export.file"), classes="field")
            yield Input(str(self.default), id="path", compact=True)
            yield Static(t("export.hint"), classes="muted")
            yield ProgressBar(id="bar", total=max(self.count, 1), show_eta=False)
            yield Static(id="said")
            with Horizontal(classes="buttons"):
                yield Button(t("export.go"), id="export", variant="primary")
                yield Button(t("export.close"), id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#bar", ProgressBar).display = False
        self.query_one("#path", Input).focus()
        self.set_interval(0.1, self._tick)

    def _tick(self) -> None:
        if self.running:
            self.query_one("#bar", ProgressBar).update(progress=self.written)

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def handle_export(self) -> None:
        if self.running:
            return
        t = self.app.strings
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.name:
            self.say(t("export.no_file"), ERROR)
            return
        if path.exists() and self.replace_ok != path:
            self.replace_ok = path  # said once: the next Export replaces it
            self.say(t("export.exists", path=str(path)), WARNING)
            return
        self.running = True
        self.written = 0
        self.query_one("#bar", ProgressBar).display = True
        self.query_one("#export", Button).disabled = True
        self.say(t("export.writing", path=str(path)))
        self.export(path)

    def _progress(self, written: int) -> None:
        if self.stopping:
            raise ExportStopped
        self.written = written

    @work(exclusive=True, group="export", exit_on_error=False)
    async def export(self, path: Path) -> None:
        """Stream the filtered set to the file."""
        service = self.app.service
        if service is None:
            return
        write = service.desk.export_reports if self.kind == "reports" else service.desk.export_replies
        try:
            written = await write(self.filter, path, progress=self._progress)
        except ExportStopped:
            self.post_message(self.Stopped())
        except ServiceError as exc:
            self.post_message(self.Failed(exc))
        else:
            self.post_message(self.Finished(written, path))

    @on(Finished)
    def handle_finished(self, message: Finished) -> None:
        t = self.app.strings
        self.running = False
        self.query_one("#bar", ProgressBar).update(total=max(message.written, 1), progress=message.written)
        self.say(t("export.done", count=f"{message.written:,}", path=str(message.path)), SUCCESS)
        self.query_one("#cancel", Button).focus()
        self.app.notify(t("export.done", count=f"{message.written:,}", path=str(message.path)), timeout=6)

    @on(Stopped)
    def handle_stopped(self) -> None:
        self.dismiss(None)

    @on(DeskDialog.Failed)
    def handle_export_failed(self) -> None:
        self.running = False
        self.query_one("#export", Button).disabled = False

    def action_cancel(self) -> None:
        """Close; while writing, stop (what was written goes)."""
        if self.running:
            self.stopping = True
            self.say(self.app.strings("export.stopping"), WARNING)
            return
        self.dismiss(None)


COPY_KEYS = {"mobile": "m", "task": "t", "send": "s", "text": "c", "row": "r"}


class CopyMenu(Dialog[None]):
    """What of the row under the cursor to copy (a key each, Enter the first); OSC 52 carries it over SSH."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "close", "Close", id="copy.close"),
        Binding("m", "pick('mobile')", "Number", id="copy.mobile"),
        Binding("t", "pick('task')", "Task id", id="copy.task"),
        Binding("s", "pick('send')", "Send id", id="copy.send"),
        Binding("c", "pick('text')", "Text", id="copy.text"),
        Binding("r", "pick('row')", "Row", id="copy.row"),
    ]

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.choices = dict(choices)  # what (mobile, task, send, text, row) → the value

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("copy.title"), classes="title")
            yield OptionList(*(Option(Lines().add(f"{COPY_KEYS[what]}  ", MUTED).add(f"{t(f'copy.what.{what}')}  ",
                                                                                       STRONG)
                                      .add(" ".join(value.split())[:48]).content(), id=what)
                               for what, value in self.choices.items()), id="copy-choices")
            yield Static(t("copy.hint"), classes="muted")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def handle_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option.id or "")

    def action_pick(self, what: str) -> None:
        """Copy one of the choices."""
        value = self.choices.get(what)
        if value is None:
            self.app.bell()
            return
        self.app.copy_to_clipboard(value)
        shown = value if len(value) <= 40 else value[:39] + "…"
        self.app.notify(self.app.strings("copy.done", what=self.app.strings(f"copy.what.{what}"), value=shown),
                        timeout=4)
        self.dismiss(None)

    def action_close(self) -> None:
        """Close, copying nothing."""
        self.dismiss(None)


class OptOutDialog(DeskDialog):
    """A reply that may mean "stop": put the number on the opt-out list (focused), or record that it is no opt-out."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="optout.cancel")]

    @dataclass
    class Done(Message):
        """The decision is recorded."""

        decision: str

    def __init__(self, mobile: str, reply: str, near: bool) -> None:
        super().__init__()
        self.mobile = mobile
        self.reply = reply
        self.near = near

    def compose(self) -> ComposeResult:
        t = self.app.strings
        body = Lines()
        if self.reply:
            body.add(t("optout.wrote"), MUTED).line(f"“{self.reply}”", STRONG)
        if self.near:
            body.line(t("optout.near"), WARNING)
        body.line(t("optout.held"), MUTED)
        with Vertical(id="dialog"):
            yield Static(t("optout.title", mobile=self.mobile), classes="title")
            yield Static(body.content())
            yield Static(id="said")
            with Horizontal(classes="buttons"):
                yield Button(t("optout.yes"), id="optout", variant="warning")
                if self.reply:
                    yield Button(t("optout.keep"), id="keep")
                yield Button(t("optout.cancel"), id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#optout", Button).focus()

    @on(Button.Pressed, "#optout")
    def handle_optout(self) -> None:
        self.decide("optout")

    @on(Button.Pressed, "#keep")
    def handle_keep(self) -> None:
        self.decide("keep")

    @work(exclusive=True, group="optout", exit_on_error=False)
    async def decide(self, decision: str) -> None:
        """Record the decision."""
        service = self.app.service
        if service is None:
            return
        try:
            if decision == "optout":
                await service.add_optout(self.mobile, self.app.strings.english("optout.reason", reply=self.reply)
                                         if self.reply else "")
            else:
                await service.desk.not_an_optout(self.mobile, self.reply)
        except ServiceError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Done(decision))

    @on(Done)
    def handle_done(self, message: Done) -> None:
        self.app.data_changed("optouts")
        self.dismiss(message.decision)


class AddOptOut(DeskDialog):
    """Put a number on the opt-out list by hand (a complaint by phone), with why."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="optout_add.cancel")]

    @dataclass
    class Added(Message):
        """The number is on the list (or was already)."""

        mobile: str
        new: bool

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("optout_add.title"), classes="title")
            yield Label(t("optout_add.number"), classes="field")
            yield Input(id="number", compact=True)
            yield Label(t("optout_add.reason"), classes="field")
            yield Input(id="reason", compact=True, placeholder=t("optout_add.example"))
            yield Static(id="said")
            with Horizontal(classes="buttons"):
                yield Button(t("optout_add.go"), id="add", variant="warning")
                yield Button(t("optout.cancel"), id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#number", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def handle_add(self) -> None:
        self.add_number(self.query_one("#number", Input).value, self.query_one("#reason", Input).value)

    @work(exclusive=True, group="optout", exit_on_error=False)
    async def add_number(self, number: str, reason: str) -> None:
        """Put it on the list."""
        service = self.app.service
        if service is None:
            return
        try:
            new = await service.add_optout(number, reason.strip() or "manual")
        except ServiceError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Added(number, new))

    @on(Added)
    def handle_added(self, message: Added) -> None:
        t = self.app.strings
        self.app.notify(t("optout_add.done" if message.new else "optout_add.already", mobile=message.mobile),
                        timeout=4)
        self.app.data_changed("optouts")
        self.dismiss(message.mobile)


class RemoveOptOut(DeskDialog):
    """Take a number off the opt-out list: it once asked to stop, so why is asked and recorded."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="optout_remove.cancel")]

    @dataclass
    class Removed(Message):
        """The number may receive messages again."""

        removed: bool

    def __init__(self, mobile: str) -> None:
        super().__init__()
        self.mobile = mobile

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("optout_remove.title", mobile=self.mobile), classes="title")
            yield Static(Lines().line(t("optout_remove.body"), WARNING).content())
            yield Label(t("optout_remove.reason"), classes="field")
            yield Input(id="reason", compact=True, placeholder=t("optout_remove.example"))
            yield Static(id="said")
            with Horizontal(classes="buttons"):
                yield Button(t("optout_remove.go"), id="remove", variant="error")
                yield Button(t("optout.cancel"), id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#remove")
    def handle_remove(self) -> None:
        self.remove_number(self.query_one("#reason", Input).value)

    @work(exclusive=True, group="optout", exit_on_error=False)
    async def remove_number(self, reason: str) -> None:
        """Take it off the list, recording why."""
        service = self.app.service
        if service is None:
            return
        try:
            removed = await service.remove_optout(self.mobile, reason)
        except ServiceError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Removed(removed))

    @on(Removed)
    def handle_removed(self, message: Removed) -> None:
        self.app.notify(self.app.strings("optout_remove.done", mobile=self.mobile), timeout=4)
        self.app.data_changed("optouts")
        self.dismiss(self.mobile)
