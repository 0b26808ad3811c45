"""The support desk over the store: filters as SQL, windows by key, buckets, figures, threads, histories, exports."""

import csv
from datetime import datetime, timedelta

import pytest
from support.service import open_service, sms

import smstui.protocol as p
from smstui.service import Store
from smstui.service.filters import Filter, FilterError, parse_filter

SIGNED = "您的订单已发货【星辰科技】"
NOW = datetime(2026, 3, 4, 15, 30, 0)


def numbers(count, start=0):
    return tuple(f"139{i:08d}" for i in range(start, start + count))


@pytest.mark.parametrize(("text", "expected"), [
    ("num:138", Filter(numbers=("138",))),
    ("num:+86138…", Filter(numbers=("138",))),
    ("task:2611* status:failed", Filter(tasks=("2611*",), status="failed")),
    ("状态:失败 code:mk:*", Filter(status="failed", codes=("MK:*",))),
    ("date:today", Filter(since="2026-03-04 00:00:00", until="2026-03-05 00:00:00")),
    ('date:"last week"', Filter(since="2026-02-23 00:00:00", until="2026-03-02 00:00:00")),
    ("date:2026-02-01..2026-02-28", Filter(since="2026-02-01 00:00:00", until="2026-03-01 00:00:00")),
    ("date:7d", Filter(since="2026-02-25 15:30:00", until="2026-03-04 15:30:01")),
    ('退订 "不要 再发"', Filter(words=("退订", "不要 再发"))),
    ("status:pending optout:yes", Filter(status="pending", optout=True)),
])
def test_the_filter_grammar(text, expected):
    assert parse_filter(text, NOW) == expected


@pytest.mark.parametrize(("text", "says"), [
    ("num:abc", "num:abc is not the start of a number"),
    ("status:maybe", "use delivered, failed or pending"),
    ("date:someday", "date:someday: use today"),
    ("date:2026-02-30", "date:2026-02-30"),
    ('"unclosed', "unclosed quote"),
    ("task:", "task: needs a value"),
])
def test_a_filter_that_cannot_be_read_says_which_token(text, says):
    with pytest.raises(FilterError, match=says):
        parse_filter(text, NOW)


async def mixed(service, gateway, count=500, chunk=100):
    """A send of `count` numbers: half delivered, half failed with the simulator's codes, a tenth still pending."""
    outcome = await service.send(await service.preflight(sms(numbers(count), SIGNED)))
    assert outcome.accepted == count
    gateway.advance(5)
    await service.drain_reports()
    return outcome


@pytest.mark.gateway(report_delay=[1, 2], delivered_ratio=0.5)
async def test_windows_read_by_key_are_the_rows_read_by_offset_and_filters_count_right(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=100) as service:
        await mixed(service, gateway)
        desk = service.desk
        everything = desk.reports(Filter(), "time")
        assert await everything.count() == 500
        await everything.load(0, 499)  # window after window, each read by the key of the one before
        by_key = [everything.row(i) for i in range(500)]
        by_offset = await service.store.report_page(service.key, Filter(), "time", limit=500)
        assert by_key == by_offset and len({(r.task_id, r.mobile) for r in by_key}) == 500
        assert [r.receive_time for r in by_key] == sorted((r.receive_time for r in by_key), reverse=True)
        back = desk.reports(Filter(), "status")  # read upwards from the end: each window by the key after it
        for first in (400, 200, 0):
            await back.load(first, first + 99)
        upward = [back.row(i) for i in range(500)]
        assert upward == await service.store.report_page(service.key, Filter(), "status", limit=500)
        assert [r.status for r in upward] == sorted((r.status for r in upward), reverse=True)
        end = desk.reports(Filter(), "time")  # End: the last window from the end, those before it by key
        assert await end.count() == 500
        await end.load(430, 499)
        assert [end.row(i) for i in range(400, 500)] == by_key[400:] and end.row(399) is None
        await end.load(150, 399)
        assert [end.row(i) for i in range(500)] == by_key
        failed = sum(1 for r in by_key if r.status == 20)
        assert await desk.reports(desk.filter("status:failed")).count() == failed
        assert await desk.reports(desk.filter("num:1390000001")).count() == 10
        assert await desk.reports(desk.filter("13900000042")).count() == 1
        task = by_key[0].task_id
        assert await desk.reports(desk.filter(f"task:{task}")).count() == 100
        assert await desk.reports(desk.filter("code:MK:*")).count() == sum(
            1 for r in by_key if r.error_code.startswith("MK:"))
        assert await desk.reports(desk.filter("date:today")).count() == 500
        assert await desk.reports(desk.filter("date:yesterday")).count() == 0


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_pending_numbers_sends_tasks_and_a_numbers_history(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=10) as service:
        outcome = await service.send(await service.preflight(sms(numbers(30), SIGNED, extno="7")))
        desk = service.desk
        pending = desk.reports(desk.filter("status:pending"))
        assert await pending.count() == 30  # sent, no report yet
        [summary] = await service.store.send_page(service.key)
        assert (summary.send_id, summary.accepted, summary.pending, summary.delivered) == (outcome.send_id, 30, 30, 0)
        gateway.advance(2)
        await service.drain_reports()
        gateway.inject_uplink("demo", "13900000003", "收到，谢谢", "7")
        await service.drain_uplinks()
        assert await desk.reports(desk.filter("status:pending")).count() == 0
        [summary] = await service.store.send_page(service.key)
        assert (summary.delivered, summary.pending) == (30, 0)
        tasks = await desk.tasks(outcome.send_id)
        assert len(tasks) == 3 and all(t.delivered == 10 and t.pending == 0 for t in tasks)
        recipients = desk.recipients(tasks[0])
        await recipients.load(0, 9)
        assert [recipients.row(i).status for i in range(10)] == [10] * 10
        history = await desk.history("+86 139 0000 0003")
        assert [h.kind for h in history] == ["sent", "report", "reply"]
        assert history[0].text == SIGNED and history[2].text == "收到，谢谢" and history[2].extno == "7"


async def test_failures_fall_in_buckets_with_their_codes(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        when = datetime(2026, 3, 1, 10, 0, 0)
        codes = ["DELIVRD"] * 5 + ["UNDELIV", "MK:0001", "MK:0005", "MK:0012", "DB:0141", "MK:9999", "zz:what"]
        reports = [p.Report(f"139{i:08d}", "T1", 10 if code == "DELIVRD" else 20, when, code)
                   for i, code in enumerate(codes)]
        await service.ingestor.reports(reports, "test")
        buckets = {b.bucket: (b.count, dict(b.codes)) for b in await service.desk.buckets(Filter())}
        assert buckets == {"delivered": (5, {"DELIVRD": 5}), "empty": (2, {"UNDELIV": 1, "MK:0001": 1}),
                           "off": (2, {"MK:0005": 1, "MK:0012": 1}), "blacklist": (1, {"DB:0141": 1}),
                           "operator": (1, {"MK:9999": 1}), "unknown": (1, {"zz:what": 1})}
        assert p.report_codes.code_meaning("zz:what").english.startswith("code zz:what")


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=0.5)
async def test_figures_per_day_count_every_number_sent(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=100) as service:
        await mixed(service, gateway, 300)
        await service.send(await service.preflight(sms(numbers(50, 1000), SIGNED)))  # no report yet
        [today] = await service.desk.figures(Filter())
        assert today.period == gateway.now().strftime("%Y-%m-%d") and today.sent == 350
        assert today.delivered + today.failed == 300 and today.no_report == 50
        [hour] = await service.desk.figures(Filter(), by="hour")
        assert hour.sent == 350 and len(hour.period) == 13


async def test_threads_unread_opt_out_badges_and_exports_read_back(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        for mobile, text in [("13900000001", "你好"), ("13900000002", "TD"), ("13900000001", "=HYPERLINK(\"x\")"),
                             ("13900000003", "+cmd|' /C calc'!A0")]:
            gateway.inject_uplink("demo", mobile, text)
        await service.drain_uplinks()
        desk = service.desk
        threads = desk.threads(Filter())
        await threads.load(0, 10)
        rows = [threads.row(i) for i in range(await threads.count())]
        assert [(t.mobile, t.count, t.unread, t.optout) for t in rows] == [
            ("13900000003", 1, 1, False), ("13900000001", 2, 2, False), ("13900000002", 1, 1, True)]
        assert await desk.read_thread("13900000001") == 2
        only = desk.threads(desk.filter("HYPERLINK"))
        assert await only.count() == 1
        path = tmp_path / "replies.csv"
        assert await desk.export_replies(Filter(), path) == 4
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Chinese Excel needs
        cells = [row[1] for row in csv.reader(raw.decode("utf-8-sig").splitlines())]
        assert "'=HYPERLINK(\"x\")" in cells and "'+cmd|' /C calc'!A0" in cells and "你好" in cells
        xlsx = tmp_path / "replies.xlsx"
        assert await desk.export_replies(desk.filter("num:13900000001"), xlsx) == 2
        from openpyxl import load_workbook

        sheet = load_workbook(xlsx).active
        assert [c.value for c in sheet[1]][:2] == ["mobile", "content"] and sheet.max_row == 3
        assert oct(xlsx.stat().st_mode & 0o777) == "0o600"


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=0.5)
async def test_a_filtered_report_export_is_exactly_the_filtered_set(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=100) as service:
        await mixed(service, gateway, 400)
        desk = service.desk
        failed = desk.filter("status:failed")
        path = tmp_path / "failed.csv"
        written = await desk.export_reports(failed, path)
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        assert written == await desk.reports(failed).count() == len(rows) - 1 > 0
        assert rows[0][:3] == ["task", "mobile", "status"] and {r[2] for r in rows[1:]} == {"failed"}
        assert all(r[5] for r in rows[1:])  # each failure explained


async def test_a_number_or_task_filter_pages_by_key_in_both_orders_on_both_engines(store_location):
    """The rows of a number or a task are sorted off their own index (an expression no index holds): the same
    order, the same windows by key, on SQLite (after the planner is told the tables) and on PostgreSQL."""
    store = await Store(store_location, lambda: datetime(2026, 3, 1, 10, 0, 0)).open()
    try:
        at = datetime(2026, 3, 1, 9, 0, 0)
        reports = [p.Report(f"1390000{i % 5:04d}", f"T{i}", 20 if i % 4 == 0 else 10, at + timedelta(minutes=i),
                            "MK:0001" if i % 4 == 0 else "DELIVRD") for i in range(60)]
        await store.ingest_reports("acct", reports)
        await store.plan_lists()
        for f in (Filter(numbers=("13900000002",)), Filter(tasks=("T1*",)), Filter(numbers=("1390000",))):
            for sort, key in (("time", lambda r: (r.receive_time, r.task_id, r.mobile)),
                              ("status", lambda r: (r.status, r.receive_time, r.task_id, r.mobile))):
                everything = await store.report_page("acct", f, sort, limit=100)
                assert everything == sorted(everything, key=key, reverse=True) and everything, (f, sort)
                assert len(everything) == await store.count_reports("acct", f)
                after = await store.report_page("acct", f, sort, limit=3, after=key(everything[2]))
                assert after == everything[3:6]
                before = await store.report_page("acct", f, sort, limit=2, before=key(everything[4]))
                assert before == everything[2:4]
                assert await store.report_page("acct", f, sort, limit=2, from_end=True) == everything[-2:]
    finally:
        await store.close()
