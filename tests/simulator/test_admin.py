"""The simulator's /_sim admin API over real HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote

import pytest

import smstui.protocol as p
from smstui.simulator import AccountConfig

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
SIG = "【测试公司】"
NUMBERS = [f"1391234{n:04d}" for n in range(6)]


# -- /_sim ---------------------------------------------------------------------------------------------


async def test_hello(api):
    response = await api.http.get("/_sim/hello")
    assert response.status_code == 200 and response.text == "hello"


@pytest.mark.sim()
async def test_state_of_a_fresh_simulator(sim, api):
    for path in ("/_sim/state", "/_sim", "/_SIM/State"):
        state = (await api.http.get(path)).json()
        assert datetime.fromisoformat(state["now"]) == datetime.fromisoformat("2026-03-01T10:00:00+08:00")
        assert state["tasks"] == 0
        assert set(state["accounts"]) == {"demo", "postpaid", "notemplate", "noreports"}
        for name, account in state["accounts"].items():
            config = sim.config.account(name)
            assert account["balance"] == config.balance and account["mms_balance"] == config.mms_balance
            assert account["pay_type"] == config.pay_type and account["userid"] == config.userid
            assert account["pending_reports"] == account["pending_uplinks"] == 0


async def test_state_follows_sends(sim, api):
    await api.send(DEMO, ",".join(NUMBERS[:2]), "您好" + SIG)
    state = await api.state()
    assert state["tasks"] == 1
    assert state["accounts"]["demo"]["balance"] == sim.config.account("demo").balance - 2
    assert state["scheduled_events"] >= 2  # one report per recipient is due


async def test_clock_advance(sim, api):
    before = sim.now()
    response = await api.http.post("/_sim/clock", json={"advance": 90})
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "frozen"
    assert datetime.fromisoformat(body["now"]) == before + timedelta(seconds=90)
    assert sim.now() == before + timedelta(seconds=90)
    assert datetime.fromisoformat((await api.http.get("/_sim/clock")).json()["now"]) == sim.now()
    await api.http.post("/_sim/clock", json={"advance": -500})  # never backwards
    assert sim.now() == before + timedelta(seconds=90)


@pytest.mark.sim(delivered_ratio=1.0, report_delay=[30, 30], reply_rate=0.0)
async def test_clock_advance_over_http_delivers_due_reports(sim, api):
    await api.send(DEMO, NUMBERS[0], "您好" + SIG)
    await api.http.post("/_sim/clock", json={"advance": 29})
    assert await api.reports(DEMO) == []
    await api.http.post("/_sim/clock", json={"advance": 1})
    assert [r.mobile for r in await api.reports(DEMO)] == [NUMBERS[0]]


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"advance": "soon"}'])
async def test_clock_bad_body_is_400(sim, api, body):
    before = sim.now()
    response = await api.http.post("/_sim/clock", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert sim.now() == before


async def test_uplink_injection(sim, api):
    response = await api.http.post("/_sim/uplink", json={"account": "demo", "mobile": NUMBERS[0], "content": "好的"})
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert (await api.state())["accounts"]["demo"]["pending_uplinks"] == 1
    assert [(u.mobile, u.content, u.extno) for u in await api.uplinks(DEMO)] == [(NUMBERS[0], "好的", "")]


@pytest.mark.parametrize("body", [{"account": "demo", "mobile": NUMBERS[0]}, {"account": "nobody", "mobile": NUMBERS[0],
                                                                              "content": "x"}])
async def test_uplink_injection_bad_request_is_400(sim, api, body):
    assert (await api.http.post("/_sim/uplink", json=body)).status_code == 400
    assert (await api.state())["accounts"]["demo"]["pending_uplinks"] == 0


async def test_account_balance_patch(sim, api):
    response = await api.http.post("/_sim/accounts/demo", json={"balance": 5})
    assert response.status_code == 200 and response.json()["balance"] == 5
    assert await api.balance(DEMO) == 5
    refused = await api.send(DEMO, ",".join(NUMBERS[:6]), "您好" + SIG)
    assert not refused.ok and refused.code == 1111
    accepted = await api.send(DEMO, ",".join(NUMBERS[:5]), "您好" + SIG)
    assert accepted.ok and accepted.balance == 0
    assert (await api.http.get("/_sim/accounts/demo")).json()["balance"] == 0


async def test_account_top_up_counts_as_recharge(sim, api):
    start = sim.config.account("demo").balance
    view = (await api.http.post("/_sim/accounts/demo", json={"top_up": 250})).json()
    assert view["balance"] == start + 250 and view["send_total"] == start + 250
    balance = p.parse_balance((await api.call(p.build_balance(DEMO))).content)
    assert balance.balance == start + 250 and balance.send_total == start + 250


async def test_account_password_and_enabled_patch(sim, api):
    await api.http.post("/_sim/accounts/demo", json={"password": "changed1"})
    assert (await api.send(DEMO, NUMBERS[0], "您好" + SIG)).code == 1005
    assert (await api.send(p.Credentials("demo", "changed1"), NUMBERS[0], "您好" + SIG)).ok
    view = (await api.http.post("/_sim/accounts/demo", json={"enabled": False})).json()
    assert view["enabled"] is False
    assert (await api.send(p.Credentials("demo", "changed1"), NUMBERS[1], "您好" + SIG)).code == 1007


@pytest.mark.parametrize("body", [{"colour": "red"}, {"balance": "lots"}, {"balance": 5, "enabled": "no"},
                                  {"top_up": 1.5}, {"balance": 5, "pay_type": "credit"}, {"password": 123}])
async def test_account_patch_bad_request_is_400_and_changes_nothing(sim, api, body):
    response = await api.http.post("/_sim/accounts/demo", json=body)
    assert response.status_code == 400 and "account demo" in response.json()["error"]
    view = (await api.http.get("/_sim/accounts/demo")).json()
    config = sim.config.account("demo")
    assert (view["balance"], view["enabled"], view["pay_type"]) == (config.balance, True, "prepaid")
    assert (await api.send(DEMO, NUMBERS[0], "您好" + SIG)).ok  # the password is untouched too


async def test_unknown_account_is_404(sim, api):
    for response in (await api.http.get("/_sim/accounts/nobody"),
                     await api.http.post("/_sim/accounts/nobody", json={"balance": 1})):
        assert response.status_code == 404 and response.json() == {"error": "no account 'nobody'"}


@pytest.mark.sim(
    accounts=[AccountConfig("MixedCase", "mixed123", "2001"), AccountConfig("星辰科技", "xc123456", "2002")]
)
async def test_accounts_named_in_mixed_case_or_chinese(sim, api):
    for name, password in (("MixedCase", "mixed123"), ("星辰科技", "xc123456")):
        response = await api.http.post(f"/_sim/accounts/{quote(name)}", json={"balance": 7})
        assert response.status_code == 200 and response.json()["balance"] == 7
        assert (await api.http.get(f"/_sim/accounts/{quote(name)}")).json()["balance"] == 7
        assert await api.balance(p.Credentials(name, password)) == 7
    assert (await api.http.get("/_sim/accounts/mixedcase")).status_code == 404  # names are exact, like the gateway's


async def test_task_view(sim, api):
    result = await api.send(DEMO, f"{NUMBERS[0]},{NUMBERS[1]}", "好" * 65 + SIG, extno="9")  # 71 characters
    response = await api.http.get(f"/_sim/tasks/{result.task_id}")
    assert response.status_code == 200
    task = response.json()
    assert task["task_id"] == result.task_id and task["account"] == "demo"
    assert task["kind"] == "sms" and task["transport"] == "xml"
    assert task["segments"] == 2 and task["cost"] == 4 and task["recipients"] == 2
    assert task["extno"] == "9" and task["scheduled"] is False
    assert task["states"] == {"pending": 2}
    assert task["recipient_states"] == {NUMBERS[0]: ["pending", ""], NUMBERS[1]: ["pending", ""]}


async def test_unknown_task_and_endpoint_are_404(api):
    assert (await api.http.get("/_sim/tasks/1234567890123456")).status_code == 404
    assert (await api.http.get("/_sim/nothing")).status_code == 404


async def test_reset_over_http(sim, api):
    await api.send(DEMO, NUMBERS[0], "您好" + SIG)
    sim.inject_uplink("demo", NUMBERS[0], "hi")
    assert (await api.http.post("/_sim/reset")).json() == {"ok": True}
    state = await api.state()
    assert state["tasks"] == 0 and state["accounts"]["demo"]["pending_uplinks"] == 0
    assert state["accounts"]["demo"]["balance"] == sim.config.account("demo").balance
    assert await api.uplinks(DEMO) == []


async def test_reset_keeps_the_clock(sim, api):
    moved = datetime.fromisoformat((await api.http.post("/_sim/clock", json={"advance": 600})).json()["now"])
    await api.http.post("/_sim/reset")
    assert datetime.fromisoformat((await api.http.get("/_sim/clock")).json()["now"]) == moved == sim.now()
