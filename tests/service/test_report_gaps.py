"""Report queries under faults: a lost body is a gap, a gap keeps numbers from being re-sent, nothing read is lost."""

import pytest
from support.service import open_service, sms

from smstui.service import ServiceError

SIGNED = "您的订单已发货【星辰科技】"
LOST = {
    "dropped": {"drop_ratio": 1.0},
    "timed out": {"drop_ratio": 1.0, "drop_mode": "timeout", "drop_delay": 5.0},
    "cut": {"truncate_ratio": 1.0},
}


def numbers(count, start=0):
    return tuple(f"139{i:08d}" for i in range(start, start + count))


def accepted_per_mobile(sim):
    counts: dict[str, int] = {}
    for task in sim.world.tasks.values():
        for mobile, recipient in task.recipients.items():
            if recipient.state != "refused":
                counts[mobile] = counts.get(mobile, 0) + 1
    return counts


async def unknown_send(service, gateway, count):
    """A send the gateway processed whose every reply was lost."""
    gateway.set_faults(drop_ratio=1.0)
    outcome = await service.send(await service.preflight(sms(numbers(count), SIGNED)))
    gateway.clear_faults()
    assert sum(c.count for c in outcome.unknown) == count
    return outcome


@pytest.mark.parametrize("fault", LOST)
@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_a_report_body_lost_in_transfer_is_a_gap_and_nothing_processed_is_sent_again(gateway, tmp_path, fault):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=1000, reconcile_wait=0, read_timeout=1.0,
                            shared_account=False) as service:
        outcome = await unknown_send(service, gateway, 5000)
        gateway.advance(2)
        gateway.set_faults(**LOST[fault])
        with pytest.raises(ServiceError):  # the first query's body: handed out by the gateway, lost on the way
            await service.drain_reports()
        gateway.clear_faults()
        assert gateway.world.pending_reports("demo") == 4000
        [gap] = (await service.recovery()).gaps
        assert gap.kind == "reports" and gap.items < 1000  # a cut body keeps its whole boxes
        results = await service.reconcile(outcome.send_id)
        confirmed = {m for r in results for m in r.confirmed}
        ambiguous = {m for r in results for m in r.ambiguous}
        assert len(confirmed) == 4000 + gap.items and confirmed | ambiguous == set(numbers(5000))
        assert {r.why[m] for r in results for m in r.ambiguous} == {"gap"}
        assert all(r.unconfirmed == [] for r in results) and {g.id for r in results for g in r.gaps} == {gap.id}
        assert await service.resend_unconfirmed(outcome.send_id) is None
    counts = accepted_per_mobile(gateway)
    assert len(gateway.world.tasks) == 5 and len(counts) == 5000 and set(counts.values()) == {1}


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_accepting_the_gaps_is_the_users_word_and_re_sends_only_the_unreported(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=1000, reconcile_wait=0, read_timeout=1.0,
                            shared_account=False) as service:
        outcome = await unknown_send(service, gateway, 2000)
        gateway.advance(2)
        gateway.set_faults(drop_ratio=1.0, drop_mode="timeout", drop_delay=5.0)
        with pytest.raises(ServiceError):
            await service.drain_reports()
        gateway.clear_faults()
        [result_a, result_b] = await service.reconcile(outcome.send_id, accept_gaps=True)
        lost = set(result_a.unconfirmed + result_b.unconfirmed)
        assert len(lost) == 1000 and not result_a.ambiguous and not result_b.ambiguous
        resent = await service.resend_unconfirmed(outcome.send_id, accept_gaps=True)
        assert resent is not None and resent.accepted == 1000
        assert await service.forget_gaps() == 1 and (await service.recovery()).gaps == []
    counts = accepted_per_mobile(gateway)
    assert sorted(m for m, n in counts.items() if n == 2) == sorted(lost)  # the risk the user took, and only it


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_a_gap_before_a_send_does_not_hold_it_and_a_report_query_that_took_nothing_is_no_gap(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", chunk_size=10, reconcile_wait=0,
                            shared_account=False) as service:
        await service.send(await service.preflight(sms(numbers(10), SIGNED)))
        gateway.advance(2)
        gateway.set_faults(drop_ratio=1.0)
        with pytest.raises(ServiceError):
            await service.drain_reports()
        gateway.set_faults(drop_ratio=0.0, error_ratio=1.0)  # a 503: the gateway handed nothing out
        with pytest.raises(ServiceError):
            await service.drain_reports()
        gateway.set_faults(error_ratio=0.0, html_ratio=1.0)  # a proxy's page: nothing handed out either
        with pytest.raises(ServiceError):
            await service.drain_reports()
        assert len((await service.recovery()).gaps) == 1
        gateway.set_faults(html_ratio=0.0, drop_ratio=1.0)
        later = await service.send(await service.preflight(sms(numbers(10, 100), SIGNED)))
        gateway.clear_faults()
        gateway.advance(2)
        [result] = await service.reconcile(later.send_id)  # the gap was before it went out: it proves nothing
        assert len(result.confirmed) == 10 and result.ambiguous == []


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_another_senders_task_to_the_same_numbers_does_not_confirm_an_unknown_send(gateway, tmp_path):
    """D2: the journal says a request went out, but it never reached the gateway; a colleague (another store on
    the same account) sends to the same numbers. Their reports prove nothing about ours."""
    mobiles = numbers(100)
    async with open_service(gateway, tmp_path / "ours.db", chunk_size=100, reconcile_wait=0) as ours:
        send_id = (await ours.plan(await ours.preflight(sms(mobiles, SIGNED)))).send_id
        [chunk] = await ours.store.chunks(send_id)
        assert await ours.store.start_chunk(chunk.id, gateway.now())  # then the program died
    async with open_service(gateway, tmp_path / "colleague.db") as colleague:
        theirs = await colleague.send(await colleague.preflight(sms(mobiles, "您好，明天见【星辰科技】")))
        assert theirs.accepted == 100
    gateway.advance(2)
    async with open_service(gateway, tmp_path / "ours.db", chunk_size=100, reconcile_wait=0) as ours:
        [result] = await ours.reconcile(send_id)
        assert result.confirmed == [] and result.unconfirmed == [] and len(result.ambiguous) == 100
        assert set(result.why.values()) == {"foreign"}
        assert await ours.resend_unconfirmed(send_id) is None
        assert (await ours.outcome(send_id)).accepted == 0
    assert len(gateway.world.tasks) == 1
    async with open_service(gateway, tmp_path / "ours.db", reconcile_wait=0, shared_account=False) as ours:
        [result] = await ours.reconcile(send_id)  # the user declared the account theirs alone: the task is proof
        assert len(result.confirmed) == 100


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_reconcile_completes_behind_a_gateway_that_fails_one_request_in_five(gateway, tmp_path):
    """D6: a 503 took nothing from the queue: the query is tried again with backoff, and no gap is recorded."""
    async with open_service(gateway, tmp_path / "s.db", chunk_size=100, reconcile_wait=0,
                            shared_account=False) as service:
        outcome = await unknown_send(service, gateway, 1000)
        gateway.advance(2)
        gateway.set_faults(error_ratio=0.2)
        results = await service.reconcile(outcome.send_id)
        gateway.clear_faults()
        assert sum(len(r.confirmed) for r in results) == 1000 and all(not r.ambiguous for r in results)
        assert (await service.recovery()).gaps == [] and (await service.outcome(outcome.send_id)).accepted == 1000


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=1.0)
async def test_a_cut_uplink_body_keeps_its_whole_replies_and_opt_outs(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        for i in range(40):
            gateway.inject_uplink("demo", f"139{i:08d}", "TD" if i % 4 == 0 else f"好的{i}")
        gateway.set_faults(truncate_ratio=1.0)
        with pytest.raises(ServiceError):
            await service.drain_uplinks()
        gateway.clear_faults()
        [gap] = (await service.recovery()).gaps
        kept = await service.stored_uplinks()
        assert gap.kind == "uplinks" and 0 < len(kept) == gap.items < 40
        optouts = await service.optouts()
        assert set(optouts) == {u.mobile for u in kept if u.content == "TD"}
