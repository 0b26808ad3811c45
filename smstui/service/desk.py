"""The support desk's questions, answered from the store: did this number get it, what became of a task, why did
it fail, how did the day go, who replied; every list a pager over an indexed query, every export the exact set."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import protocol as p
from ..protocol.report_codes import BUCKETS, code_meaning, failure_bucket
from .errors import InvalidInput
from .export import Progress, Rows, defused, write_table
from .filters import Filter, parse_filter
from .pager import Key, Pager
from .store import Store
from .store.lists import SORTS, OptOut, Thread
from .store.records import (
    PENDING,
    Figures,
    HistoryItem,
    SendSummary,
    StoredReport,
    StoredUplink,
    TaskSummary,
)

REPORT_HEADERS = ("task", "mobile", "status", "time", "code", "meaning", "extno", "received")
REFUSED_NOTES = (p.codes.QUERY_ERRORS[3][0], "error 3")  # a report query refused as the account may not read them
UPLINK_HEADERS = ("mobile", "content", "time", "extno", "opt-out", "received")


@dataclass(frozen=True, slots=True)
class Bucket:
    """How many of the filtered reports fell in one bucket, and the codes that put them there."""

    bucket: str
    count: int
    codes: tuple[tuple[str, int], ...]  # code → count, most frequent first


def status_word(status: int) -> str:
    """delivered, failed or pending."""
    return "pending" if status == PENDING else "delivered" if status == p.boxes.DELIVERED else "failed"


class Desk:
    """One account's lists, breakdowns, statistics, threads and exports."""

    def __init__(self, store: Store, account: str, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.account = account
        self.clock = clock

    def filter(self, text: str) -> Filter:
        """A filter line read as of now (FilterError says which token is wrong)."""
        return parse_filter(text, self.clock())

    # -- lists --------------------------------------------------------------------------------------

    def reports(self, f: Filter, sort: str = "time") -> Pager[StoredReport]:
        """The filtered reports (or, with status:pending, the numbers still without one), newest first."""
        if sort not in SORTS:
            raise InvalidInput(f"sort by {', '.join(SORTS)}, not {sort!r}")
        keys = SORTS[sort]

        def key(row: StoredReport) -> Key:
            return tuple(getattr(row, "status" if k == "status" else k) for k in keys)

        async def fetch(limit: int, offset: int, after: Key | None, before: Key | None) -> list[StoredReport]:
            await self.store.plan_lists()
            return await self.store.report_page(self.account, f, sort, limit, offset, after, before)

        async def count() -> int:
            await self.store.plan_lists()
            return await self.store.count_reports(self.account, f)

        async def tail(limit: int) -> list[StoredReport]:
            await self.store.plan_lists()
            return await self.store.report_page(self.account, f, sort, limit, from_end=True)

        if f.status == "pending":
            return Pager(fetch, count)
        return Pager(fetch, count, key, tail=tail)

    def sends(self) -> Pager[SendSummary]:
        """The sends, newest first, with what became of their numbers."""
        return Pager(lambda limit, offset, _a, _b: self.store.send_page(self.account, limit, offset),
                     lambda: self.store.count_sends(self.account), size=100)

    async def tasks(self, send_id: str) -> list[TaskSummary]:
        """The tasks of one send."""
        return await self.store.task_page(self.account, send_id, limit=10_000)

    def recipients(self, task: TaskSummary) -> Pager[StoredReport]:
        """A task's numbers with their reports (pending when none has come)."""
        async def count() -> int:
            return task.recipients

        return Pager(lambda limit, offset, _a, _b: self.store.task_recipients(self.account, task.task_id, limit,
                                                                             offset), count)

    async def history(self, mobile: str) -> list[HistoryItem]:
        """Everything about one number: what was sent to it, its reports, its replies, in order."""
        number = p.normalise_mobile(mobile)
        if number is None:
            raise InvalidInput(f"{mobile} is not a mobile number").words("not_a_number", mobile=mobile)
        return await self.store.number_history(self.account, number)

    def threads(self, f: Filter) -> Pager[Thread]:
        """One row per number that replied, the latest first."""
        return Pager(lambda limit, offset, _a, _b: self.store.thread_page(self.account, f, limit, offset),
                     lambda: self.store.count_threads(self.account, f))

    async def read_thread(self, mobile: str) -> int:
        """Mark a number's replies read."""
        return await self.store.mark_thread_read(self.account, mobile)

    async def replies(self, f: Filter, limit: int = 1000) -> list[StoredUplink]:
        """The filtered replies, newest first."""
        return await self.store.uplink_page(self.account, f, limit)

    async def count_replies(self, f: Filter) -> int:
        """How many replies pass the filter (what an export of them writes)."""
        return await self.store.count_uplinks(self.account, f)

    async def thread(self, mobile: str) -> Thread | None:
        """One number's thread as the Inbox lists it (None when it never replied)."""
        rows = await self.store.thread_page(self.account, Filter(numbers=(mobile,)), limit=1)
        return rows[0] if rows else None

    def optouts(self, search: str = "") -> Pager[OptOut]:
        """The opt-out list, newest first (a search narrows it by the digits of a number)."""
        return Pager(lambda limit, offset, _a, _b: self.store.optout_page(self.account, search, limit, offset),
                     lambda: self.store.count_optouts(self.account, search))

    async def not_an_optout(self, mobile: str, reply: str) -> None:
        """A person judged a reply that looked like an opt-out not to be one: logged with the reply."""
        await self.store.keep_number(self.account, mobile, f"not an opt-out: {reply}")

    async def may_read_reports(self) -> bool:
        """Whether the account may read delivery reports: not when its latest report query was refused for it (the
        gateway's error 3, as every report query is journaled)."""
        last = await self.store.last_query(self.account, "reports")
        return last is None or not (last[0] == "clean" and last[1] in REFUSED_NOTES)

    # -- why it failed, how the days went -----------------------------------------------------------

    async def buckets(self, f: Filter) -> list[Bucket]:
        """The filtered reports by bucket (delivered, empty number, switched off, …) with their codes."""
        counts: Counter[str] = Counter()
        codes: dict[str, Counter[str]] = {}
        for status, code, count in await self.store.report_codes(self.account, f):
            bucket = failure_bucket(code, status == p.boxes.DELIVERED)
            counts[bucket] += count
            codes.setdefault(bucket, Counter())[code] += count
        return [Bucket(b, counts[b], tuple(codes[b].most_common())) for b in BUCKETS if counts[b]]

    async def figures(self, f: Filter, by: str = "day") -> list[Figures]:
        """Sent, delivered, failed and no report per day (or hour) of sending, newest first."""
        return await self.store.figures(self.account, f, by)

    # -- exports ------------------------------------------------------------------------------------

    async def export_reports(self, f: Filter, path: Path, fmt: str = "", headers: tuple[str, ...] = REPORT_HEADERS,
                             progress: Progress | None = None) -> int:
        """Write exactly the filtered reports to a CSV (UTF-8 with BOM) or XLSX file; how many rows."""
        words = {status: status_word(status) for status in (PENDING, p.boxes.DELIVERED, p.boxes.FAILED)}
        meanings: dict[str, str] = {}

        def shape(row: tuple[Any, ...]) -> tuple[Any, ...]:
            task_id, mobile, status, when, code, extno, received = row
            if status in (PENDING, p.boxes.DELIVERED):
                meaning = ""
            elif code in meanings:
                meaning = meanings[code]
            else:
                meaning = meanings[code] = code_meaning(code).english
            # the gateway's and the carriers' codes and ids could start like a formula: those cells are defused
            return (defused(task_id), mobile, words.get(status) or status_word(status), when, defused(code), meaning,
                    defused(extno), received)

        async def produce(sink: Callable[[Rows], None]) -> int:
            return await self.store.each_report(self.account, f, sink)

        return await write_table(path, headers, produce, shape, fmt, progress)

    async def export_replies(self, f: Filter, path: Path, fmt: str = "", headers: tuple[str, ...] = UPLINK_HEADERS,
                             progress: Progress | None = None) -> int:
        """Write exactly the filtered replies to a CSV or XLSX file (their texts defused); how many rows."""
        def shape(row: tuple[Any, ...]) -> tuple[Any, ...]:
            mobile, content, when, extno, optout, received = row
            return mobile, defused(content), when, defused(extno), "yes" if optout else "", received

        async def produce(sink: Callable[[Rows], None]) -> int:
            return await self.store.each_uplink(self.account, f, sink)

        return await write_table(path, headers, produce, shape, fmt, progress)
