"""Property tests: every encode/decode pair round-trips; every parser returns or raises GatewayReplyError."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smstui.protocol as p

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200) | st.sampled_from(
    [
        "",
        "\r",
        "\n",
        "\r\n",
        "\\",
        "\\n",
        "\\\\r",
        "a\\",
        "😀🎉",
        "【签名】\r\n第二行\\",
        " 两边有空格 ",
        "\x01\x1f\ufffe",
    ]
)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
amounts = st.integers(-(10**9), 10**9) | st.decimals(-(10**6), 10**6, places=2).map(float)


def xml_safe(text: str) -> str:
    """What XML 1.0 can carry of a text: everything but C0 controls (tab, LF, CR kept), surrogates, U+FFFE/U+FFFF."""
    return "".join(
        c for c in text if c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff" and not "\ud800" <= c <= "\udfff")
    )


@given(
    st.dictionaries(st.sampled_from(["UserName", "Secret", "Stamp", "Moblie", "Text", "Ext", "SendTime"]), texts),
    st.text(max_size=30),
)
def test_text64_round_trip(fields, password):
    complete = {k: fields.get(k, "") for k in ("UserName", "Secret", "Stamp", "Moblie", "Text", "Ext", "SendTime")}
    assert p.decode_text64(p.encode_text64(complete, password), password) == complete


@given(st.lists(st.tuples(mobiles, texts), min_size=1, max_size=30, unique_by=lambda row: row[0]))
def test_batch_round_trip(rows):
    decoded = p.decode_batch(p.encode_batch(rows))
    assert [(r.mobile, r.content) for r in decoded] == rows


@given(texts)
def test_batch_escape_round_trip(content):
    from smstui.protocol.batch import escape_content, unescape_content

    escaped = escape_content(content)
    assert "\r" not in escaped and "\n" not in escaped
    assert unescape_content(escaped) == content


@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=12),
            st.binary(max_size=300),
        ),
        max_size=8,
    )
)
def test_tms_round_trip(parts):
    packed = p.pack_tms([p.TmsPart(name, data) for name, data in parts], max_bytes=None)
    assert [(part.name, part.data) for part in p.unpack_tms(packed)] == list(parts)


@given(
    st.lists(
        st.text(alphabet=st.characters(codec="gbk", blacklist_categories=("Cs",)), min_size=1, max_size=40),
        min_size=1,
        max_size=4,
    )
)
def test_mms_slides_round_trip_gbk_text(slide_texts):
    parts = p.unpack_tms(p.pack_mms([p.Slide(text) for text in slide_texts]))
    assert [part.data.decode("gbk") for part in parts if part.name.endswith(".txt")] == slide_texts
    assert parts[-1].name == "mms.smil"


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)), st.integers(-12, 14))
def test_send_time_round_trip_any_zone(moment, hours):
    from datetime import timezone

    aware = moment.replace(microsecond=0, tzinfo=timezone(timedelta(hours=hours)))
    assert p.parse_send_time(p.format_send_time(aware)) == aware


report = st.builds(
    p.Report,
    mobile=mobiles,
    task_id=st.from_regex(r"[0-9]{1,16}", fullmatch=True),
    status=st.sampled_from([10, 20]),
    receive_time=st.none()
    | st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 1, 1)).map(
        lambda d: d.replace(microsecond=0, tzinfo=p.BEIJING)
    ),
    error_code=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789", max_size=8),
    extno=st.from_regex(r"[0-9]{0,5}", fullmatch=True),
)
uplink = st.builds(
    p.Uplink,
    mobile=mobiles,
    content=texts,
    receive_time=st.none(),
    extno=st.from_regex(r"[0-9]{0,5}", fullmatch=True),
)


@given(st.lists(report, max_size=10), st.sampled_from(["xml", "json"]))
def test_reports_render_parse_round_trip(reports, fmt):
    parse = p.parse_reports if fmt == "xml" else p.parse_reports_json
    parsed = parse(p.render_reports(reports, fmt)).items
    key = lambda r: (r.mobile, r.task_id, r.status, r.receive_time, r.error_code, r.extno)  # noqa: E731
    assert [key(r) for r in parsed] == [key(r) for r in reports]


@given(st.lists(uplink, max_size=10), st.sampled_from(["xml", "json"]))
def test_uplinks_render_parse_round_trip(uplinks, fmt):
    parse = p.parse_uplinks if fmt == "xml" else p.parse_uplinks_json
    parsed = parse(p.render_uplinks(uplinks, fmt)).items
    kept = xml_safe if fmt == "xml" else str  # XML drops what it cannot carry; JSON carries every character
    assert [(u.mobile, u.content, u.extno) for u in parsed] == [(u.mobile, kept(u.content), u.extno) for u in uplinks]


@given(
    st.booleans(),
    texts,
    amounts,
    st.from_regex(r"[0-9]{0,16}", fullmatch=True),
    st.integers(0, 10**6),
    st.sampled_from(["xml", "json"]),
)
def test_send_result_render_parse_round_trip(ok, message, balance, task_id, count, fmt):
    result = p.SendResult(ok, "Success" if ok else "Faild", message, balance, task_id if ok else "", count)
    parse = p.parse_send_result if fmt == "xml" else p.parse_send_result_json
    parsed = parse(p.render_send_result(result, fmt))
    expected_message = (xml_safe(message) if fmt == "xml" else message).strip()  # values are read trimmed (§11)
    assert (parsed.ok, parsed.message, parsed.balance, parsed.task_id, parsed.success_count) == (
        ok,
        expected_message,
        balance,
        result.task_id,
        count,
    )


PARSERS = [
    p.parse_send_result,
    p.parse_send_result_json,
    p.parse_encrypted_reply,
    p.parse_balance,
    p.parse_balance_json,
    p.parse_reports,
    p.parse_reports_json,
    p.parse_uplinks,
    p.parse_uplinks_json,
    p.parse_password_reply,
    p.parse_template_reply,
    p.parse_soap_send_result,
    p.parse_push,
]


@settings(max_examples=300)
@given(st.binary(max_size=400) | texts.map(str.encode), st.sampled_from(PARSERS))
def test_parsers_on_arbitrary_bytes(body, parse):
    # The parser itself, without the reply_parser guard that would turn any crash into GatewayReplyError.
    try:
        parse.__wrapped__(body)
    except p.GatewayReplyError as exc:
        assert exc.raw == body


structured = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "returnstatus",
                    "error",
                    "statusbox",
                    "callbox",
                    "StatusCode",
                    "Status",
                    "TemplateList",
                    "remainpoint",
                    "Errors",
                    "mobile",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300)
@given(structured, st.sampled_from(PARSERS))
def test_parsers_on_arbitrary_json(value, parse):
    import json

    body = json.dumps(value, ensure_ascii=False).encode()
    try:
        parse(body)
    except p.GatewayReplyError as exc:
        assert not exc.reason.startswith("unreadable"), exc.reason  # the shape was foreseen, not caught by the guard


tags = st.sampled_from(
    [
        "returnstatus",
        "message",
        "remainpoint",
        "taskID",
        "statusbox",
        "callbox",
        "errorstatus",
        "error",
        "status",
        "mobile",
        "receivetime",
        "payinfo",
        "overage",
    ]
)


@st.composite
def xml_documents(draw):
    def element(depth):
        tag = draw(tags)
        if depth > 1 or draw(st.booleans()):
            from xml.sax.saxutils import escape

            return f"<{tag}>{escape(draw(st.text(max_size=12)))}</{tag}>"
        return f"<{tag}>" + "".join(element(depth + 1) for _ in range(draw(st.integers(0, 3)))) + f"</{tag}>"

    return ("<returnsms>" + "".join(element(0) for _ in range(draw(st.integers(0, 4)))) + "</returnsms>").encode()


@settings(max_examples=300)
@given(xml_documents(), st.sampled_from(PARSERS))
def test_parsers_on_arbitrary_xml(body, parse):
    try:
        parse(body)
    except p.GatewayReplyError as exc:
        assert not exc.reason.startswith("unreadable"), exc.reason


# -- round trips of every other reply the simulator writes and the client reads -------------------------------


@given(
    st.booleans(), st.sampled_from(["prepaid", "postpaid"]), amounts, amounts, texts, st.sampled_from(["xml", "json"])
)
def test_balance_render_parse_round_trip(ok, pay_type, balance, total, message, fmt):
    made = p.make_balance(pay_type, balance, total, fmt)
    sent = made if ok else p.Balance(False, "Faild", message, "unknown", "", None, None)
    parse = p.parse_balance if fmt == "xml" else p.parse_balance_json
    parsed = parse(p.render_balance(sent, fmt))
    assert (parsed.ok, parsed.pay_type, parsed.balance, parsed.send_total) == (
        ok,
        sent.pay_type,
        sent.balance,
        sent.send_total,
    )
    assert parsed.message == (xml_safe(sent.message) if fmt == "xml" else sent.message).strip()


@given(st.booleans(), texts)
def test_password_reply_round_trip(ok, message):
    parsed = p.parse_password_reply(
        p.render_password_reply(p.PasswordResult(ok, "Success" if ok else "Faild", message))
    )
    assert (parsed.ok, parsed.message) == (ok, xml_safe(message).strip())


templates = st.builds(p.Template, st.from_regex(r"[0-9]{16}", fullmatch=True), st.sampled_from([1, 2, 3, 4]), texts)


@given(
    st.booleans(),
    st.sampled_from([1, 1001, 1119, 2114]),
    texts,
    st.from_regex(r"[0-9]{16}", fullmatch=True),
    st.lists(templates, max_size=5),
    st.sampled_from(["Add", "query", "update", "del"]),
)
def test_template_reply_round_trip(ok, code, description, template_id, listed, action):
    reply = p.TemplateReply(ok, "Success" if ok else "Faild", code, description, template_id, listed)
    parsed = p.parse_template_reply(p.render_template_reply(reply, action))
    assert (parsed.ok, parsed.status_code, parsed.description) == (ok, code, description)
    assert parsed.template_id == (template_id if action == "Add" else "")
    assert parsed.templates == (listed if action == "query" else [])


@given(
    st.sampled_from([1, 1004, 1009, 1111]),
    texts,
    st.from_regex(r"[0-9]{0,16}", fullmatch=True),
    amounts,
    st.integers(0, 10**6),
    st.lists(texts, max_size=4),
)
def test_encrypted_reply_round_trip(code, description, msg_id, amount, count, errors):
    result = p.EncryptedSendResult(code, description, msg_id, amount, count, errors)
    assert p.parse_encrypted_reply(p.render_encrypted_reply(result)) == result


@given(
    st.sampled_from(["OK", "AmountNotEnough", "PasswordError"]),
    texts,
    st.from_regex(r"[0-9]{0,16}", fullmatch=True),
    amounts,
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.lists(texts, max_size=4),
    st.sampled_from(["1.1", "1.2"]),
)
def test_soap_result_round_trip(status, description, msg_id, amount, count, billed, errors, version):
    result = p.SoapSendResult(status, description, msg_id, amount, count, billed, errors)
    parsed = p.parse_soap_send_result(p.render_soap_send_result(result, version))
    assert (parsed.status_code, parsed.msg_id, parsed.amount, parsed.success_count, parsed.billing_count) == (
        status,
        msg_id,
        amount,
        count,
        billed,
    )
    assert parsed.description == xml_safe(description).strip()
    assert parsed.errors == [e for e in (xml_safe(e).strip() for e in errors) if e]


@given(
    texts,
    texts,
    st.lists(mobiles, max_size=3).map(",".join),
    texts,
    st.none() | st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 1, 1)),
    st.from_regex(r"[0-9]{0,5}", fullmatch=True),
)
def test_soap_request_round_trip(user, password, msisdns, content, when, extno):
    plan = "" if when is None else p.format_send_time(when.replace(tzinfo=p.BEIJING), soap=True)
    parsed = p.parse_soap_request(p.soap.build_soap_envelope(user, password, msisdns, content, plan, extno))
    assert (parsed.user_name, parsed.msisdns, parsed.plan_send_time, parsed.ext_number) == (
        xml_safe(user).strip(),
        msisdns,
        plan,
        extno,
    )
    assert (parsed.password, parsed.content) == (xml_safe(password), xml_safe(content))  # exactly as sent, CR too
    assert p.parse_soap_time(parsed.plan_send_time) == (
        None if when is None else when.replace(microsecond=0, tzinfo=p.BEIJING)
    )


@given(st.data(), texts, st.sampled_from(["statusbox", "callbox"]), st.sampled_from(["xml", "json"]))
def test_query_error_round_trip(data, remark, kind, fmt):
    error = data.draw(st.sampled_from([1, 2, 3, 4] if fmt == "xml" else [1002, 1005, 9999]))
    parse = {
        ("statusbox", "xml"): p.parse_reports,
        ("statusbox", "json"): p.parse_reports_json,
        ("callbox", "xml"): p.parse_uplinks,
        ("callbox", "json"): p.parse_uplinks_json,
    }[kind, fmt]
    parsed = parse(p.render_query_error(error, remark, fmt, kind))
    assert (parsed.ok, parsed.error, parsed.items) == (False, error, [])
    assert parsed.remark == (xml_safe(remark).strip() if fmt == "xml" else remark)


@given(st.lists(report, max_size=10), st.lists(uplink, max_size=10))
def test_push_bodies_round_trip(reports, uplinks):
    key = lambda r: (r.mobile, r.task_id, r.status, r.receive_time, r.error_code, r.extno)  # noqa: E731
    pushed = p.parse_push(p.render_reports(reports))
    assert [key(r) for r in pushed.reports] == [key(r) for r in reports] and pushed.uplinks == []
    pushed = p.parse_push(p.render_uplinks(uplinks))
    assert pushed.reports == []
    assert [(u.mobile, u.content, u.extno) for u in pushed.uplinks] == [
        (u.mobile, xml_safe(u.content), u.extno) for u in uplinks
    ]


aware = st.datetimes(
    min_value=datetime(2001, 1, 1),
    max_value=datetime(2099, 1, 1),
    timezones=st.sampled_from(
        [UTC, p.BEIJING, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))]
    ),
).map(lambda d: d.replace(microsecond=0))


@given(aware, st.integers(-300, 300))
def test_stamp_within_five_minutes_is_fresh(now, skew):
    stamp = p.make_stamp(now + timedelta(seconds=skew))
    assert len(stamp) == 10 and stamp.isdigit()
    assert p.stamp_fresh(stamp, now)


@given(aware, st.integers(301, 300 * 86400), st.sampled_from([-1, 1]))
def test_stamp_beyond_five_minutes_is_stale(now, skew, sign):
    assert not p.stamp_fresh(p.make_stamp(now + sign * timedelta(seconds=skew)), now)


@given(st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 1, 1)))
def test_naive_times_are_refused_not_guessed(naive):
    for convert in (p.to_beijing, p.make_stamp, p.format_send_time):
        with pytest.raises(ValueError, match="no time zone"):
            convert(naive)


@given(st.dictionaries(st.text(max_size=12), st.text(max_size=60), max_size=6), st.sampled_from(["utf-8", "gbk"]))
def test_form_body_is_exactly_what_urlencode_writes(fields, encoding):
    from urllib.parse import urlencode

    request = p.GatewayRequest("/sms.aspx", fields, encoding=encoding)
    try:
        expected = urlencode(fields, encoding=encoding).encode("ascii")
    except UnicodeEncodeError:
        return  # not encodable in GBK: build_send refuses such content before a request exists
    assert request.form_body() == expected


def test_form_body_of_a_number_list():
    request = p.build_send(p.Credentials("a", "b", "1"), ["13900139000", "13700137000"], "您好【星辰科技】")
    assert b"mobile=13900139000%2C13700137000" in request.form_body()
