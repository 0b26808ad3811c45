"""Every fault of the simulator over real HTTP: latency, 503 pages, HTML bodies, truncated bodies,
dropped replies (closed connection or silence) — and that a lost reply does not mean a lost send."""

from __future__ import annotations

import time

import httpx
import pytest

import smstui.protocol as p
from smstui.simulator import FaultConfig

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
SIG = "【测试公司】"
A, B = "13912345678", "13912345679"


def send_request(mobiles: str = f"{A},{B}", transport: str = "xml") -> p.GatewayRequest:
    return p.build_send(DEMO, mobiles, "您好" + SIG, transport=transport)


def start_balance(sim) -> int:
    return sim.config.account("demo").balance


async def test_latency(sim, api):
    sim.set_faults(latency=0.2)
    started = time.monotonic()
    response = await api.call(send_request())
    assert time.monotonic() - started >= 0.2
    assert p.parse_send_result(response.content).ok


async def test_error_ratio_gives_503_html_and_no_send(sim, api):
    sim.set_faults(error_ratio=1.0)
    response = await api.call(send_request())
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert "503" in response.text and "<html>" in response.text
    with pytest.raises(p.GatewayReplyError):
        p.parse_send_result(response.content)
    state = await api.state()  # the admin API is not subject to faults
    assert state["tasks"] == 0 and state["accounts"]["demo"]["balance"] == start_balance(sim)


@pytest.mark.parametrize(("transport", "parse"), [("xml", p.parse_send_result), ("json", p.parse_send_result_json),
                                                  ("gbk", p.parse_send_result)])
async def test_html_ratio_gives_200_html_that_parsers_reject(sim, api, transport, parse):
    sim.set_faults(html_ratio=1.0)
    response = await api.call(send_request(transport=transport))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    with pytest.raises(p.GatewayReplyError) as caught:
        parse(response.content)
    assert b"<html>" in caught.value.raw  # the raw body is kept for the user
    with pytest.raises(p.GatewayReplyError):
        p.parse_balance((await api.call(p.build_balance(DEMO))).content)


@pytest.mark.parametrize(("transport", "parse"), [("xml", p.parse_send_result), ("json", p.parse_send_result_json),
                                                  ("gbk", p.parse_send_result)])
async def test_truncated_reply_but_the_task_exists(sim, api, transport, parse):
    sim.set_faults(truncate_ratio=1.0)
    response = await api.call(send_request(transport=transport))
    assert response.status_code == 200
    with pytest.raises(p.GatewayReplyError):
        parse(response.content)
    state = await api.state()
    assert state["tasks"] == 1
    assert state["accounts"]["demo"]["balance"] == start_balance(sim) - 2


async def test_truncated_encrypted_and_soap_replies(sim, api):
    sim.set_faults(truncate_ratio=1.0)
    with pytest.raises(p.GatewayReplyError):
        p.parse_encrypted_reply((await api.call(p.build_encrypted_send(DEMO, A, "您好" + SIG, sim.now()))).content)
    with pytest.raises(p.GatewayReplyError):
        p.parse_soap_send_result((await api.call(p.build_soap_send(DEMO, B, "您好" + SIG))).content)
    state = await api.state()
    assert state["tasks"] == 2 and state["accounts"]["demo"]["balance"] == start_balance(sim) - 2


async def test_drop_close_raises_but_the_task_exists(sim, api):
    sim.set_faults(drop_ratio=1.0, drop_mode="close")
    with pytest.raises(httpx.HTTPError) as caught:
        await api.call(send_request())
    assert isinstance(caught.value, (httpx.RemoteProtocolError, httpx.ReadError))
    sim.clear_faults()
    state = await api.state()
    assert state["tasks"] == 1
    assert state["accounts"]["demo"]["balance"] == start_balance(sim) - 2
    assert await api.balance(DEMO) == start_balance(sim) - 2


@pytest.mark.sim()
async def test_drop_timeout_reads_time_out_but_the_task_exists(sim, api):
    sim.set_faults(drop_ratio=1.0, drop_mode="timeout", drop_delay=2.0)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        await api.call(send_request(), timeout=httpx.Timeout(5.0, read=0.3))
    assert time.monotonic() - started < 1.5
    sim.clear_faults()
    state = await api.state()
    assert state["tasks"] == 1
    assert state["accounts"]["demo"]["balance"] == start_balance(sim) - 2


@pytest.mark.sim()
async def test_drop_timeout_never_delivers_the_reply(sim, api):
    sim.set_faults(drop_ratio=1.0, drop_mode="timeout", drop_delay=0.3)
    started = time.monotonic()
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        await api.call(send_request(), timeout=httpx.Timeout(5.0))  # a patient client still gets nothing
    assert time.monotonic() - started >= 0.3
    sim.clear_faults()
    state = await api.state()
    assert state["tasks"] == 1  # the send happened; only its answer is lost
    assert state["accounts"]["demo"]["balance"] == start_balance(sim) - 2


async def test_partial_ratio_is_seeded_and_each_served_reply_matches_a_task(sim, api):
    sim.set_faults(error_ratio=0.5)
    statuses = [(await api.call(send_request(f"1391234{n:04d}"))).status_code for n in range(30)]
    assert set(statuses) == {200, 503}
    state = await api.state()
    assert state["tasks"] == statuses.count(200)
    assert state["accounts"]["demo"]["balance"] == start_balance(sim) - statuses.count(200)
    sim.reset()  # same seed: the same requests meet the same faults
    sim.set_faults(error_ratio=0.5)
    again = [(await api.call(send_request(f"1391234{n:04d}"))).status_code for n in range(30)]
    assert again == statuses


async def test_faults_over_the_admin_api(sim, api):
    response = await api.http.post("/_sim/faults", json={"error_ratio": 1, "latency": 0.05})
    assert response.status_code == 200
    assert response.json()["error_ratio"] == 1 and response.json()["latency"] == 0.05
    assert (await api.http.get("/_sim/faults")).json() == {**vars(FaultConfig()), "error_ratio": 1, "latency": 0.05}
    assert (await api.call(send_request())).status_code == 503
    assert (await api.http.post("/_sim/faults", json={"error_ratio": 0})).status_code == 200
    assert (await api.call(send_request())).status_code == 200


async def test_unknown_fault_name_is_400(sim, api):
    response = await api.http.post("/_sim/faults", json={"error_rate": 1})
    assert response.status_code == 400
    assert "error_rate" in response.json()["error"]
    assert (await api.http.get("/_sim/faults")).json() == vars(FaultConfig())
    assert (await api.call(send_request())).status_code == 200


@pytest.mark.parametrize(("body", "named"), [({"drop_ratio": 1.5}, "drop_ratio"), ({"drop_ratio": "all"}, "drop_ratio"),
                                             ({"latency": -1}, "latency"), ({"drop_mode": "lose"}, "drop_mode"),
                                             ({"error_ratio": True}, "error_ratio"),
                                             ({"latency": 0.2, "truncate_ratio": 2}, "truncate_ratio")])
async def test_bad_fault_value_is_400_and_changes_nothing(sim, api, body, named):
    response = await api.http.post("/_sim/faults", json=body)
    assert response.status_code == 400
    assert named in response.json()["error"]
    assert (await api.http.get("/_sim/faults")).json() == vars(FaultConfig())
    assert (await api.call(send_request())).status_code == 200


async def test_reset_restores_balances_and_clears_faults(sim, api):
    for _ in range(3):
        assert (await api.send(DEMO, f"{A},{B}", "您好" + SIG)).ok
    sim.patch_account("postpaid", balance=-50)
    await api.http.post("/_sim/faults", json={"error_ratio": 1, "latency": 0.01})
    assert (await api.call(send_request())).status_code == 503
    response = await api.http.post("/_sim/reset")
    assert response.status_code == 200
    assert (await api.http.get("/_sim/faults")).json() == vars(FaultConfig())
    state = await api.state()
    assert state["tasks"] == 0
    assert state["accounts"]["demo"]["balance"] == start_balance(sim)
    assert state["accounts"]["postpaid"]["balance"] == sim.config.account("postpaid").balance
    assert await api.balance(DEMO) == start_balance(sim)  # the vendor endpoints see the reset world too
    result = await api.send(DEMO, A, "您好" + SIG)
    assert result.ok and result.balance == start_balance(sim) - 1


@pytest.mark.sim(faults=FaultConfig(html_ratio=1.0))
async def test_faults_from_the_config_and_reset_keeps_the_configured_ones(sim, api):
    assert (await api.call(send_request())).headers["content-type"].startswith("text/html")
    sim.clear_faults()
    assert p.parse_send_result((await api.call(send_request())).content).ok
    await api.http.post("/_sim/reset")
    assert (await api.http.get("/_sim/faults")).json()["html_ratio"] == 1.0
