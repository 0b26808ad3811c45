"""A table over a pager (Textual's Line API): only the rows on screen are drawn, only their windows are read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...service.pager import Pager

R = TypeVar("R")
Cell = str | tuple[str, str]  # text, or text and a component class of the table (`paged-table--bad`, …)


@dataclass(frozen=True)
class Column:
    """A column: its header, its width in cells (the last one takes what is left)."""

    header: str
    width: int


class PagedTable(ScrollView, Generic[R], can_focus=True):
    """Rows by position from a Pager, drawn a line at a time; windows load in a worker as they come into view."""

    COMPONENT_CLASSES = {"paged-table--header", "paged-table--cursor", "paged-table--muted", "paged-table--bad",
                         "paged-table--good", "paged-table--warn"}
    DEFAULT_CSS = """
    PagedTable { height: 1fr; }
    PagedTable > .paged-table--header { text-style: bold; color: $text-muted; background: $panel; }
    PagedTable > .paged-table--cursor { background: $block-cursor-blurred-background; }
    PagedTable:focus > .paged-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    PagedTable > .paged-table--muted { color: $text-muted; }
    PagedTable > .paged-table--bad { color: $text-error; }
    PagedTable > .paged-table--good { color: $text-success; }
    PagedTable > .paged-table--warn { color: $text-warning; }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home", "edge(0)", "First", show=False, id="table.first"),
        Binding("end", "edge(1)", "Last", show=False, id="table.last"),
        Binding("enter", "choose", "Open", show=False, id="table.open"),
    ]
    cursor: reactive[int] = reactive(0)

    @dataclass
    class Chosen(Message):
        """Enter on a row."""

        table: PagedTable[Any]
        row: Any

    @dataclass
    class Moved(Message):
        """The cursor moved to a row (None while its window loads)."""

        table: PagedTable[Any]
        row: Any

    @dataclass
    class Counted(Message):
        """The list was counted (after its first rows were drawn)."""

        table: PagedTable[Any]
        total: int
        pager: Pager[Any] | None = None  # the list counted (the table may show another by now)

    def __init__(self, columns: Sequence[Column], cells: Callable[[R], Sequence[Cell]], *, id: str | None = None,
                 placeholder: str = "…", empty: str = "") -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.cells = cells
        self.placeholder = placeholder
        self.empty = empty  # said under the header when the list has no rows
        self.pager: Pager[R] | None = None
        self.total = 0
        self.counted = False

    # -- data ---------------------------------------------------------------------------------------

    def show(self, pager: Pager[R], keep_cursor: bool = False) -> None:
        """Show another list (a new filter or order), from its top unless asked to keep the cursor."""
        self.pager = pager
        self.counted = False
        if not keep_cursor:
            self.total = 0
            self.cursor = 0
            self.scroll_to(0, 0, animate=False)
        self.fill()

    def reload(self) -> None:
        """The rows changed in the store: read again what is on screen."""
        if self.pager is not None:
            self.pager.refresh()
            self.fill()

    @work(exclusive=True, group="paged-table", exit_on_error=False)
    async def fill(self) -> None:
        """Read the windows on screen (and just below) and draw them, then count the rows (a count of millions
        takes longer than a window: the rows come first)."""
        pager = self.pager
        if pager is None:
            return
        if pager.total is None:
            top = int(self.scroll_y)
            await pager.load(top, top + 2 * max(self.size.height, 1))
            self.total = max(pager.seen(), self.total)  # for now: what was read (a reload keeps the old count)
            self._resize()
            self.refresh()
        self.total = await pager.count()
        self.counted = True
        self._resize()
        self.refresh()  # an empty list now says so, though no row came to draw
        await self._load(pager)
        self.post_message(self.Counted(self, self.total, pager))

    async def _load(self, pager: Pager[R]) -> None:
        top = int(self.scroll_y)
        height = max(self.size.height, 1)
        if await pager.load(top, top + 2 * height):
            self.refresh()
        self.cursor = min(self.cursor, max(self.total - 1, 0))
        self.post_message(self.Moved(self, self.current))

    def _resize(self) -> None:
        width = sum(c.width + 1 for c in self.columns[:-1]) + 1  # the last column is cut rather than scrolled to
        self.virtual_size = Size(width, self.total + 1)  # + the header line
        self._scroll_update(self.virtual_size)  # no layout pass follows: without it, scrolling stays off

    @property
    def current(self) -> R | None:
        """The row under the cursor (None while it loads, or when there are no rows)."""
        if self.pager is None or not self.total:
            return None
        return self.pager.row(self.cursor)

    # -- drawing ------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            style = self.get_component_rich_style("paged-table--header")
            return self._strip([c.header for c in self.columns], style, width)
        position = int(self.scroll_y) + y - 1
        if position >= self.total or self.pager is None:
            if position == 0 and self.counted and self.empty:
                return self._strip([self.empty], self.rich_style + self.get_component_rich_style("paged-table--muted"),
                                   width, whole=True)
            return Strip.blank(width, self.rich_style)
        row = self.pager.row(position)
        base = self.rich_style
        if position == self.cursor:
            base = base + self.get_component_rich_style("paged-table--cursor")
        if row is None:
            self.call_after_refresh(self._need, position)
            muted = self.get_component_rich_style("paged-table--muted")
            return self._strip([self.placeholder], base + muted, width)
        return self._strip(self.cells(row), base, width)

    def _strip(self, cells: Sequence[Cell], base: Style, width: int, whole: bool = False) -> Strip:
        segments = []
        used = 0
        columns = [Column("", width - 1)] if whole else self.columns  # a line of its own, across the columns
        for index, (column, cell) in enumerate(zip(columns, cells, strict=False)):
            text, kind = (cell, "") if isinstance(cell, str) else cell
            # a kind gives its colour, not its background (the cursor's stays)
            style = base + self.get_component_rich_style(kind, partial=True) if kind else base
            last = index == len(columns) - 1
            size = max(column.width, width - used - 1) if last else column.width  # the last takes what is left
            segments.append(Segment(set_cell_size(text.replace("\n", " "), size) + " ", style))
            used += size + 1
        used = sum(cell_len(s.text) for s in segments)
        if used < width + int(self.scroll_x):  # the row's background to the edge
            segments.append(Segment(" " * (width + int(self.scroll_x) - used), base))
        return Strip(segments).crop(int(self.scroll_x), int(self.scroll_x) + width)

    def _need(self, position: int) -> None:
        if self.pager is not None and self.pager.missing(position, position):
            self.fetch_visible()

    @work(exclusive=True, group="paged-table-load", exit_on_error=False)
    async def fetch_visible(self) -> None:
        """Read the windows that came into view."""
        if self.pager is not None:
            await self._load(self.pager)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.pager is not None and self.pager.missing(int(new), int(new) + self.size.height):
            self.fetch_visible()

    # -- moving -------------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        top = int(self.scroll_y)
        rows = max(self.size.height - 1, 1)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + rows:
            self.scroll_to(y=new - rows + 1, animate=False, immediate=True)
        self.post_message(self.Moved(self, self.current))

    def action_cursor(self, step: int) -> None:
        """One row up or down."""
        self.cursor = max(0, min(self.cursor + step, self.total - 1))

    def action_page(self, step: int) -> None:
        """A screenful up or down."""
        self.action_cursor(step * max(self.size.height - 1, 1))

    def action_edge(self, end: int) -> None:
        """The first or the last row."""
        self.cursor = max(self.total - 1, 0) if end else 0

    def action_choose(self) -> None:
        """Open the row under the cursor."""
        row = self.current
        if row is not None:
            self.post_message(self.Chosen(self, row))

    def on_click(self, event: Any) -> None:
        if event.y >= 1:
            self.cursor = max(0, min(int(self.scroll_y) + event.y - 1, self.total - 1))
