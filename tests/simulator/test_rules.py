"""The two sending rules driven by the clock (the rules before chapter 1), over real HTTP:
at most 3 验证码 messages to a number in 3 minutes (恶意注册), at most 10 messages a Beijing day (超限)."""

from __future__ import annotations

from datetime import timedelta

import pytest

import smstui.protocol as p

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
SIG = "【测试公司】"
TARGET, OTHER, THIRD = "13912345678", "13612345670", "13712345671"
CODE_TEXT = "您的验证码是{}，5分钟内有效" + SIG
PLAIN_TEXT = "第{}条通知" + SIG
QUIET = {"delivered_ratio": 1.0, "report_delay": [1, 1], "reply_rate": 0.0}


async def send(api, mobiles: str, content: str) -> p.SendResult:
    return await api.send(DEMO, mobiles, content)


async def balance(api) -> int:
    return await api.balance(DEMO)


# -- verification codes ---------------------------------------------------------------------------------


@pytest.mark.sim(**QUIET)
async def test_fourth_code_in_3_minutes_alone_fails_naming_malicious_registration(sim, api):
    for n in range(3):
        assert (await send(api, TARGET, CODE_TEXT.format(1000 + n))).ok
        sim.advance(30)
    before = await balance(api)
    fourth = await send(api, TARGET, CODE_TEXT.format(2000))
    assert not fourth.ok and fourth.status == "Faild"
    assert "恶意注册" in fourth.message
    assert fourth.success_count == 0
    assert await balance(api) == before
    assert (await api.state())["tasks"] == 3


@pytest.mark.sim(**QUIET)
async def test_fourth_code_with_another_recipient_leaves_it_out(sim, api):
    for n in range(3):
        assert (await send(api, TARGET, CODE_TEXT.format(n))).ok
    before = await balance(api)
    result = await send(api, f"{TARGET},{OTHER}", CODE_TEXT.format(9))
    assert result.ok and result.status == "Success"
    assert result.success_count == 1
    assert result.balance == before - 1  # only OTHER is billed
    refused_reports = await api.reports(DEMO, task_id=result.task_id)  # the refusal is reported at once
    assert [(r.mobile, r.status, r.error_code) for r in refused_reports] == [(TARGET, 20, "MALREG")]
    sim.advance(1)
    delivered = await api.reports(DEMO, task_id=result.task_id)
    assert [(r.mobile, r.status, r.error_code) for r in delivered] == [(OTHER, 10, "DELIVRD")]
    states = (await api.http.get(f"/_sim/tasks/{result.task_id}")).json()["recipient_states"]
    assert states[TARGET] == ["refused", "MALREG"]


@pytest.mark.sim(**QUIET)
async def test_codes_accepted_again_once_the_3_minutes_passed(sim, api):
    for n in range(3):
        assert (await send(api, TARGET, CODE_TEXT.format(n))).ok
        sim.advance(10)
    assert not (await send(api, TARGET, CODE_TEXT.format(3))).ok  # at +30 s
    sim.advance(180 - 30 - 1)  # +179 s after the first: still inside the window
    assert not (await send(api, TARGET, CODE_TEXT.format(4))).ok
    sim.advance(1)  # +180 s: the first one left the window
    assert (await send(api, TARGET, CODE_TEXT.format(5))).ok
    assert not (await send(api, TARGET, CODE_TEXT.format(6))).ok  # window holds 2nd, 3rd, and the new one


@pytest.mark.sim(**QUIET)
async def test_code_rule_counts_per_number_and_only_codes(sim, api):
    for n in range(3):
        assert (await send(api, TARGET, CODE_TEXT.format(n))).ok
    assert (await send(api, OTHER, CODE_TEXT.format(7))).ok  # another number has its own count
    assert (await send(api, TARGET, PLAIN_TEXT.format(1))).ok  # content without 验证码 is not limited by it


@pytest.mark.sim(**QUIET)
async def test_refused_codes_do_not_count(sim, api):
    for n in range(3):
        assert (await send(api, TARGET, CODE_TEXT.format(n))).ok
    sim.advance(100)
    for n in range(3):
        assert not (await send(api, TARGET, CODE_TEXT.format(10 + n))).ok
    sim.advance(80)  # 180 s after the three accepted ones: the refused ones must not keep it closed
    assert (await send(api, TARGET, CODE_TEXT.format(99))).ok


@pytest.mark.sim(verification_limit=5, verification_window=60.0, **QUIET)
async def test_code_rule_follows_the_configuration(sim, api):
    for n in range(5):
        assert (await send(api, TARGET, CODE_TEXT.format(n))).ok
    assert not (await send(api, TARGET, CODE_TEXT.format(5))).ok
    sim.advance(60)
    assert (await send(api, TARGET, CODE_TEXT.format(6))).ok


@pytest.mark.sim(exempt_numbers=[TARGET], **QUIET)
async def test_exempt_number_bypasses_the_code_rule(sim, api):
    for n in range(6):
        assert (await send(api, TARGET, CODE_TEXT.format(n))).ok
    for n in range(3):  # a number that is not exempt still gets the rule
        assert (await send(api, OTHER, CODE_TEXT.format(n))).ok
    assert not (await send(api, OTHER, CODE_TEXT.format(9))).ok


@pytest.mark.sim(**QUIET)
async def test_code_rule_on_the_encrypted_endpoint(sim, api):
    for n in range(3):
        assert (await send(api, TARGET, CODE_TEXT.format(n))).ok
    request = p.build_encrypted_send(DEMO, TARGET, CODE_TEXT.format(4), sim.now())
    result = p.parse_encrypted_reply((await api.call(request)).content)
    assert not result.ok and "恶意注册" in result.description


# -- ten a day --------------------------------------------------------------------------------------------


async def send_ten(api, sim, mobile: str = TARGET, gap: float = 60) -> None:
    for n in range(10):
        result = await send(api, mobile, PLAIN_TEXT.format(n))
        assert result.ok, (n, result)
        sim.advance(gap)


@pytest.mark.sim(**QUIET)
async def test_eleventh_message_of_the_day_fails_as_overlimit(sim, api):
    await send_ten(api, sim)
    before = await balance(api)
    eleventh = await send(api, TARGET, PLAIN_TEXT.format(11))
    assert not eleventh.ok and eleventh.status == "Faild"
    assert "超限" in eleventh.message
    assert await balance(api) == before


@pytest.mark.sim(**QUIET)
async def test_eleventh_with_others_is_left_out_with_an_overlimit_report(sim, api):
    await send_ten(api, sim)
    await api.drain_reports(DEMO)
    before = await balance(api)
    result = await send(api, f"{OTHER},{TARGET},{THIRD}", PLAIN_TEXT.format(11))
    assert result.ok and result.success_count == 2
    assert result.balance == before - 2
    sim.advance(1)
    reports = {r.mobile: r for r in await api.drain_reports(DEMO)}
    assert (reports[TARGET].status, reports[TARGET].error_code) == (20, "OVERLIMIT")
    assert reports[OTHER].status == reports[THIRD].status == 10


@pytest.mark.sim(start_time="2026-03-01 07:30:00", **QUIET)
async def test_daily_count_resets_at_beijing_midnight_not_utc(sim, api):
    # 07:30 Beijing = 23:30 UTC: the UTC day turns at 08:00 Beijing, which must not reset the count.
    await send_ten(api, sim, gap=60)  # until 07:40
    assert not (await send(api, TARGET, PLAIN_TEXT.format(11))).ok
    sim.advance(40 * 60)  # 08:20 Beijing, 00:20 UTC of the next UTC day
    assert sim.now().hour == 8
    assert not (await send(api, TARGET, PLAIN_TEXT.format(12))).ok
    to_midnight = (sim.now().replace(hour=0, minute=0, second=0) + timedelta(days=1) - sim.now()).total_seconds()
    sim.advance(to_midnight - 1)  # 23:59:59 Beijing
    assert not (await send(api, TARGET, PLAIN_TEXT.format(13))).ok
    sim.advance(2)  # 00:00:01 the next Beijing day
    assert sim.now().hour == 0 and sim.now().day == 2
    assert (await send(api, TARGET, PLAIN_TEXT.format(14))).ok


@pytest.mark.sim(start_time="2026-03-01 23:50:00", **QUIET)
async def test_daily_count_is_per_calendar_day_not_24_hours(sim, api):
    await send_ten(api, sim, gap=30)  # 23:50 … 23:54:30
    assert not (await send(api, TARGET, PLAIN_TEXT.format(11))).ok
    sim.advance(6 * 60)  # 00:00:30 the next day, only minutes after the ten
    assert (await send(api, TARGET, PLAIN_TEXT.format(12))).ok


@pytest.mark.sim(daily_limit=3, **QUIET)
async def test_daily_limit_follows_the_configuration(sim, api):
    for n in range(3):
        assert (await send(api, TARGET, PLAIN_TEXT.format(n))).ok
    assert not (await send(api, TARGET, PLAIN_TEXT.format(3))).ok


@pytest.mark.sim(exempt_numbers=[TARGET], **QUIET)
async def test_exempt_number_bypasses_the_daily_rule(sim, api):
    for n in range(15):
        assert (await send(api, TARGET, PLAIN_TEXT.format(n))).ok, n
    await send_ten(api, sim, mobile=OTHER, gap=1)
    assert not (await send(api, OTHER, PLAIN_TEXT.format(11))).ok


@pytest.mark.sim(**QUIET)
async def test_scheduled_sends_count_on_their_own_day(sim, api):
    tomorrow = sim.now() + timedelta(days=1)
    for n in range(10):
        assert (await api.send(DEMO, TARGET, PLAIN_TEXT.format(n), send_time=tomorrow + timedelta(minutes=n))).ok
    assert (await send(api, TARGET, PLAIN_TEXT.format(20))).ok  # today still has room
    late = await api.send(DEMO, TARGET, PLAIN_TEXT.format(21), send_time=tomorrow + timedelta(hours=1))
    assert not late.ok and "超限" in late.message


@pytest.mark.sim(**QUIET)
async def test_an_earlier_send_cannot_jump_the_queue_of_scheduled_ones(sim, api):
    """Ten sends scheduled for 10:00–10:09 tomorrow fill that day: an 11th scheduled for 09:00 is refused too."""
    tomorrow = sim.now() + timedelta(days=1)
    for n in range(10):
        assert (await api.send(DEMO, TARGET, PLAIN_TEXT.format(n), send_time=tomorrow + timedelta(minutes=n))).ok
    early = await api.send(DEMO, TARGET, PLAIN_TEXT.format(10), send_time=tomorrow - timedelta(hours=1))
    assert not early.ok and "超限" in early.message


@pytest.mark.sim(**QUIET)
async def test_a_code_scheduled_before_three_others_breaks_the_window(sim, api):
    at = sim.now() + timedelta(hours=1)
    for n in range(3):
        assert (await api.send(DEMO, TARGET, CODE_TEXT.format(n), send_time=at + timedelta(seconds=30 * n))).ok
    before = await api.send(DEMO, TARGET, CODE_TEXT.format(7), send_time=at - timedelta(seconds=30))
    assert not before.ok and "恶意注册" in before.message
    # three minutes before the first of them is outside every window
    assert (await api.send(DEMO, TARGET, CODE_TEXT.format(8), send_time=at - timedelta(minutes=3))).ok
