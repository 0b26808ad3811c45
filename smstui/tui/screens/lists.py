"""Reports and Inbox: what the store holds, newest first, refreshed as pollers and pushes bring more."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...service import ServiceError
from ...service.events import ReportsArrived, UplinksArrived
from ..messages import ServiceEvent
from .base import AreaScreen

PAGE = 500


class StoredList(AreaScreen):
    """A table over the store with a hard page limit and an 'N of more' line."""

    CSS_PATH = "lists.tcss"
    BINDINGS = [Binding("alt+p", "pull", "Pull now", id="list.pull")]
    COLUMNS: tuple[str, ...] = ()
    EVENT: type = object

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="rows", cursor_type="row", zebra_stripes=True)
        yield Static(id="count", classes="muted")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        table.add_columns(*(self.app.strings(f"col.{c}") for c in self.COLUMNS))
        self.load()

    @on(ServiceEvent)
    def handle_service_event(self, message: ServiceEvent) -> None:
        if isinstance(message.event, self.EVENT):
            self.load()

    def action_pull(self) -> None:
        """Drain the gateway's queue now."""
        self.pull()

    @work(exclusive=True, group="pull", exit_on_error=False)
    async def pull(self) -> None:
        """Drain, then reload."""
        try:
            await self.drain()
        except ServiceError as exc:
            self.notify(exc.message, severity="error")
        self.load()

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self) -> None:
        """Read a page from the store (one row more, to know there are more)."""
        rows = await self.fetch(PAGE + 1)
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(rows[:PAGE])
        more = "+" if len(rows) > PAGE else ""
        self.query_one("#count", Static).update(f"{min(len(rows), PAGE)}{more}" if rows else self.empty_text())

    async def fetch(self, limit: int) -> list[tuple]:
        """Rows for the table."""
        raise NotImplementedError

    async def drain(self) -> None:
        """Pull from the gateway."""
        raise NotImplementedError

    def empty_text(self) -> str:
        """What an empty table says."""
        return ""


class ReportsScreen(StoredList):
    """Delivery reports."""

    AREA = "reports"
    COLUMNS = ("task", "mobile", "status", "time", "code", "extno")
    EVENT = ReportsArrived

    async def fetch(self, limit: int) -> list[tuple]:
        t = self.app.strings
        return [(r.task_id, r.mobile, t("status.delivered") if r.delivered else t("status.failed"), r.receive_time,
                 r.error_code, r.extno) for r in await self.app.service.stored_reports(limit=limit)]

    async def drain(self) -> None:
        await self.app.service.drain_reports()

    def empty_text(self) -> str:
        return self.app.strings("reports.empty")


class InboxScreen(StoredList):
    """Replies (uplinks); opt-outs are marked."""

    AREA = "inbox"
    COLUMNS = ("mobile", "content", "time", "extno")
    EVENT = UplinksArrived

    async def fetch(self, limit: int) -> list[tuple]:
        return [(u.mobile, ("⊘ " if u.optout else "") + u.content, u.receive_time, u.extno)
                for u in await self.app.service.stored_uplinks(limit=limit)]

    async def drain(self) -> None:
        await self.app.service.drain_uplinks()

    def empty_text(self) -> str:
        return self.app.strings("inbox.empty")
