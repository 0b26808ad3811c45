"""The Batch area's dialogs: the mapping step (each column's role), a row's cells, a file name to write to."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from ... import protocol as p
from ...service.batch_mapping import MOBILE, ROLES, ColumnMap
from ..styles import ERROR, MUTED, WARNING, Lines
from ..widgets.path_input import BATCH_SUFFIXES, PathInput
from .modal import Dialog

if TYPE_CHECKING:
    from ...service.batch_editor import BatchDoc

SAMPLE_WIDTH = 18


def _sample(text: str, width: int = SAMPLE_WIDTH) -> str:
    text = text.replace("\n", " ").strip()
    return text if len(text) <= width else text[: width - 1] + "…"


class MappingDialog(Dialog[tuple[ColumnMap, str] | None]):
    """Which column holds the numbers, which the messages, which a merge field's values; and the template."""

    CSS_PATH = "batch.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="batch.map.cancel")]

    def __init__(self, doc: BatchDoc, template: str) -> None:
        super().__init__()
        self.doc = doc
        self.template = template

    def compose(self) -> ComposeResult:
        t = self.app.strings
        doc = self.doc
        first = doc.rows[0].cells if doc.rows else []
        doubts = Lines()
        for doubt in doc.mapping.unsure(template=bool(self.template.strip())):
            doubts.line(f"? {t(f'batch.doubt.{doubt}')}", WARNING)
        doubts.line(t("batch.map.hint"), MUTED)
        choices = [(t(f"batch.role.{role}"), role) for role in ROLES]
        with Vertical(id="dialog", classes="mapping"):
            yield Static(t("batch.map.title", name=doc.path.name), classes="title")
            yield Static(doubts.content(), id="map-doubts")
            with VerticalScroll(id="map-box"):
                for index, name in enumerate(doc.names):
                    role = doc.mapping.roles[index] if index < len(doc.mapping.roles) else ROLES[2]
                    with Horizontal(classes="map-row"):
                        yield Label(_sample(name, 12), classes="map-name")
                        yield Label(_sample(first[index] if index < len(first) else ""), classes="map-sample")
                        yield Select(choices, value=role, allow_blank=False, compact=True, id=f"role-{index}")
            with Horizontal(classes="map-row"):
                yield Label(t("batch.template"), classes="map-name")
                yield Input(self.template, placeholder=t("batch.template.placeholder"), id="map-template",
                            compact=True)
            yield Static(id="map-why")
            with Horizontal(classes="buttons"):
                yield Button(t("batch.map.apply"), id="apply", variant="primary")
                yield Button(t("batch.cancel"), id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#role-0", Select).focus()

    def chosen(self) -> ColumnMap:
        """The map the selects show."""
        mapping = ColumnMap(tuple(str(self.query_one(f"#role-{i}", Select).value) for i in range(len(self.doc.names))))
        return mapping.settled()

    @on(Button.Pressed, "#apply")
    def handle_apply(self) -> None:
        t = self.app.strings
        mapping = self.chosen()
        roles = mapping.roles
        template = self.query_one("#map-template", Input).value
        why = ""
        if roles.count(MOBILE) != 1:
            why = t("batch.map.one_mobile")
        elif roles.count("content") > 1:
            why = t("batch.map.one_content")
        elif "content" not in roles and not template.strip():
            why = t("batch.map.no_content")
        if why:
            self.query_one("#map-why", Static).update(Lines().add(why, ERROR).content())
            return
        self.dismiss((mapping, template))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Keep the columns as they were."""
        self.dismiss(None)


class RowDialog(Dialog[list[str] | None]):
    """One row's cells, each in a field named by its column; Save re-checks that row only."""

    CSS_PATH = "batch.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="batch.row.cancel")]

    def __init__(self, doc: BatchDoc, position: int, focus_column: int | None = None,
                 describe: Callable[[p.Problem], str] | None = None) -> None:
        super().__init__()
        self.doc = doc
        self.position = position
        self.focus_column = focus_column
        self.describe = describe or (lambda issue: issue.message)

    def compose(self) -> ComposeResult:
        t = self.app.strings
        row = self.doc.rows[self.position]
        roles = self.doc.mapping.roles
        where = t("batch.line", n=row.line) if row.line else t("batch.new_row")
        with Vertical(id="dialog", classes="row-editor"):
            yield Static(t("batch.row.title", where=where), classes="title")
            problems = Lines()
            for issue in row.issues:
                problems.line(f"{'✕' if issue.severity == 'error' else '!'} {self.describe(issue)}",
                              ERROR if issue.severity == "error" else WARNING)
            problems.line(t("batch.row.hint"), MUTED)
            yield Static(problems.content(), id="row-problems")
            with VerticalScroll(id="row-box"):
                for index, name in enumerate(self.doc.names):
                    role = roles[index] if index < len(roles) else "variable"
                    label = f"{_sample(name, 12)} ({t(f'batch.role.{role}')})"
                    with Horizontal(classes="cell-row"):
                        yield Label(label, classes="cell-name")
                        yield Input(row.cells[index] if index < len(row.cells) else "", id=f"cell-{index}",
                                    compact=True)
            with Horizontal(classes="buttons"):
                yield Button(t("batch.row.save"), id="save", variant="primary")
                yield Button(t("batch.cancel"), id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        column = self.focus_column if self.focus_column is not None else (self.doc.mapping.mobile or 0)
        column = min(column, len(self.doc.names) - 1)
        self.query_one(f"#cell-{column}", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def handle_save(self) -> None:
        self.dismiss([self.query_one(f"#cell-{i}", Input).value for i in range(len(self.doc.names))])

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Keep the row as it was."""
        self.dismiss(None)


class WriteDialog(Dialog[str | None]):
    """Where to write (the edited batch, the rejected rows): a path, completed as it is typed."""

    CSS_PATH = "batch.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="batch.write.cancel")]

    def __init__(self, title: str, path: str, hint: str) -> None:
        super().__init__()
        self.title_text, self.path, self.hint = title, path, hint

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog", classes="write"):
            yield Static(self.title_text, classes="title")
            yield PathInput(BATCH_SUFFIXES, value=self.path, id="write-path", compact=True)
            yield Static(Lines().add(self.hint, MUTED).content(), id="write-hint")
            with Horizontal(classes="buttons"):
                yield Button(t("batch.write.ok"), id="ok", variant="primary")
                yield Button(t("batch.cancel"), id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#write-path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def handle_ok(self) -> None:
        value = self.query_one("#write-path", Input).value.strip()
        if value:
            self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Write nothing."""
        self.dismiss(None)
