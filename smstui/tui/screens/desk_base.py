"""What Reports and Inbox share: a filter bar with the desk's grammar, views one key apart, a path drilled down with
Enter and climbed back with Esc, copy, export of the filtered set, pull now, and live reloads."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from ...service import ServiceError
from ...service.filters import Filter, FilterError
from ...words import error_text
from ..messages import ServiceFailed
from ..palette import PaletteCommand
from ..widgets.desk_filter import FilterBar, ViewTabs
from ..widgets.paged_table import PagedTable
from .base import AreaScreen
from .desk_dialogs import CopyMenu, ExportDialog


@dataclass(frozen=True)
class Level:
    """One step of the path: a view, what the path line calls it, and the filter it was shown with."""

    view: str
    crumb: str = ""
    filter_text: str = ""
    context: Any = None  # what it shows: a send, a task, a number
    cursor: int = 0  # where the cursor was when the user went down from it (Esc comes back there)


@dataclass
class DeskState:
    """What the desk shows: the path (a tab first), the filter the filtered views share, and the search of each
    other tab."""

    path: list[Level] = field(default_factory=list)
    filter: Filter = field(default_factory=Filter)
    texts: dict[str, str] = field(default_factory=dict)


def export_name(kind: str, now: datetime) -> Path:
    """Where an export goes unless the user says otherwise: the home folder, named for what and when."""
    return Path("~") / f"smstui-{kind}-{now:%Y%m%d-%H%M%S}.csv"


class DeskScreen(AreaScreen):
    """An area of the support desk; subclasses say which views it has and what each one shows."""

    CSS_PATH = "lists.tcss"
    TABS: tuple[str, ...] = ()  # the views a number key opens (1, 2, …)
    FILTERED: frozenset[str] = frozenset()  # views the filter applies to
    BINDINGS = [
        Binding("/", "filter", "Filter", id="desk.filter", key_display="/",
                tooltip="num:138… task:… status:failed code:MK:* date:today, or any text"),
        Binding("escape", "back", "Back", id="desk.back", key_display="Esc", show=False),
        Binding("y", "copy", "Copy", id="desk.copy", tooltip="A number, a task or send id, or the row"),
        Binding("x", "export", "Export", id="desk.export", tooltip="Exactly what the filter shows, to CSV or XLSX"),
        Binding("alt+p", "pull", "Pull now", id="list.pull", key_display="Alt+P", priority=True, show=False,
                tooltip="Ask the gateway for what is waiting now"),
    ]

    @dataclass
    class Loaded(Message):
        """What a view's worker read, for its handler to draw."""

        view: str
        data: Any

    def __init__(self) -> None:
        super().__init__()
        self.state = DeskState()

    # -- building ---------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        t = self.app.strings
        yield ViewTabs(id="tabs")
        yield FilterBar(t("desk.filter"), t(f"desk.hint.{self.TABS[0]}"), id="filter-bar")
        yield Static(id="notice")
        with ContentSwitcher(id="views", initial=self.TABS[0]):
            yield from self.compose_views()
        yield Static(id="detail")
        yield Static(id="count")

    def compose_views(self) -> ComposeResult:
        """The area's views, each with the id of its view."""
        yield from ()

    def on_mount(self) -> None:
        super().on_mount()
        self.open_tab(self.first_tab())

    def first_tab(self) -> str:
        """The view the area opens on."""
        return self.TABS[0]

    @property
    def level(self) -> Level:
        """Where the user is."""
        return self.state.path[-1]

    @property
    def tab(self) -> str:
        """The tab the path starts from."""
        return self.state.path[0].view

    def view_widget(self, view: str) -> Widget:
        """The widget of a view."""
        return self.query_one(f"#{view}")

    def table(self, view: str) -> PagedTable[Any]:
        """The table of a view."""
        return self.query_one(f"#{view}-table", PagedTable)

    def table_of(self, view: str) -> PagedTable[Any] | None:
        """The table of a view, if it has one."""
        found = self.view_widget(view).query(f"#{view}-table")
        return found.first(PagedTable) if found else None

    # -- the path ---------------------------------------------------------------------------------

    def action_tab(self, view: str) -> None:
        """Open one of the area's views, from its top."""
        self.open_tab(view)

    def open_tab(self, view: str) -> None:
        """A tab as the whole path, with the filter (or the tab's own search) as it was."""
        text = self.state.filter.text if view in self.FILTERED else self.state.texts.get(view, "")
        self.state.path = [Level(view, filter_text=text)]
        self._filter_for(view, text)
        self.show_level()

    def drill(self, view: str, crumb: str, context: Any = None, filter_text: str | None = None) -> None:
        """One step down (Enter on a row): another view, shown with this filter (the current one when None)."""
        text = self.state.filter.text if filter_text is None else filter_text
        table = self.table_of(self.level.view)
        if table is not None:
            self.state.path[-1] = replace(self.level, cursor=table.cursor)
        if filter_text is not None:
            self._filter_for(view, text)
        self.state.path.append(Level(view, crumb, text, context))
        self.show_level()

    def action_back(self) -> None:
        """Esc: out of the filter, else one step up the path (its filter as it was)."""
        bar = self.query_one(FilterBar)
        if bar.input.has_focus:
            self.focus_view()
            return
        if len(self.state.path) <= 1:
            return
        self.state.path.pop()
        if self.level.filter_text != self.state.filter.text:
            self._filter_for(self.level.view, self.level.filter_text)
        self.show_level()

    def _filter_for(self, view: str, text: str) -> None:
        """Put a filter text in the bar and apply it (a text that was applied before reads again)."""
        bar = self.query_one(FilterBar)
        t = self.app.strings
        bar.show(t(f"desk.filter.{view}" if t.has(f"desk.filter.{view}") else "desk.filter"),
                 t(f"desk.hint.{view}" if t.has(f"desk.hint.{view}") else f"desk.hint.{self.tab}"), text)
        service = self.app.service
        if service is None or view not in self.FILTERED:
            return
        try:
            self.state.filter = service.desk.filter(text)
        except FilterError:
            self.state.filter = Filter()

    def show_level(self) -> None:
        """Show the view the path ends at and load it."""
        level = self.level
        self.query_one(ContentSwitcher).current = level.view
        self.query_one(ViewTabs).show([(str(i + 1), tab, self.app.strings(f"desk.tab.{tab}"))
                                       for i, tab in enumerate(self.TABS)], self.tab,
                                      [lv.crumb for lv in self.state.path[1:] if lv.crumb])
        self.say_detail("")
        self.query_one("#count", Static).update("")
        self.notice("")
        self.refresh_bindings()
        if self.app.service is not None:
            self.load_view(level, fresh=True)
        self.call_after_refresh(self.focus_view)

    def focus_view(self) -> None:
        """Focus what the current view shows."""
        widget = self.view_widget(self.level.view)
        target = widget if widget.can_focus else next((w for w in widget.query("*") if w.focusable), None)
        if target is not None:
            target.focus()

    def load_view(self, level: Level, fresh: bool) -> None:
        """Read what a view shows (a pager for its table, or a worker posting `Loaded`): `fresh` when the user
        came to it (the cursor where the level had it), else the rows changed (the cursor stays)."""

    def show_pager(self, level: Level, pager: Any, fresh: bool) -> None:
        """A pager in the table of a view."""
        table = self.table(level.view)
        table.show(pager, keep_cursor=not fresh)
        if fresh and level.cursor:
            table.cursor = level.cursor

    def reload(self) -> None:
        """Another profile: the area from its first view."""
        super().reload()
        self.state = DeskState()
        self.open_tab(self.first_tab())

    def refresh_data(self) -> None:
        """New rows: the view on screen reads again, the cursor where it was."""
        if self.state.path and self.app.service is not None:
            self.load_view(self.level, fresh=False)

    def notice(self, text: Any) -> None:
        """A word above the views (an account that may not read reports); empty: none."""
        notice = self.query_one("#notice", Static)
        notice.update(text)
        notice.display = bool(text)

    # -- filter -----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        """Type a filter."""
        self.query_one(FilterBar).input.focus()

    @on(FilterBar.Applied)
    def handle_filter(self, message: FilterBar.Applied) -> None:
        service = self.app.service
        if service is None:
            return
        view = self.level.view
        if view not in self.FILTERED:
            self.filter_elsewhere(message.text)
            return
        try:
            found = service.desk.filter(message.text)
        except FilterError as exc:
            message.bar.say(error_text(self.app.strings, exc))
            return
        message.bar.say("")
        self.state.filter = found
        self.state.path = [*self.state.path[:-1], Level(view, self.level.crumb, message.text, self.level.context)]
        self.load_view(self.level, fresh=True)
        self.focus_view()

    def filter_elsewhere(self, text: str) -> None:
        """A filter typed in a view it does not apply to (the area decides where it goes)."""

    # -- copy, export, pull -----------------------------------------------------------------------

    def copy_choices(self) -> list[tuple[str, str]]:
        """What of the row under the cursor can be copied: (mobile|task|send|text|row, value)."""
        return []

    def action_copy(self) -> None:
        """Copy a number, an id or the row under the cursor."""
        choices = [(what, value) for what, value in self.copy_choices() if value]
        if not choices:
            self.app.bell()
            return
        self.app.push_screen(CopyMenu(choices))

    def export_kind(self) -> str:
        """What the view exports (reports, replies), '' for nothing."""
        return ""

    def export_filter(self) -> Filter:
        """What the export writes: the filtered set (a view of one task or number narrows it)."""
        return self.state.filter

    def action_export(self) -> None:
        """Export exactly the filtered set."""
        service = self.app.service
        kind = self.export_kind()
        if service is None or not kind:
            self.app.bell()
            return
        self.count_for_export(kind)

    @work(exclusive=True, group="desk-export", exit_on_error=False)
    async def count_for_export(self, kind: str) -> None:
        """Count what the export will write, then ask where."""
        service = self.app.service
        if service is None:
            return
        f = self.export_filter()
        desk = service.desk
        count = await (desk.reports(f).count() if kind == "reports" else desk.count_replies(f))
        self.post_message(self.Loaded("export", (kind, f, count, export_name(kind, service.clock()))))

    def commands(self) -> list[PaletteCommand]:
        """The area's keys in the command palette."""
        area: dict[str, object] = {"what": f"area.{self.AREA}"}
        return [PaletteCommand("cmd.pull", "cmd.pull.help", self.action_pull, "Alt+P", area),
                PaletteCommand("cmd.desk.filter", "cmd.desk.filter.help", self.action_filter, "/", area),
                PaletteCommand("cmd.desk.export", "cmd.desk.export.help", self.action_export, "X", area),
                PaletteCommand("cmd.desk.copy", "cmd.desk.copy.help", self.action_copy, "Y", area),
                *(PaletteCommand("cmd.desk.tab", "cmd.desk.tab.help", partial(self.open_tab, view), str(i + 1),
                                 {**area, "view": f"desk.tab.{view}"}) for i, view in enumerate(self.TABS))]

    def action_pull(self) -> None:
        """Drain the gateway's queue now."""
        self.pull()

    @work(exclusive=True, group="pull", exit_on_error=False)
    async def pull(self) -> None:
        """Drain, then show what came."""
        if self.app.service is None:
            return
        try:
            await self.drain()
        except ServiceError as exc:
            self.pull_failed(exc)
            self.app.post_message(ServiceFailed(exc, "pull"))  # told once, the way every failure is
        self.refresh_data()

    def pull_failed(self, error: ServiceError) -> None:
        """What the area makes of a failed pull (Reports: an account that may not read reports)."""

    async def drain(self) -> None:
        """Pull from the gateway."""

    # -- handlers ---------------------------------------------------------------------------------

    @on(Loaded)
    def handle_loaded(self, message: Loaded) -> None:
        if message.view == "export":
            kind, f, count, default = message.data
            self.app.push_screen(ExportDialog(kind, f, count, default))
            return
        self.shown(message.view, message.data)

    def shown(self, view: str, data: Any) -> None:
        """Draw what a view's worker read."""

    @on(PagedTable.Moved)
    def handle_moved(self, message: PagedTable.Moved) -> None:
        if message.table is self.table_of(self.level.view) and message.row is not None:
            self.say_detail(self.detail(self.level.view, message.row))

    @on(PagedTable.Counted)
    def handle_counted(self, message: PagedTable.Counted) -> None:
        if message.table is self.table_of(self.level.view) and message.pager is message.table.pager:
            self.counted(self.level.view, message.total)

    def detail(self, view: str, row: Any) -> Any:
        """The line under the table: the row under the cursor in full."""
        return ""

    def counted(self, view: str, total: int) -> None:
        """A view's table was counted: say so on the count line."""

    def say_detail(self, text: Any) -> None:
        """The line under the table (none while there is nothing to say: a thread has the room)."""
        detail = self.query_one("#detail", Static)
        detail.update(text)
        detail.display = bool(text)

    def say_count(self, text: Any) -> None:
        """The count line."""
        self.query_one("#count", Static).update(text)

    def current_row(self) -> Any:
        """The row under the cursor of the view on screen (None when it has no table or no row)."""
        table = self.table_of(self.level.view)
        return table.current if table is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing in the view on screen are not shown."""
        if not self.state.path:
            return True
        if action == "back":
            return len(self.state.path) > 1 or None
        return self.allowed(action, self.level.view)

    def allowed(self, action: str, view: str) -> bool | None:
        """Whether a key does something in a view (False hides it; the area says)."""
        return True

