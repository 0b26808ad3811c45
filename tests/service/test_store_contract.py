"""The store's contract, on both engines: SQLite (embedded) and PostgreSQL (a team's). The same calls, the same
answers: the journal and its claims, idempotent ingestion, opt-outs, templates, gaps, kept bodies, the desk's lists."""

import asyncio
from datetime import datetime, timedelta

import pytest
from support.service import open_service, sms

import smstui.protocol as p
from smstui.service import Store
from smstui.service.filters import Filter
from smstui.service.store import NewChunk, QueryState, SendRecord, Supersedes
from smstui.service.store.schema import MIGRATIONS

SIGNED = "您的订单已发货【星辰科技】"
ACCOUNT = "demo@gw.example.cn"
AT = datetime(2026, 3, 1, 10, 0, 0)


def numbers(count, start=0):
    return tuple(f"139{i:08d}" for i in range(start, start + count))


def clock():
    return AT


def a_send(send_id="s1", chunks=2, size=3):
    send = SendRecord(id=send_id, account=ACCOUNT, kind="sms", transport="xml", content=SIGNED, subject="",
                      send_time="", extno="", segments=1, recipients=chunks * size, cost=chunks * size,
                      created="2026-03-01 10:00:00", state="open", payload="{}")
    return send, [NewChunk(i, numbers(size, i * size), cost=size) for i in range(chunks)]


class Receipt:
    def __init__(self, task_id, count):
        self.task_id, self.success_count, self.balance, self.message = task_id, count, 100, "ok"


async def test_schema_and_the_journal_with_claims_two_connections_cannot_both_take(store_location):
    first, second = Store(store_location, clock), Store(store_location, clock)
    await first.open()
    await second.open()
    try:
        assert await first.schema_version() == await second.schema_version() == len(MIGRATIONS)
        send, chunks = a_send()
        assert await first.create_send(send, chunks)
        stored = await second.chunks("s1")
        assert [c.state for c in stored] == ["pending", "pending"] and (await second.send_record("s1")) == send
        claims = await asyncio.gather(first.start_chunk(stored[0].id, AT), second.start_chunk(stored[0].id, AT))
        assert sorted(claim is not None for claim in claims) == [False, True]  # one of the two sends it
        await first.accept_chunk(stored[0].id, send, Receipt("T1", 3), stored[0].mobiles, False, AT)
        [waiting] = await second.unfinished_sends(ACCOUNT)
        assert (waiting.id, waiting.waiting, waiting.inflight, waiting.unknown) == ("s1", 1, 0, 0)
        [left] = await second.resumable(ACCOUNT)  # counted in SQL: one of two chunks done, three numbers to go
        assert (left.send_id, left.done, left.total, left.waiting, left.rows_waiting, left.cost_waiting,
                left.kind) == ("s1", 1, 2, 1, 3, 3, "sms")
        assert await second.resumable(ACCOUNT, "batch") == [] and await second.resumable("other@host") == []
        assert await second.mark_chunk(stored[1].id, "unknown", only_if="pending")
        assert not await first.mark_chunk(stored[1].id, "accepted", only_if="pending")  # it had moved on
        [doubt] = await first.unknown_chunks(ACCOUNT)
        assert doubt.id == stored[1].id and doubt.mobiles == frozenset(numbers(3, 3))
        # a re-send that takes over the unknown chunk closes it in the same transaction, once
        again, more = a_send("s2", 1)
        takeover = Supersedes((stored[1].id,), "unknown", "resent", "re-sent as s2")
        assert await first.create_send(again, more, takeover)
        assert not await second.create_send(a_send("s3", 1)[0], a_send("s3", 1)[1], takeover)
        assert await second.send_record("s3") is None
        assert [c.state for c in await first.chunks("s1")] == ["accepted", "resent"]
        history = await second.history(ACCOUNT, numbers(6), AT - timedelta(days=1))
        assert sorted(history) == list(numbers(3)) and all(not r[0].verification for r in history.values())
        assert await second.claimed_task_ids(ACCOUNT, stored[1].id) == {"T1"}
    finally:
        await first.close()
        await second.close()


async def test_ingestion_is_idempotent_and_replies_make_threads_and_opt_outs(store_location):
    store = await Store(store_location, clock).open()
    try:
        reports = [p.Report(m, "T1", 10 if i % 2 else 20, AT, "DELIVRD" if i % 2 else "MK:0005")
                   for i, m in enumerate(numbers(6))]
        first = await store.ingest_reports(ACCOUNT, reports)
        again = await store.ingest_reports(ACCOUNT, [*reports[:3], p.Report("13700000000", "T2", 10, AT, "DELIVRD")])
        assert (first.new, first.duplicates, again.new, again.duplicates) == (6, 0, 1, 3)
        found = await store.reports_for(ACCOUNT, numbers(2), "2026-03-01 00:00:00")
        assert sorted(r.mobile for r in found) == list(numbers(2))
        uplinks = [p.Uplink("13900000001", "TD", AT), p.Uplink("13900000001", "好的", AT + timedelta(seconds=1)),
                   p.Uplink("13900000002", "你好", AT)]
        done = await store.ingest_uplinks(ACCOUNT, uplinks, ["TD"])
        repeat = await store.ingest_uplinks(ACCOUNT, uplinks, ["TD"])
        assert (done.new, done.optouts, repeat.new) == (3, ["13900000001"], 0)
        assert await store.optouts(ACCOUNT) == {"13900000001": "reply"}
        threads = await store.thread_page(ACCOUNT, Filter())
        assert [(t.mobile, t.count, t.unread, t.optout) for t in threads] == [
            ("13900000002", 1, 1, False), ("13900000001", 2, 2, True)]
        assert await store.mark_thread_read(ACCOUNT, "13900000001") == 2
        assert await store.remove_optout(ACCOUNT, "13900000001", "asked by phone to get them again")
        assert not await store.remove_optout(ACCOUNT, "13900000001", "twice")
        assert await store.add_optout(ACCOUNT, "13600000000", reason="a complaint")
        assert await store.optouts(ACCOUNT) == {"13600000000": "manual"}
        assert (await store.counts(ACCOUNT))["uplinks"] == 3
    finally:
        await store.close()


async def test_queries_gaps_kept_bodies_templates_notices_and_adoption(store_location):
    store = await Store(store_location, clock).open()
    try:
        query = await store.open_query(ACCOUNT, "reports")
        await store.ingest_reports(ACCOUNT, [p.Report("13900000000", "T1", 10, AT, "DELIVRD")], query, "broken")
        other = await store.open_query(ACCOUNT, "uplinks")
        await store.close_query(other, QueryState.CLEAN, "a 503")
        [gap] = await store.gaps(ACCOUNT)
        assert (gap.id, gap.kind, gap.items, gap.cause) == (query, "reports", 1, "broken")
        assert await store.resolve_gaps(ACCOUNT) == 1 and await store.gaps(ACCOUNT) == []
        kept = await store.keep_raw(ACCOUNT, "reports", b"\x00\xffbody", "unreadable")
        [body] = await store.raw_replies(ACCOUNT)
        assert (body.id, body.body) == (kept, b"\x00\xffbody")
        await store.mark_replayed(kept)
        assert await store.raw_replies(ACCOUNT) == []
        await store.save_templates(ACCOUNT, [p.Template("1", p.TemplateStatus.REVIEW, "a@【星辰科技】")])
        await store.save_templates(ACCOUNT, [p.Template("1", p.TemplateStatus.ENABLED, "a@【星辰科技】"),
                                             p.Template("2", p.TemplateStatus.RETURNED, "b【星辰科技】")])
        assert [(t.template_id, t.status) for t in await store.templates(ACCOUNT)] == [
            ("1", p.TemplateStatus.ENABLED), ("2", p.TemplateStatus.RETURNED)]
        await store.forget_template(ACCOUNT, "2")
        assert len(await store.templates(ACCOUNT)) == 1
        assert await store.first_notice(ACCOUNT, "plain-http") and not await store.first_notice(ACCOUNT, "plain-http")
        await store.add_optout("prod", "13500000000")
        await store.add_optout(ACCOUNT, "13500000000")
        await store.ingest_reports("prod", [p.Report("13500000000", "T9", 10, AT, "DELIVRD")])
        assert await store.adopt("prod", ACCOUNT) == 1  # the report moved; the opt-out was the account's already
        assert await store.adopt("prod", ACCOUNT) == 0 and await store.optouts("prod") == {}
        assert "13500000000" in await store.optouts(ACCOUNT)
    finally:
        await store.close()


async def test_the_desk_lists_filter_page_by_key_count_and_stream(store_location):
    store = await Store(store_location, clock).open()
    try:
        send, chunks = a_send("s1", chunks=1, size=30)
        await store.create_send(send, chunks)
        [chunk] = await store.chunks("s1")
        await store.start_chunk(chunk.id, AT)
        await store.accept_chunk(chunk.id, send, Receipt("T1", 30), chunk.mobiles, False, AT)
        reports = [p.Report(m, "T1", 20 if i % 3 == 0 else 10, AT + timedelta(seconds=i),
                            "mk:0005" if i % 3 == 0 else "DELIVRD") for i, m in enumerate(numbers(25))]
        await store.ingest_reports(ACCOUNT, reports)
        everything = await store.report_page(ACCOUNT, Filter(), limit=100)
        assert len(everything) == 25 and everything[0].mobile == numbers(25)[-1]
        page = await store.report_page(ACCOUNT, Filter(), limit=10, after=(everything[9].receive_time, "T1",
                                                                           everything[9].mobile))
        assert page == everything[10:20]
        back = await store.report_page(ACCOUNT, Filter(), limit=5, before=(everything[10].receive_time, "T1",
                                                                           everything[10].mobile))
        assert back == everything[5:10]
        assert await store.count_reports(ACCOUNT, Filter(status="failed")) == 9
        assert await store.count_reports(ACCOUNT, Filter(codes=("MK:*",))) == 9  # codes match whatever their case
        assert await store.count_reports(ACCOUNT, Filter(numbers=("1390000001",))) == 10
        assert await store.count_reports(ACCOUNT, Filter(status="pending")) == 5
        assert await store.count_reports(ACCOUNT, Filter(words=("mk:",))) == 9
        assert sorted(await store.report_codes(ACCOUNT, Filter())) == [(10, "DELIVRD", 16), (20, "mk:0005", 9)]
        [day] = await store.figures(ACCOUNT, Filter())
        assert (day.period, day.sent, day.delivered, day.failed, day.no_report) == ("2026-03-01", 30, 16, 9, 5)
        [summary] = await store.send_page(ACCOUNT)
        assert (summary.accepted, summary.delivered, summary.failed, summary.pending) == (30, 16, 9, 5)
        [task] = await store.task_page(ACCOUNT, "s1")
        assert (task.recipients, task.pending) == (30, 5)
        recipients = await store.task_recipients(ACCOUNT, "T1", limit=100)
        assert sum(1 for r in recipients if r.status == 0) == 5
        history = await store.number_history(ACCOUNT, numbers(1)[0])
        assert [h.kind for h in history] == ["sent", "report"]
        streamed: list = []
        assert await store.each_report(ACCOUNT, Filter(status="failed"), streamed.extend) == 9
        assert len(streamed) == 9 and all(row[2] == 20 for row in streamed)
    finally:
        await store.close()


async def test_a_commit_by_another_connection_is_noticed(store_location):
    first, second = Store(store_location, clock), Store(store_location, clock)
    await first.open()
    await second.open()
    try:
        await first.changed_elsewhere()
        await asyncio.sleep(0.05)
        assert not await first.changed_elsewhere()
        await second.add_optout(ACCOUNT, "13900000000")
        for _ in range(50):
            if await first.changed_elsewhere():
                break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("the other connection's commit was never noticed")
    finally:
        await first.close()
        await second.close()


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_a_send_in_doubt_is_reconciled_the_same_on_both(gateway, store_location):
    async with open_service(gateway, store_location, chunk_size=10, reconcile_wait=0,
                            shared_account=False) as service:
        gateway.set_faults(drop_ratio=1.0)
        outcome = await service.send(await service.preflight(sms(numbers(30), SIGNED)))
        gateway.clear_faults()
        assert sum(c.count for c in outcome.unknown) == 30
        gateway.advance(2)
        results = await service.reconcile(outcome.send_id)
        assert sum(len(r.confirmed) for r in results) == 30 and await service.unfinished() == []
        assert await service.resend_unconfirmed(outcome.send_id) is None
    assert len(gateway.world.tasks) == 3


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_processes_that_open_a_new_store_at_once_all_open_it(kind, request, tmp_path):
    import concurrent.futures

    def open_and_close(url: str) -> int:
        async def run() -> int:
            store = await Store(url).open()
            try:
                return len(await store.gaps("nobody"))
            finally:
                await store.close()
        return asyncio.run(run())

    def new_store(number: int) -> str:
        if kind == "sqlite":
            return str(tmp_path / f"{number}.db")
        return request.getfixturevalue("postgres_server").database()

    with concurrent.futures.ThreadPoolExecutor(6) as pool:  # each with connections of its own, like other processes
        for number in range(5):
            location = new_store(number)
            assert list(pool.map(open_and_close, [location] * 6)) == [0] * 6  # one migrates, the others wait
