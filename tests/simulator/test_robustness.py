"""Nothing a client or an admin sends breaks the simulator: a fuzz over every endpoint over real HTTP (methods,
paths, charsets, bodies of arbitrary bytes), and the admin API's edge cases (the clock's range, schedules past the
last date, push URLs, NaN and infinities)."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smstui.protocol as p
from smstui.protocol.soap import SOAP11, SOAP12
from smstui.simulator.clock import END

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
SIG = "【测试公司】"
A = "13912345678"
LOGGERS = ("uvicorn.error", "smstui", "smstui.simulator")


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The ERROR records that carry a traceback (what a crash in the app, the ticker or the pusher logs)."""
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]


@pytest.fixture
def watch_logs(caplog: pytest.LogCaptureFixture):
    """Capture the server's and the simulator's loggers; after the test, none may have logged a traceback."""
    for name in LOGGERS:
        caplog.set_level(logging.WARNING, logger=name)
    yield caplog
    assert not tracebacks(caplog), [r.getMessage() for r in tracebacks(caplog)]


async def hello(raw) -> None:
    reply = await raw(b"GET /_sim/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert (reply.status, reply.body) == (200, b"hello")


# -- the fuzz --------------------------------------------------------------------------------------

PAGES = ["/sms.aspx", "/smsJson.aspx", "/smsGBK.aspx", "/ensms.ashx", "/BatchSms.ashx", "/mms.aspx", "/statusApi.aspx",
         "/statusJsonApi.aspx", "/callApi.aspx", "/callJsonApi.aspx", "/pwd.aspx", "/freeTemplate.aspx",
         "/WebService.asmx", "/nosuch.aspx", "/", "/_sim/hello", "/_sim/state", "/_sim/clock", "/_sim/faults",
         "/_sim/uplink", "/_sim/accounts/demo", "/_sim/accounts/nobody", "/_sim/tasks/1", "/_sim/nothing"]
NAMES = ["action", "account", "password", "userid", "mobile", "content", "sendTime", "extno", "statusNum", "taskid",
         "UserId", "Text64", "subject", "newpassword", "template", "templateid", "wsdl", "username"]
VALUES = ["send", "overage", "query", "checkkeyword", "Add", "update", "del", "demo", "demo123", "1001", A,
          f"{A},13800000000", "您好" + SIG, "您的验证码是1234" + SIG, "赌博" + SIG, "9999-12-31 23:59:59",
          "0001-01-01 00:00:00", "2026-03-01 10:00:00", "-1", "0", "99999999999999999999", "1e400", "NaN",
          base64.b64encode(b"\x00" * 16).decode(), "", " ", "%", "%ZZ", "\ufffd", "😀", "\x00", "a" * 600]
CHARSETS = ["utf-8", "UTF8", "gbk", "gb2312", "GB18030", "big5", "latin-1", "utf-16", "utf-32", "utf-7", "ascii",
            "idna", "punycode", "rot13", "base64", "zlib", "undefined", "unicode_escape", "", '"', "'", "x-bogus",
            '"utf-8', "utf-8; charset=gbk"]
METHODS = ["GET", "POST", "POST", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW"]
HOSTS = ["127.0.0.1", "[", "a b", "例子.测试", "host:notaport", "[::1", ""]

texts = st.one_of(st.sampled_from(VALUES), st.text(max_size=40), st.text(st.characters(min_codepoint=0x80), max_size=9))
params = st.dictionaries(st.sampled_from(NAMES), texts, max_size=8)
charsets = st.sampled_from(CHARSETS)


def encoded(text: str, charset: str) -> bytes:
    """Text in a charset the client claims, when Python can write it; else UTF-8 (the claim is a lie, as in life)."""
    try:
        return text.encode(charset)
    except (LookupError, UnicodeError, TypeError, ValueError):
        return text.encode("utf-8", "surrogatepass")


def form(fields: dict[str, str], charset: str, raw: bool) -> bytes:
    """A query or urlencoded body; `raw`: values not percent-encoded, as old PHP sites send them."""
    if raw:
        return b"&".join(encoded(k, charset) + b"=" + encoded(v, charset) for k, v in fields.items())
    return "&".join(f"{quote(k)}={quote(encoded(v, charset))}" for k, v in fields.items()).encode()


def multipart(fields: dict[str, str], boundary: str) -> bytes:
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode()
             + v.encode("utf-8", "surrogatepass") + b"\r\n" for k, v in fields.items()]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def soap(fields: dict[str, str], version: str) -> bytes:
    namespace = SOAP12 if version == "1.2" else SOAP11
    values = {k.lower(): v for k, v in fields.items()}
    envelope = (
        f'<?xml version="1.0"?><s:Envelope xmlns:s="{namespace}"><s:Body><SendSms xmlns="http://www.yysms.com/">'
        f"<userName>{values.get('account', 'demo')}</userName><password>{values.get('password', 'demo123')}"
        f"</password><sms><Msisdns>{values.get('mobile', A)}</Msisdns><SMSContent>{values.get('content', '')}"
        f"</SMSContent><PlanSendTime>{values.get('sendtime', '')}</PlanSendTime><ExtNumber>"
        f"{values.get('extno', '')}</ExtNumber></sms></SendSms></s:Body></s:Envelope>"
    )
    return envelope.encode("utf-8", "surrogatepass")


def body_of(draw, fields: dict[str, str], charset: str) -> tuple[bytes, str]:
    """A body and its Content-Type: a form, multipart, SOAP, arbitrary bytes or nothing."""
    kind = draw(st.sampled_from(["form", "multipart", "soap", "bytes", "none"]))
    if kind == "form":
        return form(fields, charset, draw(st.booleans())), f"application/x-www-form-urlencoded; charset={charset}"
    if kind == "multipart":
        boundary = draw(st.sampled_from(["XyZ", "-" * 30 + "abc", "", "a" * 80]))
        return multipart(fields, boundary or "b"), f"multipart/form-data; boundary={boundary}"
    if kind == "soap":
        ctype = draw(st.sampled_from(["text/xml; charset=utf-8", f"application/soap+xml; charset={charset}"]))
        return soap(fields, draw(st.sampled_from(["1.1", "1.2"]))), ctype
    if kind == "bytes":
        ctypes = ["", "application/json", "text/plain", f"text/xml; charset={charset}", "multipart/form-data"]
        return draw(st.binary(max_size=600)), draw(st.sampled_from(ctypes))
    return b"", ""


@st.composite
def requests(draw) -> tuple[str, bytes]:
    """(page, the bytes of one request to it): every endpoint, method, charset, body kind; valid and broken."""
    page = draw(st.sampled_from(PAGES))
    shown = "".join(c.upper() if draw(st.booleans()) else c for c in page) if draw(st.booleans()) else page
    path = draw(st.sampled_from(["", "/", "//", "/x", "/%FF", "/%00", "/页"])) if draw(st.booleans()) else ""
    path = (draw(st.sampled_from(["/", "//"])) + shown.lstrip("/") + path).encode()
    charset = draw(charsets)
    fields = draw(params)
    if draw(st.booleans()):  # past the credentials, to the deeper code
        fields = {"account": "demo", "password": "demo123", "content": draw(texts), **fields}
    query = form(draw(params), draw(st.sampled_from(["utf-8", "gbk", charset])), draw(st.booleans()))
    target = path + (b"?" + query if query or draw(st.booleans()) else b"")
    body, ctype = body_of(draw, fields, charset)
    if draw(st.booleans()) and body:
        body = body[: draw(st.integers(0, len(body)))]  # torn
    method = draw(st.sampled_from(METHODS)).encode()
    head = [method + b" " + target + b" HTTP/1.1", b"Host: " + draw(st.sampled_from(HOSTS)).encode(),
            b"Connection: close", b"Content-Length: " + str(len(body)).encode()]
    if ctype:
        head.append(b"Content-Type: " + ctype.encode("latin-1", "replace"))
    return page.lower(), b"\r\n".join(head) + b"\r\n\r\n" + body


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=requests())
async def test_no_request_makes_the_simulator_answer_500_or_log_a_traceback(sim, raw, watch_logs, case):
    page, request = case
    watch_logs.clear()
    sim.reset()  # a fuzzed admin call may have changed the world: each example starts from the same one
    reply = await raw(request)
    if reply.status == 500:  # only the SOAP fault a body it cannot read gets, as ASP.NET answers it
        assert page == "/webservice.asmx", (request[:300], reply)
        assert p.parse_soap_send_result(reply.body).status_code == "Fault", (request[:300], reply)
    assert not tracebacks(watch_logs), (request[:300], [r.getMessage() for r in tracebacks(watch_logs)])
    await hello(raw)


# -- charsets (D11) ----------------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["idna", "punycode", "rot13", '"', "", "base64", "undefined", "unicode_escape",
                                     "utf-7", "x-bogus", "utf\x01-8"])
@pytest.mark.parametrize("page", ["/sms.aspx", "/smsGBK.aspx"])
async def test_a_content_type_charset_no_page_is_written_in_reads_the_body_as_the_pages(sim, raw, watch_logs, charset,
                                                                                       page):
    content = "您好" + SIG
    body = b"account=demo&password=demo123&action=checkkeyword&x=%41&content=" + quote(
        content.encode("gbk" if "GBK" in page else "utf-8")).encode()
    head = (f"POST {page} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
            f"Content-Type: application/x-www-form-urlencoded; charset={charset}\r\n\r\n").encode("latin-1")
    reply = await raw(head + body)
    assert reply.status == 200
    assert p.parse_check_keyword(reply.body).checked == content  # read as UTF-8 (GBK on the GBK page)


# -- the clock (D12) ---------------------------------------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
TOO_FAR = [b'{"advance": 1e12}', b'{"advance": Infinity}', b'{"advance": -Infinity}', b'{"advance": NaN}',
           b'{"advance": 1e308}', b'{"advance": 1e400}', b'{"advance": 1' + b"0" * 400 + b"}", b'{"advance": "1e12"}',
           b'{"advance": "inf"}', b'{"advance": "nan"}', b'{"advance": [1]}', b'{"advance": true}', DEEP]


@pytest.mark.parametrize("body", TOO_FAR, ids=lambda b: b[:24].decode())
async def test_an_advance_out_of_the_clocks_range_is_400_and_changes_nothing(sim, api, raw, watch_logs, body):
    before = sim.now()
    response = await api.http.post("/_sim/clock", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert sim.now() == before
    assert (await api.http.get("/_sim/clock")).status_code == 200
    assert (await api.send(DEMO, A, "您好" + SIG)).ok
    await asyncio.sleep(0.3)  # the ticker runs (every 0.2 s) and must not fail
    await hello(raw)


@pytest.mark.sim()
async def test_the_clock_goes_up_to_the_last_moment_and_the_gateway_still_answers(sim, api, raw, watch_logs):
    seconds = (END - sim.now()).total_seconds() - 5
    response = await api.http.post("/_sim/clock", json={"advance": seconds})
    assert response.status_code == 200, response.text
    assert (await api.http.post("/_sim/clock", json={"advance": 10})).status_code == 400  # past the last moment
    result = await api.send(DEMO, A, "您好" + SIG)  # now is too late for the reports it would make: refused unbilled
    assert not result.ok and result.message.startswith("定时时间超出范围(9999-12-31")
    assert (await api.state())["tasks"] == 0
    added = await api.call(p.build_template_add(DEMO, "您的验证码是@" + SIG))  # a review due past the end: never
    assert p.parse_template_reply(added.content).ok
    await asyncio.sleep(0.3)
    assert (await api.http.post("/_sim/reset")).status_code == 200
    await hello(raw)


@pytest.mark.sim(clock="real")
async def test_a_real_clock_that_reaches_the_last_moment_stays_there(sim, api, raw, watch_logs):
    assert (await api.http.post("/_sim/clock", json={"advance": (END - sim.now()).total_seconds() - 0.1})).is_success
    await asyncio.sleep(0.5)  # the wall clock moves it past the end, the ticker ticks
    assert sim.now() == END
    assert (await api.http.get("/_sim/clock")).json()["now"].startswith("9999-12-31T23:59:59")
    assert not (await api.send(DEMO, A, "您好" + SIG)).ok
    await hello(raw)


# -- schedules past the last date (D13) --------------------------------------------------------------


def schedule_requests(send_time: str) -> list[p.GatewayRequest]:
    """A send of every transport scheduled at `send_time` (the SOAP one as PlanSendTime)."""
    at = {"sendTime": send_time}
    return [
        p.GatewayRequest("/sms.aspx", {**p.build_send(DEMO, A, "您好" + SIG).fields, **at}),
        p.GatewayRequest("/smsJson.aspx", {**p.build_send(DEMO, A, "您好" + SIG, transport="json").fields, **at}),
        p.GatewayRequest("/smsGBK.aspx", {**p.build_send(DEMO, A, "您好" + SIG).fields, **at}, encoding="gbk"),
        p.GatewayRequest("/BatchSms.ashx", {**p.build_batch_send(DEMO, [(A, "您好" + SIG)]).fields, **at}),
    ]


async def assert_nothing_billed(api, sim) -> None:
    state = await api.state()
    assert state["tasks"] == 0 and state["scheduled_events"] == 0
    assert state["accounts"]["demo"]["balance"] == sim.config.account("demo").balance


@pytest.mark.parametrize("send_time", ["9999-12-31 23:59:59", "9999-12-31 00:00:00", "9999/12/31 23:59"])
async def test_a_schedule_whose_reports_cannot_be_dated_is_refused_before_billing(sim, api, watch_logs, send_time):
    for request in schedule_requests(send_time):
        response = await api.call(request)
        assert response.status_code == 200
        result = (p.parse_send_result_json if "json" in request.path.lower() else p.parse_send_result)(response.content)
        assert (result.ok, result.message) == (False, f"定时时间超出范围({send_time})"), (request.path, result)
    await assert_nothing_billed(api, sim)


@pytest.mark.parametrize("plan", ["9999-12-31T23:59:59", "9999-12-31T23:59:59-12:00", "9999-12-31T20:00:00Z"])
async def test_a_soap_plan_send_time_past_the_last_date_is_refused_before_billing(sim, api, watch_logs, plan):
    request = p.build_soap_send(DEMO, A, "您好" + SIG)
    body = request.body.replace(b'<PlanSendTime xsi:nil="true" />', f"<PlanSendTime>{plan}</PlanSendTime>".encode())
    response = await api.http.post(request.path, content=body, headers=request.headers)
    result = p.parse_soap_send_result(response.content)
    assert (response.status_code, result.status_code) == (200, "ParamError")
    assert result.description == f"定时时间超出范围({plan})"
    await assert_nothing_billed(api, sim)


async def test_an_encrypted_send_scheduled_past_the_last_date_is_refused_before_billing(sim, api, watch_logs):
    request = p.build_encrypted_send(DEMO, A, "您好" + SIG, sim.now(), send_time=sim.now())
    fields = p.decode_text64(request.fields["Text64"], "demo123")
    text64 = p.encode_text64({**fields, "SendTime": "9999-12-31 23:59:59"}, "demo123")
    response = await api.http.post("/ensms.ashx", data={"UserId": "1001", "Text64": text64})
    result = p.parse_encrypted_reply(response.content)
    assert (result.status_code, result.description) == (1001, "定时时间超出范围(9999-12-31 23:59:59)")
    await assert_nothing_billed(api, sim)


async def test_a_schedule_far_ahead_but_within_range_is_still_accepted(sim, api):
    result = p.parse_send_result((await api.call(schedule_requests("9998-06-01 10:00:00")[0])).content)
    assert result.ok, result
    assert (await api.http.get(f"/_sim/tasks/{result.task_id}")).json()["send_at"].startswith("9998-06-01T10:00:00")


# -- push URLs and admin bodies (D14) ----------------------------------------------------------------

BAD_URLS = ["http://[::1", "ftp://example.com/push", "http://", "http:///push", "not a url", "http://x:99999/",
            "http://x:abc/", "http://a b/push", "http://x/\u0000", "mailto:ops@example.com", "//127.0.0.1/push"]


@pytest.mark.parametrize("url", BAD_URLS)
async def test_an_invalid_push_url_is_refused_and_changes_nothing(sim, api, watch_logs, url):
    response = await api.http.post("/_sim/accounts/demo", json={"push_url": url, "balance": 5})
    assert response.status_code == 400, response.text
    account = (await api.state())["accounts"]["demo"]
    assert (account["push_url"], account["balance"]) == ("", sim.config.account("demo").balance)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/push?token=x", "https://[::1]:8443/p", "http://例子.测试/推", ""])
async def test_a_valid_push_url_is_taken(sim, api, url):
    response = await api.http.post("/_sim/accounts/demo", json={"push_url": url})
    assert response.status_code == 200 and response.json()["push_url"] == url


@pytest.mark.sim(push_retry_delay=0.01, delivered_ratio=1.0, report_delay=[1, 1], reply_rate=0.0)
async def test_a_push_that_fails_for_any_reason_puts_the_reports_back_for_pulling(sim, api, watch_logs):
    sim.world.accounts["demo"].config.push_url = "http://[::1"  # what no check lets in any more, set from inside
    result = await api.send(DEMO, A, "您好" + SIG)
    sim.advance(1)
    for _ in range(250):
        if len(sim.world.push_log) >= 3 and sim.world.pending_reports("demo"):
            break
        await asyncio.sleep(0.02)
    assert [(e["outcome"], e["error"]) for e in sim.world.push_log] == [
        ("retry", "InvalidURL"), ("retry", "InvalidURL"), ("gave up", "InvalidURL")]
    sim.world.accounts["demo"].config.push_url = ""
    assert [(r.mobile, r.task_id) for r in await api.reports(DEMO)] == [(A, result.task_id)]
    assert not [r for r in watch_logs.records if "pushing failed" in r.getMessage()]


BAD_FAULTS = [b'{"latency": NaN}', b'{"drop_delay": NaN}', b'{"latency": Infinity}', b'{"drop_delay": -Infinity}',
              b'{"latency": 1e400}', b'{"error_ratio": 0.5, "latency": NaN}', b'{"error_ratio": 0.5, "bogus": 1}',
              b'{"error_ratio": NaN}', b'{"latency": "1"}', DEEP]


@pytest.mark.parametrize("body", BAD_FAULTS, ids=lambda b: b[:30].decode())
async def test_a_bad_faults_body_is_400_and_changes_nothing(sim, api, watch_logs, body):
    before = (await api.http.get("/_sim/faults")).json()
    response = await api.http.post("/_sim/faults", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert (await api.http.get("/_sim/faults")).json() == before


BAD_PATCHES = [b'{"balance": NaN}', b'{"balance": 1' + b"0" * 400 + b"}", b'{"top_up": 1e400}',
               b'{"password": "\\ud800"}', b'{"password": 5}', b'{"enabled": "yes"}', b'{"bind_ips": [1]}',
               b'{"balance": 5, "push_url": "http://[::1"}', b'{"balance": 5, "nothing": 1}', DEEP]


@pytest.mark.parametrize("body", BAD_PATCHES, ids=lambda b: b[:30].decode())
async def test_a_bad_account_patch_is_400_and_changes_nothing(sim, api, watch_logs, body):
    before = (await api.state())["accounts"]["demo"]
    response = await api.http.post("/_sim/accounts/demo", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert (await api.state())["accounts"]["demo"] == before
    assert await api.balance(DEMO) == before["balance"]


@pytest.mark.parametrize("payload", [
    {"account": "demo", "mobile": 13912345678, "content": "TD"},
    {"account": "demo", "mobile": A, "content": ["TD"]},
    {"account": "demo", "mobile": A, "content": "\ud800"},
    {"account": "demo", "mobile": A, "content": "TD", "extno": 12},
    {"account": "nobody", "mobile": A, "content": "TD"},
    {"mobile": A, "content": "TD"},
])
async def test_a_bad_uplink_is_400_and_injects_nothing(sim, api, watch_logs, payload):
    response = await api.http.post("/_sim/uplink", content=json.dumps(payload).encode())
    assert response.status_code in (400, 404), response.text
    assert await api.uplinks(DEMO) == []


async def test_the_admin_api_takes_what_it_took_before(sim, api):
    assert (await api.http.post("/_sim/clock", json={"advance": "90"})).is_success  # a numeric string, as before
    assert (await api.http.post("/_sim/faults", json={"latency": 0, "error_ratio": 0.0})).is_success
    assert (await api.http.post("/_sim/accounts/demo", json={"balance": -5, "top_up": 10})).json()["balance"] == 5
    assert (await api.http.post("/_sim/uplink", json={"account": "demo", "mobile": A, "content": "好的"})).is_success
    assert [u.content for u in await api.uplinks(DEMO)] == ["好的"]
