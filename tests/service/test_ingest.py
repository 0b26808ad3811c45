"""Pollers, the push receiver, the store's idempotent ingestion, opt-outs and kept bodies."""

import asyncio
import sqlite3

import httpx
import pytest
from support.service import open_service, sms

import smstui.protocol as p
from smstui.service import ReportsArrived, SmsJob, Store
from smstui.service.config import PushSettings
from smstui.service.events import EventBus
from smstui.service.ingest import Ingestor
from smstui.service.push_receiver import PushReceiver, build_push_app
from smstui.service.spool import Spool
from smstui.service.store.schema import MIGRATIONS

SIGNED = "您的订单已发货【星辰科技】"


@pytest.mark.gateway(report_delay=[1, 2], delivered_ratio=1.0)
async def test_poller_drains_the_queue_and_stores_before_publishing(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        import sqlite3

        seen = []

        def stored_when_told(event):  # read the file directly: what a listener sees must already be committed
            if isinstance(event, ReportsArrived):
                with sqlite3.connect(tmp_path / "s.db") as db:
                    seen.append((event.count, db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]))

        service.bus.subscribe(stored_when_told)
        service.reports_poller.status_num = 7
        numbers = tuple(f"139{i:08d}" for i in range(30))
        outcome = await service.send(await service.preflight(SmsJob(mobiles=numbers, content=SIGNED)))
        gateway.advance(5)
        result = await service.drain_reports()
        assert result.new == 30 and gateway.world.pending_reports("demo") == 0
        stored = await service.stored_reports()
        assert {r.mobile for r in stored} == set(numbers) and all(r.delivered for r in stored)
        assert {r.task_id for r in stored} == set(outcome.task_ids)
        assert sum(count for count, _ in seen) == 30
        assert all(in_store >= sum(c for c, _ in seen[: i + 1]) for i, (_, in_store) in enumerate(seen))
        again = await service.drain_reports()
        assert again.new == 0


async def test_uplinks_with_optouts_go_on_the_list(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        replies = [("13900139000", "好的"), ("13700137000", "退订"), ("13600136000", " td "), ("13500135000", "ＴＤ。"),
                   ("13400134000", "不要退订")]
        for mobile, text in replies:
            gateway.inject_uplink("demo", mobile, text, "01")
        result = await service.drain_uplinks()
        stopped = {"13700137000", "13600136000", "13500135000"}
        assert result.new == 5 and set(result.optouts) == stopped
        assert set(await service.optouts()) == stopped
        inbox = await service.stored_uplinks()
        assert {(u.mobile, u.optout, u.extno) for u in inbox} == {(m, m in stopped, "01") for m, _ in replies}


async def test_unreadable_report_body_is_kept_and_replayed(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        await service.send(await service.preflight(sms(("13900139000",), SIGNED)))
        gateway.advance(60)
        gateway.set_faults(truncate_ratio=1.0)
        from smstui.service import UnknownOutcome

        with pytest.raises(UnknownOutcome):
            await service.drain_reports()
        [kept] = await service.store.raw_replies(service.key)
        assert kept.kind == "reports" and kept.body
        # The truncated body cannot be replayed, but a complete one kept the same way can.
        await service.store.keep_raw(service.key, "reports", p.render_reports(
            [p.Report("13900139000", "77", 10, None, "DELIVRD")]), "stored after a database error")
        replayed = await service.replay_kept()
        assert replayed.new == 1 and len(await service.store.raw_replies(service.key)) == 1


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_a_json_profile_polls_the_json_endpoints_and_keeps_their_bodies_as_json(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", transport="json") as service:
        await service.send(await service.preflight(sms(("13900139000", "13700137000"), SIGNED)))
        gateway.inject_uplink("demo", "13900139000", "好的", "")
        gateway.advance(2)
        assert (await service.drain_reports()).new == 2 and (await service.drain_uplinks()).new == 1
        await service.send(await service.preflight(sms(("13600136000",), SIGNED)))
        gateway.advance(2)
        gateway.set_faults(truncate_ratio=1.0)
        from smstui.service import UnknownOutcome

        with pytest.raises(UnknownOutcome):
            await service.drain_reports()
        [kept] = await service.store.raw_replies(service.key)
        assert kept.kind == "reports-json" and kept.body.startswith(b"{")  # statusJsonApi.aspx answered
        # a complete JSON body kept the same way is replayed with the JSON parser
        await service.store.keep_raw(service.key, "reports-json", p.render_reports(
            [p.Report("13900139000", "77", 10, None, "DELIVRD")], "json"), "stored after a database error")
        assert (await service.replay_kept()).new == 1


async def start_receiver(tmp_path, **settings):
    store = await Store(tmp_path / "push.db").open()
    bus = EventBus()
    events = []
    bus.subscribe(events.append)
    ingestor = Ingestor("push", store, bus, ["TD", "退订", "T"])
    receiver = PushReceiver(build_push_app(ingestor, **settings), "127.0.0.1:0")
    url = await receiver.start()
    return store, receiver, url, events


async def test_push_receiver_commits_then_answers_1_and_ignores_duplicates(tmp_path):
    store, receiver, url, events = await start_receiver(tmp_path)
    body = p.render_reports(
        [p.Report("13900139000", "1", 10, None, "DELIVRD"), p.Report("13700137000", "1", 20, None, "UNDELIV")]
    )
    try:
        async with httpx.AsyncClient() as http:
            first = await http.post(url + "/", content=body)
            second = await http.post(url + "/", content=body)
            reply = await http.post(url + "/", content=p.render_uplinks([p.Uplink("13900139000", "T", None, "01")]))
            assert (first.text, second.text, reply.text) == ("1", "1", "1")
            assert (await http.get(url + "/")).status_code == 405
            garbage = await http.post(url + "/", content=b"<html>not xml</html>")
            assert garbage.status_code == 400  # not the gateway's: not kept (anyone could fill the disk)
            broken = b"<returnsms><statusbox><mobile>13900139000</mobile"  # cut: refused, the gateway sends it again
            assert (await http.post(url + "/", content=broken)).text.startswith("refused")
            evil = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><returnsms>&a;</returnsms>'
            assert (await http.post(url + "/", content=evil)).text.startswith("refused")
        assert len(await store.reports("push")) == 2
        assert set(await store.optouts("push")) == {"13900139000"}
        assert [type(e).__name__ for e in events if not type(e).__name__.startswith("Raw")] == [
            "ReportsArrived",
            "UplinksArrived",
        ]
        assert await store.raw_replies("push") == []  # refused bodies are not kept: nobody fills the disk
    finally:
        await receiver.stop()
        await store.close()


async def test_push_receiver_token_size_and_allow_list(tmp_path):
    store, receiver, url, _ = await start_receiver(tmp_path, token="s3cret", allow=["10.0.0.0/8"], max_body=100)
    try:
        async with httpx.AsyncClient() as http:
            assert (await http.post(url + "/s3cret", content=b"x")).status_code == 403  # 127.0.0.1 not allowed
            # a header cannot pretend to come from an allowed address
            forged = await http.post(url + "/s3cret", content=b"x", headers={"X-Forwarded-For": "10.1.1.1"})
            assert forged.status_code == 403
    finally:
        await receiver.stop()
        await store.close()
    store, receiver, url, _ = await start_receiver(tmp_path, token="s3cret", allow=["127.0.0.0/8"], max_body=100)
    try:
        async with httpx.AsyncClient() as http:
            assert (await http.post(url + "/wrong", content=b"x")).status_code == 404
            assert (await http.post(url + "/s3cret", content=b"x" * 101)).status_code == 413
            ok = await http.post(url + "/s3cret", content=p.render_uplinks([]))
            assert ok.text == "1"
    finally:
        await receiver.stop()
        await store.close()


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0, push_retry_delay=0.05)
async def test_simulator_pushes_to_the_service_receiver_with_retries_and_duplicates(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        service.config.push = PushSettings(listen="127.0.0.1:0")
        url = await service.start_push_receiver()
        gateway.patch_account("demo", push_url=url)
        numbers = ("13900139000", "13700137000")
        await service.send(await service.preflight(SmsJob(mobiles=numbers, content=SIGNED)))
        gateway.advance(5)
        for _ in range(100):
            if len(await service.stored_reports()) == 2:
                break
            await asyncio.sleep(0.05)
        stored = await service.stored_reports()
        assert {r.mobile for r in stored} == set(numbers)
        # A retried push (the same body again) is stored once.
        await gateway.pusher.deliver(
            "demo",
            url,
            "reports",
            p.render_reports(
                [
                    p.Report(r.mobile, r.task_id, r.status, p.parse_gateway_time(r.receive_time), r.error_code)
                    for r in stored
                ]
            ),
        )
        assert len(await service.stored_reports()) == 2


async def test_an_old_store_is_migrated_keeping_its_data(tmp_path):
    import sqlite3

    old = sqlite3.connect(tmp_path / "old.db")
    old.executescript(MIGRATIONS[0] + ";PRAGMA user_version=1;")
    old.execute(
        "INSERT INTO sends VALUES('s1','x','sms','xml','hi【星辰科技】','','','',1,1,1,'2026-03-01 10:00:00',"
        "'running','{}')"
    )
    old.execute("INSERT INTO chunks(send_id, seq, state, mobiles, count) VALUES('s1', 0, 'inflight', '13900139000', 1)")
    old.commit()
    old.close()
    store = await Store(tmp_path / "old.db").open()
    assert await store.schema_version() == len(MIGRATIONS) == 7
    # A chunk left in flight by a version that wrote no owner is a crash's: its outcome is unknown.
    assert await store.crashed_inflight("x") == 1
    [chunk] = await store.chunks("s1")
    assert (chunk.state, chunk.owner) == ("unknown", "")
    await store.close()


async def test_store_schema_is_versioned_and_ingestion_batched(tmp_path):
    store = await Store(tmp_path / "v.db").open()
    assert await store.schema_version() == len(MIGRATIONS)
    assert (tmp_path / "v.db").stat().st_mode & 0o077 == 0  # customers' numbers: readable by the owner only
    reports = [p.Report(f"139{i:08d}", "9", 10, None, "DELIVRD") for i in range(5000)]
    done = await store.ingest_reports("x", reports + reports[:10])
    assert (done.new, done.duplicates) == (5000, 10)
    await store.close()
    reopened = await Store(tmp_path / "v.db").open()
    assert (await reopened.counts("x"))["reports"] == 5000
    await reopened.close()


def test_password_is_never_written_to_the_store(tmp_path):
    async def scenario():
        from support.service import open_service as opened

        from smstui.simulator import SimConfig, Simulator

        async with Simulator(SimConfig(clock="frozen", start_time="2026-03-01 10:00:00")) as sim, \
                opened(sim, tmp_path / "secret.db") as service:
            await service.send(await service.preflight(sms(("13900139000",), SIGNED)))
            assert "demo123" not in repr(service.client.credentials)

    asyncio.run(scenario())
    data = b"".join(f.read_bytes() for f in tmp_path.rglob("secret.db*") if f.is_file())
    assert b"demo123" not in data and p.md5_upper("demo123").encode() not in data


async def test_a_push_the_store_cannot_take_waits_in_the_spool_and_is_stored_on_the_next_start(tmp_path):
    store, receiver, url, _ = await start_receiver(tmp_path)
    body = p.render_uplinks([p.Uplink("13900139000", "TD", None), p.Uplink("13700137000", "好的", None)])
    blocker = sqlite3.connect(tmp_path / "push.db", isolation_level=None)
    try:
        blocker.execute("BEGIN EXCLUSIVE")  # another process holds the database past the busy timeout
        async with httpx.AsyncClient(timeout=30) as http:
            assert (await http.post(url + "/", content=body)).text == "error"  # the gateway will try again
        blocker.execute("ROLLBACK")
        assert [s.kind for s in Spool(store.spool_dir()).waiting()] == ["push"]
    finally:
        blocker.close()
        await receiver.stop()
        await store.close()
    reopened = await Store(tmp_path / "push.db").open()
    try:
        ingestor = Ingestor("push", reopened, EventBus(), ["TD"])
        replayed = await ingestor.replay_spool()
        assert replayed.replayed == 1 and replayed.new == 2 and replayed.optouts == ("13900139000",)
        assert Spool(reopened.spool_dir()).waiting() == [] and len(await reopened.uplinks("push")) == 2
    finally:
        await reopened.close()


async def test_a_store_of_schema_4_keeps_every_row_and_gives_it_to_the_account(gateway, tmp_path):
    """History kept under a profile's name moves to the gateway account; any profile of that account sees it."""
    import sqlite3

    old = sqlite3.connect(tmp_path / "old.db")
    for number, migration in enumerate(MIGRATIONS[:4]):
        old.executescript(migration + f";PRAGMA user_version={number + 1};")
    at = "2026-03-01 09:00:00"
    old.executescript(f"""
        INSERT INTO sends(id, profile, kind, transport, content, segments, recipients, cost, created, state)
            VALUES('s1', 'prod', 'sms', 'xml', '您好【星辰科技】', 1, 1, 1, '{at}', 'done');
        INSERT INTO tasks VALUES('prod', 'T1', 's1', '{at}', 'xml', 'sms', '您好【星辰科技】', 1, 1, 1);
        INSERT INTO recipients VALUES('prod', 'T1', '13900139000', '{at}', 0);
        INSERT INTO reports VALUES('prod', 'T1', '13900139000', 10, '{at}', 'DELIVRD', '', 0, '{at}');
        INSERT INTO uplinks(profile, mobile, content, receive_time, extno, received_at, optout)
            VALUES('prod', '13700137000', 'TD', '{at}', '', '{at}', 1);
        INSERT INTO optouts VALUES('prod', '13700137000', 'reply', '{at}');
        INSERT INTO optouts VALUES('other', '13600136000', 'manual', '{at}');
    """)
    old.commit()
    old.close()
    async with open_service(gateway, tmp_path / "old.db", name="prod") as prod:
        assert await prod.store.schema_version() == len(MIGRATIONS)
        assert set(await prod.optouts()) == {"13700137000"}
        [report] = await prod.stored_reports()
        [reply] = await prod.stored_uplinks()
        assert (report.task_id, reply.content) == ("T1", "TD") and (await prod.outcome("s1")).send_id == "s1"
    async with open_service(gateway, tmp_path / "old.db", name="renamed") as renamed:  # the same account
        assert set(await renamed.optouts()) == {"13700137000"} and len(await renamed.stored_reports()) == 1
        preflight = await renamed.preflight(sms(("13700137000", "13900139000"), SIGNED))
        assert [h.mobile for h in preflight.held] == ["13700137000"]  # the opt-out still holds
    async with open_service(gateway, tmp_path / "old.db", name="x", account="postpaid", userid="1002",
                            password="post123") as other:
        assert await other.optouts() == {} and await other.stored_reports() == []
    key = "demo@127.0.0.1:" + gateway.url.rsplit(":", 1)[1]
    with sqlite3.connect(tmp_path / "old.db") as db:  # what no profile of the account claimed stays as it was
        assert db.execute("SELECT account FROM optouts ORDER BY mobile").fetchall() == [("other",), (key,)]
