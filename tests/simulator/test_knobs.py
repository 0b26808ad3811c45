"""The simulator's channel and product knobs (1106, 1110, 1112), MMS billing on both pay types, SOAP send times,
and gateway messages in Chinese only — all over real HTTP."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

import smstui.protocol as p
from smstui.protocol.soap import SOAP11, SOAP_ACTION
from smstui.simulator.config import AccountConfig

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
POSTPAID = p.Credentials("postpaid", "post123", "1002")
SIG = "【测试公司】"
GOOD = "您好，您的订单已发货" + SIG
A, B, C = "13912345678", "13912345679", "17012345670"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def mms_package() -> bytes:
    return p.pack_mms([p.Slide(text="春季新品上市", image=PNG)])


async def state_of(api, name: str = "demo") -> dict:
    return (await api.state())["accounts"][name]


async def assert_nothing_billed(api, sim, name: str = "demo") -> None:
    state = await api.state()
    assert state["tasks"] == 0
    config = sim.config.account(name)
    assert (state["accounts"][name]["balance"], state["accounts"][name]["mms_balance"]) == (
        config.balance,
        config.mms_balance,
    )


async def every_transport(api, sim, mobiles: str) -> list[tuple[str, int | None, str]]:
    """(transport, the code the reply names, its message) of one send on each transport."""
    outcomes = []
    for transport in ("xml", "json", "gbk"):
        request = p.build_send(DEMO, mobiles, GOOD, transport=transport)
        reply = (await api.call(request)).content
        result = p.parse_send_result_json(reply) if transport == "json" else p.parse_send_result(reply)
        outcomes.append((transport, result.code, result.message))
    encrypted = p.parse_encrypted_reply(
        (await api.call(p.build_encrypted_send(DEMO, mobiles, GOOD, sim.now()))).content
    )
    outcomes.append(("encrypted", encrypted.status_code, encrypted.description))
    soap = p.parse_soap_send_result((await api.call(p.build_soap_send(DEMO, mobiles, GOOD))).content)
    outcomes.append(("soap", p.lookup(soap.status_code).code, soap.description))
    return outcomes


# -- 1112 NoProduct, 1106 NoChannel, 1110 MsisdnNoChannel -----------------------------------------------


@pytest.mark.parametrize(
    ("flag", "code", "words"), [("has_product", 1112, "没有配置产品"), ("has_channel", 1106, "没有发送通道")]
)
async def test_account_without_product_or_channel_refuses_every_send(sim, api, flag, code, words):
    assert (await api.http.post("/_sim/accounts/demo", json={flag: False})).json()[flag] is False
    for transport, named, message in await every_transport(api, sim, A):
        assert (named, message) == (code, words), transport
    mms = p.parse_send_result((await api.call(p.build_mms_send(DEMO, A, "主题", mms_package()))).content)
    assert (mms.ok, mms.code) == (False, code)
    await assert_nothing_billed(api, sim)
    await api.http.post("/_sim/accounts/demo", json={flag: True})
    assert (await api.send(DEMO, A, GOOD)).ok


@pytest.mark.sim(no_channel_prefixes=["170", "171"], delivered_ratio=1.0, report_delay=[1, 1])
async def test_numbers_no_channel_carries(sim, api):
    for transport, named, message in await every_transport(api, sim, C):
        assert (named, message) == (1110, "没有通道的手机号码"), transport
    await assert_nothing_billed(api, sim)
    mixed = await api.send(
        DEMO, f"{A},{C}", GOOD
    )  # the other recipient still gets it; the unreachable one is not billed
    assert mixed.ok and mixed.success_count == 1 and mixed.balance == sim.config.account("demo").balance - 1
    sim.advance(2)
    reports = {r.mobile: r for r in await api.drain_reports(DEMO)}
    assert (reports[C].status, reports[C].error_code) == (20, "NOCHANNEL") and reports[A].delivered
    blacklisted = await api.send(DEMO, f"13800000000,{C}", GOOD)
    assert (blacklisted.ok, blacklisted.code) == (False, 1109)  # the first refused recipient's reason names it


# -- MMS billing ----------------------------------------------------------------------------------------


async def test_postpaid_mms_goes_negative_and_reports_points_used(sim, api):
    assert sim.config.account("postpaid").mms_balance == 0
    result = p.parse_send_result((await api.call(p.build_mms_send(POSTPAID, [A, B], "新品", mms_package()))).content)
    assert result.ok and result.balance == -2
    again = p.parse_send_result((await api.call(p.build_mms_send(POSTPAID, A, "新品", mms_package()))).content)
    assert again.ok and again.balance == -3
    balance = p.parse_balance((await api.call(p.build_balance(POSTPAID, "mms"))).content)
    assert (balance.pay_type, balance.balance, balance.send_total) == ("postpaid", -3, 3)
    assert await api.balance(POSTPAID) == sim.config.account("postpaid").balance  # SMS untouched


async def test_prepaid_mms_send_total_is_the_mms_points_recharged(sim, api):
    start = sim.config.account("demo").mms_balance
    assert p.parse_send_result((await api.call(p.build_mms_send(DEMO, [A, B], "新品", mms_package()))).content).ok
    view = (await api.http.post("/_sim/accounts/demo", json={"mms_top_up": 50})).json()
    assert (view["mms_balance"], view["mms_send_total"]) == (start - 2 + 50, start + 50)
    balance = p.parse_balance((await api.call(p.build_balance(DEMO, "mms"))).content)
    assert (balance.balance, balance.send_total) == (start - 2 + 50, start + 50)
    sms = p.parse_balance((await api.call(p.build_balance(DEMO))).content)
    assert sms.send_total == sim.config.account("demo").balance  # the SMS total is its own


async def test_mms_refused_for_balance_reports_the_real_remainpoint(sim, api):
    sim.patch_account("demo", mms_balance=2)
    result = p.parse_send_result((await api.call(p.build_mms_send(DEMO, [A, B, C], "主题", mms_package()))).content)
    assert (result.ok, result.code, result.balance) == (False, 1111, 2)
    sms = await api.send(DEMO, A, GOOD)  # and the SMS path still does the same with its own balance
    sim.patch_account("demo", balance=0)
    refused = await api.send(DEMO, B, GOOD)
    assert sms.ok and (refused.code, refused.balance) == (1111, 0)


# -- SOAP PlanSendTime ----------------------------------------------------------------------------------


def soap_envelope(plan: str) -> bytes:
    plan_xml = f"<PlanSendTime>{plan}</PlanSendTime>" if plan else '<PlanSendTime xsi:nil="true" />'
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:soap="{SOAP11}"><soap:Body>'
        '<SendSms xmlns="http://www.yysms.com/"><userName>demo</userName><password>demo123</password>'
        f"<sms><Msisdns>{A}</Msisdns><SMSContent>{GOOD}</SMSContent>{plan_xml}<ExtNumber></ExtNumber></sms>"
        "</SendSms></soap:Body></soap:Envelope>"
    ).encode()


@pytest.mark.parametrize(
    ("plan", "hours"),
    [
        ("2026-03-01T13:00:00+08:00", 3),
        ("2026-03-01T05:00:00Z", 3),
        ("2026-03-01T00:00:00-05:00", 3),
        ("2026-03-01T12:00:00.0000000", 2),
        ("0001-01-01T00:00:00", 0),
        ("", 0),
    ],
)
@pytest.mark.sim()  # a fresh simulator: the clock stands at 2026-03-01 10:00 Beijing time
async def test_soap_plan_send_time_as_dotnet_writes_it(sim, api, plan, hours):
    response = await api.http.post(
        "/WebService.asmx",
        content=soap_envelope(plan),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{SOAP_ACTION}"'},
    )
    result = p.parse_soap_send_result(response.content)
    assert result.ok, result
    assert sim.world.tasks[result.msg_id].send_at == sim.now() + timedelta(hours=hours)


async def test_soap_plan_send_time_that_is_no_time_is_refused(sim, api):
    response = await api.http.post(
        "/WebService.asmx",
        content=soap_envelope("next tuesday"),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{SOAP_ACTION}"'},
    )
    result = p.parse_soap_send_result(response.content)
    assert (result.status_code, result.description) == ("ParamError", "定时时间格式错误(next tuesday)")
    await assert_nothing_billed(api, sim)


async def test_soap_content_is_billed_as_sent_like_the_form_endpoints(sim, api):
    content = "第一行\r\n" + "好" * 62 + SIG  # 70 characters only if the CRLF were read as one LF
    soap = p.parse_soap_send_result((await api.call(p.build_soap_send(DEMO, A, content))).content)
    form = await api.send(DEMO, B, content)
    assert soap.billing_count == 2 and form.balance == sim.config.account("demo").balance - 4
    assert sim.world.tasks[soap.msg_id].recipients[A].content == content


# -- gateway messages in Chinese -------------------------------------------------------------------------


async def test_refusals_read_like_the_real_gateway(sim, api):
    messages = []
    bad_text64 = await api.http.post(
        "/ensms.ashx", data={"UserId": "1001", "Text64": base64.b64encode(b"\x00" * 5).decode()}
    )
    messages.append(p.parse_encrypted_reply(bad_text64.content).description)
    not_base64 = await api.http.post("/ensms.ashx", data={"UserId": "1001", "Text64": "***"})
    messages.append(p.parse_encrypted_reply(not_base64.content).description)
    batch = await api.http.post(
        "/BatchSms.ashx",
        data={
            "account": "demo",
            "password": "demo123",
            "action": "send",
            "content": base64.b64encode(b"plain").decode(),
        },
    )
    messages.append(p.parse_send_result(batch.content).message)
    mms = await api.call(p.build_mms_send(DEMO, A, "主题", b"garbage without a terminator"))
    messages.append(p.parse_send_result(mms.content).message)
    for template in ("编号@@@@@@" + SIG, "无签名模板@", "您好@【】"):
        reply = p.parse_template_reply((await api.call(p.build_template_add(DEMO, template))).content)
        messages.append(reply.description)
    soap = await api.http.post("/WebService.asmx", content=b"<not-soap/>", headers={"Content-Type": "text/xml"})
    messages.append(p.parse_soap_send_result(soap.content).description)
    assert messages == [
        "Text64参数错误：Des解密失败",
        "Text64参数错误：不是有效的base64编码",
        "内容格式错误：不是GZip压缩的内容",
        "彩信内容错误：tms文件格式错误",
        "模板格式错误：连续的@最多允许出现5次",
        "模板格式错误：需要签名",
        "模板格式错误：签名为空",
        "服务器无法读取请求。",
    ]
    await assert_nothing_billed(api, sim)


@pytest.mark.sim(
    accounts=[
        AccountConfig("demo", "demo123", "1001", templates=["您的验证码是@【测试公司】", "订单@已发货【测试公司】"])
    ]
)
async def test_templates_configured_for_an_account_are_enabled_from_the_start(sim, api):
    reply = p.parse_template_reply((await api.call(p.build_template_query(DEMO))).content)
    assert [(t.status, t.text) for t in reply.templates] == [
        (p.TemplateStatus.ENABLED, "您的验证码是@【测试公司】"),
        (p.TemplateStatus.ENABLED, "订单@已发货【测试公司】"),
    ]
    assert all(len(t.template_id) == 16 for t in reply.templates)
    added = p.parse_template_reply((await api.call(p.build_template_add(DEMO, "新模板@【测试公司】"))).content)
    assert added.template_id not in {t.template_id for t in reply.templates}
