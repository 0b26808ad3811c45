"""Templates: the account's templates with their review state, filtered by state and text; add, edit, delete, use in
Compose, match a content, import and export — on the list every area shares (the service's TemplateBook)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ... import protocol as p
from ...service import ServiceError
from ...words import error_text
from ..palette import PaletteCommand
from ..styles import ERROR, MUTED, WARNING, Lines
from ..widgets import template_news
from ..widgets.template_view import chip, chip_width, detail, short
from .base import AreaScreen

FILTERS = ("all", "1", "3", "4", "2")  # every state, then enabled, under review, returned, disabled
ROWS_KEPT = 20_000  # drawn rows kept for the next redraw
FILTER_PAUSE = 0.12  # seconds of no typing in the filter before the list is filtered again


class TemplatesScreen(AreaScreen):
    """Keep an account's templates approved and in use."""

    AREA = "templates"
    CSS_PATH = "templates.tcss"
    WATCHES = frozenset({"templates"})
    BINDINGS = [
        Binding("a", "add", "Add", id="templates.add", tooltip="Submit a new template for review"),
        Binding("e", "edit", "Edit", id="templates.edit", tooltip="Change its text (it goes back to review)"),
        Binding("delete,d", "delete", "Delete", id="templates.delete", key_display="Del",
                tooltip="Delete it on the gateway (asks first)"),
        Binding("u", "use", "Use", id="templates.use", tooltip="Write a message on it in Compose"),
        Binding("m", "match", "Match", id="templates.match", tooltip="Which template a content matches, or how near"),
        Binding("r", "refresh", "Refresh", id="templates.refresh", tooltip="Ask the gateway for the list now"),
        Binding("/", "filter", "Filter", id="templates.filter", key_display="/", show=False,
                tooltip="Filter by text"),
        Binding("i", "import", "Import", id="templates.import", show=False,
                tooltip="Submit the new templates of a CSV or XLSX file"),
        Binding("x", "export", "Export", id="templates.export", show=False,
                tooltip="Every template to a CSV (UTF-8 with BOM) or XLSX file"),
        Binding("escape", "to_list", "List", id="templates.list", show=False),
    ]

    @dataclass
    class Failed(Message):
        """The gateway could not be asked (no template feature, the connection, …)."""

        error: ServiceError

    @dataclass
    class Done(Message):
        """An action on a template went through (said in words)."""

        said: str

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[p.Template] = []
        self.failure: ServiceError | None = None
        self.asking = False
        self._width = 0
        self._typing: Timer | None = None
        self._rows: dict[tuple[p.Template, int], Content] = {}

    def compose_body(self) -> ComposeResult:
        t = self.app.strings
        with Horizontal(id="filters"):
            yield Input(placeholder=t("templates.search"), id="search", compact=True)
            yield Select([(t(f"templates.filter.{key}"), key) for key in FILTERS], id="state", compact=True,
                         allow_blank=False, value="all")
            yield Static(id="counts")
        with Horizontal(id="main"):
            yield OptionList(id="list", compact=True)
            with VerticalScroll(id="side"):
                yield Static(id="detail")
        yield Static(id="note")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#list", OptionList).focus()
        self.set_interval(1.0, self._tick)
        self.reload()

    def reload(self) -> None:
        """A (new) service: hear its template changes and ask the gateway for the list."""
        super().reload()
        if self.app.service is None:
            return
        template_news.listen(self.app)
        self.failure = None
        self.redraw()
        self.load()

    def refresh_data(self) -> None:
        """The shared list changed (here, in Compose, a review decided)."""
        self.redraw()

    def commands(self) -> list[PaletteCommand]:
        """The area's actions in the command palette."""
        return [PaletteCommand("cmd.tpl_add", "cmd.tpl_add.help", self.action_add, "a"),
                PaletteCommand("cmd.tpl_match", "cmd.tpl_match.help", self.action_match, "m"),
                PaletteCommand("cmd.tpl_refresh", "cmd.tpl_refresh.help", self.action_refresh, "r"),
                PaletteCommand("cmd.tpl_import", "cmd.tpl_import.help", self.action_import, "i"),
                PaletteCommand("cmd.tpl_export", "cmd.tpl_export.help", self.action_export, "x")]

    # -- the list ---------------------------------------------------------------------------------

    @work(exclusive=True, group="templates", exit_on_error=False)
    async def load(self) -> None:
        """The stored list at once, then the gateway's."""
        service = self.app.service
        if service is None:
            return
        book = service.template_book
        await book.stored()
        self.asking = True
        self.post_message(self.Done(""))
        try:
            await book.refresh()
        except ServiceError as exc:
            self.post_message(self.Failed(exc))
        finally:
            self.asking = False
        self.post_message(self.Done(""))

    @on(Failed)
    def handle_failed(self, message: Failed) -> None:
        self.failure = message.error
        self.redraw()

    @on(Done)
    def handle_done(self, message: Done) -> None:
        if message.said:
            self.app.notify(message.said, timeout=6)
        self.redraw()

    def action_refresh(self) -> None:
        """Ask the gateway for the list now."""
        self.load()

    def templates(self) -> tuple[p.Template, ...]:
        """Every template of the account, as last known."""
        service = self.app.service
        return service.template_book.templates if service is not None else ()

    def filtered(self) -> list[p.Template]:
        """The templates the filters let through, in the gateway's order."""
        state = self.query_one("#state", Select).value
        words = self.query_one("#search", Input).value.strip().lower()
        return [x for x in self.templates() if (state == "all" or str(int(x.status)) == state)
                and (not words or words in x.text.lower() or words in x.template_id)]

    def redraw(self) -> None:
        """The list as filtered (the highlighted template kept), its counts, the detail and the note."""
        t = self.app.strings
        listing = self.query_one("#list", OptionList)
        current = self.current()
        shown = self.filtered()
        width = listing.scrollable_content_region.width - 1 if listing.scrollable_content_region.width > 0 else 200
        if shown != self.shown or width != self._width or listing.option_count != len(shown):
            self.shown, self._width = shown, width
            column = chip_width(t)
            listing.set_options([Option(self._row(x, width, column), id=x.template_id) for x in shown])
            ids = [x.template_id for x in shown]
            if shown:
                listing.highlighted = ids.index(current.template_id) if current and current.template_id in ids else 0
        every = self.templates()
        reviewing = sum(1 for x in every if x.status == p.TemplateStatus.REVIEW)
        counts = t("templates.counts", shown=len(self.shown), total=len(every))
        if reviewing:
            counts += t("templates.counts.review", count=reviewing)
        self.query_one("#counts", Static).update(Content.styled(counts, MUTED))
        self.show_detail()
        self.show_note()

    def _row(self, template: p.Template, width: int, column: int) -> Content:
        """A template's line of the list (kept: a list of thousands is drawn again on every change of filter)."""
        key = (template, width)
        if (row := self._rows.get(key)) is None:
            if len(self._rows) > ROWS_KEPT:
                self._rows.clear()
            state = chip(self.app.strings, int(template.status))
            pad = " " * max(column - state.cell_length, 1)
            row = self._rows[key] = Content.assemble(state, pad, short(template.text, width)).truncate(
                width, ellipsis=True)
        return row

    def current(self) -> p.Template | None:
        """The highlighted template."""
        listing = self.query_one("#list", OptionList)
        index = listing.highlighted
        return self.shown[index] if index is not None and 0 <= index < len(self.shown) else None

    @on(OptionList.OptionHighlighted, "#list")
    def handle_highlighted(self) -> None:
        self.show_detail()

    @on(OptionList.OptionSelected, "#list")
    def handle_selected(self) -> None:
        self.action_use()

    def show_detail(self) -> None:
        """Everything about the highlighted template (or what the list lacks)."""
        t = self.app.strings
        panel = self.query_one("#detail", Static)
        template = self.current()
        service = self.app.service
        if template is not None and service is not None:
            panel.update(detail(t, template, service.template_book.check(template.text)))
        elif self.failure is not None:
            panel.update(Lines().line(t("templates.cannot"), ERROR).line(error_text(t, self.failure)).content())
        elif self.templates():
            panel.update(Content.styled(t("templates.none_shown"), MUTED))
        elif service is not None and service.template_book.loaded:
            panel.update(Content.styled(t("templates.empty"), MUTED))
        else:
            panel.update(Content.styled(t("templates.loading"), MUTED))

    def show_note(self) -> None:
        """When the gateway was last asked, what is under review and when it is asked again, or why it failed."""
        t = self.app.strings
        service = self.app.service
        note = self.query_one("#note", Static)
        if service is None:
            note.update("")
            return
        book = service.template_book
        lines = Lines()
        if self.failure is not None:
            lines.add(error_text(t, self.failure), ERROR)
        elif self.asking:
            lines.add(t("templates.asking"), MUTED)
        elif book.fetched_at is not None:
            lines.add(t("templates.asked", when=_clock(book.fetched_at)), MUTED)
        if book.reviewing and self.failure is None:
            lines.add(t("templates.watching", count=len(book.reviewing), seconds=round(book.review_wait)), WARNING)
        note.update(lines.content())

    def _tick(self) -> None:
        if self.app.service is not None and self.app.service.template_book.reviewing:
            self.show_note()

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self.redraw)

    @on(Input.Changed, "#search")
    def handle_search(self) -> None:
        if self._typing is not None:
            self._typing.stop()
        self._typing = self.set_timer(FILTER_PAUSE, self.redraw)  # a list of thousands: once typing pauses

    @on(Select.Changed, "#state")
    def handle_filter(self) -> None:
        self.redraw()

    @on(Input.Submitted, "#search")
    def action_to_list(self) -> None:
        """Back to the list (from the filter)."""
        self.query_one("#list", OptionList).focus()

    def action_filter(self) -> None:
        """Type to filter by text (or id)."""
        self.query_one("#search", Input).focus()

    # -- actions ----------------------------------------------------------------------------------

    def _usable(self) -> bool:
        """Whether the account's templates can be worked on (else say why)."""
        service = self.app.service
        if service is None:
            return False
        if self.failure is not None and not service.template_book.loaded:
            self.notify(error_text(self.app.strings, self.failure), severity="error", timeout=8)
            return False
        return True

    def action_add(self) -> None:
        """Write a new template and submit it for review."""
        from .templates_dialogs import TemplateEditor

        if self._usable():
            editor = TemplateEditor(None)
            self.app.push_screen(editor, lambda said: self._edited(said, editor.saved_id))

    def action_edit(self) -> None:
        """Change the highlighted template's text (it goes back to review)."""
        from .templates_dialogs import TemplateEditor

        template = self.current()
        if template is None:
            self.notify(self.app.strings("templates.pick"), severity="warning")
        elif self._usable():
            self.app.push_screen(TemplateEditor(template), self._edited)

    def _edited(self, said: str | None, template_id: str = "") -> None:
        if said:
            self.app.notify(said, timeout=8)
            self.redraw()
        ids = [x.template_id for x in self.shown]
        if template_id in ids:
            self.query_one("#list", OptionList).highlighted = ids.index(template_id)

    def action_delete(self) -> None:
        """Delete the highlighted template on the gateway, after asking (naming it)."""
        from .templates_dialogs import ConfirmDelete

        template = self.current()
        if template is None:
            self.notify(self.app.strings("templates.pick"), severity="warning")
        elif self._usable():
            self.app.push_screen(ConfirmDelete(template), lambda yes: self._delete_answered(template, yes))

    def _delete_answered(self, template: p.Template, yes: bool | None) -> None:
        if yes:
            self.delete(template)

    @work(exclusive=True, group="template-delete", exit_on_error=False)
    async def delete(self, template: p.Template) -> None:
        """Delete it; the gateway's refusal is told in words."""
        service = self.app.service
        if service is None:
            return
        try:
            await service.template_book.delete(template.template_id)
        except ServiceError as exc:
            self.app.notify(error_text(self.app.strings, exc), severity="error", timeout=10)
            return
        self.post_message(self.Done(self.app.strings("templates.deleted", id=template.template_id,
                                                     text=short(template.text, 30))))

    def action_use(self) -> None:
        """Compose a message on the highlighted template: its text, the first variable selected for typing over
        (Tab in the message selects the next)."""
        t = self.app.strings
        template = self.current()
        if template is None:
            self.notify(t("templates.pick"), severity="warning")
            return
        if not template.enabled:
            self.notify(t("templates.use_not_enabled", state=t(f"templates.state.{int(template.status)}")),
                        severity="warning", timeout=8)
        variables = p.template_variables(template.text)
        select = (variables[0].start, variables[0].end) if variables else None
        self.app.compose_with(None, template.text, select)

    def action_match(self) -> None:
        """Paste any content: which enabled template it matches, or the closest and where it differs."""
        from .templates_dialogs import MatchPreview

        if self.app.service is not None:
            self.app.push_screen(MatchPreview())

    def action_import(self) -> None:
        """Submit the new templates of a file (what the account has already is left alone)."""
        from .templates_dialogs import ImportTemplates

        if self._usable():
            self.app.push_screen(ImportTemplates(), self._edited)

    def action_export(self) -> None:
        """Write every template to a file."""
        from .templates_dialogs import ExportTemplates

        service = self.app.service
        if service is not None:
            now = service.clock()
            self.app.push_screen(ExportTemplates(Path("~") / f"smstui-templates-{now:%Y%m%d-%H%M%S}.csv"),
                                 self._edited)


def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M:%S}"
