"""Reports and Inbox as a support desk, driven by Pilot against the in-process simulator: a task's numbers pending
until their reports come, the filter grammar, why they failed, threads answered, opt-outs decided, exports."""

import csv
from datetime import datetime

from support.tui import demo_app, settle, text_of, type_into, until_ready, wait_until

import smstui.protocol as p
from smstui.service.store.records import PENDING
from smstui.tui.screens.compose import ComposeScreen
from smstui.tui.screens.desk_dialogs import AddOptOut, CopyMenu, ExportDialog, OptOutDialog, RemoveOptOut
from smstui.tui.sending import ConfirmSend, SendResultScreen

SIGNED = "【星辰科技】"
NOW = datetime(2026, 3, 1, 9, 0, 0)  # Beijing: an hour before the frozen clock's 10:00 (the suite's SIM_START)
MIX = [  # a known mix: (mobile, task, status, code, when)
    ("13800138000", "T1", 10, "DELIVRD", datetime(2026, 3, 1, 9, 0, 0)),
    ("13800138001", "T1", 20, "MK:0001", datetime(2026, 3, 1, 9, 1, 0)),
    ("13900139000", "T2", 20, "UNDELIV", datetime(2026, 2, 28, 18, 0, 0)),
    ("13900139001", "T2", 20, "MK:0005", datetime(2026, 2, 28, 18, 5, 0)),
    ("13700137000", "T3", 10, "DELIVRD", datetime(2026, 2, 20, 12, 0, 0)),
    ("13600136000", "T3", 20, "ZZ:9999", datetime(2026, 2, 20, 12, 1, 0)),
]


def rows(app, view):
    """The rows a view's table has read (all of them for the small lists here)."""
    table = app.screen.query_one(f"#{view}-table")
    return [table.pager.row(i) for i in range(table.total)] if table.pager is not None else []


def drawn(app, view):
    """What a view's table draws on screen, as plain text."""
    table = app.screen.query_one(f"#{view}-table")
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def send(pilot, numbers, content="活动通知" + SIGNED):
    """A send through Compose's one flow, confirmed, its result closed."""
    app = pilot.app
    await pilot.press("f2")
    await type_into(pilot, "#recipients", numbers)
    await type_into(pilot, "#content", content)
    await pilot.press("f9")
    assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
    await pilot.click("#yes")
    assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
    await pilot.press("escape")
    await settle(pilot)


async def known_mix(app):
    """The mix stored as the poller stores what it pulls."""
    await app.service.store.ingest_reports(app.service.key, [p.Report(m, t, s, at, c) for m, t, s, c, at in MIX])
    app.data_changed("reports")


async def filtered(pilot, text):
    """Type a filter into the bar and apply it."""
    await pilot.press("slash")
    await type_into(pilot, "#filter", text)
    await pilot.press("enter")
    for _ in range(3):
        await settle(pilot)


async def test_a_task_shows_its_numbers_pending_until_their_reports_come():
    app = demo_app(extra={"report_delay": [5, 5], "delivered_ratio": 0.5, "failure_codes": ["MK:0001"]})
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        numbers = ["13900139000", "13700137000", "13600136000", "13500135000"]
        await send(pilot, "\n".join(numbers))
        await pilot.press("f5", "1")
        await settle(pilot)
        [sent] = rows(app, "sends")
        assert (sent.recipients, sent.pending, sent.delivered, sent.failed) == (4, 4, 0, 0)
        await pilot.press("enter")
        await settle(pilot)
        [task] = rows(app, "tasks")
        assert task.pending == 4
        await pilot.press("enter")
        await settle(pilot)
        assert {r.mobile for r in rows(app, "recipients")} == set(numbers)
        assert {r.status for r in rows(app, "recipients")} == {PENDING}
        assert "4 pending" in text_of(app, "#count")

        app.launcher.simulator.advance(6)  # the reports are due
        await pilot.press("alt+p")
        assert await wait_until(pilot, lambda: PENDING not in {r.status for r in rows(app, "recipients")})
        statuses = {r.mobile: r.status for r in rows(app, "recipients")}
        assert set(statuses) == set(numbers) and set(statuses.values()) == {10, 20}  # seeded: some of each
        failed = sum(1 for s in statuses.values() if s == 20)
        assert f"{4 - failed} delivered · {failed} failed · 0 pending" in text_of(app, "#count")
        assert "empty number" in drawn(app, "recipients") or failed == 0
        await pilot.press("escape", "escape")  # back up to the sends, the figures read again
        await settle(pilot)
        [sent] = rows(app, "sends")
        assert (sent.pending, sent.delivered, sent.failed) == (0, 4 - failed, failed)


async def test_the_filter_grammar_narrows_the_reports():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        await pilot.press("f5")
        await known_mix(app)
        await settle(pilot)
        assert len(rows(app, "reports")) == 6
        assert "6 reports" in text_of(app, "#count")
        cases = {
            "num:138": {"13800138000", "13800138001"},
            "task:T2": {"13900139000", "13900139001"},
            "status:failed": {"13800138001", "13900139000", "13900139001", "13600136000"},
            "status:delivered": {"13800138000", "13700137000"},
            "code:MK:*": {"13800138001", "13900139001"},
            "date:today": {"13800138000", "13800138001"},
            "date:yesterday": {"13900139000", "13900139001"},
            'date:"last week"': {"13700137000", "13600136000"},
            "date:2026-02-28..2026-03-01": {"13800138000", "13800138001", "13900139000", "13900139001"},
            "UNDELIV": {"13900139000"},
            "num:139 status:failed code:MK:*": {"13900139001"},
        }
        for text, expected in cases.items():
            await filtered(pilot, text)
            assert {r.mobile for r in rows(app, "reports")} == expected, text
            assert f"{len(expected)} of 6" in text_of(app, "#count"), text
        await filtered(pilot, "status:maybe")
        assert "status:maybe" in text_of(app, "#filter-error")
        assert app.screen.query_one("#filter").value == "status:maybe"  # what was typed stays
        assert {r.mobile for r in rows(app, "reports")} == {"13900139001"}  # the last good filter still shows
        await filtered(pilot, "")
        await pilot.press("s")  # by status: the failed first
        await settle(pilot)
        assert [r.status for r in rows(app, "reports")][:4] == [20, 20, 20, 20]


async def test_why_it_failed_counts_the_buckets_of_the_filtered_reports_and_drills_into_them():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        await pilot.press("f5")
        await known_mix(app)
        await pilot.press("3")
        await settle(pilot)
        buckets = {r.bucket: r.count for r in rows(app, "why") if not r.code}
        assert buckets == {"delivered": 2, "empty": 2, "off": 1, "unknown": 1}
        codes = {r.code: r.count for r in rows(app, "why") if r.code}
        assert codes == {"MK:0001": 1, "UNDELIV": 1, "MK:0005": 1, "ZZ:9999": 1}
        table = drawn(app, "why")
        assert "Empty number" in table and "switched off" in table and "ZZ:9999" in table
        await filtered(pilot, "date:yesterday")
        assert {r.bucket: r.count for r in rows(app, "why") if not r.code} == {"empty": 1, "off": 1}
        await pilot.press("home", "enter")  # the empty-number bucket: its reports, the filter kept
        await settle(pilot)
        assert app.screen.level.view == "reports"
        assert {r.mobile for r in rows(app, "reports")} == {"13900139000"}
        assert "date:yesterday" in app.screen.query_one("#filter").value


async def test_statistics_per_day_with_the_trend_and_exact_figures():
    app = demo_app(extra={"report_delay": [1, 1], "delivered_ratio": 1.0})
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        await send(pilot, "13900139000\n13700137000")
        app.launcher.simulator.advance(2)
        await pilot.press("f5", "4", "alt+p")
        assert await wait_until(pilot, lambda: [f.delivered for f in rows(app, "stats")] == [2])
        [day] = rows(app, "stats")
        assert (day.period, day.sent, day.delivered, day.failed, day.no_report) == ("2026-03-01", 2, 2, 0, 0)
        assert "100.0%" in text_of(app, "#trend-figures")
        assert app.screen.query_one("#trend").data == [1.0]
        await pilot.press("d")
        await settle(pilot)
        assert [f.period for f in rows(app, "stats")] == ["2026-03-01 10"]
        assert "2026-03-01 10:00" in drawn(app, "stats")


async def test_a_reply_is_answered_from_its_thread():
    app = demo_app(extra={"report_delay": [1, 1], "delivered_ratio": 1.0})
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        await send(pilot, "13900139000")
        sim = app.launcher.simulator
        sim.advance(2)
        sim.inject_uplink("demo", "13900139000", "请问活动到什么时候？")
        await app.service.drain_reports()
        await pilot.press("f6", "alt+p")
        assert await wait_until(pilot, lambda: len(rows(app, "threads")) == 1)
        [thread] = rows(app, "threads")
        assert (thread.mobile, thread.unread) == ("13900139000", 1)
        await pilot.press("enter")
        await settle(pilot)
        conversation = text_of(app, "#conversation")
        assert conversation.index("活动通知") < conversation.index("delivered") < conversation.index("请问活动")
        await pilot.press("escape")
        await settle(pilot)
        assert rows(app, "threads")[0].unread == 0  # read once opened
        await pilot.press("enter", "r")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen))
        assert await wait_until(pilot, lambda: app.screen.query_one("#recipients").text.strip() == "13900139000")


async def test_a_near_miss_opt_out_is_put_to_a_person_and_confirmed_with_one_key():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        sim.inject_uplink("demo", "13900139000", "退订，谢谢")
        sim.inject_uplink("demo", "13700137000", "不要再发了")
        sim.inject_uplink("demo", "13600136000", "好的，收到")
        await pilot.press("f6", "alt+p")
        assert await wait_until(pilot, lambda: len(rows(app, "threads")) == 3)
        table = app.screen.query_one("#threads-table")
        flags = {r.mobile: table.cells(r)[1] for r in rows(app, "threads")}
        assert flags["13900139000"][0] == "≈" and flags["13700137000"][0] == "≈" and flags["13600136000"] == ""
        assert "13900139000" not in await app.service.store.optouts(app.service.key)
        cursor = [r.mobile for r in rows(app, "threads")].index("13900139000")
        table.cursor = cursor
        await pilot.press("o")
        assert await wait_until(pilot, lambda: isinstance(app.screen, OptOutDialog))
        await pilot.press("enter")  # the focused choice: opt out
        assert await wait_until(pilot, lambda: not isinstance(app.screen, OptOutDialog))
        assert "13900139000" in await app.service.store.optouts(app.service.key)
        assert await wait_until(pilot, lambda: table.cells(table.pager.row(cursor))[1][0] == "⊘")
        table.cursor = [r.mobile for r in rows(app, "threads")].index("13700137000")
        await pilot.press("o")
        assert await wait_until(pilot, lambda: isinstance(app.screen, OptOutDialog))
        await pilot.click("#keep")  # a person read it: no opt-out, the badge goes
        assert await wait_until(pilot, lambda: not isinstance(app.screen, OptOutDialog))
        assert "13700137000" not in await app.service.store.optouts(app.service.key)
        assert await wait_until(pilot, lambda: {r.mobile: table.cells(r)[1] for r in rows(app, "threads")}
                                ["13700137000"] == "")


async def test_the_opt_out_list_is_searched_added_to_and_taken_from_with_a_reason():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        await pilot.press("f6", "2")
        await settle(pilot)
        await pilot.press("a")
        assert await wait_until(pilot, lambda: isinstance(app.screen, AddOptOut))
        await type_into(pilot, "#number", "13800138000")
        await type_into(pilot, "#reason", "asked by phone")
        await pilot.click("#add")
        assert await wait_until(pilot, lambda: not isinstance(app.screen, AddOptOut))
        await app.service.add_optout("13900139000", "complaint")
        app.data_changed("optouts")
        assert await wait_until(pilot, lambda: len(rows(app, "optouts")) == 2)
        await filtered(pilot, "1380")
        assert [r.mobile for r in rows(app, "optouts")] == ["13800138000"]
        assert rows(app, "optouts")[0].reason == "asked by phone"
        await pilot.press("delete")
        assert await wait_until(pilot, lambda: isinstance(app.screen, RemoveOptOut))
        await pilot.press("enter")  # no reason: refused in place
        await settle(pilot)
        assert isinstance(app.screen, RemoveOptOut) and "say why" in text_of(app, "#said").lower()
        await type_into(pilot, "#reason", "subscribed again on the website")
        await pilot.click("#remove")
        assert await wait_until(pilot, lambda: not isinstance(app.screen, RemoveOptOut))
        assert "13800138000" not in await app.service.store.optouts(app.service.key)
        assert await wait_until(pilot, lambda: rows(app, "optouts") == [])
        log = await app.service.store.optout_log(app.service.key, "13800138000")
        assert [(action, reason) for action, reason, _ in log] == [("add", "asked by phone"),
                                                                  ("remove", "subscribed again on the website")]


async def test_an_export_writes_exactly_the_filtered_reports_with_a_bom(tmp_path):
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        await pilot.press("f5")
        await known_mix(app)
        await filtered(pilot, "status:failed date:2026-02-20..2026-02-28")
        await pilot.press("x")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        assert "Export 3 reports" in text_of(app, ".title")
        target = tmp_path / "failed.csv"
        await type_into(pilot, "#path", str(target))
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: "Wrote 3 rows" in text_of(app, "#said"))
        data = target.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        table = list(csv.reader(data.decode("utf-8-sig").splitlines()))
        assert table[0][:3] == ["task", "mobile", "status"]
        assert sorted(row[1] for row in table[1:]) == ["13600136000", "13900139000", "13900139001"]
        assert {row[2] for row in table[1:]} == {"failed"}


async def test_an_export_of_replies_defuses_what_looks_like_a_formula(tmp_path):
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        sim.inject_uplink("demo", "13900139000", "=cmd|' /C calc'!A0")
        sim.inject_uplink("demo", "13700137000", "好的")
        await pilot.press("f6", "alt+p")
        assert await wait_until(pilot, lambda: len(rows(app, "threads")) == 2)
        await filtered(pilot, "num:139")
        await pilot.press("x")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        target = tmp_path / "replies.csv"
        await type_into(pilot, "#path", str(target))
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: target.exists() and "Wrote 1 rows" in text_of(app, "#said"))
        data = target.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        [header, row] = list(csv.reader(data.decode("utf-8-sig").splitlines()))
        assert header[:2] == ["mobile", "content"]
        assert row[:2] == ["13900139000", "'=cmd|' /C calc'!A0"]


async def test_copy_puts_the_number_on_the_clipboard():
    app = demo_app()
    copied = []
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        app.copy_to_clipboard = copied.append  # what goes out as OSC 52 (the terminal is not there to read it)
        await pilot.press("f5")
        await known_mix(app)
        await settle(pilot)
        await pilot.press("y")
        assert await wait_until(pilot, lambda: isinstance(app.screen, CopyMenu))
        await pilot.press("m")
        await settle(pilot)
        assert copied == [rows(app, "reports")[0].mobile]
        await pilot.press("y", "t")
        await settle(pilot)
        assert copied[-1] == rows(app, "reports")[0].task_id


async def test_an_account_that_may_not_read_reports_says_so():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        app.switch_profile("noreports")
        assert await wait_until(pilot, lambda: app.service is not None and app.service.profile.name == "noreports")
        await pilot.press("f5", "alt+p")
        assert await wait_until(pilot, lambda: "may not read delivery reports" in text_of(app, "#notice"))
        assert "may not read delivery reports" in drawn(app, "reports")
