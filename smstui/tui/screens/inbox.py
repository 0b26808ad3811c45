"""Inbox (F6): a thread per number — our messages with their reports and its replies in order, replies routed by
extno — answered from the thread; opt-outs recognised as they come, near-misses put to a person; the opt-out list."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ...protocol.optout import OPTOUT_WORDS, near_optout
from ...service.filters import Filter
from ...service.store.lists import OptOut, Thread
from ...service.store.records import HistoryItem
from ..styles import MUTED, STRONG, WARNING, Lines
from ..widgets.desk_filter import FilterBar
from ..widgets.desk_thread import Conversation, short_time
from ..widgets.paged_table import Cell, Column, PagedTable
from .desk_base import DeskScreen, Level
from .desk_dialogs import AddOptOut, OptOutDialog, RemoveOptOut

WARN, GOOD, DIM = "paged-table--warn", "paged-table--good", "paged-table--muted"


class InboxScreen(DeskScreen):
    """Threads of replies, one per number; Enter opens one, r answers it, o decides an opt-out; the opt-out list."""

    AREA = "inbox"
    WATCHES = frozenset({"uplinks", "optouts", "reports", "sends"})
    TABS = ("threads", "optouts")
    FILTERED = frozenset({"threads"})
    BINDINGS = [
        *DeskScreen.BINDINGS,
        Binding("1", "tab('threads')", "Threads", id="inbox.threads", show=False),
        Binding("2", "tab('optouts')", "Opt-outs", id="inbox.optouts", show=False),
        Binding("r", "reply", "Reply", id="inbox.reply", tooltip="Compose a message to this number"),
        Binding("o", "optout", "Opt out?", id="inbox.optout",
                tooltip="Put the number on the opt-out list, or say its reply was no opt-out"),
        Binding("a", "add_optout", "Add", id="inbox.add", tooltip="Put a number on the opt-out list by hand"),
        Binding("delete", "remove_optout", "Remove", id="inbox.remove", key_display="Del",
                tooltip="Take the number off the opt-out list (asks why, and records it)"),
    ]

    # -- building ---------------------------------------------------------------------------------

    def compose_views(self) -> ComposeResult:
        t = self.app.strings

        def column(key: str, width: int) -> Column:
            header = t(f"desk.col.{key}") if key else ""
            return Column(header, max(width, len(header)))

        with Vertical(id="threads"):
            yield PagedTable([column("mobile", 11), column("", 1), column("unread", 4), column("time", 14),
                              column("last", 10)], self.thread_cells, id="threads-table",
                             empty=t("desk.empty.threads"))
        with Vertical(id="thread"):
            yield Static(id="thread-head")
            with VerticalScroll(id="thread-scroll"):
                yield Conversation(id="conversation")
        with Vertical(id="optouts"):
            yield PagedTable([column("mobile", 11), column("source", 8), column("since", 19), column("reason", 10)],
                             self.optout_cells, id="optouts-table", empty=t("desk.empty.optouts"))

    @property
    def words(self) -> tuple[str, ...]:
        """The profile's opt-out words."""
        service = self.app.service
        return tuple(service.profile.optout_words) if service is not None else OPTOUT_WORDS

    def flag(self, thread: Thread) -> Cell:
        """⊘ on the opt-out list, ≈ a reply that looks like an opt-out and waits for a person."""
        if thread.optout:
            return "⊘", WARN
        if not thread.decided and near_optout(thread.last_content, self.words):
            return "≈", WARN
        return ""

    def thread_cells(self, row: Thread) -> list[Cell]:
        """A thread's line."""
        return [row.mobile, self.flag(row), (f"●{row.unread}", GOOD) if row.unread else (str(row.count), DIM),
                short_time(row.last_time), row.last_content]

    def optout_cells(self, row: OptOut) -> list[Cell]:
        """A number on the opt-out list."""
        t = self.app.strings
        return [row.mobile, t.get(f"desk.source.{row.source}", row.source), row.added_at, (row.reason, DIM)]

    # -- loading ----------------------------------------------------------------------------------

    def load_view(self, level: Level, fresh: bool) -> None:
        service = self.app.service
        if service is None:
            return
        if level.view == "threads":
            self.show_pager(level, service.desk.threads(self.state.filter), fresh)
        elif level.view == "optouts":
            self.show_pager(level, service.desk.optouts(self.state.texts.get("optouts", "")), fresh)
        elif level.view == "thread":
            self.load_thread(level.context.mobile, fresh)

    @work(exclusive=True, group="desk-load", exit_on_error=False)
    async def load_thread(self, mobile: str, fresh: bool) -> None:
        """A number's history, its thread as listed, its replies marked read."""
        service = self.app.service
        if service is None:
            return
        desk = service.desk
        items = await desk.history(mobile)
        if await desk.read_thread(mobile):
            self.app.data_changed("uplinks")
        self.post_message(self.Loaded("thread", (mobile, items, await desk.thread(mobile), fresh)))

    def shown(self, view: str, data: Any) -> None:
        if view != "thread" or self.level.view != "thread":
            return
        mobile, items, thread, fresh = data
        if thread is not None:
            self.state.path[-1] = Level("thread", self.level.crumb, self.level.filter_text, thread)
        self.query_one(Conversation).show(items, self.app.strings, self.words)
        self.query_one("#thread-head", Static).update(self.thread_head(mobile, items, thread))
        if fresh:
            self.query_one("#thread-scroll", VerticalScroll).scroll_end(animate=False)

    def thread_head(self, mobile: str, items: list[HistoryItem], thread: Thread | None) -> Any:
        """The number, what its thread holds, whether it opted out or looks like it."""
        t = self.app.strings
        kinds = [item.kind for item in items]
        line = Lines().add(mobile, STRONG).add("  ").add(t("desk.count.history", sent=kinds.count("sent"),
                                                            reports=kinds.count("report"),
                                                            replies=kinds.count("reply")), MUTED)
        if thread is not None and thread.optout:
            line.add("  ").add(f"⊘ {t('desk.thread.on_list')}", WARNING)
        elif thread is not None and not thread.decided and near_optout(thread.last_content, self.words):
            line.add("  ").add(f"≈ {t('desk.thread.decide')}", WARNING)
        line.add(f"  {t('desk.thread.keys')}", MUTED)
        return line.content()

    def counted(self, view: str, total: int) -> None:
        t = self.app.strings
        if view == "threads":
            self.table("threads").empty = t("desk.empty.threads" if self.state.filter.empty else
                                            "desk.empty.threads_filtered")
        if view == "threads" and not total:
            self.say_count(Lines().add(self.table("threads").empty, STRONG).content())
        elif view == "threads":
            self.say_count(Lines().add(t.count("desk.count.threads", total), STRONG)
                           .add(f"  {t('desk.threads.keys')}", MUTED).content())
        elif view == "optouts":
            self.say_count(Lines().add(t.count("desk.count.optouts", total), STRONG)
                           .add(f"  {t('desk.optouts.keys')}", MUTED).content())

    def detail(self, view: str, row: Any) -> Any:
        t = self.app.strings
        line = Lines()
        if isinstance(row, Thread):
            line.add(row.mobile, STRONG).add(f"  {row.last_time}  ", MUTED).add(row.last_content)
            if row.optout:
                line.add(f"  ⊘ {t('desk.thread.on_list')}", WARNING)
        elif isinstance(row, OptOut):
            line.add(row.mobile, STRONG).add("  " + t("desk.detail.optout", source=t.get(
                f"desk.source.{row.source}", row.source), since=row.added_at), MUTED)
            if row.reason:
                line.add(f"  {row.reason}")
        return line.content()

    # -- keys -------------------------------------------------------------------------------------

    def on_paged_table_chosen(self, message: PagedTable.Chosen) -> None:
        row = message.row
        if isinstance(row, Thread):
            self.drill("thread", row.mobile, row)
        elif isinstance(row, OptOut):
            self.drill_number(row.mobile)

    def drill_number(self, mobile: str) -> None:
        """A number's thread, whether or not it ever replied."""
        self.drill("thread", mobile, Thread(mobile, 0, 0, 0, "", "", True))

    def thread_here(self) -> Thread | None:
        """The thread under the cursor, or the one open."""
        if self.level.view == "thread":
            context = self.level.context
            return context if isinstance(context, Thread) else None
        row = self.current_row()
        return row if isinstance(row, Thread) else None

    def mobile_here(self) -> str:
        """The number under the cursor, or the one whose thread is open."""
        row = self.thread_here() or self.current_row()
        return getattr(row, "mobile", "")

    def action_reply(self) -> None:
        """Answer the number: Compose with it filled in (every check of a send applies)."""
        mobile = self.mobile_here()
        if not mobile:
            self.app.bell()
            return
        self.app.compose_with(numbers=mobile)

    def action_optout(self) -> None:
        """Decide a reply: the number opts out, or its reply was none; a number on the list can come off it."""
        thread = self.thread_here()
        if thread is None:
            self.app.bell()
            return
        if thread.optout:
            self.app.push_screen(RemoveOptOut(thread.mobile), self._decided)
            return
        self.app.push_screen(OptOutDialog(thread.mobile, thread.last_content,
                                          near_optout(thread.last_content, self.words)), self._decided)

    def action_add_optout(self) -> None:
        """Put a number on the opt-out list by hand."""
        self.app.push_screen(AddOptOut(), self._decided)

    def action_remove_optout(self) -> None:
        """Take the number under the cursor off the opt-out list (asks why)."""
        row = self.current_row() if self.level.view == "optouts" else self.thread_here()
        if row is None or (isinstance(row, Thread) and not row.optout):
            self.app.bell()
            return
        self.app.push_screen(RemoveOptOut(row.mobile), self._decided)

    def _decided(self, result: str | None) -> None:
        if result:
            self.refresh_data()

    def allowed(self, action: str, view: str) -> bool | None:
        if action in ("reply", "optout"):
            return view in ("threads", "thread")
        if action == "add_optout":
            return view == "optouts"
        if action == "remove_optout":
            return view == "optouts" or (view == "thread" and bool(getattr(self.level.context, "optout", False)))
        if action == "export":
            return view in ("threads", "thread")
        return True

    def filter_elsewhere(self, text: str) -> None:
        """The opt-out list: a search by number; elsewhere, the threads the filter names."""
        if self.level.view == "optouts":
            self.state.texts["optouts"] = text
            self.load_view(self.level, fresh=True)
            self.focus_view()
            return
        self.open_tab("threads")
        self.post_message(FilterBar.Applied(self.query_one(FilterBar), text))

    def copy_choices(self) -> list[tuple[str, str]]:
        thread = self.thread_here()
        if thread is not None:
            return [("mobile", thread.mobile), ("text", thread.last_content)]
        row = self.current_row()
        if isinstance(row, OptOut):
            return [("mobile", row.mobile), ("row", "\t".join((row.mobile, row.source, row.added_at, row.reason)))]
        return []

    def export_kind(self) -> str:
        return "replies" if self.level.view in ("threads", "thread") else ""

    def export_filter(self) -> Filter:
        """A thread open: its replies; else the filtered ones."""
        if self.level.view == "thread":
            mobile = self.level.context.mobile
            return Filter(numbers=(mobile,), text=f"num:{mobile}")
        return self.state.filter

    async def drain(self) -> None:
        if self.app.service is not None:
            await self.app.service.drain_uplinks()
