"""Sending through the service against the simulator: chunks, progress, cancel, rules, unknown outcomes."""

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from support.service import open_service, sms

from smstui.service import BatchJob, GatewayRefused, InvalidInput, MmsJob, SendProgress, SmsJob

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


async def send_with_lost_replies(service, gateway, recipients):
    """A send the gateway processes but whose every reply is lost: each chunk's outcome is unknown."""
    gateway.set_faults(drop_ratio=1.0)
    outcome = await service.send(await service.preflight(SmsJob(mobiles=recipients, content=SIGNED)))
    gateway.clear_faults()
    assert sum(c.count for c in outcome.unknown) == len(recipients)
    return outcome


async def test_large_send_is_chunked_with_progress(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=100, concurrency=3) as service:
        events = []
        service.bus.subscribe(lambda e: events.append(e) if isinstance(e, SendProgress) else None)
        preflight = await service.preflight(SmsJob(mobiles=numbers(1050), content=SIGNED))
        assert (preflight.segments, preflight.cost, preflight.held) == (1, 1050, [])
        outcome = await service.send(preflight)
    assert outcome.complete and outcome.accepted == 1050 and len(outcome.task_ids) == 11
    assert outcome.balance == 10_000 - 1050 == gateway.world.accounts["demo"].balance
    assert len(gateway.world.tasks) == 11 and max(len(t.recipients) for t in gateway.world.tasks.values()) == 100
    assert [e.chunks_done for e in events] == list(range(1, 12))
    assert events[-1].recipients_done == 1050 and events[-1].accepted == 1050 and events[-1].eta_seconds == 0


async def test_invalid_input_sends_nothing(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        for request in (sms(("13900139000",), "没有签名"), sms(("1234",), SIGNED),
                        sms((), SIGNED), sms(("13900139000",), SIGNED, extno="123456")):
            with pytest.raises(InvalidInput):
                await service.preflight(request)
    assert gateway.world.tasks == {}


async def test_refused_chunk_reports_code_and_reason(gateway, tmp_path):
    gateway.patch_account("demo", balance=150)
    async with open_service(gateway, tmp_path / "s.db", chunk_size=100, concurrency=1) as service:
        outcome = await service.send(await service.preflight(SmsJob(mobiles=numbers(200), content=SIGNED)))
    assert outcome.accepted == 100 and [(c.count, c.code) for c in outcome.refused] == [(100, 1111)]
    assert "top up" in outcome.refused[0].message.lower()


async def test_cancel_stops_after_chunks_in_flight_and_resume_finishes(gateway, tmp_path):
    gateway.set_faults(latency=0.05)
    async with open_service(gateway, tmp_path / "s.db", chunk_size=10, concurrency=2) as service:
        preflight = await service.preflight(SmsJob(mobiles=numbers(200), content=SIGNED))
        send_id = (await service.plan(preflight)).send_id
        running = asyncio.create_task(service.run(send_id))
        service.bus.subscribe(
            lambda e: service.cancel(send_id) if isinstance(e, SendProgress) and e.chunks_done == 3 else None
        )
        outcome = await running
        assert outcome.cancelled and 30 <= outcome.accepted <= 50 and outcome.unsent
        [unfinished] = await service.unfinished()
        assert unfinished.id == send_id
        [resumed] = await service.resume()
    assert resumed.complete and resumed.accepted == 200
    assert set(sent_per_mobile(gateway).values()) == {1} and len(sent_per_mobile(gateway)) == 200


async def test_a_send_left_part_way_is_offered_to_resume_but_not_while_this_process_sends_it(gateway, tmp_path):
    gateway.set_faults(latency=0.2)
    async with open_service(gateway, tmp_path / "s.db", chunk_size=10, concurrency=1) as service:
        send_id = (await service.plan(await service.preflight(SmsJob(mobiles=numbers(50), content=SIGNED)))).send_id
        running = asyncio.create_task(service.run(send_id))
        while not gateway.world.tasks:
            await asyncio.sleep(0.01)
        assert (await service.recovery()).stopped == []  # it is being sent here: nothing to resume
        service.cancel(send_id)
        outcome = await running
        [stopped] = (await service.recovery()).stopped
        assert (stopped.send_id, stopped.kind, stopped.total) == (send_id, "sms", 5)
        assert stopped.rows_waiting == stopped.cost_waiting == outcome.unsent_count == 50 - outcome.accepted
        assert stopped.handle.recipients == outcome.unsent_count and stopped.handle.chunks == stopped.waiting


async def test_rules_and_optouts_hold_numbers_back_unless_overridden(gateway, tmp_path):
    code = "您的验证码是1234【星辰科技】"
    async with open_service(gateway, tmp_path / "s.db") as service:
        for _ in range(3):
            await service.send(await service.preflight(sms(("13900139000",), code)))
        await service.add_optout("13700137000")
        preflight = await service.preflight(sms(("13900139000", "13700137000", "13600136000"), code))
        assert {(h.mobile, h.rule) for h in preflight.held} == {
            ("13900139000", "verification"),
            ("13700137000", "optout"),
        }
        assert "3 verification-code messages" in next(h.reason for h in preflight.held if h.mobile == "13900139000")
        assert preflight.sendable == ["13600136000"] and preflight.cost == 1
        outcome = await service.send(preflight)
        assert outcome.accepted == 1 and len(outcome.held) == 2
        gateway.advance(181)
        later = await service.preflight(sms(("13900139000",), code))
        assert later.held == []
        forced = await service.send(await service.preflight(sms(("13700137000",), SIGNED)), override_held=True)
        assert forced.accepted == 1


async def test_daily_rule_from_local_history(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        for _ in range(10):
            await service.send(await service.preflight(sms(("13900139000",), SIGNED)))
        preflight = await service.preflight(sms(("13900139000",), SIGNED))
        assert [h.rule for h in preflight.held] == ["daily"]


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_dropped_replies_are_never_resent_and_reconciled_from_reports(gateway, tmp_path):
    gateway.set_faults(drop_ratio=0.5)
    async with open_service(gateway, tmp_path / "s.db", chunk_size=20, concurrency=2, shared_account=False) as service:
        outcome = await service.send(await service.preflight(SmsJob(mobiles=numbers(200), content=SIGNED)))
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
        preflight = await service.preflight(SmsJob(mobiles=numbers(10), content=SIGNED))
        send_id = (await service.plan(preflight)).send_id
        # The journal says the request went out, then the program stopped before it really did.
        [chunk] = await service.store.chunks(send_id)
        assert await service.store.start_chunk(chunk.id, gateway.now())
    async with open_service(gateway, tmp_path / "s.db", chunk_size=10, reconcile_wait=60) as service:
        [chunk] = await service.store.chunks(send_id)
        assert chunk.state == "unknown"
        results = await service.reconcile(send_id)
        assert [len(r.unconfirmed) for r in results] == [10] and gateway.world.tasks == {}
        with pytest.raises(InvalidInput, match="re-sending is possible from 2026-03-01 10:01:00"):
            await service.resend_unconfirmed(send_id)  # reports may still come
        assert gateway.world.tasks == {}
        gateway.advance(60)
        resent = await service.resend_unconfirmed(send_id)
    assert resent.accepted == 10 and set(sent_per_mobile(gateway).values()) == {1}


@pytest.mark.gateway(report_delay=[1, 20], delivered_ratio=1.0)
async def test_reconciling_twice_keeps_what_the_first_time_proved(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=5, reconcile_wait=0,
                            shared_account=False) as service:
        outcome = await send_with_lost_replies(service, gateway, numbers(10))
        assert len(gateway.world.tasks) == 2
        gateway.advance(10)  # some reports are in, not all
        early = await service.reconcile(outcome.send_id)
        assert 0 < sum(len(r.confirmed) for r in early) < 10
        gateway.advance(20)
        late = await service.reconcile(outcome.send_id)
        assert {m for r in late for m in r.confirmed} | {m for r in early for m in r.confirmed} == set(numbers(10))
        assert all(not r.unconfirmed for r in late)
        assert await service.resend_unconfirmed(outcome.send_id) is None
        assert (await service.outcome(outcome.send_id)).accepted == 10
    assert len(gateway.world.tasks) == 2 and set(sent_per_mobile(gateway).values()) == {1}


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_a_gateway_clock_hours_off_does_not_fool_reconciliation(gateway, tmp_path):
    """Reports carry the gateway's time; reconciliation goes by when this machine received them."""
    async with open_service(gateway, tmp_path / "s.db", chunk_size=5, reconcile_wait=0,
                            shared_account=False) as service:
        service.clock = service.sender.ctx.clock = service.store.clock = lambda: gateway.now() + timedelta(hours=3)
        outcome = await send_with_lost_replies(service, gateway, numbers(5))
        gateway.advance(1)
        [result] = await service.reconcile(outcome.send_id)
        assert len(result.confirmed) == 5 and result.unconfirmed == []
    assert set(sent_per_mobile(gateway).values()) == {1}


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_no_reconciliation_when_reports_cannot_be_read(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=5, reconcile_wait=0) as service:
        outcome = await send_with_lost_replies(service, gateway, numbers(5))
        gateway.patch_account("demo", reports_allowed=False)
        gateway.advance(1)
        with pytest.raises(GatewayRefused):
            await service.reconcile(outcome.send_id)
        with pytest.raises(GatewayRefused):
            await service.resend_unconfirmed(outcome.send_id)
    assert len(gateway.world.tasks) == 1 and set(sent_per_mobile(gateway).values()) == {1}


async def test_two_processes_never_send_the_same_chunk(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=5) as first:
        send_id = (await first.plan(await first.preflight(SmsJob(mobiles=numbers(40), content=SIGNED)))).send_id
        gateway.set_faults(latency=0.05)
        async with open_service(gateway, tmp_path / "s.db", chunk_size=5) as second:
            # Opening a second service must not take the first one's chunks in flight for a crash's.
            await asyncio.gather(first.run(send_id), second.run(send_id))
            outcome = await first.outcome(send_id)
            assert outcome.complete and outcome.accepted == 40
    assert len(gateway.world.tasks) == 8 and set(sent_per_mobile(gateway).values()) == {1}


async def test_batch_and_mms_through_the_sender(gateway, tmp_path):
    import smstui.protocol as p

    rows = tuple(p.BatchRow(m, f"尊敬的{i}号客户，您好【星辰科技】") for i, m in enumerate(numbers(25)))
    async with open_service(gateway, tmp_path / "s.db", batch_rows=10) as service:
        outcome = await service.send(await service.preflight(BatchJob(rows=rows)))
        assert outcome.accepted == 25 and len(outcome.task_ids) == 3
        mms = await service.send(
            await service.preflight(
                MmsJob(mobiles=numbers(2, 100), subject="新品", package=p.pack_mms([p.Slide("新品上市")]))
            )
        )
        assert mms.accepted == 2 and gateway.world.accounts["demo"].mms_balance == 98
    task = gateway.world.tasks[outcome.task_ids[0]]
    assert task.recipients["13900000000"].content == "尊敬的0号客户，您好【星辰科技】"


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_a_report_two_requests_in_doubt_could_have_caused_proves_neither(gateway, tmp_path):
    """Send A reached the gateway (its reply was lost); send B to the same number did not (a 503). A's report must
    not confirm B, and A must not be re-sent for want of it: the number is ambiguous and left to the user."""
    async with open_service(gateway, tmp_path / "s.db", reconcile_wait=0, shared_account=False) as service:
        gateway.set_faults(drop_ratio=1.0)
        first = await service.send(await service.preflight(sms(("13900000001",), SIGNED)))
        gateway.set_faults(drop_ratio=0.0, error_ratio=1.0)
        again = await service.preflight(sms(("13900000001",), SIGNED))
        assert [(h.rule, h.send_id) for h in again.held] == [("doubt", first.send_id)]  # held while in doubt
        second = await service.send(again, override_held=True)  # the user's deliberate choice
        gateway.clear_faults()
        assert first.unknown and second.unknown and len(gateway.world.tasks) == 1
        gateway.advance(2)
        for send in (second, first):
            [result] = await service.reconcile(send.send_id)
            assert (result.confirmed, result.unconfirmed, result.ambiguous) == ([], [], ["13900000001"])
        assert await service.resend_unconfirmed(first.send_id) is None
        assert await service.resend_unconfirmed(second.send_id) is None
    assert len(gateway.world.tasks) == 1


async def test_two_processes_re_sending_at_once_re_send_once(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=5, reconcile_wait=0) as first:
        send_id = (await first.plan(await first.preflight(SmsJob(mobiles=numbers(10), content=SIGNED)))).send_id
        for chunk in await first.store.chunks(send_id):  # as if the requests never got an answer
            await first.store.start_chunk(chunk.id, gateway.now())
            await first.store.mark_chunk(chunk.id, "unknown")
        async with open_service(gateway, tmp_path / "s.db", chunk_size=5, reconcile_wait=0) as second:
            outcomes = await asyncio.gather(first.resend_unconfirmed(send_id), second.resend_unconfirmed(send_id))
    assert sorted(o is None for o in outcomes) == [False, True]
    assert set(sent_per_mobile(gateway).values()) == {1} and len(sent_per_mobile(gateway)) == 10


async def test_re_sending_still_respects_opt_outs_and_another_accounts_sends_are_not_touched(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", reconcile_wait=0) as service:
        send_id = (await service.plan(await service.preflight(SmsJob(mobiles=numbers(3), content=SIGNED)))).send_id
        for chunk in await service.store.chunks(send_id):
            await service.store.start_chunk(chunk.id, gateway.now())
            await service.store.mark_chunk(chunk.id, "unknown")
        await service.add_optout(numbers(3)[0])
        outcome = await service.resend_unconfirmed(send_id)
        assert [h.mobile for h in outcome.held] == [numbers(3)[0]] and outcome.accepted == 2
    async with open_service(gateway, tmp_path / "s.db", password="post123", name="other", account="postpaid",
                            userid="1002") as other:
        with pytest.raises(InvalidInput, match="made on account demo@127.0.0.1"):
            await other.resume(send_id)
        with pytest.raises(InvalidInput, match="made on account demo@127.0.0.1"):
            await other.sender.reconciler.reconcile(send_id)
    assert sorted(sent_per_mobile(gateway)) == list(numbers(3)[1:])


async def test_numbers_in_doubt_are_held_until_reconcile_wait_has_passed(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", reconcile_wait=60) as service:
        first = await send_with_lost_replies(service, gateway, numbers(2))
        later = await service.preflight(sms(numbers(3), SIGNED))
        assert [(h.mobile, h.rule, h.send_id) for h in later.held] == [(m, "doubt", first.send_id) for m in numbers(2)]
        assert "whose outcome is unknown" in later.held[0].reason and later.sendable == [numbers(3)[2]]
        assert all(h.overridable for h in later.held)
        gateway.advance(61)  # reports would have come by now: reconciliation decides, the hold ends
        assert (await service.preflight(sms(numbers(3), SIGNED))).held == []


async def test_numbers_refused_for_balance_are_offered_again_and_sent_once(gateway, tmp_path):
    gateway.patch_account("demo", balance=10)
    async with open_service(gateway, tmp_path / "s.db", chunk_size=10, concurrency=1) as service:
        outcome = await service.send(await service.preflight(sms(numbers(30), SIGNED)))
        assert outcome.accepted == 10 and outcome.curable == list(numbers(30)[10:])
        gateway.patch_account("demo", top_up=100)
        job = await service.refused_job(outcome.send_id)
        assert job is not None and job.numbers() == list(numbers(30)[10:])
        again = await service.send(await service.preflight(job))
        assert again.accepted == 20
        assert await service.refused_job(outcome.send_id) is None  # sent again once: never offered twice
        assert (await service.outcome(outcome.send_id)).curable == []
    assert set(sent_per_mobile(gateway).values()) == {1} and len(sent_per_mobile(gateway)) == 30


async def test_a_batch_finding_names_its_first_number_and_how_many_rows_in_either_language(gateway, tmp_path):
    import smstui.protocol as p
    from smstui.cli.strings import Strings
    from smstui.words import error_text

    rows = [p.BatchRow(mobile, "您的订单已发货") for mobile in numbers(3)]  # no 【signature】 on any of them
    async with open_service(gateway, tmp_path / "s.db") as service:
        with pytest.raises(InvalidInput) as refused:
            await service.preflight(BatchJob(rows=(*rows, p.BatchRow("13900000009", SIGNED))))
    english, chinese = (error_text(Strings(language), refused.value) for language in ("en", "zh"))
    assert english.startswith("the message for 13900000000: ") and english.endswith(" (3 rows)")
    assert chinese == "发给 13900000000 的短信：缺少签名：请以【签名】结尾，3–8 个字（共 3 行）"
    assert gateway.world.tasks == {}
