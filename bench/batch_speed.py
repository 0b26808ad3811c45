"""The batch editor's speed, as ratios against baselines measured in the same run (issue 13's goals)."""

from __future__ import annotations

import asyncio
import base64
import gzip
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import smstui.protocol as p
from smstui.protocol.batch import GZIP_LEVEL, batch_text
from smstui.service.batch_editor import BatchDoc

ROWS = 100_000
SIGNED = "【星辰科技】"


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def spreadsheet(folder: Path, rows: int) -> Path:
    """A workbook as a CRM exports it: number, name, order, message; every message its own."""
    import openpyxl

    rng = random.Random(13)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("名单")
    sheet.append(["手机号码", "姓名", "订单号", "短信内容"])
    for i in range(rows):
        name = rng.choice("张王李赵刘陈杨黄") + rng.choice(["先生", "女士"])
        order = rng.randint(1000, 99999)
        sheet.append([f"139{i:08d}", name, order, f"尊敬的{name}，您的订单 {order} 已发货。{SIGNED}"])
    path = folder / f"batch-{rows}.xlsx"
    book.save(path)
    return path


def bench_open(folder: Path) -> BatchDoc:
    """Reading and checking every row of a 100,000-row XLSX vs a bare python-calamine read of it."""
    from python_calamine import CalamineWorkbook

    path = spreadsheet(folder, ROWS)
    baseline = best(lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())
    docs: list[BatchDoc] = []
    measured = best(lambda: docs.append(BatchDoc.open(path)))
    doc = docs[-1]
    assert doc.sendable == ROWS and not doc.unsure(), (doc.sendable, doc.unsure())
    print(f"open and check a {ROWS:,}-row XLSX: {measured:.2f} s, {measured / baseline:.2f}× a bare python-calamine "
          "read of it (goal ≤ 2×)")
    return doc


def bench_recheck(big: BatchDoc, folder: Path) -> None:
    """Re-checking one edited row of the 100,000-row batch vs the same edit in a batch of that one row."""
    small = BatchDoc.open(spreadsheet(folder, 1))
    edits = 2000
    texts = [f"尊敬的客户，您的订单 {n} 已发货。{SIGNED}" for n in range(edits)]

    def edit(doc: BatchDoc, position: int) -> Callable[[], None]:
        def run() -> None:
            for text in texts:
                doc.set_cell(position, 3, text)
        return run

    baseline = best(edit(small, 0), 5)
    measured = best(edit(big, ROWS // 2), 5)
    assert big.sendable == ROWS
    print(f"re-check one edited row: {measured / edits * 1e6:.1f} µs on {ROWS:,} rows, {measured / baseline:.2f}× "
          "the same edit on a batch of one row (goal ≤ 1.5×)")


def bench_scroll(big: BatchDoc, folder: Path) -> None:
    """A page scrolled in the editor's virtual table: 100,000 rows vs 100 rows (the same screen, the same pages)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from support.tui import demo_app, settle, until_ready

    from smstui.tui.screens.batch import BatchScreen

    path = folder / "hundred.csv"
    path.write_text("mobile,content\n" + "".join(f"139{i:08d},您好，第 {i} 位客户{SIGNED}\n" for i in range(100)),
                    encoding="utf-8")
    small = BatchDoc.open(path)

    async def pages(doc: BatchDoc) -> float:
        app = demo_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await until_ready(pilot)
            await pilot.press("f3")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, BatchScreen)
            screen.post_message(BatchScreen.Opened(doc))
            await settle(pilot)
            table = screen.rows_table
            height = table.size.height

            middle = max(len(doc.rows) // 2 - 40, 0)
            pager = table.pager
            assert pager is not None
            await pager.load(middle, middle + 60 + height)  # the windows of those rows, as the table reads them

            def scroll() -> None:
                # Down and back up over the same 80 rows from the middle of the batch, every line drawn.
                for step in (0, 20, 40, 60, 40, 20) * 40:
                    table.cursor = middle + step
                    table.scroll_to(y=middle + step, animate=False, immediate=True)
                    for y in range(height):
                        table.render_line(y)

            return best(scroll, 5)

    baseline = asyncio.run(pages(small))
    measured = asyncio.run(pages(big))
    print(f"scroll a page of the table: {measured / 240 * 1e3:.2f} ms a page on {ROWS:,} rows, "
          f"{measured / baseline:.2f}× on 100 rows (goal ≤ 1.2×)")


def bench_encode() -> None:
    """encode_batch of 100,000 rows vs gzip+base64 of their joined text."""
    rng = random.Random(8)
    rows = [(f"13{i:09d}", f"尊敬的客户{rng.randint(0, 99999)}，您的订单已发货。{SIGNED}") for i in range(ROWS)]
    joined = batch_text(rows)
    baselines, measures = [], []
    for _ in range(9):  # taken in turn, so that a slow spell of the shared machine falls on both alike
        baselines.append(best(
            lambda: base64.b64encode(gzip.compress(joined.encode("utf-8"), compresslevel=GZIP_LEVEL, mtime=0)), 1))
        measures.append(best(lambda: p.encode_batch(rows), 1))
    baseline, measured = min(baselines), min(measures)
    print(f"encode_batch, {ROWS:,} rows: {measured / baseline:.2f}× gzip+base64 of the joined text (goal ≤ 1.5×)")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="smstui-bench-") as tmp:
        folder = Path(tmp)
        doc = bench_open(folder)
        bench_recheck(doc, folder)
        bench_scroll(doc, folder)
    bench_encode()
