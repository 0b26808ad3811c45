"""The vendor document's own vectors and examples, byte for byte."""

from datetime import datetime

import pytest

import smstui.protocol as p

DOC_TEXT64 = (
    "0DqKGm9MWnsFM2wlYEW65VXylBxJGBiuZzP5dTp1ALdK7QaTgx0cR5GftknjiNJBOd46tdJp+6J3OYAoukEBOKlfsExTaFYC7X514PyLC+Nrwh"
    "DLKYOvFAb7gBo+dqkslvVJklz4qm7/gUHrHAT2d7hEcQxhDMD+Ij8NIy1kvHqU3noZTqjlC1PaaFYy6zifBr5ND+V4UK0xM7scF/avfVKW/0k1"
    "6qqVzDDJocRkTz0jqvtJYfo1liuI2+h2fRkK"
)
DOC_JSON_HEX = (
    "7B 22 55 73 65 72 4E 61 6D 65 22 3A 22 74 65 73 74 22 2C 22 53 65 63 72 65 74 22 3A 22 32 41 38 44 36 32 38 31 35 "
    "39 42 30 44 34 44 33 44 34 44 35 38 41 33 45 42 31 37 46 33 30 38 32 22 2C 22 53 74 61 6D 70 22 3A 22 30 34 31 34 "
    "31 37 34 37 31 35 22 2C 22 4D 6F 62 6C 69 65 22 3A 22 31 35 35 31 30 33 33 31 38 37 35 22 2C 22 54 65 78 74 22 3A "
    "22 E6 88 91 E7 9A 84 E9 AA 8C E8 AF 81 E7 A0 81 E6 98 AF EF BC 9A 37 38 39 30 E3 80 82 E3 80 90 E5 A5 A5 E5 88 9B "
    "E6 97 B6 E4 BB A3 E3 80 91 22 2C 22 45 78 74 22 3A 22 22 2C 22 53 65 6E 64 54 69 6D 65 22 3A 22 22 7D"
)
DOC_FIELDS = {
    "UserName": "test",
    "Secret": "2A8D628159B0D4D3D4D58A3EB17F3082",
    "Stamp": "0414174715",
    "Moblie": "15510331875",
    "Text": "我的验证码是：7890。【奥创时代】",
    "Ext": "",
    "SendTime": "",
}


def test_md5_of_abc123():
    assert p.md5_upper("abc123") == "E99A18C428CB38D5F260853678922E03"


def test_secret_of_document_example():
    assert p.make_secret("test", "0414174715") == "2A8D628159B0D4D3D4D58A3EB17F3082"


def test_text64_json_bytes_match_document():
    from smstui.protocol.text64 import des_key, text64_json

    assert text64_json(DOC_FIELDS) == bytes.fromhex(DOC_JSON_HEX)
    assert des_key("test") == bytes.fromhex("74 65 73 74 00 00 00 00")


def test_text64_matches_document():
    assert p.encode_text64(DOC_FIELDS, "test") == DOC_TEXT64
    assert p.decode_text64(DOC_TEXT64, "test") == DOC_FIELDS


def test_encrypted_request_reproduces_document_text64():
    now = datetime(2015, 4, 14, 17, 47, 15, tzinfo=p.BEIJING)
    creds = p.Credentials("test", "test", "1")
    request = p.build_encrypted_send(creds, ["15510331875"], "我的验证码是：7890。【奥创时代】", now)
    assert request.path == "/ensms.ashx"
    assert request.fields == {"UserId": "1", "Text64": DOC_TEXT64}


@pytest.mark.parametrize(
    ("length", "expected"), [(0, 0), (1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)]
)
def test_segments_of_document(length, expected):
    assert p.segments("字" * length) == expected


def test_send_result_xml_of_document():
    body = (
        '<?xml version="1.0"  encoding="utf-8" ?>\n<returnsms>\n<returnstatus>Success</returnstatus>\n'
        "<message>操作成功</message>\n<remainpoint>-4</remainpoint>\n<taskID>1504080852350206</taskID>\n"
        "<successCounts>1</successCounts>\n</returnsms>"
    ).encode()
    result = p.parse_send_result(body)
    assert (result.ok, result.message, result.balance, result.task_id, result.success_count) == (
        True,
        "操作成功",
        -4,
        "1504080852350206",
        1,
    )


def test_send_result_json_of_document():
    body = '{"returnstatus":"Success","message":"操作成功","remainpoint":"-4","taskID":"1504080852350206","successCounts":"1"}'
    result = p.parse_send_result_json(body.encode())
    assert (result.ok, result.balance, result.task_id, result.success_count) == (True, -4, "1504080852350206", 1)


def test_encrypted_reply_of_document():
    body = '{"StatusCode":1,"Description":"操作成功","MsgId":"1504141655440332","Amount":-11,"SuccessCounts":1,"Errors":[]}'
    result = p.parse_encrypted_reply(body.encode())
    assert result.ok and result.msg_id == "1504141655440332" and result.amount == -11 and result.success_count == 1
    assert (result.description, result.errors) == ("操作成功", [])


def test_balance_xml_of_document():
    body = (
        '<?xml version="1.0" encoding="utf-8" ?><returnsms><returnstatus>Sucess</returnstatus><message>操作成功</message>'
        "<payinfo>预付费</payinfo><overage>1000</overage><sendTotal>5000</sendTotal></returnsms>"
    )
    balance = p.parse_balance(body.encode())
    assert (balance.ok, balance.pay_type, balance.balance, balance.send_total) == (True, "prepaid", 1000, 5000)


def test_balance_json_of_document():
    body = '{"returnstatus":"Success","message":"操作成功",\n"payinfo":"后付","overage":"-4","sendTotal":"0"}'
    balance = p.parse_balance_json(body.encode())
    assert (balance.ok, balance.pay_type, balance.balance, balance.send_total) == (True, "postpaid", -4, 0)


REPORTS_XML = """<?xml version="1.0" encoding="utf-8" ?> 
<returnsms>
<statusbox>
<mobile>15023239810</mobile>
<taskid>1212</taskid>
<status>10</status>
<receivetime>2018-02-02 22:12:11</receivetime>
<errorcode>DELIVRD</errorcode>
<extno>01</extno>
</statusbox>
<statusbox>
<mobile>15023239811</mobile>
<taskid>1212</taskid>
<status>20</status>
<receivetime>2018-02-02 22:12:11</receivetime>
<errorcode>2</errorcode>
<extno></extno>
</statusbox>
</returnsms>"""


def test_reports_xml_of_document():
    reply = p.parse_reports(REPORTS_XML.encode())
    assert reply.ok
    first, second = reply.items
    assert (first.mobile, first.task_id, first.delivered, first.error_code, first.extno) == (
        "15023239810",
        "1212",
        True,
        "DELIVRD",
        "01",
    )
    assert first.receive_time == datetime(2018, 2, 2, 22, 12, 11, tzinfo=p.BEIJING)
    assert (second.status, second.error_code, second.extno) == (20, "2", "")


@pytest.mark.parametrize("parse", [p.parse_reports, p.parse_uplinks])
def test_query_error_xml_of_document(parse):
    body = (
        '<?xml version="1.0" encoding="utf-8" ?> \n<returnsms>\n<errorstatus>\n<error>1</error>\n\n'
        "<remark>用户名或密码不能为空</remark>\n</errorstatus>\n</returnsms>"
    )
    reply = parse(body.encode())
    assert (reply.ok, reply.error, reply.remark, reply.items) == (False, 1, "用户名或密码不能为空", [])


def test_reports_json_of_document_derives_status():
    body = """{"error":"1",
"remark":"成功",
"statusbox":[
    {"mobile":"15510331875",
     "taskid":"123",
     "receivetime":"2018-02-01 00:00:00",
     "errorcode":"dEv"
    },{
    "mobile":"13483728958",
    "taskid":"124",
    "receivetime":"2018-02-01 00:00:00",
    "errorcode":"back"}
    ]
}"""
    reply = p.parse_reports_json(body.encode())
    assert reply.ok and [r.mobile for r in reply.items] == ["15510331875", "13483728958"]
    assert all(r.status_derived and r.status == 20 for r in reply.items)
    assert [(r.task_id, r.error_code, r.receive_time_text) for r in reply.items] == [
        ("123", "dEv", "2018-02-01 00:00:00"),
        ("124", "back", "2018-02-01 00:00:00"),
    ]
    assert all(r.receive_time == datetime(2018, 2, 1, tzinfo=p.BEIJING) for r in reply.items)
    assert reply.remark == "成功"


def test_reports_json_error_of_document():
    reply = p.parse_reports_json('{"error":"1005","remark":"密码错了","statusbox":[]}'.encode())
    assert (reply.ok, reply.error, reply.code, reply.remark) == (False, 1005, 1005, "密码错了")


UPLINKS_XML = """<?xml version="1.0" encoding="utf-8" ?> 
<returnsms>
<callbox>
<mobile>15023239810</mobile>
<content>你好，我不需要</content>
<receivetime>2018-02-02 22:12:11</receivetime>
<extno>01</extno>
</callbox>
<callbox>
<mobile>15023239811</mobile>
<content>你好，本次活动路线是怎么的</content>
<receivetime>2018-02-02 22:12:11</receivetime>
<extno>01</extno>
</callbox>
</returnsms>"""


def test_uplinks_xml_of_document():
    reply = p.parse_uplinks(UPLINKS_XML.encode())
    assert [(u.mobile, u.content, u.extno) for u in reply.items] == [
        ("15023239810", "你好，我不需要", "01"),
        ("15023239811", "你好，本次活动路线是怎么的", "01"),
    ]


def test_uplinks_json_of_document_unknown_time():
    body = """{"error":"1",
"remark":"成功",
"callbox":[
  {"mobile":"15510331875",
   "content":"a",
  "receivetime":"0001-01-01 00:00:00",
  "extno":"123"
  },{
  "mobile":"13483728958",
    "content":"b",
  "receivetime":"0001-01-01 00:00:00",
  "extno":"456"
  }
 ]
}"""
    reply = p.parse_uplinks_json(body.encode())
    assert [(u.content, u.extno, u.receive_time) for u in reply.items] == [("a", "123", None), ("b", "456", None)]
    assert [u.mobile for u in reply.items] == ["15510331875", "13483728958"] and reply.remark == "成功"
    failed = p.parse_uplinks_json('{"error":"1005","remark":"密码错了","callbox":[]}'.encode())
    assert (failed.ok, failed.error, failed.remark, failed.code, failed.items) == (False, 1005, "密码错了", 1005, [])


def test_template_replies_of_document():
    failed = p.parse_template_reply(
        '{\n"Status":"Faild",\n"StatusCode":"1119",\n"Description":"未启用该功能",\n"TemplateId":""\n}'.encode()
    )
    assert (failed.ok, failed.status_code, failed.description) == (False, 1119, "未启用该功能")
    listed = p.parse_template_reply(
        '{"Status":"Success","StatusCode":"1","Description":"操作成功","TemplateList":[{"TemplateId":"1611293848530529",'
        '"Status":3,"Template":"您的验证码：@【星辰】"}]}'.encode()
    )
    assert listed.ok and listed.templates == [p.Template("1611293848530529", 3, "您的验证码：@【星辰】")]
    updated = p.parse_template_reply('{"Status":"Success","StatusCode":"1","Description":"操作成功"}'.encode())
    assert updated.ok and updated.templates == []


def test_password_reply():
    body = '<?xml version="1.0" encoding="utf-8" ?><returnsms><returnstatus>Success</returnstatus><message>操作成功</message></returnsms>'
    assert p.parse_password_reply(body.encode()).ok
    failed = p.parse_password_reply(body.replace("Success", "Fail").replace("操作成功", "用户名或密码错误").encode())
    assert (failed.ok, failed.code) == (False, 1005)


def test_batch_example_of_document():
    rows = [p.BatchRow("13800138000", "验证码：1234【星辰】"), p.BatchRow("13900139000", "验证码：4567【星辰】")]
    from smstui.protocol.batch import batch_text

    assert batch_text(rows) == "13800138000,验证码：1234【星辰】\r\n13900139000,验证码：4567【星辰】"
    assert p.decode_batch(p.encode_batch(rows)) == rows


def test_result_codes_table_is_complete():
    expected = {
        1,
        1001,
        1002,
        1003,
        1004,
        1005,
        1006,
        1007,
        1008,
        1009,
        1010,
        2001,
        1103,
        1104,
        2105,
        1106,
        2107,
        1108,
        1109,
        1110,
        1111,
        1112,
        2113,
        2114,
        3001,
        9999,
        1119,
    }
    assert set(p.RESULT_CODES) == expected
    assert p.RESULT_CODES[1111].name == "AmountNotEnough" and "top up" in p.RESULT_CODES[1111].remedy.lower()
    assert p.lookup("AmountNotEnough").code == 1111 and p.lookup("2107").name == "SensitiveWords"


def test_push_of_reports_of_document_6_2():
    push = p.parse_push(REPORTS_XML.encode())
    assert push.uplinks == []
    assert [(r.mobile, r.task_id, r.status, r.error_code, r.extno) for r in push.reports] == [
        ("15023239810", "1212", 10, "DELIVRD", "01"),
        ("15023239811", "1212", 20, "2", ""),
    ]
    assert all(r.receive_time == datetime(2018, 2, 2, 22, 12, 11, tzinfo=p.BEIJING) for r in push.reports)
    assert not any(r.status_derived for r in push.reports)


def test_push_of_uplinks_of_document_6_3():
    push = p.parse_push(UPLINKS_XML.encode())
    assert push.reports == []
    assert [(u.mobile, u.content, u.extno) for u in push.uplinks] == [
        ("15023239810", "你好，我不需要", "01"),
        ("15023239811", "你好，本次活动路线是怎么的", "01"),
    ]
    assert all(u.receive_time == datetime(2018, 2, 2, 22, 12, 11, tzinfo=p.BEIJING) for u in push.uplinks)


def test_soap_send_result_success_of_chapter_8():
    body = (
        '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        '<soap:Body><SendSmsResponse xmlns="http://www.yysms.com/"><SendSmsResult><StatusCode>OK</StatusCode>'
        "<Description>操作成功</Description><MsgId>1504141655440332</MsgId><Amount>-11</Amount>"
        "<SuccessCounts>1</SuccessCounts><BillingCount>1</BillingCount><Errors /></SendSmsResult></SendSmsResponse>"
        "</soap:Body></soap:Envelope>"
    )
    result = p.parse_soap_send_result(body.encode())
    assert result.ok and (result.status_code, result.description, result.msg_id) == (
        "OK",
        "操作成功",
        "1504141655440332",
    )
    assert (result.amount, result.success_count, result.billing_count, result.errors) == (-11, 1, 1, [])


def test_a_large_batch_packed_piece_by_piece_is_the_same_gzip_as_its_whole_text():
    import base64
    import gzip

    from smstui.protocol.batch import GZIP_LEVEL, PARALLEL_ROWS, PIECE_ROWS, batch_text

    count = PARALLEL_ROWS + PIECE_ROWS + 7  # on the thread, in pieces, the last one short
    rows = [(f"139{i:08d}", f"尊敬的客户{i}，订单已发货【星辰】") for i in range(count)]
    rows[PIECE_ROWS + 3] = (rows[PIECE_ROWS + 3][0], "两行\r\n之间有\\反斜杠【星辰】")  # escaped, in the second piece
    rows[-1] = ("+86 137 0000 0001", "号码不规范【星辰】")  # normalised: the text packed again
    whole = base64.b64encode(gzip.compress(batch_text(rows).encode(), compresslevel=GZIP_LEVEL, mtime=0)).decode()
    assert p.encode_batch(rows) == whole
    assert p.decode_batch(whole)[PIECE_ROWS + 3].content == "两行\r\n之间有\\反斜杠【星辰】"
    plain = rows[:-1]
    assert p.encode_batch(plain) == base64.b64encode(
        gzip.compress(batch_text(plain).encode(), compresslevel=GZIP_LEVEL, mtime=0)).decode()
    with pytest.raises(p.BatchFormatError, match=f"^row {count}: 13900000005 is already in row 6"):
        p.encode_batch([*plain, ("13900000005", "重复【星辰】")])
    with pytest.raises(p.BatchFormatError, match=f"^row {PIECE_ROWS * 2 + 2}: .*broken character"):
        p.encode_batch([*plain[:PIECE_ROWS * 2 + 1], (plain[PIECE_ROWS * 2 + 1][0], "坏\ud83d"), *plain[PIECE_ROWS * 2 + 2:]])
