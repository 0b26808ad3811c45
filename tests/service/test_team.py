"""A team on one account, sharing one PostgreSQL store: claims, opt-outs, live changes, one poller, a receiver."""

import asyncio
import sys

import httpx
import pytest
from support.service import open_service, sms

import smstui.protocol as p
from smstui.service import Store

SIGNED = "您的订单已发货【星辰科技】"


def numbers(count, start=0):
    return tuple(f"139{i:08d}" for i in range(start, start + count))


def sent_per_mobile(sim):
    counts: dict[str, int] = {}
    for task in sim.world.tasks.values():
        for mobile, recipient in task.recipients.items():
            if recipient.state != "refused":
                counts[mobile] = counts.get(mobile, 0) + 1
    return counts


@pytest.fixture
def team_store(postgres_server):
    return postgres_server.database()


async def test_two_senders_on_one_store_never_send_the_same_chunk(gateway, team_store):
    async with open_service(gateway, team_store, chunk_size=5, name="alice") as alice:
        send_id = (await alice.plan(await alice.preflight(sms(numbers(60), SIGNED)))).send_id
        gateway.set_faults(latency=0.05)
        async with open_service(gateway, team_store, chunk_size=5, name="bob") as bob:
            await asyncio.gather(alice.run(send_id), bob.run(send_id))
            assert (await bob.outcome(send_id)).accepted == 60
    counts = sent_per_mobile(gateway)
    assert len(gateway.world.tasks) == 12 and len(counts) == 60 and set(counts.values()) == {1}


async def test_an_opt_out_one_receives_holds_the_others_next_send(gateway, team_store):
    async with open_service(gateway, team_store, name="alice") as alice, \
            open_service(gateway, team_store, name="bob") as bob:
        gateway.inject_uplink("demo", "13900000001", "退订")
        assert (await alice.drain_uplinks()).optouts == ("13900000001",)
        preflight = await bob.preflight(sms(numbers(3), SIGNED))
        assert [h.mobile for h in preflight.held] == ["13900000001"]
        outcome = await bob.send(preflight)
        assert outcome.accepted == 2
    assert "13900000001" not in sent_per_mobile(gateway)


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_each_sees_the_others_sends_and_reports_within_a_second(gateway, team_store):
    async with open_service(gateway, team_store, name="alice") as alice, \
            open_service(gateway, team_store, name="bob") as bob:
        await bob.store.changed_elsewhere()
        outcome = await alice.send(await alice.preflight(sms(numbers(5), SIGNED)))
        for _ in range(50):
            if await bob.store.changed_elsewhere():
                break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("bob never heard of alice's send")
        assert [s.send_id for s in await bob.store.send_page(bob.key)] == [outcome.send_id]
        gateway.advance(2)
        await alice.drain_reports()
        assert len(await bob.stored_reports()) == 5


async def test_one_poller_at_a_time_and_the_next_takes_over(gateway, team_store):
    async with open_service(gateway, team_store, name="alice") as alice, \
            open_service(gateway, team_store, name="bob") as bob:
        assert await alice.leads_polling() and not await bob.leads_polling()
        assert await alice.leads_polling()  # it keeps the lead while it lives
        await alice.store.close()  # alice's process goes away: its connection, and the lock with it
        for _ in range(50):
            if await bob.leads_polling():
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("nobody took over polling")
        alice.store = await Store(team_store).open()  # so that closing the service has a store to close


async def test_a_push_is_answered_1_after_commit_and_error_while_the_database_is_away(gateway):
    from support.postgres import Postgres

    server = Postgres()  # a server of its own: this test stops it
    server.start()
    try:
        async with open_service(gateway, server.database()) as service:
            url = await service.start_push_receiver("127.0.0.1:0")
            async with httpx.AsyncClient() as http:
                body = p.render_reports([p.Report("13900000001", "T1", 10, None, "DELIVRD")])
                assert (await http.post(url, content=body)).text == "1"
                assert len(await service.stored_reports()) == 1
                server.pause()  # the database goes away
                other = p.render_reports([p.Report("13900000002", "T1", 10, None, "DELIVRD")])
                assert (await http.post(url, content=other)).text == "error"  # the gateway will try again
                spooled = service.ingestor.spool.waiting()  # and the body waits on this host's disk meanwhile
                assert [s.kind for s in spooled] == ["push"] and b"13900000002" in spooled[0].read()
                server.start()
                assert (await http.post(url, content=other)).text == "1"  # back: the retry is stored
            assert sorted(r.mobile for r in await service.stored_reports()) == ["13900000001", "13900000002"]
            assert (await service.recover()).replayed == 1  # the spooled copy: stored already, nothing twice
            assert service.ingestor.spool.waiting() == [] and len(await service.stored_reports()) == 2
    finally:
        server.stop()


POLLER = """
import asyncio, sys
sys.path.insert(0, "tests")
from support.service import open_service
from smstui.simulator import Simulator

class Remote:  # the test's simulator, reached over HTTP
    url = sys.argv[1]
    def now(self):
        from smstui.protocol import beijing_now
        return beijing_now()

async def main():
    async with open_service(Remote(), sys.argv[2], name=sys.argv[3]) as service:
        service.start_pollers(interval=0.1)
        await asyncio.sleep(3600)

asyncio.run(main())
"""


@pytest.mark.gateway(clock="real")
async def test_kill_9_of_the_polling_process_another_takes_over_and_no_reply_is_lost_or_read_twice(
        gateway, team_store, tmp_path):
    import psycopg

    script = tmp_path / "poller.py"
    script.write_text(POLLER)
    processes = {}
    for name in ("alice", "bob"):
        with open(tmp_path / f"{name}.err", "wb") as err:
            process = await asyncio.create_subprocess_exec(sys.executable, str(script), gateway.url, team_store, name,
                                                           stdout=asyncio.subprocess.DEVNULL, stderr=err)
        processes[process.pid] = process

    def alive() -> None:
        if any(process.returncode is not None for process in processes.values() if process is not killed):
            said = "".join(path.read_text()[-800:] for path in tmp_path.glob("*.err"))
            raise AssertionError(f"a poller died on its own: {said}")
    account = "demo@127.0.0.1:" + gateway.url.rsplit(":", 1)[1]
    store = await Store(team_store).open()

    def pollers() -> set[int]:
        with psycopg.connect(team_store) as db:
            owners = db.execute("SELECT DISTINCT owner FROM queries").fetchall()
        return {int(owner.split(":")[1]) for (owner,) in owners}

    try:
        gateway.inject_uplink("demo", "13800000000", "开始")
        for _ in range(200):  # until one of them polls (starting a process takes a moment)
            if pollers():
                break
            await asyncio.sleep(0.1)
        sent = 1
        killed = None
        for round_ in range(40):
            for _ in range(25):
                gateway.inject_uplink("demo", f"139{sent:08d}", f"第{sent}条")  # a reply every 4 ms
                sent += 1
            await asyncio.sleep(0.1)
            if round_ == 15:
                alive()
                [leader] = pollers()  # one process polls, the other waits
                killed = processes[leader]
                killed.kill()  # kill -9 mid-stream
                await killed.wait()
        alive()
        for _ in range(100):
            if not gateway.world.uplinks["demo"] and len(pollers()) == 2:
                break
            await asyncio.sleep(0.1)
        assert not gateway.world.uplinks["demo"] and len(pollers()) == 2, "the other process never took over"
        stored = (await store.counts(account))["uplinks"]
        lost = sent - stored
        gaps = await store.gaps(account, "uplinks")
        assert lost <= 1000 * len(gaps) and len(gaps) <= 1  # only a body in transfer at the kill can be lost
    finally:
        for process in processes.values():
            if process.returncode is None:
                process.kill()
                await process.wait()
        await store.close()


async def test_the_poller_that_takes_over_records_what_the_stopped_one_was_fetching_as_a_gap(gateway, team_store):
    async with open_service(gateway, team_store, name="bob") as bob:  # open (and past its start's recovery) first
        async with open_service(gateway, team_store, name="alice") as alice:
            assert await alice.leads_polling()
            query = await alice.store.open_query(alice.key, "uplinks")  # it stops while this query is out
        gateway.inject_uplink("demo", "13900000001", "好的")
        told = []
        bob.bus.subscribe(told.append)
        bob.start_pollers(interval=0.05)
        for _ in range(100):
            if await bob.stored_uplinks():
                break
            await asyncio.sleep(0.05)
        [gap] = await bob.store.gaps(bob.key)
        assert (gap.id, gap.kind, gap.cause) == (query, "uplinks", "crashed")
        assert [e.count for e in told if type(e).__name__ == "GapsFound"] == [1]
        assert [u.mobile for u in await bob.stored_uplinks()] == ["13900000001"]  # and it polls on


async def test_a_query_another_host_left_open_is_a_gap_once_that_hosts_sessions_are_gone(team_store):
    import psycopg

    account = "demo@gateway.example"
    far = Store(team_store)
    far.owner = "far-host:4242:0badf00d"  # a store on another machine: its process cannot be asked
    await far.open()
    near = await Store(team_store).open()
    try:
        query = await far.open_query(account, "reports")
        assert await near.crashed_queries(account) == 0  # its sessions are on the database: it may be reading
        assert await near.gaps(account) == []
        with psycopg.connect(team_store, autocommit=True) as db:  # the far host goes down, its connections too
            db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                       ("smstui 0badf00d",))
        for _ in range(100):
            if await near.crashed_queries(account):
                break
            await asyncio.sleep(0.05)
        assert [(g.id, g.cause) for g in await near.gaps(account)] == [(query, "crashed")]
    finally:
        await near.close()
        await far.close()


async def test_an_opt_out_that_arrives_after_planning_holds_the_number_when_its_chunk_goes_out(gateway, team_store):
    async with open_service(gateway, team_store, name="alice") as alice, \
            open_service(gateway, team_store, name="bob") as bob:
        handle = await alice.plan(await alice.preflight(sms(numbers(3), SIGNED)))
        gateway.advance(1)
        gateway.inject_uplink("demo", "13900000002", "TD")  # on bob's host, before alice's chunk goes out
        await bob.drain_uplinks()
        outcome = await alice.run(handle)
        [held] = outcome.refusals()
        assert outcome.accepted == 2 and held.count == 1 and "opted out after the send was planned" in held.message
    assert "13900000002" not in sent_per_mobile(gateway)
