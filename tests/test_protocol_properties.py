"""Property tests: every encode/decode pair round-trips; every parser returns or raises GatewayReplyError."""

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import smstui.protocol as p

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200) | st.sampled_from(
    ["", "\r", "\n", "\r\n", "\\", "\\n", "\\\\r", "a\\", "😀🎉", "【签名】\r\n第二行\\"]
)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@given(st.dictionaries(st.sampled_from(["UserName", "Secret", "Stamp", "Moblie", "Text", "Ext", "SendTime"]), texts),
       st.text(max_size=30))
def test_text64_round_trip(fields, password):
    complete = {k: fields.get(k, "") for k in ("UserName", "Secret", "Stamp", "Moblie", "Text", "Ext", "SendTime")}
    assert p.decode_text64(p.encode_text64(complete, password), password) == complete


@given(st.lists(st.tuples(mobiles, texts), max_size=30, unique_by=lambda row: row[0]))
def test_batch_round_trip(rows):
    decoded = p.decode_batch(p.encode_batch(rows))
    assert [(r.mobile, r.content) for r in decoded] == [(m, c) for m, c in rows if True]


@given(texts)
def test_batch_escape_round_trip(content):
    from smstui.protocol.batch import escape_content, unescape_content

    escaped = escape_content(content)
    assert "\r" not in escaped and "\n" not in escaped
    assert unescape_content(escaped) == content


@given(st.lists(st.tuples(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=12),
                          st.binary(max_size=300)), max_size=8))
def test_tms_round_trip(parts):
    packed = p.pack_tms([p.TmsPart(name, data) for name, data in parts], max_bytes=None)
    assert [(part.name, part.data) for part in p.unpack_tms(packed)] == list(parts)


@given(st.lists(st.text(alphabet=st.characters(codec="gbk", blacklist_categories=("Cs",)), min_size=1, max_size=40),
                min_size=1, max_size=4))
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
    receive_time=st.none() | st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 1, 1)).map(
        lambda d: d.replace(microsecond=0, tzinfo=p.BEIJING)),
    error_code=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789", max_size=8),
    extno=st.from_regex(r"[0-9]{0,5}", fullmatch=True),
)
uplink = st.builds(
    p.Uplink,
    mobile=mobiles,
    content=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60).map(str.strip),
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
    assert [(u.mobile, u.content, u.extno) for u in parsed] == [(u.mobile, u.content, u.extno) for u in uplinks]


@given(st.booleans(), texts.map(str.strip), st.integers(-10**9, 10**9), st.from_regex(r"[0-9]{0,16}", fullmatch=True),
       st.integers(0, 10**6), st.sampled_from(["xml", "json"]))
def test_send_result_render_parse_round_trip(ok, message, balance, task_id, count, fmt):
    message = "".join(ch for ch in message if ch.isprintable()).strip()
    result = p.SendResult(ok, "Success" if ok else "Faild", message, balance, task_id if ok else "", count)
    parse = p.parse_send_result if fmt == "xml" else p.parse_send_result_json
    parsed = parse(p.render_send_result(result, fmt))
    assert (parsed.ok, parsed.message, parsed.balance, parsed.task_id, parsed.success_count) == (
        ok, message, balance, result.task_id, count)


PARSERS = [
    p.parse_send_result, p.parse_send_result_json, p.parse_encrypted_reply, p.parse_balance, p.parse_balance_json,
    p.parse_reports, p.parse_reports_json, p.parse_uplinks, p.parse_uplinks_json, p.parse_password_reply,
    p.parse_template_reply, p.parse_soap_send_result, p.parse_push,
]


@settings(max_examples=300)
@given(st.binary(max_size=400) | texts.map(str.encode), st.sampled_from(PARSERS))
def test_parsers_on_arbitrary_bytes(body, parse):
    try:
        parse(body)
    except p.GatewayReplyError as exc:
        assert exc.raw == body


structured = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["returnstatus", "error", "statusbox", "callbox", "StatusCode", "Status", "TemplateList",
                         "remainpoint", "Errors", "mobile", "x"]), children, max_size=5),
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


tags = st.sampled_from(["returnstatus", "message", "remainpoint", "taskID", "statusbox", "callbox", "errorstatus",
                        "error", "status", "mobile", "receivetime", "payinfo", "overage"])


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
