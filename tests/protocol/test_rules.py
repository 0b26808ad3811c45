"""Content, signature, mobile lists, sending rules, templates and the MMS packer."""

from datetime import UTC, datetime, timedelta

import pytest

import smstui.protocol as p

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=p.BEIJING)


def kinds(problems):
    return [problem.kind for problem in problems]


def test_text_length_counts_utf16_units():
    assert p.text_length("短信abc【签名】\n") == 10
    assert p.text_length("😀") == 2
    assert p.text_length("a\r\nb") == 4 and p.text_length(p.normalise_newlines("a\r\nb")) == 3
    assert p.segments("😀" * 35) == 1 and p.segments("😀" * 35 + "a") == 2


def test_signature_at_end_start_and_lengths():
    assert p.find_signature("您好【星辰科技】").position == "end"
    assert p.find_signature("【星辰科技】您好").position == "start"
    assert p.find_signature("您好【星辰科技】  ").name == "星辰科技"
    assert p.find_signature("您好") is None
    assert p.validate_content("您好【星辰科技】") == []
    assert kinds(p.validate_content("您好【星辰】")) == ["signature_length"]
    assert p.validate_content("您好【星辰】")[0].code == 2114
    assert kinds(p.validate_content("您好【】")) == ["signature_length"]
    assert kinds(p.validate_content("您好【一二三四五六七八九】")) == ["signature_length"]
    assert kinds(p.validate_content("您好【一二三】")) == []
    assert kinds(p.validate_content("您好【一二三四五六七八】")) == []
    assert kinds(p.validate_content("【星辰科技】您好")) == ["signature_at_start"]
    assert kinds(p.validate_content("【星辰科技】您好【星辰科技】")) == ["signature_twice"]
    assert kinds(p.validate_content("活动【限时】开始了【星辰科技】")) == []


def test_signature_missing_says_why_and_hints_lookalikes():
    missing = p.validate_content("您好")
    assert kinds(missing) == ["signature_missing"] and missing[0].code == 2113
    assert "【】" in p.validate_content("hello [Acme Co]")[0].message
    assert p.validate_content("您好", require_signature=False) == []


def test_empty_too_long_and_near_limit():
    assert p.validate_content("")[0].code == 2001 and p.validate_content("  \n")[0].code == 2001
    long = "字" * 495 + "【星辰科技】"
    assert kinds(p.validate_content(long)) == ["content_too_long"]
    assert p.validate_content(long)[0].code == 2105
    assert kinds(p.validate_content("字" * 450 + "【星辰科技】")) == ["content_near_limit"]
    assert all(not problem.blocking for problem in p.validate_content("字" * 450 + "【星辰科技】"))


def test_verification_code_detected():
    problems = p.validate_content("您的验证码是1234【星辰科技】")
    assert kinds(problems) == ["verification_code"] and problems[0].severity == "info"


def test_parse_mobiles_accepts_what_people_paste():
    text = "13800138000，+86 139 0013 9000;\n8613700137000\n0086-13600136000、13500135000 13400134000\r\n\n"
    result = p.parse_mobiles(text)
    assert result.numbers == ["13800138000", "13900139000", "13700137000", "13600136000", "13500135000", "13400134000"]
    assert result.ok and result.invalid == [] and result.duplicates == []
    assert result.joined().count(",") == 5


def test_parse_mobiles_reports_invalid_with_line():
    result = p.parse_mobiles("13800138000\n13900139000\n1380013800\n12800138000\nabc\n+85291234567")
    assert [entry.message for entry in result.invalid] == [
        "line 3: 1380013800 has 10 digits (a mainland mobile number has 11)",
        "line 4: 12800138000 does not start with 13–19",
        "line 5: abc contains characters other than digits",
        "line 6: +85291234567 is not a mainland China number (+86)",
    ]
    assert not result.ok and result.numbers == ["13800138000", "13900139000"]


def test_parse_mobiles_reports_duplicates_with_both_places():
    result = p.parse_mobiles("13800138000,13900139000,,+8613800138000,13900139000")
    assert result.numbers == ["13800138000", "13900139000"]
    assert [(d.mobile, d.where, d.first_where) for d in result.duplicates] == [
        ("13800138000", "entry 3", "entry 1"), ("13900139000", "entry 4", "entry 2")]
    assert result.duplicates[0].message == "entry 3: 13800138000 was already given at entry 1"


def test_parse_mobiles_empty():
    assert p.parse_mobiles("").numbers == [] and not p.parse_mobiles(" ,\n").ok


def history(*minutes_ago, verification=True):
    return [p.SentRecord(NOW - timedelta(minutes=m), verification) for m in minutes_ago]


def test_verification_rule_three_in_three_minutes():
    content = "验证码：1234【星辰科技】"
    assert p.check_send_rules("13800138000", content, history(2.9, 1, 0.5)[:2], NOW) == []
    violations = p.check_send_rules("13800138000", content, history(2.9, 1, 0.5), NOW)
    assert [(v.rule, v.error_code, v.count) for v in violations] == [("verification", "MALREG", 3)]
    assert violations[0].retry_at == NOW - timedelta(minutes=2.9) + timedelta(minutes=3)
    assert p.check_send_rules("13800138000", content, history(3.5, 1, 0.5), NOW) == []
    assert p.check_send_rules("13800138000", "普通通知【星辰科技】", history(2, 1, 0.5), NOW) == []


def test_verification_rule_counts_scheduled_sends_after_now():
    content = "验证码：1234【星辰科技】"
    later = [p.SentRecord(NOW + timedelta(seconds=s), True) for s in (30, 60, 90)]
    [violation] = p.check_send_rules("13800138000", content, later, NOW)
    assert violation.rule == "verification" and violation.count == 3
    # the earliest clear moment is when the first of the three has left a window that would hold all of them
    assert violation.retry_at == NOW + timedelta(seconds=30 + 180)
    assert p.check_send_rules("13800138000", content, later, NOW - timedelta(seconds=150)) == []
    # two before and one after in one window is as crowded as three before
    around = [p.SentRecord(NOW + timedelta(seconds=s), True) for s in (-60, -30, 30)]
    assert p.check_send_rules("13800138000", content, around, NOW)
    spread = [p.SentRecord(NOW + timedelta(seconds=s), True) for s in (-170, -100, 100)]
    assert p.check_send_rules("13800138000", content, spread, NOW) == []


def test_daily_rule_counts_the_whole_day_on_both_sides():
    later_today = [p.SentRecord(NOW + timedelta(minutes=m)) for m in range(1, 11)]
    [violation] = p.check_send_rules("13800138000", "通知【星辰科技】", later_today, NOW)
    assert violation.rule == "daily" and violation.count == 10


def test_daily_rule_ten_per_beijing_day():
    nine = history(*range(1, 10), verification=False)
    assert p.check_send_rules("13800138000", "通知【星辰科技】", nine, NOW) == []
    ten = history(*range(1, 11), verification=False)
    [violation] = p.check_send_rules("13800138000", "通知【星辰科技】", ten, NOW)
    assert (violation.rule, violation.error_code) == ("daily", "OVERLIMIT")
    assert violation.retry_at == datetime(2026, 3, 2, tzinfo=p.BEIJING)


def test_daily_rule_uses_beijing_day_not_machine_zone():

    # 2026-03-01 15:59 UTC is 23:59 in Beijing; 16:01 UTC is the next Beijing day.
    late = [p.SentRecord(datetime(2026, 3, 1, 15, 59, tzinfo=UTC)) for _ in range(10)]
    assert p.check_send_rules("13800138000", "x", late, datetime(2026, 3, 1, 16, 1, tzinfo=UTC)) == []
    assert p.check_send_rules("13800138000", "x", late, datetime(2026, 3, 1, 15, 59, 30, tzinfo=UTC))


def test_stamp_is_beijing_time_whatever_the_zone():

    assert p.make_stamp(datetime(2015, 4, 14, 9, 47, 15, tzinfo=UTC)) == "0414174715"
    assert p.format_send_time(datetime(2018, 2, 2, 1, 8, 10, tzinfo=UTC)) == "2018-02-02 09:08:10"
    assert p.format_send_time(datetime(2018, 2, 2, 9, 8, 10, tzinfo=p.BEIJING), soap=True) == "2018-02-02T09:08:10"


def test_parse_send_time_says_the_format():
    with pytest.raises(ValueError, match="2018-02-02 09:08:10"):
        p.parse_send_time("tomorrow")
    assert p.parse_send_time("") is None


def test_template_rules_and_matching():
    assert p.validate_template("您的验证码：@【星辰科技】") == []
    assert [x.kind for x in p.validate_template("编号@@@@@@【星辰科技】")] == ["template_variable_run"]
    assert [x.kind for x in p.validate_template("您的验证码：@")] == ["signature_missing"]
    templates = [
        p.Template("1", 1, "您的验证码：@【星辰科技】"),
        p.Template("2", 3, "您的订单@已发货【星辰科技】"),
        p.Template("3", 1, "您的验证码：@，5分钟内有效【星辰科技】"),
    ]
    assert p.match_template("您的验证码：1234【星辰科技】", templates).template_id == "1"
    assert p.match_template("您的验证码：1234，5分钟内有效【星辰科技】", templates).template_id == "3"
    assert p.match_template("您的订单123已发货【星辰科技】", templates) is None  # under review
    assert p.match_template("您的验证码：" + "1" * 21 + "【星辰科技】", templates) is None
    assert p.match_template("您的验证码：" + "1" * 20 + "【星辰科技】", templates).template_id == "1"
    two = [p.Template("9", 1, "编号@@结束【星辰科技】")]
    assert p.match_template("编号" + "x" * 40 + "结束【星辰科技】", two)
    assert not p.match_template("编号结束【星辰科技】", two)


def test_mms_package_layout():
    jpeg = b"\xff\xd8\xff\xe0" + b"0" * 100
    package = p.pack_mms([p.Slide("第一页", jpeg), p.Slide("第二页")])
    parts = p.unpack_tms(package)
    assert [part.name for part in parts] == ["1.jpg", "2.txt", "3.txt", "mms.smil"]
    assert parts[1].data == "第一页".encode("gbk")
    assert package[:6] == b"1.jpg\x00" and package[6:10] == (104).to_bytes(4, "little")
    smil = parts[-1].data.decode()
    assert smil.count("<par ") == 2 and 'src="1.jpg"' in smil and 'src="3.txt"' in smil
    assert p.check_tms(package) == parts


def test_mms_packer_refuses_what_carriers_refuse():
    with pytest.raises(p.TmsError, match="slide 1"):
        p.pack_mms([p.Slide("x", b"not an image")])
    with pytest.raises(p.TmsError, match="GBK"):
        p.pack_mms([p.Slide("😀")])
    with pytest.raises(p.TmsError, match="limit"):
        p.pack_mms([p.Slide("x", b"\x89PNG\r\n\x1a\n" + b"0" * 400_000)])
    with pytest.raises(p.TmsError, match="announced"):
        p.unpack_tms(b"1.txt\x00" + (10).to_bytes(4, "little") + b"abc")


def test_batch_refuses_duplicates_and_names_the_rows():
    with pytest.raises(p.BatchFormatError) as caught:
        p.encode_batch([("13800138000", "a"), ("13900139000", "b"), ("13800138000", "c")])
    assert str(caught.value) == "row 3: 13800138000 is already in row 1"
    import base64
    import gzip

    duplicated = base64.b64encode(gzip.compress(b"13800138000,a\r\n13800138000,b")).decode()
    with pytest.raises(p.BatchFormatError, match="line 2"):
        p.decode_batch(duplicated)
    with pytest.raises(p.BatchFormatError, match="base64"):
        p.decode_batch("%%%")
    with pytest.raises(p.BatchFormatError, match="gzip"):
        p.decode_batch(base64.b64encode(b"plain").decode())


def test_text64_errors_name_the_step():
    with pytest.raises(p.Text64Error, match="base64"):
        p.decode_text64("not*base64", "test")
    with pytest.raises(p.Text64Error, match="DES|blocks"):
        p.decode_text64(p.encode_text64({"UserName": "x"}, "test"), "other")


def test_requests_carry_the_documented_fields():
    creds = p.Credentials("qq", "abc123", "12")
    send = p.build_send(creds, ["15023239810", "13527576163"], "内容【星辰科技】")
    assert send.path == "/sms.aspx" and send.fields == {
        "userid": "12",
        "account": "qq",
        "password": "E99A18C428CB38D5F260853678922E03",
        "action": "send",
        "mobile": "15023239810,13527576163",
        "content": "内容【星辰科技】",
        "sendTime": "",
        "extno": "",
    }
    gbk = p.build_send(creds, "15023239810", "内容", transport="gbk")
    assert gbk.path == "/smsGBK.aspx" and "%C4%DA%C8%DD" in gbk.form_body().decode()
    assert p.build_balance(creds, "mms").path == "/mms.aspx" and p.build_balance(creds).fields["action"] == "overage"
    query = p.build_reports_query(creds, "json", 500, "1523516")
    assert (
        query.path == "/statusJsonApi.aspx"
        and query.fields["statusNum"] == "500"
        and query.fields["taskid"] == "1523516"
    )
    assert p.build_uplinks_query(creds).path == "/callApi.aspx"
    assert p.build_password_change(creds, "new").fields["newpassword"] == "new"
    assert "action" not in p.build_password_change(creds, "new").fields
    assert p.build_template_add(creds, "t@【星辰科技】").fields["action"] == "Add"
    assert p.build_template_delete(creds, "5").fields == {**p.build_template_query(creds, "5").fields, "action": "del"}
    soap = p.build_soap_send(creds, "15023239810", "内容", datetime(2018, 2, 2, 9, 8, 10, tzinfo=p.BEIJING))
    assert soap.headers["SOAPAction"] == '"http://www.yysms.com/SendSms"'
    assert p.parse_soap_request(soap.content()).plan_send_time == "2018-02-02T09:08:10"
    batch = p.build_batch_send(creds, [("15023239810", "a")])
    assert batch.path == "/BatchSms.ashx" and p.decode_batch(batch.fields["content"])[0].content == "a"


@pytest.mark.parametrize("reply", ["TD", " td ", "ＴＤ", "td。", "退订", "退订【星辰科技】", "T", "t!"])
def test_optout_replies_however_typed(reply):
    assert p.is_optout(reply)


@pytest.mark.parametrize("reply", ["", "TD please call me", "好的", "不要退订", "TT", "【星辰科技】"])
def test_replies_that_are_not_optouts(reply):
    assert not p.is_optout(reply)


def test_optout_words_follow_the_profile():
    assert p.is_optout("stop!", ["STOP"]) and not p.is_optout("TD", ["STOP"])


@pytest.mark.parametrize("reply", ["TD退订", "退订TD", "回复TD", "回复TD退订", "回复 退订"])
def test_optout_words_combined_as_people_copy_them(reply):
    assert p.is_optout(reply)


@pytest.mark.parametrize("reply", ["TDTD", "回复", "回复好的"])
def test_combinations_that_are_not_optouts(reply):
    assert not p.is_optout(reply)
