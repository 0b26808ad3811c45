"""Reports (F5): what was sent and what became of it — sends → tasks → numbers, every report behind a filter, why
they failed, how the days went; a number's history one key away; what needs you (Alt+E) after faults."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from ... import protocol as p
from ...protocol.report_codes import code_meaning
from ...service import GatewayRefused, ServiceError
from ...service.desk import Bucket
from ...service.filters import Filter, with_tokens
from ...service.pager import listed
from ...service.store.records import PENDING, Figures, HistoryItem, SendSummary, StoredReport, TaskSummary
from ..palette import PaletteCommand
from ..sending import SendFlow
from ..sending.recovery import RecoveryScreen
from ..styles import ERROR, MUTED, STRONG, SUCCESS, WARNING, Lines
from ..widgets.desk_filter import FilterBar
from ..widgets.desk_thread import short_time
from ..widgets.paged_table import Cell, Column, PagedTable
from .desk_base import DeskScreen, Level

GOOD, BAD, WARN, DIM = "paged-table--good", "paged-table--bad", "paged-table--warn", "paged-table--muted"


@dataclass(frozen=True, slots=True)
class WhyRow:
    """A line of Why it failed: a bucket (its total) or one of its codes."""

    bucket: str
    code: str  # '' on the bucket's own line
    count: int
    share: float


def rate(part: int, whole: int) -> str:
    """`93.4%` (— of nothing)."""
    return f"{100 * part / whole:.1f}%" if whole else "—"


def number(value: int, width: int) -> str:
    """A count right-aligned in its column."""
    return f"{value:,}".rjust(width)


class ReportsScreen(DeskScreen):
    """Sends, reports, why they failed, statistics; Enter drills down, Esc climbs back, a filter narrows them."""

    AREA = "reports"
    WATCHES = frozenset({"reports", "sends"})
    TABS = ("sends", "reports", "why", "stats")
    FILTERED = frozenset({"reports", "why", "stats"})
    BINDINGS = [
        *DeskScreen.BINDINGS,
        Binding("1", "tab('sends')", "Sends", id="reports.sends", show=False),
        Binding("2", "tab('reports')", "Reports", id="reports.list", show=False),
        Binding("3", "tab('why')", "Why it failed", id="reports.why", show=False),
        Binding("4", "tab('stats')", "Statistics", id="reports.stats", show=False),
        Binding("s", "sort", "Sort", id="reports.sort", tooltip="By time or by status"),
        Binding("h", "history", "History", id="reports.history", show=False,
                tooltip="Everything about the number under the cursor"),
        Binding("d", "period", "Day/hour", id="reports.period", tooltip="Statistics per day or per hour"),
        Binding("alt+e", "recovery", "What needs you", id="list.recovery", key_display="Alt+E", priority=True,
                tooltip="Sends in doubt, gaps, kept bodies: reconcile, replay, forget"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort = "time"
        self.by = "day"
        self.total_all: int | None = None  # reports of every kind, for "1,234 of 2,000,000"
        self.refused = False  # the account may not read reports
        self.reports_total = 0
        self._bucket_codes: dict[str, tuple[str, ...]] = {}

    def first_tab(self) -> str:
        """The report list: "did 138… get it?" is the first question."""
        return "reports"

    # -- building ---------------------------------------------------------------------------------

    def compose_views(self) -> ComposeResult:
        t = self.app.strings

        def columns(*spec: tuple[str, int]) -> list[Column]:
            return [Column(t(f"desk.col.{key}"), max(width, cell_len(t(f"desk.col.{key}")))) for key, width in spec]

        self.widths = {key: max(width, cell_len(t(f"desk.col.{key}"))) for key, width in (
            ("numbers", 7), ("delivered", 9), ("failed", 6), ("pending", 7), ("doubt", 6), ("count", 9),
            ("share", 6), ("sent", 9), ("no_report", 9), ("rate", 7))}
        with Vertical(id="sends"):
            yield PagedTable(columns(("created", 11), ("send", 16), ("numbers", 7), ("delivered", 9), ("failed", 6),
                                     ("pending", 7), ("doubt", 6), ("content", 10)), self.send_cells,
                             id="sends-table", empty=t("desk.empty.sends"))
        with Vertical(id="tasks"):
            yield PagedTable(columns(("task", 16), ("created", 11), ("numbers", 7), ("delivered", 9), ("failed", 6),
                                     ("pending", 7), ("content", 10)), self.task_cells, id="tasks-table",
                             empty=t("desk.empty.tasks"))
        with Vertical(id="recipients"):
            yield PagedTable(columns(("mobile", 11), ("status", 9), ("time", 14), ("code", 10), ("meaning", 10)),
                             self.recipient_cells, id="recipients-table")
        with Vertical(id="history"):
            yield PagedTable(columns(("time", 14), ("event", 8), ("what", 10)), self.history_cells,
                             id="history-table", empty=t("desk.empty.history"))
        with Vertical(id="reports"):
            yield PagedTable(columns(("time", 14), ("mobile", 11), ("status", 9), ("code", 10), ("task", 16),
                                     ("extno", 5), ("meaning", 10)), self.report_cells, id="reports-table",
                             empty=t("desk.empty.reports"))
        with Vertical(id="why"):
            yield PagedTable(columns(("bucket", 24), ("count", 9), ("share", 6), ("meaning", 10)), self.why_cells,
                             id="why-table", empty=t("desk.empty.why"))
        with Vertical(id="stats"):
            yield Static(id="trend-figures")
            yield Sparkline([], id="trend")
            yield PagedTable(columns(("period", 16), ("sent", 9), ("delivered", 9), ("failed", 9), ("no_report", 9),
                                     ("rate", 7)), self.figure_cells, id="stats-table", empty=t("desk.empty.stats"))
        yield SendFlow(id="flow")

    # -- cells ------------------------------------------------------------------------------------

    def status_word(self, status: int) -> str:
        """delivered / failed / pending, in words."""
        word = "pending" if status == PENDING else "delivered" if status == p.boxes.DELIVERED else "failed"
        return self.app.strings(f"desk.status.{word}")

    def status_cell(self, status: int) -> Cell:
        """delivered / failed / pending, coloured."""
        kind = WARN if status == PENDING else GOOD if status == p.boxes.DELIVERED else BAD
        return self.status_word(status), kind

    def meaning(self, code: str) -> str:
        """A code in words, in the user's language."""
        found = code_meaning(code)
        return found.chinese if self.app.strings.language == "zh" else found.english

    def counts(self, delivered: int, failed: int, pending: int) -> list[Cell]:
        """Delivered, failed and pending counts, coloured when they are not zero."""
        w = self.widths
        return [(number(delivered, w["delivered"]), GOOD if delivered else DIM),
                (number(failed, w["failed"]), BAD if failed else DIM),
                (number(pending, w["pending"]), WARN if pending else DIM)]

    def send_cells(self, row: SendSummary) -> list[Cell]:
        """A send's line."""
        return [short_time(row.created)[:11], row.send_id, number(row.recipients, self.widths["numbers"]),
                *self.counts(row.delivered, row.failed, row.pending),
                (number(row.in_doubt, self.widths["doubt"]), WARN if row.in_doubt else DIM), row.content]

    def task_cells(self, row: TaskSummary) -> list[Cell]:
        """A task's line."""
        return [row.task_id, short_time(row.created)[:11], number(row.recipients, self.widths["numbers"]),
                *self.counts(row.delivered, row.failed, row.pending), row.content]

    def recipient_cells(self, row: StoredReport) -> list[Cell]:
        """A number of a task and its report."""
        failed = row.status not in (PENDING, p.boxes.DELIVERED)
        return [row.mobile, self.status_cell(row.status), short_time(row.receive_time), row.error_code,
                (self.meaning(row.error_code), DIM) if failed else ""]

    def report_cells(self, row: StoredReport) -> list[Cell]:
        """A report's line."""
        failed = row.status not in (PENDING, p.boxes.DELIVERED)
        return [short_time(row.receive_time), row.mobile, self.status_cell(row.status), row.error_code, row.task_id,
                row.extno, (self.meaning(row.error_code), DIM) if failed else ""]

    def history_cells(self, row: HistoryItem) -> list[Cell]:
        """An event of a number's history."""
        t = self.app.strings
        if row.kind == "report":
            what: Cell = (f"{self.status_word(row.status)} {row.code}", GOOD if row.status == p.boxes.DELIVERED
                          else BAD)
        else:
            what = row.text
        return [short_time(row.at), (t(f"desk.event.{row.kind}"), WARN if row.kind == "reply" else DIM), what]

    def why_cells(self, row: WhyRow) -> list[Cell]:
        """A bucket, or one of its codes (indented)."""
        t = self.app.strings
        w = self.widths
        share = f"{100 * row.share:.1f}%".rjust(w["share"])
        if not row.code:
            kind = GOOD if row.bucket == "delivered" else BAD
            return [(t(f"desk.bucket.{row.bucket}"), kind), (number(row.count, w["count"]), kind), share,
                    (t(f"desk.bucket.{row.bucket}.hint"), DIM)]
        return [f"  {row.code}", number(row.count, w["count"]), share, (self.meaning(row.code), DIM)]

    def figure_cells(self, row: Figures) -> list[Cell]:
        """A day's (or hour's) figures."""
        w = self.widths
        period = f"{row.period}:00" if len(row.period) == 13 else row.period  # an hour: `2026-03-01 10`
        return [period, number(row.sent, w["sent"]), *self.counts(row.delivered, row.failed, row.no_report)[:2],
                (number(row.no_report, w["no_report"]), WARN if row.no_report else DIM),
                rate(row.delivered, row.sent).rjust(w["rate"])]

    # -- loading ----------------------------------------------------------------------------------

    def load_view(self, level: Level, fresh: bool) -> None:
        """Each view's rows: a pager over the store, or a worker's list."""
        service = self.app.service
        if service is None:
            return
        desk = service.desk
        if level.view == "sends":
            self.show_pager(level, desk.sends(), fresh)
        elif level.view == "reports":
            self.show_pager(level, desk.reports(self.state.filter, self.sort), fresh)
        elif level.view == "recipients":
            self.show_pager(level, desk.recipients(level.context), fresh)
        if level.view != "sends":
            self.load_list(level, fresh)

    @work(exclusive=True, group="desk-load", exit_on_error=False)
    async def load_list(self, level: Level, fresh: bool) -> None:
        """What a view shows besides its pager: a send's tasks, a task's figures, a history, the buckets, the
        figures per day, the count of every report and whether the account may read them."""
        service = self.app.service
        if service is None:
            return
        desk = service.desk
        view = level.view
        data: Any = None
        if view == "tasks":
            data = await desk.tasks(level.context.send_id)
        elif view == "recipients":
            found = [t for t in await desk.tasks(level.context.send_id) if t.task_id == level.context.task_id]
            data = found[0] if found else level.context
        elif view == "history":
            data = await desk.history(level.context)
        elif view == "why":
            data = await desk.buckets(self.state.filter)
        elif view == "stats":
            data = await desk.figures(self.state.filter, self.by)
        elif view == "reports":
            return  # its pager reads it; the figures come once it is counted (the rows first)
        self.post_message(self.Loaded(view, (data, fresh)))

    @work(exclusive=True, group="desk-meta", exit_on_error=False)
    async def load_meta(self, every: int | None = None) -> None:
        """How many reports there are in all, and whether the account may read them."""
        service = self.app.service
        if service is None:
            return
        desk = service.desk
        every = every if every is not None else self.total_all
        if every is None:  # every report, counted once until new rows come
            every = await desk.reports(Filter()).count()
        self.post_message(self.Loaded("meta", (every, await desk.may_read_reports())))

    def shown(self, view: str, data: Any) -> None:
        if view == "meta":
            self.total_all, allowed = data
            self.refused = not allowed
            if self.level.view in self.FILTERED:
                self.counted_reports()
            return
        rows, fresh = data
        if view != self.level.view:
            return
        level = self.level
        if view == "tasks":
            self.show_pager(level, listed(rows), fresh)
            self.say_count(self.tasks_line(level.context, rows))
        elif view == "recipients":
            self.state.path[-1] = replace(level, context=rows)
            self.say_count(self.task_line(rows))
        elif view == "history":
            self.show_pager(level, listed(rows), fresh)
            self.say_count(self.history_line(level.context, rows))
        elif view == "why":
            self._bucket_codes = {b.bucket: tuple(code for code, _ in b.codes) for b in rows}
            self.show_pager(level, listed(why_rows(rows)), fresh)
            self.say_count(self.why_line(rows))
            self.load_meta()
        elif view == "stats":
            self.show_pager(level, listed(rows), fresh)
            self.show_trend(rows)
            self.load_meta()

    # -- the count line and the detail line -------------------------------------------------------

    def refresh_data(self) -> None:
        """New rows: every report is counted again too."""
        self.total_all = None
        super().refresh_data()

    def reload(self) -> None:
        """Another profile: its reports, counted afresh."""
        self.total_all = None
        self.refused = False
        super().reload()

    def counted(self, view: str, total: int) -> None:
        t = self.app.strings
        if view == "sends":
            self.say_count(t.count("desk.count.sends", total))
        elif view == "reports":
            self.reports_total = total
            self.counted_reports()
            self.load_meta(total if self.state.filter.empty else None)  # (the list on screen is them all)

    def counted_reports(self) -> None:
        """The count line of the report list, and what an account that may not read reports is told."""
        t = self.app.strings
        f = self.state.filter
        refused = self.refused and not self.total_all
        self.notice(Lines().line(t("desk.refused"), WARNING).content() if self.refused else "")
        if self.level.view != "reports":
            return
        self.table("reports").empty = t("desk.refused.short" if refused else "desk.empty.reports" if f.empty
                                        else "desk.empty.filtered")
        total = self.reports_total
        line = Lines()
        if f.status == "pending":
            line.add(t("desk.count.pending", count=f"{total:,}"), STRONG)
        elif f.empty or self.total_all is None:
            line.add(t("desk.count.all", count=f"{total:,}"), STRONG)
        else:
            line.add(t("desk.count.of", count=f"{total:,}", all=f"{self.total_all:,}"), STRONG)
        line.add(f"  {t(f'desk.sorted.{self.sort}')}", MUTED)
        self.say_count(line.content())

    def tasks_line(self, send: SendSummary, tasks: list[TaskSummary]) -> Content:
        """A send's figures over its tasks."""
        t = self.app.strings
        numbers = sum(x.recipients for x in tasks)
        return (Lines().add(t.count("desk.count.tasks", len(tasks)), STRONG).add("  ")
                .add(self.outcome(numbers, sum(x.delivered for x in tasks), sum(x.failed for x in tasks),
                                  sum(x.pending for x in tasks)))
                .add(t("desk.count.doubt", doubt=f"{send.in_doubt:,}", refused=f"{send.refused:,}"),
                     WARNING if send.in_doubt else MUTED).content())

    def task_line(self, task: TaskSummary) -> Content:
        """A task's figures."""
        t = self.app.strings
        return (Lines().add(t("desk.count.task", task=task.task_id), STRONG).add("  ")
                .add(self.outcome(task.recipients, task.delivered, task.failed, task.pending)).content())

    def outcome(self, numbers: int, delivered: int, failed: int, pending: int) -> str:
        """`30 numbers: 20 delivered · 5 failed · 5 pending`."""
        return self.app.strings("desk.count.outcome", numbers=f"{numbers:,}", delivered=f"{delivered:,}",
                                failed=f"{failed:,}", pending=f"{pending:,}")

    def history_line(self, mobile: str, items: list[HistoryItem]) -> Content:
        """What a number's history holds."""
        t = self.app.strings
        kinds = [item.kind for item in items]
        return Lines().add(mobile, STRONG).add("  ").add(t("desk.count.history", sent=kinds.count("sent"),
                                                            reports=kinds.count("report"),
                                                            replies=kinds.count("reply"))).content()

    def why_line(self, buckets: list[Bucket]) -> Content:
        """How many reports the buckets hold, how many delivered."""
        t = self.app.strings
        total = sum(b.count for b in buckets)
        delivered = sum(b.count for b in buckets if b.bucket == "delivered")
        return (Lines().add(t("desk.count.why", count=f"{total:,}", delivered=f"{delivered:,}",
                              rate=rate(delivered, total), failed=f"{total - delivered:,}"), STRONG)
                .add(f"  {t('desk.why.enter')}", MUTED).content())

    def show_trend(self, figures: list[Figures]) -> None:
        """The delivery rate over the periods, oldest first, with its exact figures beside it."""
        t = self.app.strings
        oldest_first = figures[::-1]
        rates = [f.delivered / f.sent if f.sent else 0.0 for f in oldest_first]
        trend = self.query_one("#trend", Sparkline)
        trend.data = rates
        trend.display = len(rates) > 1  # one period is no trend (a sparkline draws it as a full bar)
        sent = sum(f.sent for f in figures)
        delivered = sum(f.delivered for f in figures)
        line = Lines().add(t(f"desk.trend.{self.by}", count=len(figures)), STRONG)
        if figures:
            low = min(oldest_first, key=lambda f: f.delivered / f.sent if f.sent else 0.0)
            high = max(oldest_first, key=lambda f: f.delivered / f.sent if f.sent else 0.0)
            line.add("  ").add(t("desk.trend.figures", sent=f"{sent:,}", rate=rate(delivered, sent),
                                 last=rate(figures[0].delivered, figures[0].sent), low=rate(low.delivered, low.sent),
                                 low_at=low.period, high=rate(high.delivered, high.sent), high_at=high.period))
        if self.state.filter.numbers or self.state.filter.codes or self.state.filter.status or \
                self.state.filter.words:
            line.add(f"  {t('desk.trend.applies')}", MUTED)
        self.query_one("#trend-figures", Static).update(line.content())
        self.say_count(Lines().add(t("desk.stats.enter"), MUTED).content())

    def detail(self, view: str, row: Any) -> Any:
        t = self.app.strings
        line = Lines()
        if isinstance(row, SendSummary):
            line.add(t("desk.detail.send", send=row.send_id, created=row.created, accepted=f"{row.accepted:,}",
                       refused=f"{row.refused:,}", doubt=f"{row.in_doubt:,}", unsent=f"{row.unsent:,}"), MUTED)
            line.add(f"  {row.content}")
        elif isinstance(row, TaskSummary):
            line.add(t("desk.detail.task", task=row.task_id, send=row.send_id, created=row.created), MUTED)
            line.add(f"  {row.content}")
        elif isinstance(row, StoredReport):
            line.add(row.mobile, STRONG).add("  ")
            status = self.status_word(row.status)
            if row.status == PENDING:
                line.add(t("desk.detail.pending", sent=row.receive_time), WARNING)
            else:
                line.add(f"{status} {row.error_code}", SUCCESS if row.delivered else ERROR)
                if not row.delivered:
                    line.add(f" {self.meaning(row.error_code)}", ERROR)
                line.add("  " + t("desk.detail.report", at=row.receive_time, received=row.received_at), MUTED)
            line.add("  " + t("desk.detail.task_of", task=row.task_id), MUTED)
            if row.extno:
                line.add("  " + t("desk.detail.extno", extno=row.extno), MUTED)
        elif isinstance(row, HistoryItem):
            line.add(row.at, MUTED).add("  ")
            if row.kind == "report":
                line.add(f"{self.status_word(row.status)} {row.code} {self.meaning(row.code)}")
            else:
                line.add(row.text)
            if row.task_id:
                line.add("  " + t("desk.detail.task_of", task=row.task_id), MUTED)
        elif isinstance(row, WhyRow):
            line.add(t(f"desk.bucket.{row.bucket}"), STRONG)
            if row.code:
                line.add(f"  {row.code}: {self.meaning(row.code)}")
            line.add(f"  {t('desk.why.enter')}", MUTED)
        elif isinstance(row, Figures):
            line.add(t("desk.detail.figures", period=row.period, sent=f"{row.sent:,}", delivered=f"{row.delivered:,}",
                       rate=rate(row.delivered, row.sent), failed=f"{row.failed:,}", none=f"{row.no_report:,}"))
        return line.content()

    # -- keys -------------------------------------------------------------------------------------

    def on_paged_table_chosen(self, message: PagedTable.Chosen) -> None:
        row = message.row
        t = self.app.strings
        if isinstance(row, SendSummary):
            self.drill("tasks", t("desk.crumb.send", send=row.send_id), row)
        elif isinstance(row, TaskSummary):
            self.drill("recipients", t("desk.crumb.task", task=row.task_id), row)
        elif isinstance(row, StoredReport):
            self.drill("history", row.mobile, row.mobile)
        elif isinstance(row, WhyRow):
            self.drill_bucket(row)
        elif isinstance(row, Figures):
            self.drill("reports", row.period, filter_text=with_tokens(self.state.filter.text,
                                                                     date=[row.period[:10]]))

    def drill_bucket(self, row: WhyRow) -> None:
        """The reports of a bucket (or of one of its codes), the filter as it was plus their codes."""
        if row.bucket == "delivered":
            text = with_tokens(self.state.filter.text, status=["delivered"])
        else:
            codes = [row.code] if row.code else list(self.bucket_codes.get(row.bucket, ()))
            if not codes or any(not code.strip() for code in codes):
                text = with_tokens(self.state.filter.text, status=["failed"])
            else:
                text = with_tokens(self.state.filter.text, status=["failed"], code=codes)
        crumb = row.code or self.app.strings(f"desk.bucket.{row.bucket}")
        self.drill("reports", crumb, filter_text=text)

    def action_sort(self) -> None:
        """The report list by time, or by status (failed first)."""
        self.sort = "status" if self.sort == "time" else "time"
        self.load_view(self.level, fresh=True)

    def action_period(self) -> None:
        """Statistics per day, or per hour."""
        self.by = "hour" if self.by == "day" else "day"
        self.load_view(self.level, fresh=True)

    def action_history(self) -> None:
        """Everything about the number under the cursor: what was sent, its reports, its replies."""
        row = self.current_row()
        mobile = getattr(row, "mobile", "")
        if not mobile:
            self.app.bell()
            return
        self.drill("history", mobile, mobile)

    def allowed(self, action: str, view: str) -> bool | None:
        if action == "sort":
            return view == "reports"
        if action == "period":
            return view == "stats"
        if action == "history":
            return view in ("reports", "recipients")
        if action == "export":
            return view in ("reports", "why", "stats", "recipients") or None
        return True

    def filter_elsewhere(self, text: str) -> None:
        """A filter typed over sends, a task or a history: the report list it names."""
        self.open_tab("reports")
        self.post_message(FilterBar.Applied(self.query_one(FilterBar), text))

    def copy_choices(self) -> list[tuple[str, str]]:
        row = self.current_row()
        level = self.level
        if isinstance(row, SendSummary):
            return [("send", row.send_id), ("text", row.content), ("row", "\t".join(
                str(v) for v in (row.send_id, row.created, row.recipients, row.delivered, row.failed, row.pending,
                                 row.in_doubt, row.content)))]
        if isinstance(row, TaskSummary):
            return [("task", row.task_id), ("send", row.send_id), ("text", row.content)]
        if isinstance(row, StoredReport):
            send = level.context.send_id if isinstance(level.context, TaskSummary) else ""
            return [("mobile", row.mobile), ("task", row.task_id), ("send", send), ("row", "\t".join(
                (row.mobile, self.status_word(row.status), row.receive_time, row.error_code, row.task_id,
                 row.extno)))]
        if isinstance(row, HistoryItem):
            return [("mobile", level.context), ("task", row.task_id), ("text", row.text)]
        if isinstance(row, WhyRow) and row.code:
            return [("text", row.code)]
        return []

    def export_kind(self) -> str:
        return "reports" if self.level.view in ("reports", "why", "stats", "recipients") else ""

    def export_filter(self) -> Filter:
        """A task's numbers: its reports; else the filtered ones."""
        level = self.level
        if level.view == "recipients" and isinstance(level.context, TaskSummary):
            return Filter(tasks=(level.context.task_id,), text=f"task:{level.context.task_id}")
        return self.state.filter

    def action_recovery(self) -> None:
        """Sends in doubt, gaps, kept bodies: reconcile, replay, forget."""
        self.app.push_screen(RecoveryScreen(), self._recovery_chosen)

    def _recovery_chosen(self, choice: str | None) -> None:
        if choice and choice.startswith("reconcile:"):
            self.query_one(SendFlow).reconcile(choice.removeprefix("reconcile:"))
        elif choice and choice.startswith("resume:"):
            self.query_one(SendFlow).resume(choice.removeprefix("resume:"))

    def commands(self) -> list[PaletteCommand]:
        """The area's keys and what needs you in the command palette."""
        return [*super().commands(), PaletteCommand("cmd.recovery", "cmd.recovery.help", self.action_recovery,
                                                    "Alt+E")]

    async def drain(self) -> None:
        if self.app.service is not None:
            await self.app.service.drain_reports()
            self.refused = False

    def pull_failed(self, error: ServiceError) -> None:
        if isinstance(error, GatewayRefused) and error.params.get("error") == 3:
            self.refused = True

    @property
    def bucket_codes(self) -> dict[str, tuple[str, ...]]:
        """The codes of each bucket on screen."""
        return self._bucket_codes


def why_rows(buckets: list[Bucket]) -> list[WhyRow]:
    """Each bucket's line, then a line per code of it (the delivered bucket needs none)."""
    total = sum(b.count for b in buckets) or 1
    rows = []
    for bucket in buckets:
        rows.append(WhyRow(bucket.bucket, "", bucket.count, bucket.count / total))
        if bucket.bucket != "delivered":
            rows += [WhyRow(bucket.bucket, code, count, count / total) for code, count in bucket.codes]
    return rows
