"""Reports and Inbox: what the store holds, newest first, refreshed as pollers and pushes bring more."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from ...service import ServiceError
from ..messages import ServiceFailed
from ..palette import PaletteCommand
from ..sending import SendFlow
from ..sending.recovery import RecoveryScreen
from .base import AreaScreen

PAGE = 500  # rows on screen at most: a DataTable stays quick up to a few thousand


class StoredList(AreaScreen):
    """A table over the store with a hard page limit, and a line saying how many are shown of how many."""

    CSS_PATH = "lists.tcss"
    BINDINGS = [Binding("alt+p", "pull", "Pull now", id="list.pull", key_display="Alt+P", priority=True,
                        tooltip="Ask the gateway for what is waiting now")]
    COLUMNS: tuple[str, ...] = ()
    NOUN = ""

    @dataclass
    class RowsLoaded(Message):
        """A page of stored rows, and whether more exist."""

        rows: list[tuple[str, ...]]
        more: bool

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="rows", cursor_type="row", zebra_stripes=True)
        yield Static(id="count", classes="muted")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        table.add_columns(*(self.app.strings(f"col.{c}") for c in self.COLUMNS))
        self.load()

    def reload(self) -> None:
        """Show the newly opened profile's rows."""
        super().reload()
        self.load()

    def commands(self) -> list[PaletteCommand]:
        """Pull in the command palette."""
        return [PaletteCommand("cmd.pull", "cmd.pull.help", self.action_pull, "Alt+P", {"what": f"area.{self.AREA}"})]

    def refresh_data(self) -> None:
        """New rows reached the store: show them."""
        self.load()

    def action_pull(self) -> None:
        """Drain the gateway's queue now."""
        self.pull()

    @work(exclusive=True, group="pull", exit_on_error=False)
    async def pull(self) -> None:
        """Drain, then reload."""
        if self.app.service is None:
            return
        try:
            await self.drain()
        except ServiceError as exc:
            self.app.post_message(ServiceFailed(exc, "pull"))  # told once, the way every failure is
        self.load()

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self) -> None:
        """Read a page from the store (one row more, to know there are more)."""
        if self.app.service is None:
            return
        rows = await self.fetch(PAGE + 1)
        self.post_message(self.RowsLoaded(rows[:PAGE], len(rows) > PAGE))

    @on(RowsLoaded)
    def handle_rows(self, message: RowsLoaded) -> None:
        t = self.app.strings
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(message.rows)
        if not message.rows:
            count = t(f"{self.NOUN}.empty")
        elif message.more:
            count = t("list.more", shown=len(message.rows), noun=t(f"{self.NOUN}.noun"))
        else:
            count = t("list.all", shown=len(message.rows), noun=t(f"{self.NOUN}.noun"))
        self.query_one("#count", Static).update(count)

    async def fetch(self, limit: int) -> list[tuple[str, ...]]:
        """Rows for the table."""
        raise NotImplementedError

    async def drain(self) -> None:
        """Pull from the gateway."""
        raise NotImplementedError


class ReportsScreen(StoredList):
    """Delivery reports; what needs the user after faults (sends in doubt, gaps) is one key away."""

    AREA = "reports"
    COLUMNS = ("task", "mobile", "status", "time", "code", "extno")
    WATCHES = frozenset({"reports"})
    NOUN = "reports"
    BINDINGS = [*StoredList.BINDINGS,
                Binding("alt+e", "recovery", "What needs you", id="list.recovery", key_display="Alt+E", priority=True,
                        tooltip="Sends in doubt, gaps, kept bodies: reconcile, replay, forget")]

    def compose_body(self) -> ComposeResult:
        yield from super().compose_body()
        yield SendFlow(id="flow")

    def action_recovery(self) -> None:
        """Sends in doubt, gaps, kept bodies: reconcile, replay, forget."""
        self.app.push_screen(RecoveryScreen(), self._recovery_chosen)

    def _recovery_chosen(self, choice: str | None) -> None:
        if choice and choice.startswith("reconcile:"):
            self.query_one(SendFlow).reconcile(choice.removeprefix("reconcile:"))

    def commands(self) -> list[PaletteCommand]:
        """Pull and what needs you in the command palette."""
        return [*super().commands(),
                PaletteCommand("cmd.recovery", "cmd.recovery.help", self.action_recovery, "Alt+E")]

    async def fetch(self, limit: int) -> list[tuple[str, ...]]:
        t = self.app.strings
        service = self.app.service
        if service is None:
            return []
        return [(r.task_id, r.mobile, t("status.delivered") if r.delivered else t("status.failed"), r.receive_time,
                 r.error_code, r.extno) for r in await service.stored_reports(limit=limit)]

    async def drain(self) -> None:
        if self.app.service is not None:
            await self.app.service.drain_reports()


class InboxScreen(StoredList):
    """Replies (uplinks); opt-outs are marked."""

    AREA = "inbox"
    COLUMNS = ("mobile", "content", "time", "extno")
    WATCHES = frozenset({"uplinks"})
    NOUN = "inbox"

    async def fetch(self, limit: int) -> list[tuple[str, ...]]:
        service = self.app.service
        if service is None:
            return []
        return [(u.mobile, ("⊘ " if u.optout else "") + u.content, u.receive_time, u.extno)
                for u in await service.stored_uplinks(limit=limit)]

    async def drain(self) -> None:
        if self.app.service is not None:
            await self.app.service.drain_uplinks()
