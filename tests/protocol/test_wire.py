"""Reading real bodies (whitespace, wrong declarations, one bad box), writing what XML can carry, SOAP details."""

from datetime import UTC, datetime, timedelta

import pytest

import smstui.protocol as p
from smstui.protocol.soap import SOAP11, SOAP12

SEND_XML = ('<?xml version="1.0" encoding="{}" ?>\r\n<returnsms>\r\n<returnstatus>Success</returnstatus>\r\n'
            "<message>操作成功</message>\r\n<remainpoint>12.50</remainpoint>\r\n<taskID>1504080852350206</taskID>\r\n"
            "<successCounts>1</successCounts>\r\n</returnsms>")


@pytest.mark.parametrize("lead", [b"\r\n", b"  \n\t", b"\xef\xbb\xbf\r\n", b"\r\n\xef\xbb\xbf", b"\xef\xbb\xbf"])
def test_whitespace_and_bom_before_the_declaration(lead):
    body = lead + SEND_XML.format("utf-8").encode()
    assert p.parse_send_result(body).task_id == "1504080852350206"
    soap = lead + p.render_soap_send_result(p.SoapSendResult("OK", "操作成功", "1", 5, 1, 1))
    assert p.parse_soap_send_result(soap).ok
    request = lead + p.build_soap_send(p.Credentials("a", "b"), "13800138000", "x").body
    assert p.parse_soap_request(request).user_name == "a"


def test_utf8_declared_as_gb2312_is_read_as_utf8_and_real_gbk_still_as_gbk():
    utf8 = SEND_XML.format("gb2312").encode("utf-8")
    assert p.parse_send_result(utf8).message == "操作成功"
    assert p.parse_send_result(SEND_XML.format("gb2312").encode("gbk")).message == "操作成功"
    assert p.parse_send_result(SEND_XML.format("GBK").encode("gb18030")).message == "操作成功"


def test_a_fractional_balance_is_kept_not_cut():
    assert p.parse_send_result(SEND_XML.format("utf-8").encode()).balance == 12.5
    body = '{"returnstatus":"Success","message":"操作成功","payinfo":"预付费","overage":"12.50","sendTotal":"100.0"}'
    balance = p.parse_balance_json(body.encode())
    assert (balance.balance, balance.send_total) == (12.5, 100) and isinstance(balance.send_total, int)
    assert p.parse_encrypted_reply(b'{"StatusCode":1,"Amount":-3.25}').amount == -3.25


BAD_BOX = """<?xml version="1.0" encoding="utf-8" ?>
<returnsms>
<callbox>
<mobile>15023239810</mobile>
<content>A&B <好> 5<6 &amp; &#13;&#x41;</content>
<receivetime>2018-02-02 22:12:11</receivetime>
<extno>01</extno>
</callbox>
<callbox>
<mobile>15023239811</mobile>
<content>你好</content>
<receivetime>2018-02-02 22:12:12</receivetime>
<extno/>
</callbox>
</returnsms>"""


def test_one_unescaped_box_does_not_lose_the_batch():
    reply = p.parse_uplinks(BAD_BOX.encode())
    assert reply.ok
    assert [(u.mobile, u.content, u.extno) for u in reply.items] == [
        ("15023239810", "A&B <好> 5<6 & \rA", "01"), ("15023239811", "你好", "")]
    assert reply.items[1].receive_time == datetime(2018, 2, 2, 22, 12, 12, tzinfo=p.BEIJING)
    push = p.parse_push(BAD_BOX.encode())
    assert [u.content for u in push.uplinks] == ["A&B <好> 5<6 & \rA", "你好"]
    reports = (
        BAD_BOX.replace("callbox", "statusbox")
        .replace("<content>", "<errorcode>")
        .replace("</content>", "</errorcode>")
    )
    assert [r.error_code for r in p.parse_reports(reports.encode()).items] == ["A&B <好> 5<6 & \rA", "你好"]


@pytest.mark.parametrize(
    "body",
    [
        BAD_BOX[: BAD_BOX.index("</returnsms>")],  # cut short: boxes after the cut would go unnoticed
        BAD_BOX.replace("</callbox>\n<callbox>", "\n<callbox>", 1),  # a box without its end
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><returnsms><callbox><content>&a; &</content></callbox></returnsms>',
        "<html><body>502 & co</body></html>",
    ],
)
def test_what_cannot_be_salvaged_is_still_an_error_keeping_the_body(body):
    with pytest.raises(p.GatewayReplyError) as caught:
        p.parse_uplinks(body.encode())
    assert caught.value.raw == body.encode()


def test_uplink_content_keeps_its_spaces_and_carriage_returns():
    uplink = p.Uplink("15023239810", "  第一行\r\n第二行\t ", None, "01")
    for body, parse in (
        (p.render_uplinks([uplink]), p.parse_uplinks),
        (p.render_uplinks([uplink], "json"), p.parse_uplinks_json),
    ):
        assert parse(body).items[0].content == uplink.content
    assert b"&#13;" in p.render_uplinks([uplink])


def test_characters_xml_cannot_carry_are_dropped_when_writing():
    uplink = p.Uplink("15023239810", "a\x00b\x1bc\ufffed\ud83de", None)
    body = p.render_uplinks([uplink])
    assert p.parse_uplinks(body).items[0].content == "abcde"
    result = p.SendResult(False, "Faild", "bad\x07message", 0, "", 0)
    assert p.parse_send_result(p.render_send_result(result)).message == "badmessage"
    assert p.parse_soap_send_result(p.render_soap_fault("服务器\x01无法读取")).description == "服务器无法读取"


def test_soap_request_keeps_content_as_sent_so_every_transport_bills_alike():
    creds = p.Credentials("demo", " pass word ")
    content = "  第一行\r\n第二行【星辰科技】 "
    request = p.parse_soap_request(p.build_soap_send(creds, " 13800138000 ", content).body)
    assert request.content == content and p.text_length(request.content) == p.text_length(content)
    assert request.password == " pass word " and request.msisdns == "13800138000"


def test_soap_12_fault_with_several_texts_and_a_result_in_another_namespace():
    fault = (
        f'<soap:Envelope xmlns:soap="{SOAP12}"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Receiver'
        '</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">Server error</soap:Text>'
        '<soap:Text xml:lang="zh-CN">服务器错误</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>'
    )
    result = p.parse_soap_send_result(fault.encode())
    assert (result.ok, result.status_code, result.description) == (False, "Fault", "Server error; 服务器错误")
    tempuri = (
        f'<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><SendSmsResponse xmlns="http://tempuri.org/">'
        "<SendSmsResult><StatusCode>OK</StatusCode><Description>操作成功</Description><MsgId>1504141655440332</MsgId>"
        "<Amount>-11</Amount><SuccessCounts>1</SuccessCounts><BillingCount>2</BillingCount><Errors>"
        "<Error><Mobile>13800000000</Mobile><Message>黑名单</Message></Error><string>another</string>"
        "</Errors></SendSmsResult></SendSmsResponse></soap:Body></soap:Envelope>"
    )
    result = p.parse_soap_send_result(tempuri.encode())
    assert (result.ok, result.msg_id, result.amount, result.success_count, result.billing_count) == (
        True,
        "1504141655440332",
        -11,
        1,
        2,
    )
    assert result.errors == ["Mobile: 13800000000, Message: 黑名单", "another"]


def test_send_result_fields_of_the_live_wsdl_are_written_nil_and_read_in_either_shape():
    wsdl = p.render_wsdl("http://gw.example/WebService.asmx").decode()
    for name in ("PayType", "Balance", "BillingAmount", "AlterSendResult", "CustomId"):
        assert f'name="{name}" nillable="true"' in wsdl
    reply = p.render_soap_send_result(p.SoapSendResult("OK", "操作成功", "1504141655440332", 5, 1, 1), "1.2")
    assert b'<Balance xsi:nil="true" /><BillingAmount xsi:nil="true" />' in reply
    assert p.parse_soap_send_result(reply) == p.SoapSendResult("OK", "操作成功", "1504141655440332", 5, 1, 1)
    filled = reply.replace(b'<PayType xsi:nil="true" />', "<PayType>预付费</PayType>".encode())
    filled = filled.replace(b'<Balance xsi:nil="true" />', b"<Balance>4.50</Balance>")
    assert p.parse_soap_send_result(filled).amount == 5


def test_encrypted_reply_errors_made_of_objects_read_as_text():
    body = '{"StatusCode":1,"Description":"操作成功","MsgId":"1","Amount":5,"SuccessCounts":1,"Errors":[{"Mobile":"13800000000","Msg":"黑名单"},"x",null]}'
    assert p.parse_encrypted_reply(body.encode()).errors == ["Mobile: 13800000000, Msg: 黑名单", "x"]


def test_request_repr_hides_secrets():
    creds = p.Credentials("demo", "s3cret-pass", "1001")
    now = datetime(2026, 3, 1, 10, tzinfo=p.BEIJING)
    for request in (
        p.build_send(creds, "13800138000", "x"),
        p.build_password_change(creds, "new-secret-1"),
        p.build_encrypted_send(creds, "13800138000", "x", now),
        p.build_soap_send(creds, "13800138000", "x"),
    ):
        text = repr(request)
        for secret in (
            "s3cret-pass",
            p.md5_upper("s3cret-pass"),
            "new-secret-1",
            request.fields.get("Text64", "s3cret-pass"),
        ):
            assert secret not in text, text
        assert "/" in text  # the path is still shown
    assert "'account': 'demo'" in repr(p.build_send(creds, "13800138000", "x"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25T21:00:00", datetime(2026, 11, 25, 21, tzinfo=p.BEIJING)),
        ("2026-11-25T21:00:00+08:00", datetime(2026, 11, 25, 21, tzinfo=p.BEIJING)),
        ("2026-11-25T13:00:00Z", datetime(2026, 11, 25, 21, tzinfo=p.BEIJING)),
        ("2026-11-25T08:00:00.5-05:00", datetime(2026, 11, 25, 21, tzinfo=p.BEIJING)),
        ("0001-01-01T00:00:00", None),
        ("", None),
        ("  ", None),
    ],
)
def test_soap_plan_send_time(text, expected):
    assert p.parse_soap_time(text) == expected


@pytest.mark.parametrize("text", ["2026-11-25 21:00:00", "tomorrow", "2026-02-30T10:00:00", "2026-11-25T21:00"])
def test_soap_plan_send_time_refused_naming_the_format(text):
    with pytest.raises(ValueError, match="2018-02-02T09:08:10|not a real date"):
        p.parse_soap_time(text)


def test_naive_time_is_refused_with_the_way_out():
    with pytest.raises(ValueError, match=r"datetime\.now\(BEIJING\)"):
        p.make_stamp(datetime(2026, 3, 1, 10, 0, 0))
    assert p.make_stamp(datetime(2026, 3, 1, 2, 0, 0, tzinfo=UTC)) == "0301100000"
    assert p.stamp_fresh(
        p.make_stamp(datetime(2026, 3, 1, 2, 4, 0, tzinfo=UTC)),
        datetime(2026, 3, 1, 10, 0, 0, tzinfo=p.BEIJING) + timedelta(seconds=1),
    )


def test_check_keyword_request_and_replies():
    creds = p.Credentials("demo", "demo123", "1001")
    request = p.build_check_keyword(creds, "免费赌博【星辰科技】", "json")
    assert request.path == "/smsJson.aspx" and request.fields["action"] == "checkkeyword"
    assert request.fields["content"] == "免费赌博【星辰科技】"
    assert p.build_check_keyword(creds, "x", "gbk").encoding == "gbk"
    clean = p.parse_check_keyword(
        b'<?xml version="1.0" encoding="utf-8" ?><returnsms><returnstatus>Success</returnstatus>'
        b"<message>\xe6\xb2\xa1\xe6\x9c\x89\xe5\x8c\x85\xe5\x90\xab\xe5\xb1\x8f\xe8\x94\xbd\xe8\xaf\x8d"
        b"</message><checkCounts>0</checkCounts></returnsms>"
    )
    assert (clean.ok, clean.clean, clean.count, clean.words, clean.code) == (True, True, 0, [], None)
    found = p.parse_check_keyword_json(
        '{"returnstatus":"Faild","message":"包含非法字符：赌博,代开发票","checkCounts":"2"}'.encode()
    )
    assert (found.ok, found.clean, found.count, found.words, found.code) == (
        False,
        False,
        2,
        ["赌博", "代开发票"],
        2107,
    )
    refused = p.parse_check_keyword(
        "<returnsms><returnstatus>Faild</returnstatus><message>用户名或密码错误</message></returnsms>"
    )
    assert (refused.clean, refused.count, refused.code) == (False, None, 1005)
    for fmt, parse in (("xml", p.parse_check_keyword), ("json", p.parse_check_keyword_json)):
        for check in (p.keyword_reply.keyword_check(["赌博"]), p.keyword_reply.keyword_check([], content="您好【星辰】")):
            assert parse(p.render_check_keyword(check, fmt)) == check


def test_a_clean_check_keyword_reply_of_the_live_server_echoes_the_text_in_check_counts():
    live = p.parse_check_keyword(
        "<returnsms><returnstatus>Success</returnstatus><message>没有包含屏蔽词</message>"
        "<checkCounts>您的验证码是1234【星辰科技】</checkCounts></returnsms>"
    )
    assert (live.ok, live.clean, live.count, live.words, live.checked) == (True, True, 0, [], "您的验证码是1234【星辰科技】")
    as_json = p.parse_check_keyword_json('{"returnstatus":"Success","message":"没有包含屏蔽词","checkCounts":""}')
    assert (as_json.clean, as_json.count, as_json.checked) == (True, 0, "")
    old = p.parse_check_keyword_json('{"returnstatus":"Success","message":"没有包含屏蔽词","checkCounts":"0"}')
    assert (old.clean, old.count, old.checked) == (True, 0, None)
    hit = p.parse_check_keyword_json('{"returnstatus":"Faild","message":"包含非法字符：赌博","checkCounts":"1"}')
    assert (hit.clean, hit.words, hit.count, hit.checked) == (False, ["赌博"], 1, None)
    rendered = p.render_check_keyword(p.keyword_reply.keyword_check([], content="a<b&c"))
    assert "<checkCounts>a&lt;b&amp;c</checkCounts>" in rendered.decode()


def test_balance_in_the_gateways_own_words():
    assert (
        p.make_balance("prepaid", 5, 100).status == "Sucess" and p.make_balance("postpaid", -4, 4).pay_info == "后付费"
    )
    json_reply = p.make_balance("postpaid", -4, 4, "json")
    assert (json_reply.status, json_reply.pay_info) == ("Success", "后付")


def test_soap_password_is_plain_or_md5_whatever_the_plain_switch():
    assert p.soap_password_matches("demo123", "demo123") and p.soap_password_matches(
        p.md5_upper("demo123").lower(), "demo123"
    )
    assert not p.soap_password_matches("demo12", "demo123")
    assert not p.password_matches("demo123", "demo123", accept_plain=False)


def test_mms_cost_is_one_per_recipient():
    assert (p.mms_cost(0), p.mms_cost(3), p.MMS_COST_PER_RECIPIENT) == (0, 3, 1)
