"""Delivery reports and uplinks over real HTTP (chapters 4 and 5): the queue semantics, the error forms,
what the reports say under the configured ratios and delays, scheduled sends."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

import smstui.protocol as p

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
NOREPORTS = p.Credentials("noreports", "norep123", "1004")
SIG = "【测试公司】"
NUMBERS = [f"1391234{n:04d}" for n in range(12)]
QUICK = {"delivered_ratio": 1.0, "report_delay": [1, 1], "reply_rate": 0.0}


async def send_ok(api, mobiles, content="您好" + SIG, **kwargs) -> p.SendResult:
    result = await api.send(DEMO, ",".join(mobiles) if not isinstance(mobiles, str) else mobiles, content, **kwargs)
    assert result.ok, result
    return result


# -- queue semantics -----------------------------------------------------------------------------------


@pytest.mark.sim(**QUICK)
async def test_reports_come_statusnum_at_a_time_and_never_again(sim, api):
    sent = await send_ok(api, NUMBERS[:5])
    sim.advance(1)
    seen: list[p.Report] = []
    sizes = []
    while True:
        batch = await api.reports(DEMO, status_num=2)
        sizes.append(len(batch))
        if not batch:
            break
        seen.extend(batch)
    assert sizes == [2, 2, 1, 0]
    assert sorted(r.mobile for r in seen) == NUMBERS[:5]  # each exactly once
    assert {r.task_id for r in seen} == {sent.task_id}
    assert await api.reports(DEMO) == []  # still empty afterwards
    assert (await api.state())["accounts"]["demo"]["pending_reports"] == 0


@pytest.mark.sim(**QUICK)
async def test_reports_default_statusnum_returns_everything_pending(sim, api):
    await send_ok(api, NUMBERS[:7])
    await send_ok(api, NUMBERS[7:12])
    sim.advance(1)
    assert (await api.state())["accounts"]["demo"]["pending_reports"] == 12
    first = await api.reports(DEMO)  # statusNum 1000
    assert len(first) == 12
    assert await api.reports(DEMO) == []


@pytest.mark.sim(**QUICK)
async def test_reports_of_one_task_only(sim, api):
    first = await send_ok(api, NUMBERS[:3])
    second = await send_ok(api, NUMBERS[3:5])
    sim.advance(1)
    only_second = await api.reports(DEMO, task_id=second.task_id)
    assert sorted(r.mobile for r in only_second) == NUMBERS[3:5]
    assert {r.task_id for r in only_second} == {second.task_id}
    assert await api.reports(DEMO, task_id=second.task_id) == []
    assert await api.reports(DEMO, task_id="1234567890123456") == []
    rest = await api.drain_reports(DEMO)
    assert sorted(r.mobile for r in rest) == NUMBERS[:3]
    assert {r.task_id for r in rest} == {first.task_id}


@pytest.mark.sim(**QUICK)
async def test_reports_of_one_task_statusnum_at_a_time(sim, api):
    await send_ok(api, NUMBERS[:2])
    target = await send_ok(api, NUMBERS[2:7])
    sim.advance(1)
    got = await api.drain_reports(DEMO, task_id=target.task_id, status_num=2)
    assert sorted(r.mobile for r in got) == NUMBERS[2:7]
    assert len(await api.drain_reports(DEMO)) == 2


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[5, 5], reply_rate=0.0)
async def test_reports_come_first_in_first_out_across_tasks(sim, api):
    # task 1: one recipient refused now (blacklisted), one scheduled an hour ahead; task 2: sent now, reported at +5 s
    first = await send_ok(api, ["13800000000", NUMBERS[0]], send_time=sim.now() + timedelta(hours=1))
    second = await send_ok(api, NUMBERS[1])
    sim.advance(3600 + 5)
    order = [(r.task_id, r.mobile) for r in await api.reports(DEMO)]
    assert order == [(first.task_id, "13800000000"), (second.task_id, NUMBERS[1]), (first.task_id, NUMBERS[0])]


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[5, 5], reply_rate=0.0)
async def test_task_queries_and_plain_queries_share_one_queue_without_repeats(sim, api):
    first = await send_ok(api, ["13800000000", NUMBERS[0]], send_time=sim.now() + timedelta(hours=1))
    second = await send_ok(api, NUMBERS[1:3])
    sim.advance(3600 + 5)
    assert [r.mobile for r in await api.reports(DEMO, task_id=second.task_id, status_num=1)] == [NUMBERS[1]]
    assert [r.mobile for r in await api.reports(DEMO, status_num=2)] == ["13800000000", NUMBERS[2]]
    assert await api.reports(DEMO, task_id=second.task_id) == []
    assert [r.mobile for r in await api.reports(DEMO, task_id=first.task_id)] == [NUMBERS[0]]
    assert await api.reports(DEMO) == []
    assert (await api.state())["accounts"]["demo"]["pending_reports"] == 0


@pytest.mark.sim(**QUICK)
async def test_reports_json_queue(sim, api):
    sent = await send_ok(api, NUMBERS[:3])
    sim.advance(1)
    response = await api.call(p.build_reports_query(DEMO, "json", status_num=2))
    body = json.loads(response.content)
    assert body["error"] == "1" and body["remark"] == "成功"
    assert len(body["statusbox"]) == 2
    assert all(
        set(box) == {"mobile", "taskid", "status", "receivetime", "errorcode", "extno"} for box in body["statusbox"]
    )
    reply = p.parse_reports_json((await api.call(p.build_reports_query(DEMO, "json"))).content)
    assert reply.ok and len(reply.items) == 1 and reply.items[0].task_id == sent.task_id
    empty = p.parse_reports_json((await api.call(p.build_reports_query(DEMO, "json"))).content)
    assert empty.ok and empty.items == []


async def test_uplinks_queue(sim, api):
    sim.inject_uplink("demo", NUMBERS[0], "好的，收到", "12")
    sim.inject_uplink("demo", NUMBERS[1], "TD")
    response = await api.http.post(
        "/_sim/uplink", json={"account": "demo", "mobile": NUMBERS[2], "content": "几点开始", "extno": "345"}
    )
    assert response.status_code == 200
    sim.inject_uplink("postpaid", NUMBERS[3], "not for demo")
    first = await api.uplinks(DEMO)
    assert [(u.mobile, u.content, u.extno) for u in first] == [
        (NUMBERS[0], "好的，收到", "12"),
        (NUMBERS[1], "TD", ""),
        (NUMBERS[2], "几点开始", "345"),
    ]
    assert all(u.receive_time == sim.now().replace(microsecond=0) for u in first)
    assert await api.uplinks(DEMO) == []
    sim.inject_uplink("demo", NUMBERS[4], "再来一条")
    assert [u.content for u in await api.uplinks(DEMO)] == ["再来一条"]
    assert await api.uplinks(DEMO) == []


async def test_uplinks_json_queue(sim, api):
    for n in range(3):
        sim.inject_uplink("demo", NUMBERS[n], f"回复{n}")
    response = await api.call(p.build_uplinks_query(DEMO, "json"))
    body = json.loads(response.content)
    assert body["error"] == "1"
    assert [box["content"] for box in body["callbox"]] == ["回复0", "回复1", "回复2"]
    again = p.parse_uplinks_json((await api.call(p.build_uplinks_query(DEMO, "json"))).content)
    assert again.ok and again.items == []


async def test_uplinks_raw_get_query(sim, api):
    sim.inject_uplink("demo", NUMBERS[0], "查询")
    response = await api.http.get("/CALLAPI.ASPX?action=query&userid=1001&account=demo&password=demo123")
    reply = p.parse_uplinks(response.content)
    assert reply.ok and [u.content for u in reply.items] == ["查询"]


# -- error forms -----------------------------------------------------------------------------------------

REPORT_PATHS = ["/statusApi.aspx", "/callApi.aspx"]


def query_form(**fields: str) -> dict[str, str]:
    return {"action": "query", "userid": "1001", "account": "demo", "password": p.md5_upper("demo123"), **fields}


@pytest.mark.parametrize("path", REPORT_PATHS)
@pytest.mark.parametrize("fields", [{"account": ""}, {"password": ""}, {"account": "", "password": ""}])
async def test_xml_query_empty_credentials_is_error_1(api, path, fields):
    reply = (p.parse_reports if "status" in path else p.parse_uplinks)(
        (await api.http.post(path, data=query_form(**fields))).content
    )
    assert not reply.ok and reply.error == 1 and reply.remark == "用户名或密码不能为空"


@pytest.mark.parametrize("path", REPORT_PATHS)
@pytest.mark.parametrize("fields", [{"password": "wrong"}, {"account": "nobody"}])
async def test_xml_query_wrong_credentials_is_error_2(api, path, fields):
    response = await api.http.post(path, data=query_form(**fields))
    assert "<errorstatus>" in response.text
    reply = (p.parse_reports if "status" in path else p.parse_uplinks)(response.content)
    assert not reply.ok and reply.error == 2 and reply.remark == "用户名或密码错误"


async def test_xml_reports_not_allowed_is_error_3(sim, api):
    reply = p.parse_reports((await api.call(p.build_reports_query(NOREPORTS))).content)
    assert not reply.ok and reply.error == 3 and reply.remark == "该用户不允许查看状态报告"
    json_reply = p.parse_reports_json((await api.call(p.build_reports_query(NOREPORTS, "json"))).content)
    assert not json_reply.ok and json_reply.error == 3


@pytest.mark.parametrize("status_num", ["abc", "-5", "0", "1.5"])
async def test_xml_reports_bad_statusnum_is_error_4(api, status_num):
    reply = p.parse_reports((await api.http.post("/statusApi.aspx", data=query_form(statusNum=status_num))).content)
    assert not reply.ok and reply.error == 4 and reply.remark == "参数不正确"


@pytest.mark.parametrize("path", REPORT_PATHS)
async def test_xml_query_bad_action_is_error_4(api, path):
    reply = (p.parse_reports if "status" in path else p.parse_uplinks)(
        (await api.http.post(path, data=query_form(action="send"))).content
    )
    assert not reply.ok and reply.error == 4


@pytest.mark.parametrize("path", ["/statusJsonApi.aspx", "/callJsonApi.aspx"])
async def test_json_query_errors(api, path):
    box = "statusbox" if "status" in path else "callbox"
    wrong = json.loads((await api.http.post(path, data=query_form(password="wrong"))).content)
    assert wrong["error"] == "1005" and wrong[box] == []  # like the document's {"error":"1005","remark":"密码错了"}
    assert p.code_for_message(wrong["remark"]) == 1005
    empty = json.loads((await api.http.post(path, data=query_form(password=""))).content)
    assert empty["error"] != "1" and empty[box] == []  # "1" would mean success here
    assert p.code_for_message(empty["remark"]) == 1003
    parse = p.parse_reports_json if box == "statusbox" else p.parse_uplinks_json
    assert not parse(json.dumps(wrong)).ok


async def test_json_reports_bad_statusnum(api):
    body = json.loads((await api.http.post("/statusJsonApi.aspx", data=query_form(statusNum="x"))).content)
    assert body["error"] == "4" and body["statusbox"] == []


async def test_noreports_account_may_still_read_uplinks(sim, api):
    sim.inject_uplink("noreports", NUMBERS[0], "你好")
    reply = p.parse_uplinks((await api.call(p.build_uplinks_query(NOREPORTS))).content)
    assert reply.ok and [u.content for u in reply.items] == ["你好"]


# -- what the reports say ----------------------------------------------------------------------------------


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[5, 5], reply_rate=0.0)
async def test_all_delivered_after_the_report_delay(sim, api):
    sent_at = sim.now()
    result = await send_ok(api, NUMBERS[:10], extno="88")
    sim.advance(4.9)
    assert await api.reports(DEMO) == []
    sim.advance(0.1)
    reports = await api.drain_reports(DEMO)
    assert sorted(r.mobile for r in reports) == NUMBERS[:10]
    for report in reports:
        assert report.status == 10 and report.delivered
        assert report.error_code == "DELIVRD"
        assert report.task_id == result.task_id
        assert report.extno == "88"
        assert report.receive_time == sent_at + timedelta(seconds=5)
    states = (await api.http.get(f"/_sim/tasks/{result.task_id}")).json()["states"]
    assert states == {"delivered": 10}


@pytest.mark.sim(delivered_ratio=0.0, report_delay=[2, 3], reply_rate=0.0)
async def test_all_failed_with_a_configured_failure_code(sim, api):
    await send_ok(api, NUMBERS[:12])
    sim.advance(1.9)
    assert await api.reports(DEMO) == []
    sim.advance(1.1)
    reports = await api.drain_reports(DEMO)
    assert len(reports) == 12
    assert all(r.status == 20 and not r.delivered for r in reports)
    assert all(r.error_code in sim.config.failure_codes for r in reports)
    assert len({r.error_code for r in reports}) > 1  # drawn from the list, not always the same


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[10, 20], reply_rate=0.0)
async def test_report_delay_bounds(sim, api):
    start = sim.now()
    await send_ok(api, NUMBERS[:12])
    sim.advance(9.9)
    assert await api.reports(DEMO) == []
    sim.advance(10.1)
    reports = await api.drain_reports(DEMO)
    assert len(reports) == 12
    offsets = [(r.receive_time - start).total_seconds() for r in reports]
    assert all(10 <= o <= 20 for o in offsets), offsets


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[1, 1], reply_rate=1.0, optout_ratio=0.0, reply_delay=[5, 5])
async def test_replies_carry_the_extno_of_the_message(sim, api):
    await send_ok(api, NUMBERS[:3], extno="123")
    await send_ok(api, NUMBERS[3:5], extno="")
    sim.advance(1)
    assert len(await api.drain_reports(DEMO)) == 5
    assert await api.uplinks(DEMO) == []  # the replies come reply_delay later
    sim.advance(5)
    uplinks = await api.uplinks(DEMO)
    assert sorted(u.mobile for u in uplinks) == NUMBERS[:5]
    for uplink in uplinks:
        assert uplink.extno == ("123" if uplink.mobile in NUMBERS[:3] else "")
        assert uplink.content in sim.config.replies


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[1, 1], reply_rate=1.0, optout_ratio=1.0, reply_delay=[1, 1])
async def test_optout_replies(sim, api):
    await send_ok(api, NUMBERS[:4])
    sim.advance(2)
    uplinks = await api.uplinks(DEMO)
    assert len(uplinks) == 4 and all(u.content in sim.config.optouts for u in uplinks)


@pytest.mark.sim(delivered_ratio=0.0, report_delay=[1, 1], reply_rate=1.0, reply_delay=[1, 1])
async def test_undelivered_messages_get_no_reply(sim, api):
    await send_ok(api, NUMBERS[:4])
    sim.advance(5)
    assert len(await api.drain_reports(DEMO)) == 4
    assert await api.uplinks(DEMO) == []


# -- scheduled sends --------------------------------------------------------------------------------------


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[5, 5], reply_rate=0.0)
async def test_scheduled_send_reports_only_after_its_time(sim, api):
    send_at = sim.now() + timedelta(hours=1)
    result = await send_ok(api, NUMBERS[:2], send_time=send_at)
    assert result.balance == sim.config.account("demo").balance - 2  # billed when accepted
    task = (await api.http.get(f"/_sim/tasks/{result.task_id}")).json()
    assert task["scheduled"] is True
    sim.advance(3600 - 1)
    assert await api.reports(DEMO) == []
    sim.advance(1 + 4.9)  # the send time passed, but not the report delay after it
    assert await api.reports(DEMO) == []
    sim.advance(0.1)
    reports = await api.drain_reports(DEMO)
    assert sorted(r.mobile for r in reports) == NUMBERS[:2]
    assert all(r.receive_time == send_at + timedelta(seconds=5) for r in reports)
    assert (await api.http.get(f"/_sim/tasks/{result.task_id}")).json()["scheduled"] is False


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[5, 5], reply_rate=0.0)
async def test_scheduled_send_raw_sendtime_text(sim, api):
    send_at = sim.now() + timedelta(minutes=10)
    response = await api.http.post(
        "/sms.aspx",
        data={
            "action": "send",
            "account": "demo",
            "password": "demo123",
            "mobile": NUMBERS[0],
            "content": "定时" + SIG,
            "sendTime": send_at.strftime("%Y-%m-%d %H:%M:%S"),
        },
    )
    assert p.parse_send_result(response.content).ok
    sim.advance(600)
    assert await api.reports(DEMO) == []
    sim.advance(5)
    assert [r.mobile for r in await api.reports(DEMO)] == [NUMBERS[0]]


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[5, 5], reply_rate=0.0)
async def test_send_time_in_the_past_goes_now(sim, api):
    result = await send_ok(api, NUMBERS[:1], send_time=sim.now() - timedelta(hours=3))
    assert (await api.http.get(f"/_sim/tasks/{result.task_id}")).json()["scheduled"] is False
    sim.advance(5)
    assert len(await api.reports(DEMO)) == 1


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[5, 5], reply_rate=0.0)
async def test_scheduled_encrypted_send(sim, api):
    send_at = sim.now() + timedelta(minutes=30)
    request = p.build_encrypted_send(DEMO, NUMBERS[0], "加密定时" + SIG, sim.now(), send_time=send_at)
    result = p.parse_encrypted_reply((await api.call(request)).content)
    assert result.ok
    sim.advance(1800)
    assert await api.reports(DEMO) == []
    sim.advance(5)
    assert [r.task_id for r in await api.reports(DEMO)] == [result.msg_id]
