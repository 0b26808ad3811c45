"""The simulator's send endpoints over real HTTP: sms.aspx, smsJson.aspx, smsGBK.aspx, as the builders
send them and as clients in the wild send them; billing arithmetic; pre- and post-paid accounts."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest

import smstui.protocol as p

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
POSTPAID = p.Credentials("postpaid", "post123", "1002")
SIG = "【测试公司】"
A, B, C = "13912345678", "13912345679", "13612345670"


def text_of(length: int) -> str:
    """A valid content (ending with the signature) of exactly `length` characters."""
    return "好" * (length - len(SIG)) + SIG


def initial_balance(sim, name: str = "demo") -> int:
    return sim.config.account(name).balance


async def task_view(api, task_id: str) -> dict:
    response = await api.http.get(f"/_sim/tasks/{task_id}")
    assert response.status_code == 200, response.text
    return response.json()


# -- the three send endpoints ----------------------------------------------------------------------


async def test_send_xml_accepts_bills_and_answers_in_document_order(sim, api):
    response = await api.call(p.build_send(DEMO, [A, B], "您好，会议改到三点" + SIG))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    text = response.content.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8" ?>')
    # the document's element order, each on its own line
    order = re.findall(r"<(\w+)>", text)
    assert order == ["returnsms", "returnstatus", "message", "remainpoint", "taskID", "successCounts"]
    result = p.parse_send_result(response.content)
    assert result.ok and result.status == "Success"
    assert result.message == "操作成功"
    assert result.success_count == 2
    assert result.balance == initial_balance(sim) - 2
    assert re.fullmatch(r"260301\d{10}", result.task_id), result.task_id  # 16 digits from yyMMdd…
    assert await api.balance(DEMO) == result.balance
    view = await task_view(api, result.task_id)
    assert view["transport"] == "xml" and view["recipients"] == 2 and view["cost"] == 2


async def test_send_json_every_value_is_a_string(sim, api):
    response = await api.call(p.build_send(DEMO, A, "您好" + SIG, transport="json"))
    assert response.headers["content-type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"returnstatus", "message", "remainpoint", "taskID", "successCounts"}
    assert all(isinstance(v, str) for v in body.values()), body
    result = p.parse_send_result_json(response.content)
    assert result.ok and result.success_count == 1
    assert result.balance == initial_balance(sim) - 1
    assert (await task_view(api, result.task_id))["transport"] == "json"


async def test_send_gbk_reply_is_gbk_with_gb2312_declaration(sim, api):
    content = "您好，欢迎光临" + SIG
    request = p.build_send(DEMO, A, content, transport="gbk")
    assert request.path == "/smsGBK.aspx"
    response = await api.call(request)
    assert "gb2312" in response.headers["content-type"].lower()
    assert response.content.startswith(b'<?xml version="1.0" encoding="gb2312" ?>')
    assert "操作成功".encode("gbk") in response.content
    assert "操作成功".encode() not in response.content
    result = p.parse_send_result(response.content)
    assert result.ok and result.message == "操作成功"
    task = sim.world.tasks[result.task_id]
    assert task.transport == "gbk"
    assert task.recipients[A].content == content  # the GBK form body was read as GBK


# -- requests the way other clients send them --------------------------------------------------------


def demo_form(**extra: str) -> dict[str, str]:
    return {"action": "send", "userid": "1001", "account": "demo", "password": "demo123", **extra}


async def test_plain_password_instead_of_md5_is_accepted(sim, api):
    response = await api.http.post("/sms.aspx", data=demo_form(mobile=A, content="您好" + SIG))
    result = p.parse_send_result(response.content)
    assert result.ok, result
    assert result.balance == initial_balance(sim) - 1


async def test_lower_case_md5_is_accepted(api):
    form = demo_form(mobile=A, content="您好" + SIG, password=p.md5_upper("demo123").lower())
    result = p.parse_send_result((await api.http.post("/sms.aspx", data=form)).content)
    assert result.ok, result


@pytest.mark.sim(accept_plain_password=False)
async def test_plain_password_refused_when_switched_off(sim, api):
    plain = p.parse_send_result(
        (await api.http.post("/sms.aspx", data=demo_form(mobile=A, content="您好" + SIG))).content
    )
    assert not plain.ok and plain.message == "用户名或密码错误"
    hashed = await api.send(DEMO, A, "您好" + SIG)
    assert hashed.ok and hashed.balance == initial_balance(sim) - 1


async def test_get_query_string_send(sim, api):
    response = await api.http.get("/sms.aspx", params=demo_form(mobile=f"{A},{B}", content="查询字符串" + SIG))
    result = p.parse_send_result(response.content)
    assert result.ok and result.success_count == 2
    assert result.balance == initial_balance(sim) - 2
    assert sim.world.tasks[result.task_id].recipients[B].content == "查询字符串" + SIG


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=gb2312",
        "application/x-www-form-urlencoded; charset=GBK",
    ],
)
async def test_gbk_encoded_form_body_on_smsgbk(sim, api, content_type):
    content = "尊敬的客户，您的快递已到" + SIG
    body = urlencode(demo_form(mobile=A, content=content), encoding="gbk")
    assert "%" in body and content not in body
    response = await api.http.post("/smsGBK.aspx", content=body.encode("ascii"), headers={"Content-Type": content_type})
    result = p.parse_send_result(response.content)
    assert result.ok, result
    assert sim.world.tasks[result.task_id].recipients[A].content == content


async def test_gbk_body_sensitive_word_is_seen(sim, api):
    body = urlencode(demo_form(mobile=A, content="赌博网站" + SIG), encoding="gbk").encode("ascii")
    response = await api.http.post(
        "/smsGBK.aspx", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    result = p.parse_send_result(response.content)
    assert not result.ok and result.message == "敏感词(赌博)"


@pytest.mark.parametrize(
    "path", ["/sms.aspx", "/SMS.ASPX", "/Sms.Aspx", "/smsjson.aspx", "/SMSJSON.ASPX", "/smsgbk.aspx", "/SMSGBK.ASPX"]
)
async def test_paths_are_case_insensitive(sim, api, path):
    encoding = "gbk" if "gbk" in path.lower() else "utf-8"
    body = urlencode(demo_form(mobile=A, content="路径大小写" + SIG), encoding=encoding).encode("ascii")
    response = await api.http.post(path, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    parse = p.parse_send_result_json if "json" in path.lower() else p.parse_send_result
    result = parse(response.content)
    assert result.ok, result
    assert sim.world.tasks[result.task_id].recipients[A].content == "路径大小写" + SIG


async def test_mixed_case_parameter_names_and_action_value(sim, api):
    form = {
        "Action": "SEND",
        "UserID": "1001",
        "Account": "demo",
        "PassWord": p.md5_upper("demo123"),
        "Mobile": A,
        "CONTENT": "参数名大小写" + SIG,
        "SendTime": "",
        "ExtNo": "42",
    }
    result = p.parse_send_result((await api.http.post("/sms.aspx", data=form)).content)
    assert result.ok, result
    view = await task_view(api, result.task_id)
    assert view["extno"] == "42"
    assert sim.world.tasks[result.task_id].recipients[A].content == "参数名大小写" + SIG


async def test_query_and_body_mixed(sim, api):
    query = {"action": "send", "account": "demo", "password": p.md5_upper("demo123")}
    body = {"mobile": f"{A},{B},{C}", "content": "一半在地址里" + SIG}
    result = p.parse_send_result((await api.http.post("/sms.aspx", params=query, data=body)).content)
    assert result.ok and result.success_count == 3
    assert result.balance == initial_balance(sim) - 3


async def test_unknown_action_is_refused_without_billing(sim, api):
    result = p.parse_send_result(
        (await api.http.post("/sms.aspx", data=demo_form(action="sendx", mobile=A, content="您好" + SIG))).content
    )
    assert not result.ok and result.status == sim.config.fail_word
    assert (await api.state())["tasks"] == 0
    assert await api.balance(DEMO) == initial_balance(sim)


async def test_unknown_path_is_404(api):
    response = await api.http.post("/nosuch.aspx", data=demo_form())
    assert response.status_code == 404


async def test_checkkeyword_names_sensitive_words(sim, api):
    clean = await api.http.post("/sms.aspx", data=demo_form(action="checkkeyword", content="普通内容" + SIG))
    assert "没有包含屏蔽词" in clean.text and f"<checkCounts>普通内容{SIG}</checkCounts>" in clean.text  # echoed
    dirty = await api.http.post("/sms.aspx", data=demo_form(action="checkkeyword", content="赌博和代开发票" + SIG))
    assert "包含非法字符" in dirty.text and "<checkCounts>2</checkCounts>" in dirty.text
    assert (await api.state())["tasks"] == 0


# -- billing -----------------------------------------------------------------------------------------


# The document's own examples: 70 characters bill 1, 71 bill 2, 134 bill 2, 135 bill 3.
@pytest.mark.parametrize(("length", "segments"), [(7, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)])
async def test_balance_drops_by_segments_times_recipients(sim, api, length, segments):
    before = await api.balance(DEMO)
    result = await api.send(DEMO, f"{A},{B},{C}", text_of(length))
    assert result.ok, result
    assert result.success_count == 3
    assert result.balance == before - 3 * segments
    assert await api.balance(DEMO) == result.balance


async def test_emoji_counts_two_units(sim, api):
    content = "好" * (69 - len(SIG)) + "😀" + SIG  # 69 BMP characters + one emoji = 71 UTF-16 units
    assert len(content) == 70
    result = await api.send(DEMO, A, content)
    assert result.balance == initial_balance(sim) - 2


async def test_duplicate_numbers_in_one_send_are_billed_once(sim, api):
    result = await api.send(DEMO, f"{A},{A},{B}", "您好" + SIG)
    assert result.success_count == 2
    assert result.balance == initial_balance(sim) - 2


async def test_successive_sends_accumulate(sim, api):
    first = await api.send(DEMO, A, text_of(71))
    second = await api.send(DEMO, f"{A},{B}", text_of(10))
    assert second.balance == first.balance - 2 == initial_balance(sim) - 4
    assert first.task_id != second.task_id


async def test_prepaid_send_total_is_the_recharged_total(sim, api):
    await api.send(DEMO, f"{A},{B}", text_of(71))
    balance = p.parse_balance((await api.call(p.build_balance(DEMO))).content)
    assert balance.pay_type == "prepaid" and balance.pay_info == "预付费"
    assert balance.balance == initial_balance(sim) - 4
    assert balance.send_total == initial_balance(sim)


async def test_postpaid_goes_negative_and_send_total_tracks_points_used(sim, api):
    start = initial_balance(sim, "postpaid")
    first = await api.send(POSTPAID, f"{A},{B},{C}", text_of(20))
    assert first.ok and first.balance == start - 3
    second = await api.send(POSTPAID, A, text_of(140))  # 3 segments
    assert second.balance == start - 6
    assert second.balance < 0
    balance = p.parse_balance((await api.call(p.build_balance(POSTPAID))).content)
    assert balance.ok and balance.pay_type == "postpaid"
    assert balance.balance == start - 6
    assert balance.send_total == 6
