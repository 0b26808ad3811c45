"""The store's lists over millions of rows: every filter is SQL on an index, every page a window of rows."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..filters import Filter
from .engine import Database
from .records import (
    PENDING,
    Figures,
    HistoryItem,
    SendSummary,
    StoredReport,
    StoredUplink,
    TaskSummary,
    ThreadSummary,
)

T = TypeVar("T")
KEPT = "kept"  # the opt-out log's word for "a person read this reply and decided it was not an opt-out"
Sink = Callable[[list[tuple[Any, ...]]], None]  # takes a batch of rows (on the reading thread)
REPORT_COLUMNS = "task_id, mobile, status, receive_time, error_code, extno, received_at"
SORTS = {  # the order of a report list, all descending so one row value compares a key (the indexes hold it)
    "time": ("receive_time", "task_id", "mobile"),
    "status": ("status", "receive_time", "task_id", "mobile"),
}


def _after(prefix: str) -> str:
    """The first string after every string that starts with `prefix` (for a range on an index)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _starts(column: str, value: str, args: list[Any]) -> str:
    """`column` equal to value, or (a trailing *) starting with it, as an index range."""
    if value.endswith("*") and value.rstrip("*"):
        prefix = value.rstrip("*")
        args += [prefix, _after(prefix)]
        return f"({column} >= ? AND {column} < ?)"
    args.append(value)
    return f"{column} = ?"


def _unindexed(key: str) -> str:
    """A sort key as an expression no index holds (the same order: text stays text, a number a number)."""
    return "status + 0" if key == "status" else f"{key} || ''"


def number_clauses(column: str, numbers: Sequence[str], args: list[Any]) -> str:
    """Any of the number prefixes (`138` is 138…), as index ranges."""
    parts = []
    for number in numbers:
        if len(number) >= 11:
            args.append(number)
            parts.append(f"{column} = ?")
        else:
            args += [number, _after(number)]
            parts.append(f"({column} >= ? AND {column} < ?)")
    return "(" + " OR ".join(parts) + ")"


def report_where(account: str, f: Filter, alias: str = "") -> tuple[str, list[Any]]:
    """The WHERE of reports that pass a filter (pending is not a report's status: see pending_where)."""
    a = alias + "." if alias else ""
    args: list[Any] = [account]
    clauses = [f"{a}account = ?"]
    numbers = [*f.numbers, *(w for w in f.words if w.isdigit())]
    if numbers:
        clauses.append(number_clauses(f"{a}mobile", numbers, args))
    if f.tasks:
        clauses.append("(" + " OR ".join(_starts(f"{a}task_id", t, args) for t in f.tasks) + ")")
    if f.status in ("delivered", "failed"):
        clauses.append(f"{a}status = ?")
        args.append(10 if f.status == "delivered" else 20)
    if f.codes:
        clauses.append("(" + " OR ".join(_starts(f"upper({a}error_code)", c, args) for c in f.codes) + ")")
    if f.since:
        clauses.append(f"{a}receive_time >= ?")
        args.append(f.since)
    if f.until:
        clauses.append(f"{a}receive_time < ?")
        args.append(f.until)
    if f.extno:
        clauses.append(f"{a}extno = ?")
        args.append(f.extno)
    for word in (w for w in f.words if not w.isdigit()):
        like = f"%{word.lower()}%"
        clauses.append(f"(lower({a}task_id) LIKE ? OR lower({a}error_code) LIKE ? OR lower({a}extno) LIKE ?)")
        args += [like, like, like]
    return " AND ".join(clauses), args


def pending_where(account: str, f: Filter) -> tuple[str, list[Any]]:
    """The WHERE of recipients with no report yet that pass a filter (codes and extno: no such rows)."""
    args: list[Any] = [account]
    clauses = ["r.account = ?",
               "NOT EXISTS (SELECT 1 FROM reports p WHERE p.account = r.account AND p.task_id = r.task_id"
               " AND p.mobile = r.mobile)"]
    numbers = [*f.numbers, *(w for w in f.words if w.isdigit())]
    if numbers:
        clauses.append(number_clauses("r.mobile", numbers, args))
    if f.tasks:
        clauses.append("(" + " OR ".join(_starts("r.task_id", t, args) for t in f.tasks) + ")")
    if f.since:
        clauses.append("r.sent_at >= ?")
        args.append(f.since)
    if f.until:
        clauses.append("r.sent_at < ?")
        args.append(f.until)
    if f.codes or f.extno or any(not w.isdigit() for w in f.words):
        clauses.append("1 = 0")  # (PostgreSQL takes no integer for a truth)
    return " AND ".join(clauses), args


def uplink_where(account: str, f: Filter, alias: str = "u") -> tuple[str, list[Any]]:
    """The WHERE of replies that pass a filter (free words search the text; status and codes do not apply)."""
    a = alias + "."
    args: list[Any] = [account]
    clauses = [f"{a}account = ?"]
    numbers = [*f.numbers, *(w for w in f.words if w.isdigit())]
    if numbers:
        clauses.append(number_clauses(f"{a}mobile", numbers, args))
    if f.since:
        clauses.append(f"{a}receive_time >= ?")
        args.append(f.since)
    if f.until:
        clauses.append(f"{a}receive_time < ?")
        args.append(f.until)
    if f.extno:
        clauses.append(f"{a}extno = ?")
        args.append(f.extno)
    if f.optout is not None:
        clauses.append(f"{a}optout = ?")
        args.append(int(f.optout))
    for word in (w for w in f.words if not w.isdigit()):
        clauses.append(f"lower({a}content) LIKE ?")
        args.append(f"%{word.lower()}%")
    if f.tasks or f.codes or f.status:
        clauses.append("1 = 0")  # (PostgreSQL takes no integer for a truth)
    return " AND ".join(clauses), args


@dataclass(frozen=True, slots=True)
class Thread(ThreadSummary):
    """A thread as the Inbox lists it: `decided` when a person ruled on its number (opted it out, took it off the
    list, or judged a reply not an opt-out) since its last reply came."""

    decided: bool = False


@dataclass(frozen=True, slots=True)
class OptOut:
    """A number on the opt-out list: how it got there (a reply, by hand), when, and the last word logged on it."""

    mobile: str
    source: str
    added_at: str
    reason: str


class Lists:
    """Windows, counts, breakdowns, statistics, threads and histories (mixed into Store)."""

    if TYPE_CHECKING:
        @property
        def db(self) -> Database:
            """The connection."""
            ...

        async def _run(self, fn: Callable[..., T], *args: Any) -> T:
            """Run on the store's thread."""
            ...

        async def _run_elsewhere(self, fn: Callable[[], T]) -> T:
            """Run on a thread of its own (database errors told the store's way)."""
            ...

        def _tx(self) -> contextlib.AbstractContextManager[None]:
            """One write transaction."""
            ...

        def _now(self) -> str:
            """The store's clock, as stored."""
            ...

        def _log_optout(self, account: str, mobile: str, action: str, reason: str) -> None:
            """A line of the opt-out log (in the caller's transaction)."""
            ...

        @property
        def shared(self) -> bool:
            """Whether the database is PostgreSQL."""
            ...

    _planned = False

    async def plan_lists(self) -> None:
        """Tell SQLite's planner how the desk's tables look, once per store (a sample of each index: milliseconds on
        millions of rows). Without it, `num:…` walks a million reports by time; PostgreSQL's autovacuum does this."""
        if self._planned or self.shared:
            return
        self._planned = True

        def work() -> None:
            try:
                with self._tx():
                    self.db.execute("PRAGMA analysis_limit = 400")
                    for table in ("reports", "recipients", "tasks", "uplinks"):
                        self.db.execute(f"ANALYZE {table}")
            except Exception:  # a store locked by a send or read-only: the planner guesses, as before
                pass

        await self._run(work)

    # -- reports ----------------------------------------------------------------------------------

    async def report_page(self, account: str, f: Filter, sort: str = "time", limit: int = 200, offset: int = 0,
                          after: tuple[Any, ...] | None = None, before: tuple[Any, ...] | None = None,
                          from_end: bool = False) -> list[StoredReport]:
        """A window of the filtered reports in `sort` order: at `offset`, just after (before) a row's key, or the
        last `limit` of them (`from_end`)."""
        if f.status == "pending":
            return await self._pending_page(account, f, limit, offset)
        keys = SORTS[sort]
        where, args = report_where(account, f)
        order = ", ".join(f"{k} DESC" for k in keys)
        if f.numbers or f.tasks or any(w.isdigit() for w in f.words):
            # a number's or a task's few rows are found by their index and sorted; the time index would walk all
            order = ", ".join(f"{_unindexed(k)} DESC" for k in keys)
        if after is not None or before is not None:
            key = after if after is not None else before
            assert key is not None
            where += f" AND ({', '.join(keys)}) {'<' if after is not None else '>'} ({', '.join('?' * len(keys))})"
            args += list(key)
            offset = 0
        backwards = before is not None or from_end
        if backwards:  # read up from the key (or the end) along the same index, then put in the list's order
            order = order.replace(" DESC", " ASC")
            offset = 0
        query = f"SELECT {REPORT_COLUMNS} FROM reports WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"

        def work() -> list[StoredReport]:
            rows = [StoredReport(*row) for row in self.db.execute(query, [*args, limit, offset])]
            return rows[::-1] if backwards else rows

        return await self._run(work)

    async def _pending_page(self, account: str, f: Filter, limit: int, offset: int) -> list[StoredReport]:
        where, args = pending_where(account, f)
        query = (f"SELECT r.task_id, r.mobile, {PENDING}, r.sent_at, '', '', r.sent_at FROM recipients r"
                 f" WHERE {where} ORDER BY r.sent_at DESC, r.task_id DESC, r.mobile DESC LIMIT ? OFFSET ?")
        return await self._run(lambda: [StoredReport(*row) for row in self.db.execute(query, [*args, limit, offset])])

    async def count_reports(self, account: str, f: Filter) -> int:
        """How many reports (or, for status:pending, numbers without one) pass the filter."""
        if f.status == "pending":
            where, args = pending_where(account, f)
            query = f"SELECT COUNT(*) FROM recipients r WHERE {where}"
        else:
            where, args = report_where(account, f)
            query = f"SELECT COUNT(*) FROM reports WHERE {where}"
        return await self._run(lambda: int(self.db.execute(query, args).fetchone()[0]))

    async def report_codes(self, account: str, f: Filter) -> list[tuple[int, str, int]]:
        """(status, error code, count) of the filtered reports, most frequent first."""
        if f.status == "pending":
            return []
        where, args = report_where(account, f)
        query = (f"SELECT status, error_code, COUNT(*) FROM reports WHERE {where} GROUP BY status, error_code"
                 " ORDER BY 3 DESC")
        return await self._run(lambda: [(int(s), str(c), int(n)) for s, c, n in self.db.execute(query, args)])

    async def each_report(self, account: str, f: Filter, sink: Sink, sort: str = "time") -> int:
        """Hand every filtered report (or pending number) to `sink` in batches, off the event loop; how many."""
        if f.status == "pending":
            where, args = pending_where(account, f)
            query = (f"SELECT r.task_id, r.mobile, {PENDING}, r.sent_at, '', '', r.sent_at FROM recipients r"
                     f" WHERE {where} ORDER BY r.sent_at DESC")
        else:
            where, args = report_where(account, f)
            order = ", ".join(f"{k} DESC" for k in SORTS[sort])
            query = f"SELECT {REPORT_COLUMNS} FROM reports WHERE {where} ORDER BY {order}"
        return await self._stream(query, args, sink)

    async def _stream(self, query: str, args: Sequence[Any], sink: Sink, batch: int = 5000) -> int:
        """Run a long read on a connection of its own on its own thread (SQLite's WAL and PostgreSQL let it read
        while the store writes), so neither the event loop nor the store's other work waits for it."""

        def work(db: Database) -> int:
            cursor = db.execute(query, args)
            total = 0
            while rows := cursor.fetchmany(batch):
                sink(rows)
                total += len(rows)
            return total

        reader = await self._run(self.db.reader)
        if reader is self.db:  # a store in memory has one connection only
            return await self._run(work, reader)

        def reading() -> int:
            try:
                return work(reader)
            finally:
                reader.close()

        return await self._run_elsewhere(reading)

    # -- statistics -------------------------------------------------------------------------------

    async def figures(self, account: str, f: Filter, by: str = "day") -> list[Figures]:
        """Sent, delivered, failed and no report per day (or hour) the tasks went out, newest first: the reports
        are counted per task along the primary key (one pass, no sort), then added up by the task's day. Of a
        filter, the dates and the tasks apply (the figures are the tasks')."""
        width = 13 if by == "hour" else 10
        inner_args: list[Any] = [account]
        args: list[Any] = [account]
        when = inner = ""
        if f.tasks:
            inner = " AND (" + " OR ".join(_starts("task_id", t, inner_args) for t in f.tasks) + ")"
            when += " AND (" + " OR ".join(_starts("t.task_id", t, args) for t in f.tasks) + ")"
        if f.since:
            when += " AND t.created >= ?"
            args.append(f.since)
        if f.until:
            when += " AND t.created < ?"
            args.append(f.until)
        query = (f"SELECT substr(t.created, 1, {width}) AS period, SUM(t.recipients), SUM(COALESCE(x.d, 0)),"
                 " SUM(COALESCE(x.f, 0)) FROM tasks t LEFT JOIN (SELECT task_id,"
                 " SUM(CASE WHEN status = 10 THEN 1 ELSE 0 END) AS d, SUM(CASE WHEN status = 20 THEN 1 ELSE 0 END)"
                 f" AS f FROM reports WHERE account = ?{inner} GROUP BY task_id) x ON x.task_id = t.task_id"
                 f" WHERE t.account = ?{when} GROUP BY period ORDER BY period DESC")
        return await self._run(lambda: [Figures(str(period), int(sent), int(d), int(failed))
                                        for period, sent, d, failed in self.db.execute(query, [*inner_args, *args])])

    # -- sends and tasks --------------------------------------------------------------------------

    async def send_page(self, account: str, limit: int = 200, offset: int = 0) -> list[SendSummary]:
        """The sends of an account, newest first, with what the journal and the reports say of them."""
        query = (
            "SELECT s.id, s.created, s.kind, s.content, s.recipients,"
            " (SELECT COALESCE(SUM(c.accepted), 0) FROM chunks c WHERE c.send_id = s.id AND c.state IN"
            "  ('accepted', 'reconciled')),"
            " (SELECT COALESCE(SUM(c.count), 0) FROM chunks c WHERE c.send_id = s.id AND c.state = 'refused'),"
            " (SELECT COALESCE(SUM(c.count), 0) FROM chunks c WHERE c.send_id = s.id AND c.state IN"
            "  ('unknown', 'inflight')),"
            " (SELECT COALESCE(SUM(c.count), 0) FROM chunks c WHERE c.send_id = s.id AND c.state IN"
            "  ('pending', 'unsent')),"
            " (SELECT COUNT(*) FROM tasks t JOIN reports p ON p.account = t.account AND p.task_id = t.task_id"
            "  WHERE t.account = s.account AND t.send_id = s.id AND p.status = 10),"
            " (SELECT COUNT(*) FROM tasks t JOIN reports p ON p.account = t.account AND p.task_id = t.task_id"
            "  WHERE t.account = s.account AND t.send_id = s.id AND p.status = 20),"
            " s.state FROM sends s WHERE s.account = ? ORDER BY s.created DESC, s.id DESC LIMIT ? OFFSET ?")
        return await self._run(lambda: [SendSummary(*row) for row in self.db.execute(query, (account, limit, offset))])

    async def count_sends(self, account: str) -> int:
        """How many sends the account has."""
        return await self._run(lambda: int(self.db.execute(
            "SELECT COUNT(*) FROM sends WHERE account = ?", (account,)).fetchone()[0]))

    async def task_page(self, account: str, send_id: str = "", limit: int = 200, offset: int = 0
                        ) -> list[TaskSummary]:
        """Tasks (of one send, or all), newest first, each with its delivered and failed counts."""
        where, args = ("t.account = ? AND t.send_id = ?", [account, send_id]) if send_id else ("t.account = ?",
                                                                                             [account])
        query = ("SELECT t.task_id, t.send_id, t.created, t.kind, t.content, t.recipients,"
                 " (SELECT COUNT(*) FROM reports p WHERE p.account = t.account AND p.task_id = t.task_id"
                 "  AND p.status = 10),"
                 " (SELECT COUNT(*) FROM reports p WHERE p.account = t.account AND p.task_id = t.task_id"
                 "  AND p.status = 20)"
                 f" FROM tasks t WHERE {where} ORDER BY t.created DESC, t.task_id DESC LIMIT ? OFFSET ?")
        return await self._run(lambda: [TaskSummary(*row) for row in self.db.execute(query, [*args, limit, offset])])

    async def task_recipients(self, account: str, task_id: str, limit: int = 200, offset: int = 0
                              ) -> list[StoredReport]:
        """A task's numbers with their reports (pending: no report yet), in the order of the numbers."""
        query = ("SELECT r.task_id, r.mobile, COALESCE(p.status, 0), COALESCE(p.receive_time, r.sent_at),"
                 " COALESCE(p.error_code, ''), COALESCE(p.extno, ''), COALESCE(p.received_at, r.sent_at)"
                 " FROM recipients r LEFT JOIN reports p ON p.account = r.account AND p.task_id = r.task_id"
                 " AND p.mobile = r.mobile WHERE r.account = ? AND r.task_id = ? ORDER BY r.mobile LIMIT ? OFFSET ?")
        return await self._run(lambda: [StoredReport(*row) for row in self.db.execute(
            query, (account, task_id, limit, offset))])

    async def number_history(self, account: str, mobile: str, limit: int = 500) -> list[HistoryItem]:
        """What was sent to a number (with its send's extno, which routes replies), its reports and its replies,
        oldest first (the last `limit` events)."""
        query = (  # at the same second: the message, then its report, then a reply
            "SELECT at, kind, task_id, text, status, code, extno FROM (SELECT r.sent_at AS at, 0 AS rank,"
            " 'sent' AS kind, r.task_id, COALESCE(t.content, '') AS text, 0 AS status, '' AS code,"
            " COALESCE(s.extno, '') AS extno FROM recipients r LEFT JOIN tasks t ON t.account = r.account"
            " AND t.task_id = r.task_id LEFT JOIN sends s ON s.id = t.send_id"
            " WHERE r.account = ? AND r.mobile = ?"
            " UNION ALL SELECT p.receive_time, 1, 'report', p.task_id, '', p.status, p.error_code, p.extno FROM"
            " reports p WHERE p.account = ? AND p.mobile = ?"
            " UNION ALL SELECT u.receive_time, 2, 'reply', '', u.content, 0, '', u.extno FROM uplinks u"
            " WHERE u.account = ? AND u.mobile = ? ORDER BY at DESC, rank DESC LIMIT ?) AS events ORDER BY at, rank")
        return await self._run(lambda: [HistoryItem(*row) for row in self.db.execute(
            query, (account, mobile, account, mobile, account, mobile, limit))])

    # -- replies ----------------------------------------------------------------------------------

    async def thread_page(self, account: str, f: Filter, limit: int = 200, offset: int = 0) -> list[Thread]:
        """One row per number that replied, the latest reply first; a filter keeps threads with a matching reply."""
        args: list[Any] = [account]
        where = "h.account = ?"
        if not f.empty:
            inner, inner_args = uplink_where(account, f)
            where += f" AND EXISTS (SELECT 1 FROM uplinks u WHERE u.mobile = h.mobile AND {inner})"
            args += inner_args
        query = ("SELECT h.mobile, h.last_id, h.count, h.unread, l.content, l.receive_time,"
                 " EXISTS (SELECT 1 FROM optouts o WHERE o.account = h.account AND o.mobile = h.mobile),"
                 " EXISTS (SELECT 1 FROM optout_log g WHERE g.account = h.account AND g.mobile = h.mobile"
                 "  AND g.at >= l.received_at)"
                 " FROM threads h JOIN uplinks l ON l.id = h.last_id"
                 f" WHERE {where} ORDER BY h.last_id DESC LIMIT ? OFFSET ?")
        return await self._run(lambda: [
            Thread(mobile, last, count, unread, content, when, bool(optout), bool(decided))
            for mobile, last, count, unread, content, when, optout, decided in self.db.execute(
                query, [*args, limit, offset])])

    async def count_threads(self, account: str, f: Filter) -> int:
        """How many numbers have replies that pass the filter."""
        if f.empty:
            return await self._run(lambda: int(self.db.execute(
                "SELECT COUNT(*) FROM threads WHERE account = ?", (account,)).fetchone()[0]))
        where, args = uplink_where(account, f)
        return await self._run(lambda: int(self.db.execute(
            f"SELECT COUNT(DISTINCT u.mobile) FROM uplinks u WHERE {where}", args).fetchone()[0]))

    async def mark_thread_read(self, account: str, mobile: str) -> int:
        """The replies of a number have been seen; how many were unread."""

        def work() -> int:
            cursor = self.db.execute("UPDATE uplinks SET seen = 1 WHERE account = ? AND mobile = ? AND seen = 0",
                                     (account, mobile))
            self.db.execute("UPDATE threads SET unread = 0 WHERE account = ? AND mobile = ?", (account, mobile))
            return cursor.rowcount

        return await self._run(work)

    async def uplink_page(self, account: str, f: Filter, limit: int = 200, offset: int = 0) -> list[StoredUplink]:
        """The filtered replies, newest first."""
        where, args = uplink_where(account, f)
        query = ("SELECT u.id, u.mobile, u.content, u.receive_time, u.extno, u.received_at, u.optout FROM uplinks u"
                 f" WHERE {where} ORDER BY u.id DESC LIMIT ? OFFSET ?")
        return await self._run(lambda: [
            StoredUplink(i, mobile, content, when, extno, received, bool(optout))
            for i, mobile, content, when, extno, received, optout in self.db.execute(query, [*args, limit, offset])])

    async def count_uplinks(self, account: str, f: Filter) -> int:
        """How many replies pass the filter."""
        where, args = uplink_where(account, f)
        return await self._run(lambda: int(self.db.execute(
            f"SELECT COUNT(*) FROM uplinks u WHERE {where}", args).fetchone()[0]))

    async def each_uplink(self, account: str, f: Filter, sink: Sink) -> int:
        """Hand every filtered reply (number, text, time, extno, opt-out, received) to `sink`, newest first."""
        where, args = uplink_where(account, f)
        return await self._stream(
            "SELECT u.mobile, u.content, u.receive_time, u.extno, u.optout, u.received_at FROM uplinks u"
            f" WHERE {where} ORDER BY u.id DESC", args, sink)

    async def optout_page(self, account: str, search: str = "", limit: int = 200, offset: int = 0) -> list[OptOut]:
        """The opt-out list, newest first, with the last reason logged for each; `search` narrows by number."""
        where, args = _optout_where(account, search)
        query = ("SELECT o.mobile, o.source, o.added_at, COALESCE((SELECT g.reason FROM optout_log g WHERE"
                 " g.account = o.account AND g.mobile = o.mobile ORDER BY g.id DESC LIMIT 1), '')"
                 f" FROM optouts o WHERE {where} ORDER BY o.added_at DESC, o.mobile LIMIT ? OFFSET ?")
        return await self._run(lambda: [OptOut(str(m), str(s), str(a), str(r)) for m, s, a, r in self.db.execute(
            query, [*args, limit, offset])])

    async def count_optouts(self, account: str, search: str = "") -> int:
        """How many numbers are on the opt-out list (that `search` finds)."""
        where, args = _optout_where(account, search)
        return await self._run(lambda: int(self.db.execute(
            f"SELECT COUNT(*) FROM optouts o WHERE {where}", args).fetchone()[0]))

    async def keep_number(self, account: str, mobile: str, reason: str) -> None:
        """A person read a number's reply and judged it no opt-out: logged, so the Inbox stops asking."""

        def work() -> None:
            with self._tx():
                self._log_optout(account, mobile, KEPT, reason)

        await self._run(work)

    async def optout_log(self, account: str, mobile: str) -> list[tuple[str, str, str]]:
        """What was decided about a number, oldest first: (add, remove or kept; why; when)."""
        return await self._run(lambda: [(str(a), str(r), str(t)) for a, r, t in self.db.execute(
            "SELECT action, reason, at FROM optout_log WHERE account = ? AND mobile = ? ORDER BY id",
            (account, mobile))])

    # -- the query journal, as the desk reads it ----------------------------------------------------

    async def last_query(self, account: str, kind: str) -> tuple[str, str] | None:
        """The state and note of the account's latest ended query of a kind (reports, uplinks), None before any."""
        row = await self._run(lambda: self.db.execute(
            "SELECT state, note FROM queries WHERE account = ? AND kind = ? AND state <> 'open' ORDER BY id DESC"
            " LIMIT 1", (account, kind)).fetchone())
        return None if row is None else (str(row[0]), str(row[1]))


def _optout_where(account: str, search: str) -> tuple[str, list[Any]]:
    """The WHERE of the opt-out list a search narrows (the digits of a number, anywhere in it)."""
    args: list[Any] = [account]
    where = "o.account = ?"
    digits = "".join(ch for ch in search if ch.isdigit())
    if digits:
        where += " AND o.mobile LIKE ?"  # digits: no case to fold, nothing to escape
        args.append(f"%{digits}%")
    elif search.strip():
        where += " AND 1 = 0"  # no digits: no number has them
    return where, args
