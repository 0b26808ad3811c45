"""Sending through the service against the simulator: chunks, progress, cancel, rules, unknown outcomes."""

import asyncio
from collections import Counter

import pytest
from service_support import gateway, open_service  # noqa: F401 - the fixture

from smstui.service import InvalidInput, SendProgress, SendRequest

SIGNED = "您的订单已发货【星辰科技】"


def numbers(count, start=0):
    return tuple(f"139{i:08d}" for i in range(start, start + count))


def sent_per_mobile(sim):
    """How many times the gateway accepted each number (across every task)."""
    counts = Counter()
    for task in sim.world.tasks.values():
        for mobile, recipient in task.recipients.items():
            if recipient.state != "refused":
                counts[mobile] += 1
    return counts


async def test_large_send_is_chunked_with_progress(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=100, concurrency=3) as service:
        events = []
        service.bus.subscribe(lambda e: events.append(e) if isinstance(e, SendProgress) else None)
        preflight = await service.preflight(SendRequest("sms", numbers(1050), SIGNED))
        assert (preflight.segments, preflight.cost, preflight.held) == (1, 1050, [])
        outcome = await service.send(preflight)
    assert outcome.complete and outcome.accepted == 1050 and len(outcome.task_ids) == 11
    assert outcome.balance == 10_000 - 1050 == gateway.world.accounts["demo"].balance
    assert len(gateway.world.tasks) == 11 and max(len(t.recipients) for t in gateway.world.tasks.values()) == 100
    assert [e.chunks_done for e in events] == list(range(1, 12))
    assert events[-1].recipients_done == 1050 and events[-1].accepted == 1050 and events[-1].eta_seconds == 0


async def test_invalid_input_sends_nothing(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        for request in (SendRequest("sms", ("13900139000",), "没有签名"), SendRequest("sms", ("1234",), SIGNED),
                        SendRequest("sms", (), SIGNED), SendRequest("sms", ("13900139000",), SIGNED, extno="123456")):
            with pytest.raises(InvalidInput):
                await service.preflight(request)
    assert gateway.world.tasks == {}


async def test_refused_chunk_reports_code_and_reason(gateway, tmp_path):
    gateway.patch_account("demo", balance=150)
    async with open_service(gateway, tmp_path / "s.db", chunk_size=100, concurrency=1) as service:
        outcome = await service.send(await service.preflight(SendRequest("sms", numbers(200), SIGNED)))
    assert outcome.accepted == 100 and [(c.count, c.code) for c in outcome.refused] == [(100, 1111)]
    assert "top up" in outcome.refused[0].message.lower()


async def test_cancel_stops_after_chunks_in_flight_and_resume_finishes(gateway, tmp_path):
    gateway.set_faults(latency=0.05)
    async with open_service(gateway, tmp_path / "s.db", chunk_size=10, concurrency=2) as service:
        preflight = await service.preflight(SendRequest("sms", numbers(200), SIGNED))
        send_id = await service.sender.plan(preflight)
        running = asyncio.create_task(service.sender.run(send_id))
        service.bus.subscribe(lambda e: service.cancel(send_id) if isinstance(e, SendProgress) and e.chunks_done == 3 else None)
        outcome = await running
        assert outcome.cancelled and 30 <= outcome.accepted <= 50 and outcome.unsent
        [unfinished] = await service.unfinished()
        assert unfinished["id"] == send_id
        [resumed] = await service.resume()
    assert resumed.complete and resumed.accepted == 200
    assert set(sent_per_mobile(gateway).values()) == {1} and len(sent_per_mobile(gateway)) == 200


async def test_rules_and_optouts_hold_numbers_back_unless_overridden(gateway, tmp_path):
    code = "您的验证码是1234【星辰科技】"
    async with open_service(gateway, tmp_path / "s.db") as service:
        for _ in range(3):
            await service.send(await service.preflight(SendRequest("sms", ("13900139000",), code)))
        await service.add_optout("13700137000")
        preflight = await service.preflight(SendRequest("sms", ("13900139000", "13700137000", "13600136000"), code))
        assert {(h.mobile, h.rule) for h in preflight.held} == {("13900139000", "verification"), ("13700137000", "optout")}
        assert "3 verification-code messages" in next(h.reason for h in preflight.held if h.mobile == "13900139000")
        assert preflight.sendable == ["13600136000"] and preflight.cost == 1
        outcome = await service.send(preflight)
        assert outcome.accepted == 1 and len(outcome.held) == 2
        gateway.advance(181)
        later = await service.preflight(SendRequest("sms", ("13900139000",), code))
        assert later.held == []
        forced = await service.send(await service.preflight(SendRequest("sms", ("13700137000",), SIGNED)), override_held=True)
        assert forced.accepted == 1


async def test_daily_rule_from_local_history(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        for _ in range(10):
            await service.send(await service.preflight(SendRequest("sms", ("13900139000",), SIGNED)))
        preflight = await service.preflight(SendRequest("sms", ("13900139000",), SIGNED))
        assert [h.rule for h in preflight.held] == ["daily"]


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_dropped_replies_are_never_resent_and_reconciled_from_reports(gateway, tmp_path):
    gateway.set_faults(drop_ratio=0.5)
    async with open_service(gateway, tmp_path / "s.db", chunk_size=20, concurrency=2) as service:
        outcome = await service.send(await service.preflight(SendRequest("sms", numbers(200), SIGNED)))
        assert outcome.unknown and outcome.accepted < 200
        unknown = sum(c.count for c in outcome.unknown)
        assert outcome.accepted + unknown == 200
        gateway.clear_faults()
        tasks_before = len(gateway.world.tasks)
        [again] = await service.resume(outcome.send_id)  # unknown chunks are not pending: nothing goes out
        assert again.accepted == outcome.accepted and len(gateway.world.tasks) == tasks_before
        gateway.advance(5)
        results = await service.reconcile(outcome.send_id)
        assert sum(len(r.confirmed) for r in results) == unknown and all(not r.unconfirmed for r in results)
        assert await service.unfinished() == []
        assert await service.resend_unconfirmed(outcome.send_id) is None
    counts = sent_per_mobile(gateway)
    assert len(counts) == 200 and set(counts.values()) == {1}


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_unconfirmed_numbers_are_resent_only_when_the_user_says_so(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=10) as service:
        preflight = await service.preflight(SendRequest("sms", numbers(10), SIGNED))
        send_id = await service.sender.plan(preflight)
        # The request never reaches the gateway, but the journal says it went out: as after a crash.
        [chunk] = await service.store.chunks(send_id)
        await service.store.start_chunk(chunk["id"], gateway.now())
        await service.store.crashed_inflight(service.name)
        results = await service.reconcile(send_id)
        assert [len(r.unconfirmed) for r in results] == [10] and gateway.world.tasks == {}
        resent = await service.resend_unconfirmed(send_id)
    assert resent.accepted == 10 and set(sent_per_mobile(gateway).values()) == {1}


async def test_batch_and_mms_through_the_sender(gateway, tmp_path):
    import smstui.protocol as p

    rows = tuple(p.BatchRow(m, f"尊敬的{i}号客户，您好【星辰科技】") for i, m in enumerate(numbers(25)))
    async with open_service(gateway, tmp_path / "s.db", batch_rows=10) as service:
        outcome = await service.send(await service.preflight(SendRequest("batch", rows=rows)))
        assert outcome.accepted == 25 and len(outcome.task_ids) == 3
        mms = await service.send(await service.preflight(
            SendRequest("mms", numbers(2, 100), subject="新品", package=p.pack_mms([p.Slide("新品上市")]))))
        assert mms.accepted == 2 and gateway.world.accounts["demo"].mms_balance == 98
    task = gateway.world.tasks[outcome.task_ids[0]]
    assert task.recipients["13900000000"].content == "尊敬的0号客户，您好【星辰科技】"
