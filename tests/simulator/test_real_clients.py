"""Requests as real clients send them (docs/protocol.md §14), over real HTTP, byte for byte: PHP's multipart
posts, SOAP posted to the WSDL's URL, raw UTF-8 and GBK in the request line, the paths IIS tolerates."""

from __future__ import annotations

import asyncio
import json
import socket
import sys

import pytest

import smstui.protocol as p
from smstui.protocol.soap import SOAP11, SOAP12, SOAP_ACTION

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
SIG = "【测试公司】"
A, B = "13912345678", "13912345679"
BOUNDARY = "------------------------d74496d66958873e"  # the shape of curl's boundaries
FORM = {"account": "demo", "password": "demo123", "userid": "1001"}


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None, encoding: str = "utf-8",
              boundary: str = BOUNDARY) -> bytes:
    """A multipart/form-data body as PHP's curl writes one for CURLOPT_POSTFIELDS given an array (files: CURLFile)."""
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() +
                     value.encode(encoding) + b"\r\n")
    for name, (filename, data) in (files or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def multipart_headers(boundary: str = BOUNDARY) -> dict[str, str]:
    return {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def get(target: bytes, host: str = "127.0.0.1") -> bytes:
    """A GET request line and headers as `file_get_contents` sends them: the target exactly as given."""
    return b"GET " + target + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\nConnection: close\r\n\r\n"


def task_of(sim, task_id: str):
    return sim.world.tasks[task_id]


async def assert_nothing_billed(api, sim) -> None:
    state = await api.state()
    assert state["tasks"] == 0
    assert state["accounts"]["demo"]["balance"] == sim.config.account("demo").balance


# -- multipart/form-data ---------------------------------------------------------------------------


async def test_a_multipart_send_as_php_curl_posts_an_array_is_accepted(sim, api):
    content = "您的验证码是1234，5分钟内有效" + SIG
    body = multipart({**FORM, "action": "send", "mobile": f"{A},{B}", "content": content, "sendTime": "", "extno": ""})
    response = await api.http.post("/sms.aspx", content=body, headers=multipart_headers())
    result = p.parse_send_result(response.content)
    assert result.ok and result.success_count == 2, response.text
    assert task_of(sim, result.task_id).recipients[A].content == content


async def test_a_multipart_send_with_a_file_part_ignores_the_file(sim, api):
    # ASP.NET's Request[] holds no files: a file part named like a field must not override the field
    body = multipart({**FORM, "action": "send", "mobile": A, "content": "您好" + SIG},
                     files={"content": ("note.txt", "赌博".encode()), "mobile": ("m.txt", b"13800000000")})
    result = p.parse_send_result((await api.http.post("/sms.aspx", content=body, headers=multipart_headers())).content)
    assert result.ok, result
    assert list(task_of(sim, result.task_id).recipients) == [A]
    assert task_of(sim, result.task_id).recipients[A].content == "您好" + SIG


async def test_a_multipart_body_of_only_a_file_part_has_no_fields(sim, api):
    body = multipart({}, files={"upload": ("a.bin", bytes(range(256)))})
    result = p.parse_send_result((await api.http.post("/sms.aspx", content=body, headers=multipart_headers())).content)
    assert (result.ok, result.code, result.message) == (False, 1001, "action参数错误")


async def test_a_multipart_send_on_the_gbk_page_is_read_as_gbk(sim, api):
    content = "您好，会议改到三点" + SIG
    body = multipart({**FORM, "action": "send", "mobile": A, "content": content}, encoding="gbk")
    response = await api.http.post("/smsGBK.aspx", content=body, headers=multipart_headers())
    result = p.parse_send_result(response.content)
    assert result.ok, response.content.decode("gbk")
    assert task_of(sim, result.task_id).recipients[A].content == content


@pytest.mark.parametrize(
    ("build", "parse"),
    [
        (lambda sim: p.build_balance(DEMO), p.parse_balance),
        (lambda sim: p.build_balance(DEMO, "json"), p.parse_balance_json),
        (lambda sim: p.build_balance(DEMO, "mms"), p.parse_balance),
        (lambda sim: p.build_reports_query(DEMO), p.parse_reports),
        (lambda sim: p.build_uplinks_query(DEMO, "json"), p.parse_uplinks_json),
        (lambda sim: p.build_template_query(DEMO), p.parse_template_reply),
        (lambda sim: p.build_check_keyword(DEMO, "您好" + SIG), p.parse_check_keyword),
        (lambda sim: p.build_batch_send(DEMO, [(A, "您好" + SIG)]), p.parse_send_result),
        (lambda sim: p.build_encrypted_send(DEMO, A, "您好" + SIG, sim.now()), p.parse_encrypted_reply),
        (lambda sim: p.build_password_change(DEMO, "demo123"), p.parse_password_reply),
    ],
    ids=["balance", "balance-json", "mms-balance", "reports", "uplinks-json", "templates", "checkkeyword", "batch",
         "encrypted", "password"],
)
async def test_every_form_endpoint_reads_a_multipart_body(sim, api, build, parse):
    request = build(sim)
    response = await api.http.post(request.path, content=multipart(request.fields), headers=multipart_headers())
    assert response.status_code == 200
    assert parse(response.content).ok, response.text


async def test_a_multipart_send_after_expect_100_continue_as_curl_sends_a_long_body(sim, raw):
    content = "长" * 400 + SIG  # curl asks `Expect: 100-continue` before a body over 1 KiB
    body = multipart({**FORM, "action": "send", "mobile": A, "content": content})
    head = (f"POST /sms.aspx HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\nContent-Length: {len(body)}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nExpect: 100-continue\r\n"
            "Connection: close\r\n\r\n").encode()
    reply = await raw(head + body)
    assert reply.status == 200
    result = p.parse_send_result(reply.body)
    assert result.ok and task_of(sim, result.task_id).recipients[A].content == content


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
async def test_a_torn_multipart_body_is_answered_not_crashed(sim, api, cut):
    body = multipart({**FORM, "action": "overage", "content": "您好" * 50})
    response = await api.http.post("/sms.aspx", content=body[: int(len(body) * cut)], headers=multipart_headers())
    assert response.status_code == 200 and b"<returnsms>" in response.content  # what was read before the tear stands


# -- SOAP posted to the WSDL's URL -------------------------------------------------------------------


def soap_envelope(version: str, content: str) -> bytes:
    """SendSms as the vendor's demos write it: SOAP 1.1 (C#) or SOAP 1.2 (Java)."""
    prefix, namespace = ("soap12", SOAP12) if version == "1.2" else ("soap", SOAP11)
    return (
        f'<?xml version="1.0" encoding="utf-8"?><{prefix}:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:{prefix}="{namespace}"><{prefix}:Body>'
        '<SendSms xmlns="http://www.yysms.com/"><userName>demo</userName><password>demo123</password>'
        f"<sms><Msisdns>{A}</Msisdns><SMSContent>{content}</SMSContent><PlanSendTime xsi:nil=\"true\" />"
        f"<ExtNumber></ExtNumber></sms></SendSms></{prefix}:Body></{prefix}:Envelope>"
    ).encode()


async def test_a_soap_12_envelope_posted_to_the_wsdl_url_sends(sim, api):
    response = await api.http.post("/WebService.asmx?wsdl", content=soap_envelope("1.2", "您好" + SIG),
                                   headers={"Content-Type": "application/soap+xml; charset=utf-8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/soap+xml")
    result = p.parse_soap_send_result(response.content)
    assert result.ok and result.success_count == 1, response.text
    assert task_of(sim, result.msg_id).transport == "soap"


async def test_a_soap_11_envelope_posted_to_the_wsdl_url_sends(sim, api):
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{SOAP_ACTION}"'}
    response = await api.http.post("/WebService.asmx?WSDL", content=soap_envelope("1.1", "您好" + SIG), headers=headers)
    result = p.parse_soap_send_result(response.content)
    assert result.ok, response.text
    assert SOAP11 in response.text


async def test_a_get_of_the_wsdl_url_still_answers_the_wsdl(sim, api):
    response = await api.http.get("/WebService.asmx?wsdl")
    assert response.status_code == 200 and "wsdl:definitions" in response.text
    assert f'location="{sim.url}/WebService.asmx"' in response.text
    assert (await api.state())["tasks"] == 0


# -- raw bytes in the request line -------------------------------------------------------------------


async def test_raw_utf8_in_a_get_target_is_read_as_utf8(sim, raw):
    content = "您的验证码是8856【测试公司】"
    target = f"/sms.aspx?action=send&account=demo&password=demo123&mobile={A}&content={content}".encode()
    reply = await raw(get(target))
    assert reply.status == 200
    result = p.parse_send_result(reply.body)
    assert result.ok, reply.body.decode()
    assert task_of(sim, result.task_id).recipients[A].content == content


async def test_raw_gbk_in_a_get_target_on_the_gbk_page_is_read_as_gbk(sim, raw):
    content = "会议改到三点【测试公司】"
    target = f"/smsGBK.aspx?action=send&account=demo&password=demo123&mobile={A}&content={content}".encode("gbk")
    reply = await raw(get(target))
    assert reply.status == 200 and reply.headers["content-type"] == "text/xml; charset=gb2312"
    result = p.parse_send_result(reply.body)
    assert result.ok, reply.body.decode("gbk")
    assert task_of(sim, result.task_id).recipients[A].content == content


async def test_raw_gbk_in_a_get_target_on_a_utf8_page_is_read_as_gbk_too(sim, raw):
    content = "会议改到三点【测试公司】"
    target = f"/sms.aspx?action=send&account=demo&password=demo123&mobile={A}&content={content}".encode("gbk")
    result = p.parse_send_result((await raw(get(target))).body)
    assert result.ok and task_of(sim, result.task_id).recipients[A].content == content


async def test_raw_utf8_in_a_keep_alive_connections_second_request_is_read_too(sim, raw):
    overage = "/sms.aspx?action=overage&account=demo&password=demo123&x=一".encode()
    first = b"GET " + overage + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"  # keep-alive, then a second one at once
    reply = await raw(first + get(overage.replace("一".encode(), "二".encode())))
    second = reply.following()
    assert (reply.status, second.status) == (200, 200)
    assert p.parse_balance(reply.body).ok and p.parse_balance(second.body).ok


async def test_a_raw_space_in_a_get_target_is_still_400_as_on_iis(sim, api, raw):
    target = f"/sms.aspx?action=send&account=demo&password=demo123&mobile={A}&content=您好 {SIG}".encode()
    reply = await raw(get(target))
    assert reply.status == 400
    await assert_nothing_billed(api, sim)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_the_standalone_simulator_reads_raw_utf8_targets_too(raw):
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "smstui", "simulator", "--port", str(port), "--frozen",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # until it listens
            try:
                await raw(get(b"/_sim/hello"), url=url)
                break
            except OSError:
                await asyncio.sleep(0.05)
        content = "您的验证码是8856【测试公司】"
        target = f"/sms.aspx?action=checkkeyword&account=demo&password=demo123&content={content}".encode()
        reply = await raw(get(target), url=url)
        assert reply.status == 200 and p.parse_check_keyword(reply.body).checked == content
        assert (await raw(get(b"/sms.aspx?content=a b"), url=url)).status == 400
    finally:
        process.terminate()
        await process.wait()


# -- paths IIS tolerates -----------------------------------------------------------------------------


PATH_VARIANTS = ["//smsGBK.aspx", "/sms.aspx/sms.aspx", "//sms.aspx/", "/SMS.aspx/x/y", "///smsJson.aspx"]


@pytest.mark.parametrize("path", PATH_VARIANTS)
async def test_a_doubled_slash_or_pathinfo_after_the_page_reaches_the_page(sim, raw, path):
    # raw: an HTTP client library would read `//host…` as a network path; PHP sites send it by joining "…/" + "/…"
    reply = await raw(get(f"{path}?action=overage&account=demo&password=demo123".encode()))
    assert reply.status == 200, reply.body
    parse = p.parse_balance_json if "json" in path.lower() else p.parse_balance
    assert parse(reply.body).balance == sim.config.account("demo").balance


@pytest.mark.parametrize("path", ["/foo/sms.aspx", "/sms.aspxx", "/nosuch.aspx/sms.aspx"])
async def test_a_page_in_another_folder_or_of_another_name_is_404(sim, raw, path):
    assert (await raw(get(f"{path}?action=overage&account=demo&password=demo123".encode()))).status == 404


async def test_a_soap_envelope_posted_with_pathinfo_sends(sim, api):
    response = await api.http.post("/WebService.asmx/SendSms", content=soap_envelope("1.1", "您好" + SIG),
                                   headers={"Content-Type": "text/xml; charset=utf-8"})
    assert p.parse_soap_send_result(response.content).ok


# -- checkkeyword as the live server answers -------------------------------------------------------


async def test_a_clean_checkkeyword_echoes_the_checked_text_in_check_counts(sim, raw):
    content = "您的订单已发货" + SIG
    reply = await raw(get(f"/sms.aspx?action=checkkeyword&account=demo&password=demo123&content={content}".encode()))
    assert f"<checkCounts>{content}</checkCounts>" in reply.body.decode()
    check = p.parse_check_keyword(reply.body)
    assert (check.ok, check.clean, check.checked, check.count) == (True, True, content, 0)
    assert check.message == "没有包含屏蔽词"


async def test_a_checkkeyword_hit_says_illegal_characters_with_the_word(sim, api):
    form = {**FORM, "action": "checkkeyword", "content": "免费赌博" + SIG}
    response = await api.http.post("/smsJson.aspx", data=form)
    body = json.loads(response.content)
    assert body["returnstatus"] == "Faild" and body["message"] == "包含非法字符：赌博"
    check = p.parse_check_keyword_json(response.content)
    assert (check.clean, check.words, check.code) == (False, ["赌博"], 2107)
    await assert_nothing_billed(api, sim)
