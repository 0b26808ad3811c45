"""The paged table: only the windows on screen are read, End reaches the last row, Enter opens the row under it."""

from textual.app import App, ComposeResult

from smstui.service.pager import Pager
from smstui.tui.widgets.paged_table import Column, PagedTable

ROWS = [(f"139{i:08d}", "delivered" if i % 3 else "failed") for i in range(100_000)]


class Table(App):
    def __init__(self) -> None:
        super().__init__()
        self.reads: list[int] = []
        self.chosen = None

    def compose(self) -> ComposeResult:
        yield PagedTable([Column("mobile", 11), Column("status", 9)],
                         lambda row: [row[0], (row[1], "paged-table--bad") if row[1] == "failed" else row[1]],
                         id="table")

    async def fetch(self, limit, offset, after, before):
        self.reads.append(offset)
        return ROWS[offset : offset + limit]

    async def count(self):
        return len(ROWS)

    def on_mount(self) -> None:
        self.query_one(PagedTable).show(Pager(self.fetch, self.count))
        self.query_one(PagedTable).focus()

    def on_paged_table_chosen(self, message) -> None:
        self.chosen = message.row


async def test_a_hundred_thousand_rows_read_a_window_at_a_time():
    app = Table()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause(0.2)
        table = app.query_one(PagedTable)
        assert table.total == 100_000 and app.reads == [0]
        assert "13900000000" in str(table.render_line(1).text)
        await pilot.press("end")
        await pilot.pause(0.2)
        assert table.cursor == 99_999 and app.reads[-1] == 99_800  # only the last window was read
        assert "13900099999" in "".join(str(table.render_line(y).text) for y in range(12))
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == ROWS[-1]
        await pilot.press("home", "down", "down", "enter")
        await pilot.pause()
        assert app.chosen == ROWS[2] and len(app.reads) <= 3
