"""The simulator's other endpoints over real HTTP: ensms.ashx, BatchSms.ashx, mms.aspx, balance,
pwd.aspx, WebService.asmx and freeTemplate.aspx, with their success and error forms."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import timedelta
from urllib.parse import quote

import pytest

import smstui.protocol as p
from smstui.protocol.soap import SOAP11, SOAP12, SOAP_ACTION
from smstui.simulator import AccountConfig

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
POSTPAID = p.Credentials("postpaid", "post123", "1002")
NOTEMPLATE = p.Credentials("notemplate", "note123", "1003")
SIG = "【测试公司】"
A, B, C = "13912345678", "13912345679", "13612345670"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def text_of(length: int) -> str:
    return "好" * (length - len(SIG)) + SIG


def demo_balance(sim) -> int:
    return sim.config.account("demo").balance


async def assert_nothing_billed(api, sim) -> None:
    state = await api.state()
    assert state["tasks"] == 0
    assert state["accounts"]["demo"]["balance"] == demo_balance(sim)
    assert state["accounts"]["demo"]["mms_balance"] == sim.config.account("demo").mms_balance


# -- ensms.ashx (1.5) ------------------------------------------------------------------------------


async def test_encrypted_send_success(sim, api):
    response = await api.call(p.build_encrypted_send(DEMO, [A, B], text_of(71), sim.now(), extno="7"))
    assert response.headers["content-type"].startswith("application/json")
    body = json.loads(response.content)
    assert list(body) == ["StatusCode", "Description", "MsgId", "Amount", "SuccessCounts", "Errors"]
    assert body["StatusCode"] == 1 and isinstance(body["StatusCode"], int)
    result = p.parse_encrypted_reply(response.content)
    assert result.ok and result.description == "操作成功"
    assert result.success_count == 2
    assert result.amount == demo_balance(sim) - 4
    assert result.errors == []
    task = (await api.http.get(f"/_sim/tasks/{result.msg_id}")).json()
    assert task["transport"] == "encrypted" and task["extno"] == "7" and task["cost"] == 4


@pytest.mark.parametrize("userid", ["abc", "", "10a1", " "])
async def test_encrypted_userid_not_numeric_is_1008(sim, api, userid):
    request = p.build_encrypted_send(DEMO, A, text_of(10), sim.now())
    response = await api.http.post("/ensms.ashx", data={"UserId": userid, "Text64": request.fields["Text64"]})
    result = p.parse_encrypted_reply(response.content)
    assert result.status_code == 1008
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("text64", ["not base64 at all!", base64.b64encode(b"12345").decode(),
                                    base64.b64encode(b"\x00" * 16).decode()])
async def test_encrypted_bad_text64_is_1009(sim, api, text64):
    result = p.parse_encrypted_reply(
        (await api.http.post("/ensms.ashx", data={"UserId": "1001", "Text64": text64})).content
    )
    assert result.status_code == 1009
    assert result.errors, result
    await assert_nothing_billed(api, sim)


async def test_encrypted_under_another_password_is_1009(sim, api):
    request = p.build_encrypted_send(p.Credentials("demo", "other99", "1001"), A, text_of(10), sim.now())
    result = p.parse_encrypted_reply((await api.call(request)).content)
    assert result.status_code == 1009
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("skew_minutes", [-6, 6, -60 * 24])
async def test_encrypted_stamp_off_by_more_than_5_minutes_is_1010(sim, api, skew_minutes):
    request = p.build_encrypted_send(DEMO, A, text_of(10), sim.now() + timedelta(minutes=skew_minutes))
    result = p.parse_encrypted_reply((await api.call(request)).content)
    assert result.status_code == 1010
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("skew_minutes", [-4, 4])
async def test_encrypted_stamp_within_5_minutes_is_accepted(sim, api, skew_minutes):
    request = p.build_encrypted_send(DEMO, A, text_of(10), sim.now() + timedelta(minutes=skew_minutes))
    result = p.parse_encrypted_reply((await api.call(request)).content)
    assert result.ok, result


async def test_encrypted_wrong_secret_is_1005(sim, api):
    stamp = p.make_stamp(sim.now())
    fields = {
        "UserName": "demo",
        "Secret": p.make_secret("demo124", stamp),
        "Stamp": stamp,
        "Moblie": A,
        "Text": text_of(10),
        "Ext": "",
        "SendTime": "",
    }
    response = await api.http.post("/ensms.ashx", data={"UserId": "1001", "Text64": p.encode_text64(fields, "demo123")})
    assert p.parse_encrypted_reply(response.content).status_code == 1005
    await assert_nothing_billed(api, sim)


async def test_encrypted_user_name_not_of_that_userid_is_refused(sim, api):
    request = p.build_encrypted_send(p.Credentials("demo", "demo123", "1002"), A, text_of(10), sim.now())
    result = p.parse_encrypted_reply((await api.call(request)).content)
    assert not result.ok and result.status_code in (1004, 1009)
    await assert_nothing_billed(api, sim)


async def test_encrypted_text64_sent_without_urlencoding_still_works(sim, api):
    """Clients that forget the urlencode of 1.5 turn '+' into spaces; the server copes."""
    text64 = None
    for n in range(50):  # find a Text64 that holds a '+', so the test means something
        candidate = p.build_encrypted_send(DEMO, A, text_of(10 + n), sim.now()).fields["Text64"]
        if "+" in candidate:
            text64 = candidate
            break
    assert text64 is not None
    response = await api.http.get(f"/ensms.ashx?UserId=1001&Text64={text64}")
    result = p.parse_encrypted_reply(response.content)
    assert result.ok, result


# -- BatchSms.ashx (1.6) ---------------------------------------------------------------------------


async def test_batch_bills_each_row_by_its_own_segments(sim, api):
    rows = [(A, text_of(70)), (B, text_of(71)), (C, text_of(135))]  # 1 + 2 + 3 segments
    result = p.parse_send_result((await api.call(p.build_batch_send(DEMO, rows))).content)
    assert result.ok, result
    assert result.success_count == 3
    assert result.balance == demo_balance(sim) - 6
    task = sim.world.tasks[result.task_id]
    assert {m: r.content for m, r in task.recipients.items()} == dict(rows)
    assert (await api.http.get(f"/_sim/tasks/{result.task_id}")).json()["cost"] == 6


async def test_batch_row_with_line_breaks_arrives_intact(sim, api):
    content = "第一行\n第二行\r\n反斜杠\\n不是换行" + SIG
    result = p.parse_send_result((await api.call(p.build_batch_send(DEMO, [(A, content), (B, "普通" + SIG)]))).content)
    assert result.ok, result
    assert sim.world.tasks[result.task_id].recipients[A].content == content


async def test_batch_get_is_refused(sim, api):
    request = p.build_batch_send(DEMO, [(A, text_of(10))])
    response = await api.http.get("/BatchSms.ashx", params=request.fields)
    assert response.status_code != 200 or not p.parse_send_result(response.content).ok
    result = p.parse_send_result(response.content)
    assert not result.ok and result.status == sim.config.fail_word
    assert "post" in result.message.lower()
    await assert_nothing_billed(api, sim)


async def test_batch_duplicate_numbers_are_refused(sim, api):
    text = f"{A},{text_of(10)}\r\n{B},{text_of(10)}\r\n{A},{text_of(12)}"
    content = base64.b64encode(gzip.compress(text.encode("utf-8"))).decode("ascii")
    with pytest.raises(p.BatchFormatError):  # the client refuses it before sending
        p.encode_batch([(A, text_of(10)), (B, text_of(10)), (A, text_of(12))])
    form = {
        "userid": "1001",
        "account": "demo",
        "password": p.md5_upper("demo123"),
        "action": "send",
        "content": content,
        "sendTime": "",
        "extno": "",
    }
    result = p.parse_send_result((await api.http.post("/BatchSms.ashx", data=form)).content)
    assert not result.ok and result.status == sim.config.fail_word
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("content", ["%%%not base64%%%", base64.b64encode(b"not gzip").decode()])
async def test_batch_undecodable_content_is_refused(sim, api, content):
    form = {"account": "demo", "password": p.md5_upper("demo123"), "action": "send", "content": content}
    result = p.parse_send_result((await api.http.post("/batchsms.ashx", data=form)).content)
    assert not result.ok
    await assert_nothing_billed(api, sim)


async def test_batch_wrong_password(sim, api):
    request = p.build_batch_send(p.Credentials("demo", "nope"), [(A, text_of(10))])
    result = p.parse_send_result((await api.call(request)).content)
    assert not result.ok and p.code_for_message(result.message) == 1005


# -- mms.aspx (chapter 2) ------------------------------------------------------------------------------


def mms_package() -> bytes:
    return p.pack_mms([p.Slide(text="春季新品上市"), p.Slide(text="详情见图", image=PNG)])


async def test_mms_costs_one_per_recipient_against_mms_balance(sim, api):
    mms_start = sim.config.account("demo").mms_balance
    request = p.build_mms_send(DEMO, [A, B, C], "新品通知", mms_package())
    result = p.parse_send_result((await api.call(request)).content)
    assert result.ok, result
    assert result.success_count == 3
    assert result.balance == mms_start - 3  # remainpoint is the MMS balance
    balance = p.parse_balance((await api.call(p.build_balance(DEMO, "mms"))).content)
    assert balance.ok and balance.balance == mms_start - 3
    assert await api.balance(DEMO) == demo_balance(sim)  # the SMS balance is untouched
    task = sim.world.tasks[result.task_id]
    assert task.kind == "mms" and task.subject == "新品通知"


@pytest.mark.parametrize("subject", ["", "   "])
async def test_mms_subject_required(sim, api, subject):
    result = p.parse_send_result((await api.call(p.build_mms_send(DEMO, A, subject, mms_package()))).content)
    assert not result.ok and result.status == sim.config.fail_word
    assert result.message == "主题为空"
    assert p.code_for_message(result.message) == 3001
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize(
    "package",
    [
        b"garbage without a terminator",
        p.pack_tms([p.TmsPart("1.jpg", b"not really a jpeg")]),
        p.pack_tms([p.TmsPart("1.exe", b"MZ")]),
        b"1.txt\x00\xff\x00\x00\x00short",
    ],
)
async def test_mms_bad_tms_refused(sim, api, package):
    result = p.parse_send_result((await api.call(p.build_mms_send(DEMO, A, "主题", package))).content)
    assert not result.ok and result.status == sim.config.fail_word
    await assert_nothing_billed(api, sim)


async def test_mms_content_not_base64_refused(sim, api):
    form = {
        "account": "demo",
        "password": "demo123",
        "action": "send",
        "mobile": A,
        "subject": "主题",
        "content": "@@@not base64@@@",
    }
    result = p.parse_send_result((await api.http.post("/mms.aspx", data=form)).content)
    assert not result.ok
    await assert_nothing_billed(api, sim)


async def test_mms_too_big_refused(sim, api):
    limit = sim.config.max_mms_bytes
    package = p.pack_tms([p.TmsPart("1.png", PNG + b"\x00" * limit)], max_bytes=None)
    result = p.parse_send_result((await api.call(p.build_mms_send(DEMO, A, "主题", package))).content)
    assert not result.ok
    await assert_nothing_billed(api, sim)


async def test_mms_needs_enough_mms_balance(sim, api):
    sim.patch_account("demo", mms_balance=2)
    result = p.parse_send_result((await api.call(p.build_mms_send(DEMO, [A, B, C], "主题", mms_package()))).content)
    assert not result.ok and p.code_for_message(result.message) == 1111
    balance = p.parse_balance((await api.call(p.build_balance(DEMO, "mms"))).content)
    assert balance.balance == 2


# -- balance (chapter 3) -------------------------------------------------------------------------------


async def test_balance_xml_uses_the_document_spelling_sucess(sim, api):
    response = await api.call(p.build_balance(DEMO))
    assert "<returnstatus>Sucess</returnstatus>" in response.text
    balance = p.parse_balance(response.content)
    assert balance.ok and balance.message == "操作成功"
    assert balance.pay_info == "预付费" and balance.pay_type == "prepaid"
    assert balance.balance == demo_balance(sim)
    assert balance.send_total == demo_balance(sim)


async def test_balance_json(sim, api):
    await api.send(DEMO, [A, B], text_of(10))
    response = await api.call(p.build_balance(DEMO, "json"))
    body = json.loads(response.content)
    assert set(body) == {"returnstatus", "message", "payinfo", "overage", "sendTotal"}
    assert all(isinstance(v, str) for v in body.values())
    assert body["returnstatus"] == "Success"  # the document's JSON example (3.4)
    balance = p.parse_balance_json(response.content)
    assert balance.ok and balance.balance == demo_balance(sim) - 2


async def test_balance_json_postpaid_like_the_document_example(sim, api):
    await api.send(POSTPAID, [A, B, C, "13712345678"], text_of(10))
    body = json.loads((await api.call(p.build_balance(POSTPAID, "json"))).content)
    assert body["payinfo"] in ("后付", "后付费")
    assert body["overage"] == "-4" and body["sendTotal"] == "4"


async def test_balance_gbk(sim, api):
    response = await api.call(p.build_balance(DEMO, "gbk"))
    assert "gb2312" in response.headers["content-type"].lower()
    assert response.content.startswith(b'<?xml version="1.0" encoding="gb2312" ?>')
    assert "预付费".encode("gbk") in response.content
    balance = p.parse_balance(response.content)
    assert balance.ok and balance.pay_info == "预付费" and balance.balance == demo_balance(sim)


async def test_balance_postpaid_xml(sim, api):
    await api.send(POSTPAID, [A, B], text_of(71))
    balance = p.parse_balance((await api.call(p.build_balance(POSTPAID))).content)
    assert balance.pay_type == "postpaid" and balance.pay_info in ("后付费", "后付")
    assert balance.balance == sim.config.account("postpaid").balance - 4
    assert balance.send_total == 4


@pytest.mark.parametrize("transport", ["xml", "json", "gbk", "mms"])
@pytest.mark.parametrize(
    ("creds", "message"),
    [
        (p.Credentials("demo", "wrong"), "用户名或密码错误"),
        (p.Credentials("nobody", "demo123"), "用户名或密码错误"),
    ],
)
async def test_balance_refused(sim, api, transport, creds, message):
    response = await api.call(p.build_balance(creds, transport))
    parse = p.parse_balance_json if transport == "json" else p.parse_balance
    balance = parse(response.content)
    assert not balance.ok and balance.status == sim.config.fail_word
    assert balance.message == message
    assert balance.code == p.code_for_message(message) == 1005


async def test_balance_refused_answers_in_send_reply_shape(api):
    response = await api.call(p.build_balance(p.Credentials("demo", "wrong")))
    assert "<remainpoint>0</remainpoint>" in response.text and "<successCounts>0</successCounts>" in response.text
    assert "<payinfo>" not in response.text


@pytest.mark.parametrize("field", ["account", "password"])
async def test_balance_empty_credentials(sim, api, field):
    form = {"action": "overage", "account": "demo", "password": "demo123", field: ""}
    balance = p.parse_balance((await api.http.post("/sms.aspx", data=form)).content)
    assert not balance.ok and balance.message == "用户名或密码不能为空"


# -- pwd.aspx (chapter 7) ----------------------------------------------------------------------------


async def test_password_change_then_old_password_fails(sim, api):
    response = await api.call(p.build_password_change(DEMO, "n3w-pass"))
    result = p.parse_password_reply(response.content)
    assert result.ok and result.status == "Success" and result.message == "操作成功"
    old = await api.send(DEMO, A, text_of(10))
    assert not old.ok and old.message == "用户名或密码错误"
    new = await api.send(p.Credentials("demo", "n3w-pass"), A, text_of(10))
    assert new.ok, new
    assert new.balance == demo_balance(sim) - 1


async def test_password_change_with_plain_old_password(api):
    form = {"userid": "1001", "account": "demo", "password": "demo123", "newpassword": "abcdef"}
    assert p.parse_password_reply((await api.http.post("/pwd.aspx", data=form)).content).ok
    assert (await api.send(p.Credentials("demo", "abcdef"), A, text_of(10))).ok


@pytest.mark.parametrize(("new", "ok"), [("x" * 20, True), ("x" * 21, False), ("", False)])
async def test_password_length_limit(sim, api, new, ok):
    result = p.parse_password_reply((await api.call(p.build_password_change(DEMO, new))).content)
    assert result.ok is ok
    if not ok:
        assert result.status == sim.config.fail_word
        assert (await api.send(DEMO, A, text_of(10))).ok  # the old password still works
    else:
        assert (await api.send(p.Credentials("demo", new), A, text_of(10))).ok


async def test_password_change_wrong_old_password(sim, api):
    result = p.parse_password_reply(
        (await api.call(p.build_password_change(p.Credentials("demo", "bad"), "zzz999"))).content
    )
    assert not result.ok and result.code == 1005
    assert (await api.send(DEMO, A, text_of(10))).ok


# -- WebService.asmx (chapter 8) ---------------------------------------------------------------------


async def test_soap11_send(sim, api):
    request = p.build_soap_send(DEMO, [A, B], text_of(71))
    assert request.headers["SOAPAction"] == f'"{SOAP_ACTION}"'
    response = await api.call(request)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert SOAP11 in response.text
    result = p.parse_soap_send_result(response.content)
    assert result.ok and result.status_code == "OK"
    assert result.success_count == 2
    assert result.billing_count == 4
    assert result.amount == demo_balance(sim) - 4
    assert (await api.http.get(f"/_sim/tasks/{result.msg_id}")).json()["transport"] == "soap"


async def test_soap12_envelope_accepted(sim, api):
    envelope = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap12:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap12="{SOAP12}">'
        '<soap12:Body><SendSms xmlns="http://www.yysms.com/"><userName>demo</userName><password>demo123</password>'
        f"<sms><Msisdns>{A},{B},{C}</Msisdns><SMSContent>{text_of(30)}</SMSContent>"
        '<PlanSendTime xsi:nil="true" /><ExtNumber>12</ExtNumber></sms></SendSms></soap12:Body></soap12:Envelope>'
    )
    response = await api.http.post(
        "/webservice.asmx",
        content=envelope.encode("utf-8"),
        headers={"Content-Type": f'application/soap+xml; charset=utf-8; action="{SOAP_ACTION}"'},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/soap+xml")
    assert SOAP12 in response.text
    result = p.parse_soap_send_result(response.content)
    assert result.ok and result.success_count == 3 and result.billing_count == 3
    assert result.amount == demo_balance(sim) - 3
    assert sim.world.tasks[result.msg_id].extno == "12"


async def test_soap_scheduled_send(sim, api):
    later = sim.now() + timedelta(hours=2)
    result = p.parse_soap_send_result(
        (await api.call(p.build_soap_send(DEMO, A, text_of(10), send_time=later))).content
    )
    assert result.ok, result
    task = (await api.http.get(f"/_sim/tasks/{result.msg_id}")).json()
    assert task["scheduled"] is True


async def test_soap_refusal_names_the_code(sim, api):
    result = p.parse_soap_send_result(
        (await api.call(p.build_soap_send(p.Credentials("demo", "x"), A, text_of(10)))).content
    )
    assert not result.ok and result.status_code == "PasswordError"
    refused = p.parse_soap_send_result((await api.call(p.build_soap_send(DEMO, A, "无签名内容"))).content)
    assert refused.status_code == "RequiredSuffix" and refused.billing_count == 0
    await assert_nothing_billed(api, sim)


async def test_soap_garbage_body_is_a_fault(api):
    response = await api.http.post("/WebService.asmx", content=b"<not-soap/>", headers={"Content-Type": "text/xml"})
    assert response.status_code == 500
    assert p.parse_soap_send_result(response.content).status_code == "Fault"


@pytest.mark.parametrize("url", ["/WebService.asmx?wsdl", "/webservice.asmx?WSDL", "/WebService.asmx"])
async def test_wsdl(sim, api, url):
    response = await api.http.get(url)
    assert response.status_code == 200
    assert "wsdl:definitions" in response.text
    assert 'name="SendSms"' in response.text and "SendResult" in response.text
    assert f"{sim.url}/" in response.text  # the service address points back at the simulator


# -- freeTemplate.aspx (chapter 9) -----------------------------------------------------------------


async def template_call(api, request) -> p.TemplateReply:
    response = await api.call(request)
    assert response.headers["content-type"].startswith("application/json")
    return p.parse_template_reply(response.content)


async def template_status(api, template_id: str) -> int:
    reply = await template_call(api, p.build_template_query(DEMO, template_id))
    assert reply.ok, reply
    assert [t.template_id for t in reply.templates] == [template_id]
    return reply.templates[0].status


async def test_template_review_enables_after_the_delay(sim, api):
    added = await template_call(api, p.build_template_add(DEMO, "您的验证码：@，5分钟内有效" + SIG))
    assert added.ok and added.status_code == 1 and added.template_id
    assert await template_status(api, added.template_id) == p.TemplateStatus.REVIEW == 3
    sim.advance(sim.config.template_review_delay - 1)
    assert await template_status(api, added.template_id) == 3
    sim.advance(1)
    assert await template_status(api, added.template_id) == p.TemplateStatus.ENABLED == 1


@pytest.mark.parametrize("word_index", [0, -1])
async def test_template_with_reject_word_is_returned(sim, api, word_index):
    word = sim.config.template_reject_words[word_index]
    added = await template_call(api, p.build_template_add(DEMO, f"恭喜您获得{word}资格@" + SIG))
    assert added.ok
    assert await template_status(api, added.template_id) == 3
    sim.advance(sim.config.template_review_delay)
    assert await template_status(api, added.template_id) == p.TemplateStatus.RETURNED == 4


async def test_template_update_goes_back_to_review(sim, api):
    added = await template_call(api, p.build_template_add(DEMO, "订单@已发货" + SIG))
    sim.advance(sim.config.template_review_delay)
    assert await template_status(api, added.template_id) == 1
    updated = await template_call(api, p.build_template_update(DEMO, added.template_id, "订单@已签收" + SIG))
    assert updated.ok and updated.status_code == 1
    assert await template_status(api, added.template_id) == 3
    reply = await template_call(api, p.build_template_query(DEMO, added.template_id))
    assert reply.templates[0].text == "订单@已签收" + SIG
    sim.advance(sim.config.template_review_delay)
    assert await template_status(api, added.template_id) == 1


async def test_template_delete(sim, api):
    first = await template_call(api, p.build_template_add(DEMO, "模板一@" + SIG))
    second = await template_call(api, p.build_template_add(DEMO, "模板二@" + SIG))
    listed = await template_call(api, p.build_template_query(DEMO))
    assert {t.template_id for t in listed.templates} == {first.template_id, second.template_id}
    deleted = await template_call(api, p.build_template_delete(DEMO, first.template_id))
    assert deleted.ok and deleted.status_code == 1
    gone = await template_call(api, p.build_template_query(DEMO, first.template_id))
    assert not gone.ok and gone.status == "Faild" and gone.templates == []
    again = await template_call(api, p.build_template_delete(DEMO, first.template_id))
    assert not again.ok
    listed = await template_call(api, p.build_template_query(DEMO))
    assert [t.template_id for t in listed.templates] == [second.template_id]


async def test_template_feature_not_enabled_is_1119(sim, api):
    response = await api.call(p.build_template_add(NOTEMPLATE, "您好@" + SIG))
    body = json.loads(response.content)
    assert body == {"Status": "Faild", "StatusCode": "1119", "Description": "未启用该功能", "TemplateId": ""}
    for request in (p.build_template_query(NOTEMPLATE), p.build_template_delete(NOTEMPLATE, "1")):
        reply = await template_call(api, request)
        assert not reply.ok and reply.status_code == 1119


@pytest.mark.parametrize(("text", "code"), [("没有签名的模板@", 2113), ("连续变量@@@@@@" + SIG, 1001), ("", 2001)])
async def test_template_invalid_text_refused(sim, api, text, code):
    reply = await template_call(api, p.build_template_add(DEMO, text))
    assert not reply.ok and reply.status == "Faild" and reply.status_code == code
    assert (await api.state())["accounts"]["demo"]["templates"] == []


async def test_template_wrong_password(api):
    reply = await template_call(api, p.build_template_add(p.Credentials("demo", "x"), "您好@" + SIG))
    assert not reply.ok and reply.status == "Faild" and reply.status_code == 1005


async def test_template_update_unknown_id_refused(api):
    reply = await template_call(api, p.build_template_update(DEMO, "9999999999999999", "您好@" + SIG))
    assert not reply.ok


async def test_template_plain_get_like_the_document_example(sim, api):
    """The document's example: GET freeTemplate.aspx?action=query&account=…&password=…&templateid=…"""
    added = await template_call(api, p.build_template_add(DEMO, "取件码@" + SIG))
    response = await api.http.get(
        f"/freeTemplate.aspx?action=query&account=demo&password=demo123&templateid={quote(added.template_id)}"
    )
    reply = p.parse_template_reply(response.content)
    assert reply.ok and reply.templates[0].text == "取件码@" + SIG


# -- actions, identities and account states on every endpoint ------------------------------------------


async def test_batch_with_another_action_is_refused_unbilled(sim, api):
    request = p.build_batch_send(DEMO, [(A, text_of(10))])
    response = await api.http.post("/BatchSms.ashx", data={**request.fields, "action": "overage"})
    result = p.parse_send_result(response.content)
    assert (result.ok, result.code, result.message) == (False, 1001, "action参数错误")
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("action", ["foo", "", "checkkeyword"])
async def test_mms_with_another_action_is_refused_unbilled(sim, api, action):
    request = p.build_mms_send(DEMO, A, "主题", mms_package())
    result = p.parse_send_result((await api.http.post("/mms.aspx", data={**request.fields, "action": action})).content)
    assert (result.ok, result.code) == (False, 1001)
    await assert_nothing_billed(api, sim)


async def test_encrypted_user_name_not_the_userids_account_is_1004(sim, api):
    stamp = p.make_stamp(sim.now())
    # a Text64 the gateway can open (under the password of UserId 1002's account) naming another account
    fields = {
        "UserName": "demo",
        "Secret": p.make_secret("post123", stamp),
        "Stamp": stamp,
        "Moblie": A,
        "Text": text_of(10),
        "Ext": "",
        "SendTime": "",
    }
    response = await api.http.post("/ensms.ashx", data={"UserId": "1002", "Text64": p.encode_text64(fields, "post123")})
    result = p.parse_encrypted_reply(response.content)
    assert (result.status_code, result.description) == (1004, "用户名错误")
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("userid", ["１００１", "١٠٠١"])
async def test_encrypted_userid_in_other_digits_is_1008(sim, api, userid):
    text64 = p.build_encrypted_send(DEMO, A, text_of(10), sim.now()).fields["Text64"]
    result = p.parse_encrypted_reply(
        (await api.http.post("/ensms.ashx", data={"UserId": userid, "Text64": text64})).content
    )
    assert result.status_code == 1008


@pytest.mark.parametrize(("change", "code"), [({"enabled": False}, 1007), ({"bind_ips": ["10.9.8.7"]}, 1006)])
async def test_disabled_or_ip_bound_on_ensms_soap_and_queries(sim, api, change, code):
    await api.http.post("/_sim/accounts/demo", json=change)
    meaning = p.RESULT_CODES[code].meaning_zh
    encrypted = p.parse_encrypted_reply(
        (await api.call(p.build_encrypted_send(DEMO, A, text_of(10), sim.now()))).content
    )
    assert (encrypted.status_code, encrypted.description) == (code, meaning)
    soap = p.parse_soap_send_result((await api.call(p.build_soap_send(DEMO, A, text_of(10)))).content)
    assert (soap.status_code, soap.description, soap.amount) == (p.RESULT_CODES[code].name, meaning, 0)
    for query, xml_parse, json_parse in (
        (p.build_reports_query, p.parse_reports, p.parse_reports_json),
        (p.build_uplinks_query, p.parse_uplinks, p.parse_uplinks_json),
    ):
        as_json = json_parse((await api.call(query(DEMO, "json"))).content)
        assert (as_json.ok, as_json.error, as_json.code, as_json.remark) == (False, code, code, meaning)
        as_xml = xml_parse((await api.call(query(DEMO, "xml"))).content)
        assert (as_xml.ok, as_xml.error, as_xml.remark) == (False, 3, meaning)  # "may not read", in its own words
    await assert_nothing_billed(api, sim)


async def test_checkkeyword_on_smsjson_answers_json(sim, api):
    response = await api.call(p.build_check_keyword(DEMO, "赌博和代开发票" + SIG, "json"))
    assert response.headers["content-type"].startswith("application/json")
    body = json.loads(response.content)
    assert body == {"returnstatus": "Faild", "message": "包含非法字符：赌博,代开发票", "checkCounts": "2"}
    check = p.parse_check_keyword_json(response.content)
    assert (check.clean, check.words, check.count, check.code) == (False, ["赌博", "代开发票"], 2, 2107)
    clean = p.parse_check_keyword_json((await api.call(p.build_check_keyword(DEMO, "普通" + SIG, "json"))).content)
    assert (clean.ok, clean.clean, clean.count) == (True, True, 0)
    refused = p.parse_check_keyword_json(
        (await api.call(p.build_check_keyword(p.Credentials("demo", "x"), "y", "json"))).content
    )
    assert (refused.clean, refused.code, refused.count) == (False, 1005, None)
    gbk = p.parse_check_keyword((await api.call(p.build_check_keyword(DEMO, "赌博" + SIG, "gbk"))).content)
    assert gbk.words == ["赌博"]
    await assert_nothing_billed(api, sim)


@pytest.mark.sim(
    accounts=[AccountConfig("demo", "demo123", "1001", balance=100_000)],
    delivered_ratio=1.0,
    report_delay=[1, 1],
    reply_rate=0.0,
)
async def test_task_ids_stay_unique_past_ten_thousand_in_one_frozen_second(sim, api):
    # 9,995 sends through the gateway's own endpoint function (HTTP for them all would take minutes), then over HTTP
    for n in range(9_995):
        params = {
            "action": "send",
            "account": "demo",
            "password": "demo123",
            "mobile": f"139{n:08d}",
            "content": "您好" + SIG,
        }
        assert b"Success" in sim.gateway.sms(params, "127.0.0.1", "xml").body
    over_http = [await api.send(DEMO, f"137{n:08d}", "您好" + SIG) for n in range(10)]
    assert all(result.ok for result in over_http)
    ids = list(sim.world.tasks)
    assert len(ids) == len(set(ids)) == 10_005 and all(len(task_id) == 16 for task_id in ids)
    assert over_http[-1].task_id[:12] == f"{sim.now() + timedelta(seconds=1):%y%m%d%H%M%S}"  # the stamp moved on
    sim.advance(1)  # the world keeps running: every report of the last tasks arrives, by task and all together
    assert [r.mobile for r in await api.reports(DEMO, task_id=over_http[-1].task_id)] == ["13700000009"]
    assert len(await api.drain_reports(DEMO)) == 10_004
    assert (await api.http.get(f"/_sim/tasks/{over_http[-1].task_id}")).json()["states"] == {"delivered": 1}
