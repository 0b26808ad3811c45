"""The simulator's refusals over real HTTP: every credential and content check with the code of the
document's chapter 10, on every send transport (XML, JSON, GBK, encrypted, SOAP); nothing refused is billed."""

from __future__ import annotations

import pytest

import smstui.protocol as p

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
SIG = "【测试公司】"
A, B = "13912345678", "13912345679"
GOOD = "您好，您的订单已发货" + SIG


def text_of(length: int) -> str:
    return "好" * (length - len(SIG)) + SIG


async def assert_nothing_billed(api, sim) -> None:
    state = await api.state()
    assert state["tasks"] == 0
    assert state["accounts"]["demo"]["balance"] == sim.config.account("demo").balance


def form(**fields: str) -> dict[str, str]:
    base = {"action": "send", "userid": "1001", "account": "demo", "password": p.md5_upper("demo123"),
            "mobile": A, "content": GOOD, "sendTime": "", "extno": ""}
    base.update(fields)
    return base


async def post_send(api, **fields: str) -> p.SendResult:
    response = await api.http.post("/sms.aspx", data=form(**fields))
    assert response.status_code == 200
    return p.parse_send_result(response.content)


def assert_failed(sim, result: p.SendResult, code: int) -> None:
    assert not result.ok, result
    assert result.status == sim.config.fail_word == "Faild"
    assert p.code_for_message(result.message) == code, result.message
    assert result.success_count == 0


# -- credentials ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fields", [{"account": ""}, {"password": ""}, {"account": "", "password": ""}])
async def test_empty_account_or_password(sim, api, fields):
    result = await post_send(api, **fields)
    assert_failed(sim, result, 1003)
    assert result.message == "用户名或密码不能为空"
    await assert_nothing_billed(api, sim)


async def test_parameters_missing_entirely(sim, api):
    response = await api.http.post("/sms.aspx", data={"action": "send", "mobile": A, "content": GOOD})
    result = p.parse_send_result(response.content)
    assert not result.ok and result.message == "用户名或密码不能为空"
    await assert_nothing_billed(api, sim)


async def test_unknown_account(sim, api):
    result = await post_send(api, account="nosuchuser")
    assert_failed(sim, result, 1005)
    assert result.message == "用户名或密码错误"
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("password", [p.md5_upper("demo124"), "demo124", "DEMO123", p.md5_upper("demo123")[:-1]])
async def test_wrong_password(sim, api, password):
    result = await post_send(api, password=password)
    assert_failed(sim, result, 1005)
    await assert_nothing_billed(api, sim)


async def test_disabled_account_is_1007(sim, api):
    sim.patch_account("demo", enabled=False)
    result = await post_send(api)
    assert_failed(sim, result, 1007)
    assert result.message == p.RESULT_CODES[1007].meaning_zh
    balance = p.parse_balance((await api.call(p.build_balance(DEMO))).content)
    assert not balance.ok and balance.code == 1007
    await assert_nothing_billed(api, sim)
    sim.patch_account("demo", enabled=True)
    assert (await post_send(api)).ok


async def test_ip_binding_is_1006(sim, api):
    sim.patch_account("demo", bind_ips=["10.9.9.9"])
    result = await post_send(api)
    assert_failed(sim, result, 1006)
    await assert_nothing_billed(api, sim)
    sim.patch_account("demo", bind_ips=["10.9.9.9", "127.0.0.1"])
    assert (await post_send(api)).ok


# -- numbers, extno, content -----------------------------------------------------------------------


@pytest.mark.parametrize("mobile", ["", " ", ",,", " , "])
async def test_empty_mobile_is_1103(sim, api, mobile):
    result = await post_send(api, mobile=mobile)
    assert_failed(sim, result, 1103)
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("mobile", ["1391234567", "139123456789", "23912345678", "12912345678", "1391234567a",
                                    f"{A},1391234567", "+8613912345678"])
async def test_malformed_number_is_1108(sim, api, mobile):
    result = await post_send(api, mobile=mobile)
    assert_failed(sim, result, 1108)
    bad = next(m for m in mobile.split(",") if m != A)
    assert bad in result.message  # the gateway names the number
    await assert_nothing_billed(api, sim)


async def test_all_blacklisted_is_1109(sim, api):
    result = await post_send(api, mobile=",".join(sim.config.blacklist))
    assert_failed(sim, result, 1109)
    await assert_nothing_billed(api, sim)


@pytest.mark.sim(blacklist=["13800000000", "13800000001"], delivered_ratio=1.0, report_delay=[1, 1])
async def test_blacklisted_among_others_are_left_out_and_not_billed(sim, api):
    result = await post_send(api, mobile=f"13800000000,{A},13800000001,{B}")
    assert result.ok and result.success_count == 2
    assert result.balance == sim.config.account("demo").balance - 2
    sim.advance(1)
    reports = {r.mobile: r for r in await api.drain_reports(DEMO)}
    assert reports[A].status == 10 and reports[B].status == 10
    assert reports["13800000000"].status == 20 and reports["13800000001"].status == 20


@pytest.mark.parametrize("extno", ["123456", "12a", "-1", "1 2"])
async def test_bad_extno_is_1104(sim, api, extno):
    result = await post_send(api, extno=extno)
    assert_failed(sim, result, 1104)
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("extno", ["", "0", "12345"])
async def test_good_extno_accepted(sim, api, extno):
    result = await post_send(api, extno=extno)
    assert result.ok
    assert sim.world.tasks[result.task_id].extno == extno


@pytest.mark.parametrize("content", ["", "   ", "\n"])
async def test_empty_content_is_2001(sim, api, content):
    result = await post_send(api, content=content)
    assert_failed(sim, result, 2001)
    await assert_nothing_billed(api, sim)


async def test_too_long_is_2105(sim, api):
    limit = sim.config.max_content_length
    result = await post_send(api, content=text_of(limit + 1))
    assert_failed(sim, result, 2105)
    await assert_nothing_billed(api, sim)
    assert (await post_send(api, content=text_of(limit))).ok


@pytest.mark.sim(max_content_length=100)
async def test_too_long_follows_the_configured_limit(sim, api):
    assert_failed(sim, await post_send(api, content=text_of(101)), 2105)
    assert (await post_send(api, content=text_of(100))).ok


@pytest.mark.parametrize("content", ["您好，没有签名", "您好[测试公司]", "您好【测试公司", "您好测试公司】"])
async def test_signature_missing_is_2113(sim, api, content):
    result = await post_send(api, content=content)
    assert_failed(sim, result, 2113)
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("content", ["您好【AB】", "您好【】", "您好【一二三四五六七八九】"])
async def test_signature_wrong_length_is_2114(sim, api, content):
    result = await post_send(api, content=content)
    assert_failed(sim, result, 2114)
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("content", ["您好【ABC】", "您好【一二三四五六七八】", "【测试公司】您好"])
async def test_signature_3_to_8_at_end_or_start_accepted(sim, api, content):
    assert (await post_send(api, content=content)).ok


@pytest.mark.sim(require_signature=False)
async def test_signature_not_required_when_switched_off(sim, api):
    assert (await post_send(api, content="没有签名也可以")).ok


@pytest.mark.parametrize("index", [0, 1, 2])
async def test_sensitive_word_is_2107_and_named(sim, api, index):
    word = sim.config.sensitive_words[index]
    result = await post_send(api, content=f"正常内容{word}正常内容" + SIG)
    assert_failed(sim, result, 2107)
    assert f"敏感词({word})" in result.message
    await assert_nothing_billed(api, sim)


async def test_balance_too_low_is_1111_and_nothing_billed(sim, api):
    sim.patch_account("demo", balance=2)
    result = await post_send(api, mobile=f"{A},{B},13612345670")
    assert_failed(sim, result, 1111)
    assert result.balance == 2
    state = await api.state()
    assert state["tasks"] == 0 and state["accounts"]["demo"]["balance"] == 2
    assert await api.balance(DEMO) == 2
    ok = await post_send(api, mobile=f"{A},{B}")  # exactly enough
    assert ok.ok and ok.balance == 0


async def test_balance_too_low_counts_segments(sim, api):
    sim.patch_account("demo", balance=3)
    assert_failed(sim, await post_send(api, mobile=f"{A},{B}", content=text_of(71)), 1111)  # needs 4
    assert (await post_send(api, mobile=A, content=text_of(71))).balance == 1


@pytest.mark.parametrize("send_time", ["2026-13-01 00:00:00", "tomorrow", "2026/03/01 25:00"])
async def test_bad_send_time_refused(sim, api, send_time):
    result = await post_send(api, sendTime=send_time)
    assert not result.ok and result.status == "Faild"
    await assert_nothing_billed(api, sim)


# -- the same refusals on every send transport -------------------------------------------------------

CASES = [
    pytest.param("", GOOD, "", 1103, id="1103-mobile-empty"),
    pytest.param("1391234567", GOOD, "", 1108, id="1108-malformed"),
    pytest.param("13800000000", GOOD, "", 1109, id="1109-blacklisted"),
    pytest.param(A, GOOD, "123456", 1104, id="1104-extno-long"),
    pytest.param(A, GOOD, "12a", 1104, id="1104-extno-letters"),
    pytest.param(A, "", "", 2001, id="2001-empty"),
    pytest.param(A, text_of(501), "", 2105, id="2105-long"),
    pytest.param(A, "您好", "", 2113, id="2113-no-signature"),
    pytest.param(A, "您好【AB】", "", 2114, id="2114-short-signature"),
    pytest.param(A, "代开发票" + SIG, "", 2107, id="2107-sensitive"),
]


async def refusal_code(sim, api, transport: str, mobile: str, content: str, extno: str) -> int | None:
    """Send over one transport and return the §10 code the reply stands for (None if accepted)."""
    if transport in ("xml", "json", "gbk"):
        response = await api.call(p.build_send(DEMO, mobile, content, extno=extno, transport=transport))
        result = (p.parse_send_result_json if transport == "json" else p.parse_send_result)(response.content)
        if result.ok:
            return None
        assert result.status == "Faild"
        return p.code_for_message(result.message)
    if transport == "encrypted":
        result = p.parse_encrypted_reply((await api.call(p.build_encrypted_send(DEMO, mobile, content, sim.now(),
                                                                                  extno=extno))).content)
        return None if result.ok else result.status_code
    result = p.parse_soap_send_result((await api.call(p.build_soap_send(DEMO, mobile, content, extno=extno))).content)
    if result.ok:
        return None
    rc = p.lookup(result.status_code)
    assert rc is not None, result.status_code
    return rc.code


@pytest.mark.parametrize("transport", ["xml", "json", "gbk", "encrypted", "soap"])
@pytest.mark.parametrize(("mobile", "content", "extno", "code"), CASES)
async def test_refusal_code_on_every_transport(sim, api, transport, mobile, content, extno, code):
    assert await refusal_code(sim, api, transport, mobile, content, extno) == code
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("transport", ["xml", "json", "gbk", "encrypted", "soap"])
async def test_accepted_on_every_transport(sim, api, transport):
    assert await refusal_code(sim, api, transport, f"{A},{B}", text_of(71), "99") is None
    state = await api.state()
    assert state["tasks"] == 1
    assert state["accounts"]["demo"]["balance"] == sim.config.account("demo").balance - 4


@pytest.mark.parametrize("transport", ["xml", "json", "gbk"])
async def test_credentials_refused_on_every_form_transport(sim, api, transport):
    response = await api.call(p.build_send(p.Credentials("demo", "nope"), A, GOOD, transport=transport))
    result = (p.parse_send_result_json if transport == "json" else p.parse_send_result)(response.content)
    assert not result.ok and result.status == "Faild" and result.code == 1005
    assert result.task_id == ""  # the long task-id generation leaves it empty on failure
    await assert_nothing_billed(api, sim)


@pytest.mark.sim(taskid_style="short")
async def test_short_taskid_generation(sim, api):
    ok = await post_send(api)
    assert ok.ok and ok.message == "ok" and 6 <= len(ok.task_id) <= 9 and ok.task_id.isdigit()
    response = await api.http.post("/sms.aspx", data=form(password="nope"))
    assert "<taskID>0</taskID>" in response.text  # failures put 0
