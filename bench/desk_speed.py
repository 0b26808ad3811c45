"""Desk speed on a store of 1,000,000 reports (1,000 tasks of 1,000): the day figures vs one GROUP BY of the same
table (goal ≤ 1.5×), exporting 1,000,000 filtered rows to CSV vs the csv module writing the same rows from one
query (goal ≤ 1.5×), and End (the screen of the last rows) vs the first screen (goal ≤ 2×; the OFFSET read it
replaces is shown beside). Ratios are measured in the same run, best of ROUNDS.

`desk_speed.py tui` measures the TUI on a store of 1,000,000 reports and 100,000 replies vs the same screens on a
store of 100 rows, each app in a process of its own (the simulator in a third) at 80x24: the first paint of Reports
(goal ≤ 1.5×), a number filter (goal ≤ 2×), a page down (goal ≤ 1.2×), and the app process's memory (goal ≤ +20 MB).
A paint is timed until the table's rows on screen are read and drawn (its lines rendered, as the compositor does)."""

from __future__ import annotations

import asyncio
import csv
import os
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import smstui.protocol as p
from smstui.service import Store
from smstui.service.desk import Desk
from smstui.service.filters import Filter

NUMBERS = [int(arg) for arg in sys.argv[1:3] if arg.isdigit()]  # `desk_speed.py [REPORTS [ROUNDS]]`
REPORTS = NUMBERS[0] if NUMBERS else 1_000_000
ROUNDS = NUMBERS[1] if len(NUMBERS) > 1 else 3
ACCOUNT = "bench@127.0.0.1"
START = datetime(2026, 3, 1, 8, 0, 0)


async def fill(path: Path, reports: int = REPORTS, account: str = ACCOUNT, uplinks: int = 0) -> None:
    """Tasks, their recipients and their reports (9 in 10 delivered), as sends and polls would leave them; replies
    from a tenth of the numbers."""
    store = await Store(path).open()
    size = min(reports, 1000)
    db = sqlite3.connect(path)
    with db:
        for t in range(reports // size):
            sent = (START + timedelta(minutes=10 * t)).strftime("%Y-%m-%d %H:%M:%S")
            db.execute("INSERT INTO tasks VALUES(?,?,?,?,?,?,?,?,?,?)",
                       (account, f"T{t:06d}", f"S{t // 10}", sent, "xml", "sms", "您好【星辰科技】", 1, size, size))
            db.executemany("INSERT INTO recipients VALUES(?,?,?,?,0)",
                           [(account, f"T{t:06d}", f"139{t * size + i:08d}", sent) for i in range(size)])
    db.close()
    for start in range(0, reports, 100_000):
        await store.ingest_reports(account, [
            p.Report(f"139{i:08d}", f"T{i // size:06d}", 20 if i % 10 == 0 else 10,
                     START + timedelta(minutes=10 * (i // size), seconds=30), "UNDELIV" if i % 10 == 0 else "DELIVRD")
            for i in range(start, min(start + 100_000, reports))])
    for start in range(0, uplinks, 50_000):
        await store.ingest_uplinks(account, [
            p.Uplink(f"139{(i * 10) % max(reports, 1):08d}", "好的，收到" if i % 3 else "请问活动到什么时候？",
                     START + timedelta(minutes=10 * ((i * 10) % max(reports, 1) // size), seconds=60 + i % 60))
            for i in range(start, min(start + 50_000, uplinks))], ["TD"])
    await store.close()


def group_by(path: Path) -> float:
    db = sqlite3.connect(path)
    start = time.perf_counter()
    db.execute("SELECT substr(receive_time, 1, 10), SUM(status = 10), SUM(status = 20) FROM reports"
               " WHERE account = ? GROUP BY 1", (ACCOUNT,)).fetchall()
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def bare_export(path: Path, out: Path) -> float:
    db = sqlite3.connect(path)
    start = time.perf_counter()
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(db.execute(
            "SELECT task_id, mobile, status, receive_time, error_code, extno, received_at FROM reports"
            " WHERE account = ? ORDER BY receive_time DESC, task_id DESC, mobile DESC", (ACCOUNT,)))
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


async def screens(desk: Desk, store: Store) -> tuple[float, float, float]:
    """The first screen of all reports, the last one (End), and the last window read by OFFSET (the old way)."""
    first, end = desk.reports(Filter()), desk.reports(Filter())
    total = await first.count()
    await end.count()
    start = time.perf_counter()
    await first.load(0, 23)
    top = time.perf_counter() - start
    start = time.perf_counter()
    await end.load(total - 24, total - 1)
    bottom = time.perf_counter() - start
    assert end.row(total - 1) is not None and first.row(0) is not None
    start = time.perf_counter()
    await store.report_page(ACCOUNT, Filter(), "time", limit=200, offset=(total - 1) // 200 * 200)
    return top, bottom, time.perf_counter() - start


async def ours(path: Path, out: Path) -> tuple[float, float, int]:
    store = await Store(path).open()
    desk = Desk(store, ACCOUNT, p.beijing_now)
    start = time.perf_counter()
    figures = await desk.figures(Filter())
    stats = time.perf_counter() - start
    assert sum(f.sent for f in figures) == REPORTS and sum(f.no_report for f in figures) == 0
    start = time.perf_counter()
    written = await desk.export_reports(Filter(), out)
    export = time.perf_counter() - start
    await store.close()
    return stats, export, written


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "desk.db"
        asyncio.run(fill(path))
        bare_stats, bare_exports, our_stats, our_exports = [], [], [], []
        tops, ends, offsets = [], [], []
        for _ in range(ROUNDS):
            top, end, by_offset = asyncio.run(_screens(path))
            tops.append(top)
            ends.append(end)
            offsets.append(by_offset)
            bare_stats.append(group_by(path))
            bare_exports.append(bare_export(path, Path(tmp) / "bare.csv"))
            stats, export, written = asyncio.run(ours(path, Path(tmp) / "ours.csv"))
            assert written == REPORTS
            our_stats.append(stats)
            our_exports.append(export)
    print(f"figures per day over {REPORTS:,} reports (best of {ROUNDS}): {min(our_stats) * 1000:.0f} ms vs one "
          f"GROUP BY {min(bare_stats) * 1000:.0f} ms = {min(our_stats) / min(bare_stats):.2f}× (goal ≤ 1.5×)")
    print(f"export {REPORTS:,} rows to CSV (best of {ROUNDS}): {min(our_exports):.2f}s vs csv module from one query "
          f"{min(bare_exports):.2f}s = {min(our_exports) / min(bare_exports):.2f}× (goal ≤ 1.5×)")
    print(f"End of {REPORTS:,} reports (best of {ROUNDS}): {min(ends) * 1000:.1f} ms vs the first screen "
          f"{min(tops) * 1000:.1f} ms = {min(ends) / min(tops):.2f}× (goal ≤ 2×); by OFFSET it took "
          f"{min(offsets) * 1000:.0f} ms")


async def _screens(path: Path) -> tuple[float, float, float]:
    store = await Store(path).open()
    try:
        return await screens(Desk(store, ACCOUNT, p.beijing_now), store)
    finally:
        await store.close()


# -- the TUI ------------------------------------------------------------------------------------------------------

BIG = (1_000_000, 100_000)  # reports, replies
SMALL = (100, 0)  # 100 rows


def memory() -> tuple[float, float]:
    """This process's resident and peak resident memory, in MB."""
    found = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(found["VmRSS"].split()[0]) / 1024, int(found["VmHWM"].split()[0]) / 1024


async def painted(app: object, view: str, ready: object, counted: bool = True, start: float = 0.0) -> float:
    """Seconds until a view's table has its rows on screen read and drawn (`ready` says when the list is the one
    wanted; `counted`: and its count line is there); the clock runs from `start`, else from the caller's last
    statement."""
    start = start or time.perf_counter()
    while True:
        screen = app.screen  # type: ignore[attr-defined]
        tables = screen.query(f"#{view}-table") if getattr(screen, "AREA", "") else []
        if tables:
            table = tables.first()
            pager = table.pager
            top = int(table.scroll_y)
            height = table.size.height
            if (pager is not None and ready(table) and (table.counted or not counted) and (table.total == 0 or (
                    pager.row(table.cursor) is not None and not pager.missing(top, top + height - 2)))):
                for y in range(height):  # what the compositor asks of it for a frame
                    table.render_line(y)
                return time.perf_counter() - start
        if time.perf_counter() - start > 60:
            raise TimeoutError(f"{view} never painted on {screen!r}")
        await asyncio.sleep(0.0005)


async def tui_child(url: str, store: str, number: str) -> dict[str, float]:
    """One app on one store: first paint of Reports and of the Inbox, a number filter, a page down, memory."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from tui_speed import profile_app, until_compose

    from smstui.tui.widgets.desk_filter import FilterBar

    app = profile_app(url, Path(store))
    found: dict[str, float] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await until_compose(pilot)
        found["rss_ready"], _ = memory()
        start = time.perf_counter()
        if os.environ.get("DESK_TRACE"):  # each SQL statement with its start, to see what a figure waited for
            t0 = time.perf_counter()
            app.service.store.db.connection.set_trace_callback(
                lambda sql: print(f"{(time.perf_counter() - t0) * 1000:8.1f} {sql[:150]}", file=sys.stderr))
        app.action_area("reports")
        found["first_paint"] = await painted(app, "reports", lambda t: True, counted=False, start=start)
        found["first_count"] = await painted(app, "reports", lambda t: True, start=start)
        await app.workers.wait_for_complete()  # the screen settled, as when someone starts typing a filter
        await pilot.pause()
        screen = app.screen
        bar = screen.query_one(FilterBar)
        before = screen.query_one("#reports-table").pager
        if os.environ.get("DESK_TRACE"):
            print(f"{(time.perf_counter() - t0) * 1000:8.1f} filter", file=sys.stderr)
        bar.post_message(FilterBar.Applied(bar, f"num:{number}"))
        found["filter"] = await painted(app, "reports", lambda t: t.pager is not before)
        if os.environ.get("DESK_TRACE"):
            print(f"{(time.perf_counter() - t0) * 1000:8.1f} painted", file=sys.stderr)
        table = screen.query_one("#reports-table")
        assert table.total == 1, table.total
        before = table.pager
        bar.post_message(FilterBar.Applied(bar, ""))
        await painted(app, "reports", lambda t: t.pager is not before)
        await app.workers.wait_for_complete()
        await pilot.pause()
        pages = []
        for _ in range(4):  # the small store's 100 rows are four pages at 80x24
            table.action_page(1)
            pages.append(await painted(app, "reports", lambda t: True))
        found["page"] = min(pages)
        table.cursor = table.total // 2
        await painted(app, "reports", lambda t: True)
        table.action_page(1)
        found["page_deep"] = await painted(app, "reports", lambda t: True)
        app.action_area("inbox")
        found["inbox_paint"] = await painted(app, "threads", lambda t: True)
        await pilot.pause()
        found["rss_end"], found["rss_peak"] = memory()
    return found


def tui_run(url: str, store: Path, number: str) -> dict[str, float]:
    """A child process measuring one store."""
    import json
    import subprocess

    done = subprocess.run([sys.executable, __file__, "tui-child", url, str(store), number], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def tui_main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _simproc import simulator

    from smstui.service import Profile

    with simulator() as url, tempfile.TemporaryDirectory() as tmp:
        account = Profile(name="bench", base_url=url, account="bench", userid="1").account_key
        big, small = Path(tmp) / "big.db", Path(tmp) / "small.db"
        start = time.perf_counter()
        asyncio.run(fill(big, BIG[0], account, BIG[1]))
        asyncio.run(fill(small, SMALL[0], account, SMALL[1]))
        print(f"stores filled in {time.perf_counter() - start:.0f}s: {BIG[0]:,} reports + {BIG[1]:,} replies vs "
              f"{SMALL[0]} rows")
        runs: dict[str, list[dict[str, float]]] = {"big": [], "small": []}
        for _ in range(ROUNDS):
            runs["small"].append(tui_run(url, small, f"139{SMALL[0] // 2:08d}"))  # one number, in the middle
            runs["big"].append(tui_run(url, big, f"139{BIG[0] // 2:08d}"))

    def best(kind: str, key: str) -> float:
        return min(run[key] for run in runs[kind])

    for key, what, goal in (("first_paint", "first paint of Reports (its rows)", "≤ 1.5×"),
                            ("first_count", "Reports with its count line (1,000,000 counted)", "(no goal)"),
                            ("filter", "a number filter (num:…, 1 row)", "≤ 2×"),
                            ("page", "a page down", "≤ 1.2×"),
                            ("page_deep", "a page down after a jump to the middle", "(no goal)"),
                            ("inbox_paint", "first paint of the Inbox threads", "(no goal)")):
        b, s = best("big", key), best("small", key)
        goal = f"(goal {goal})" if goal.startswith("≤") else goal
        print(f"TUI {what} (best of {ROUNDS}): {b * 1000:.1f} ms vs {s * 1000:.1f} ms on 100 rows = {b / s:.2f}× "
              f"{goal}")
    grown = min(r["rss_peak"] for r in runs["big"]) - min(r["rss_peak"] for r in runs["small"])
    print(f"TUI app process peak memory: {min(r['rss_peak'] for r in runs['big']):.0f} MB vs "
          f"{min(r['rss_peak'] for r in runs['small']):.0f} MB on 100 rows = {grown:+.1f} MB (goal ≤ +20 MB)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "tui":
        tui_main()
    elif len(sys.argv) > 1 and sys.argv[1] == "tui-child":
        import json

        print(json.dumps(asyncio.run(tui_child(*sys.argv[2:5]))))
    else:
        main()
