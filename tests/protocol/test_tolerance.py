"""docs/protocol.md §11 and §12: real bodies are untidy; parsers cope or raise GatewayReplyError."""

import pytest

import smstui.protocol as p


def xml(children: str, declaration: str = '<?xml version="1.0" encoding="utf-8" ?>') -> bytes:
    return f"{declaration}<returnsms>{children}</returnsms>".encode()


@pytest.mark.parametrize(
    ("word", "ok"),
    [("Success", True), ("Sucess", True), ("success", True), ("Fail", False), ("Faild", False), ("Failed", False)],
)
def test_status_spellings(word, ok):
    body = xml(
        f"<returnstatus>{word}</returnstatus><message>m</message><remainpoint>1</remainpoint><taskID>9</taskID><successCounts>1</successCounts>"
    )
    assert p.parse_send_result(body).ok is ok
    assert p.parse_balance(body).ok is ok


def test_whitespace_empty_missing_negative_and_unknown_elements():
    body = xml(
        "<returnstatus> Success </returnstatus><message></message><remainpoint> 16</remainpoint>"
        "<taskID>\r\n  123456 </taskID><extra>kept</extra>"
    )
    result = p.parse_send_result(body)
    assert (result.balance, result.task_id, result.success_count, result.message) == (16, "123456", 0, "")
    assert result.extra == {"extra": "kept"}
    assert (
        p.parse_send_result(xml("<returnstatus>Success</returnstatus><remainpoint>-250</remainpoint>")).balance == -250
    )


def test_failure_with_taskid_zero_and_message_code():
    body = xml(
        "<returnstatus>Faild</returnstatus><message>额度不足</message><remainpoint>0</remainpoint><taskID>0</taskID><successCounts>0</successCounts>"
    )
    result = p.parse_send_result(body)
    assert (result.ok, result.task_id, result.code) == (False, "", 1111)


def test_sensitive_word_message_names_the_word():
    body = xml("<returnstatus>Faild</returnstatus><message>敏感词(赌博)</message>")
    assert p.parse_send_result(body).code == 2107


def test_balance_wrong_password_in_send_shape():
    body = xml(
        "<returnstatus>Faild</returnstatus><message>用户名或密码错误</message><remainpoint>0</remainpoint><taskID>0</taskID><successCounts>0</successCounts>"
    )
    balance = p.parse_balance(body)
    assert (balance.ok, balance.code, balance.pay_type) == (False, 1005, "unknown")


def test_single_box_many_boxes_and_empty():
    one = xml(
        "<statusbox><mobile>13800138000</mobile><taskid>1</taskid><status>10</status><receivetime>2016/1/26 11:02:08</receivetime><errorcode>DELIVRD</errorcode></statusbox>"
    )
    reply = p.parse_reports(one)
    assert len(reply.items) == 1 and reply.items[0].extno == ""
    assert reply.items[0].receive_time.isoformat() == "2016-01-26T11:02:08+08:00"
    assert p.parse_reports(b"<returnsms/>").items == []
    assert p.parse_reports(b"<returnsms> </returnsms>").items == []
    assert p.parse_uplinks(b"<?xml version='1.0'?><returnsms>\r\n</returnsms>").items == []


def test_status_missing_in_xml_is_derived():
    body = xml("<statusbox><mobile>13800138000</mobile><taskid>1</taskid><errorcode>DELIVRD</errorcode></statusbox>")
    report = p.parse_reports(body).items[0]
    assert report.delivered and report.status_derived


def test_bom_and_gb2312_declaration():
    text = '<?xml version="1.0" encoding="gb2312" ?><returnsms><returnstatus>Success</returnstatus><message>操作成功</message></returnsms>'
    assert p.parse_send_result(text.encode("gbk")).message == "操作成功"
    assert p.parse_send_result(b"\xef\xbb\xbf" + text.replace("gb2312", "utf-8").encode()).message == "操作成功"


def test_push_body_reads_both_kinds():
    body = p.render_reports([p.Report("13800138000", "1", 10, None, "DELIVRD")])
    push = p.parse_push(body)
    assert [r.mobile for r in push.reports] == ["13800138000"] and push.uplinks == []


def test_a_pushed_box_without_its_keys_is_refused_by_name():
    report = "<statusbox><mobile>13800138000</mobile><taskid>1</taskid><status>10</status></statusbox>"
    push = p.parse_push(xml(report + "<statusbox><taskid>1</taskid></statusbox><callbox><content>TD</content></callbox>"))
    assert [r.mobile for r in push.reports] == ["13800138000"] and push.uplinks == []
    assert push.refused == ["box 2 (statusbox) has no mobile", "box 3 (callbox) has no mobile"]
    with pytest.raises(p.GatewayReplyError, match=r"nothing to store: box 1 \(statusbox\) has no mobile and no taskid"):
        p.parse_push(xml("<statusbox><status>10</status></statusbox>"))
    with pytest.raises(p.GatewayReplyError, match="errorstatus"):
        p.parse_push(xml("<errorstatus><error>1</error><remark>x</remark></errorstatus>"))
    assert p.parse_push(xml("")) == p.PushBody([], [], [])  # an empty push: nothing to store, nothing wrong


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        b"<!DOCTYPE html><html><head><title>Error</title></head></html>",
        b"<returnsms><returnstatus>Success</returnstatus>",
        b"Service Unavailable",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><returnsms>&a;</returnsms>',
    ],
)
def test_not_a_reply_is_a_clear_error_keeping_the_raw_text(body):
    for parse in (p.parse_send_result, p.parse_balance, p.parse_reports, p.parse_uplinks, p.parse_password_reply):
        with pytest.raises(p.GatewayReplyError) as caught:
            parse(body)
        assert caught.value.raw == body
        assert "unexpected reply" in str(caught.value)


def test_unknown_status_word_is_an_error():
    with pytest.raises(p.GatewayReplyError):
        p.parse_send_result(xml("<returnstatus>Maybe</returnstatus>"))


def test_json_replies_that_are_html():
    for parse in (
        p.parse_send_result_json,
        p.parse_reports_json,
        p.parse_uplinks_json,
        p.parse_encrypted_reply,
        p.parse_template_reply,
        p.parse_balance_json,
    ):
        with pytest.raises(p.GatewayReplyError):
            parse(b"<html>502</html>")
        with pytest.raises(p.GatewayReplyError):
            parse(b"[1, 2]")


def test_soap_fault_is_a_failed_result():
    result = p.parse_soap_send_result(p.render_soap_fault("Server was unable to read request."))
    assert not result.ok and result.status_code == "Fault" and "unable" in result.description


def test_soap_12_request_is_read():
    from smstui.protocol.soap import SOAP12

    body = p.build_soap_send(p.Credentials("a", "b"), "13800138000", "x【签名测试】").body.replace(
        b"http://schemas.xmlsoap.org/soap/envelope/", SOAP12.encode()
    )
    assert p.parse_soap_request(body).version == "1.2"


def test_merge_params_is_case_insensitive_and_mixes_sources():
    merged = p.merge_params([("Action", "send"), ("Account", "q")], {"PASSWORD": "x", "account": "b"})
    assert merged == {"action": "send", "account": "b", "password": "x"}
