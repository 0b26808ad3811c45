"""Desk speed on a store of 1,000,000 reports (1,000 tasks of 1,000): the day figures vs one GROUP BY of the same
table (goal ≤ 1.5×), and exporting 1,000,000 filtered rows to CSV vs the csv module writing the same rows from one
query (goal ≤ 1.5×). Ratios are measured in the same run, best of ROUNDS."""

from __future__ import annotations

import asyncio
import csv
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

REPORTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
ACCOUNT = "bench@127.0.0.1"
START = datetime(2026, 3, 1, 8, 0, 0)


async def fill(path: Path) -> None:
    """Tasks, their recipients and their reports (9 in 10 delivered), as sends and polls would leave them."""
    store = await Store(path).open()
    tasks = REPORTS // 1000
    db = sqlite3.connect(path)
    with db:
        for t in range(tasks):
            sent = (START + timedelta(minutes=10 * t)).strftime("%Y-%m-%d %H:%M:%S")
            db.execute("INSERT INTO tasks VALUES(?,?,?,?,?,?,?,?,?,?)",
                       (ACCOUNT, f"T{t:06d}", f"S{t // 10}", sent, "xml", "sms", "您好【星辰科技】", 1, 1000, 1000))
            db.executemany("INSERT INTO recipients VALUES(?,?,?,?,0)",
                           [(ACCOUNT, f"T{t:06d}", f"139{t * 1000 + i:08d}", sent) for i in range(1000)])
    db.close()
    reports = [p.Report(f"139{i:08d}", f"T{i // 1000:06d}", 20 if i % 10 == 0 else 10,
                        START + timedelta(minutes=10 * (i // 1000), seconds=30),
                        "UNDELIV" if i % 10 == 0 else "DELIVRD")
               for i in range(REPORTS)]
    for start in range(0, REPORTS, 100_000):
        await store.ingest_reports(ACCOUNT, reports[start : start + 100_000])
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
        for _ in range(ROUNDS):
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


if __name__ == "__main__":
    main()
