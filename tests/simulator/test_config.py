"""The simulator's TOML config (strict, names the file and the key) and the `smstui simulator` command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import smstui.protocol as p
from smstui.simulator import SimConfig, SimConfigError, Simulator, load_sim_config

DEMO = p.Credentials("demo", "demo123", "1001")
SIG = "【测试公司】"
MOBILE = "13912340000"
ROOT = Path(__file__).resolve().parent.parent


# -- config files ------------------------------------------------------------------------------------------

GOOD_TOML = """
seed = 7
clock = "frozen"
start_time = "2026-05-01 09:00:00"
delivered_ratio = 1.0
sensitive_words = ["违禁"]

[faults]
latency = 0.25
error_ratio = 0.1

[[accounts]]
account = "acme"
password = "acme-pass"
userid = "3001"
pay_type = "postpaid"
balance = 0

[[accounts]]
account = "shop"
password = "shop-pass"
userid = "3002"
balance = 42
templates_enabled = false
bind_ips = ["127.0.0.1"]
"""


def test_load_good_config(tmp_path):
    path = tmp_path / "sim.toml"
    path.write_text(GOOD_TOML, encoding="utf-8")
    config = load_sim_config(path)
    assert config.seed == 7 and config.clock == "frozen" and config.start_time == "2026-05-01 09:00:00"
    assert config.delivered_ratio == 1.0 and config.sensitive_words == ["违禁"]
    assert config.faults.latency == 0.25 and config.faults.error_ratio == 0.1 and config.faults.html_ratio == 0.0
    assert [a.account for a in config.accounts] == ["acme", "shop"]
    acme, shop = config.accounts
    assert (acme.password, acme.userid, acme.pay_type, acme.balance) == ("acme-pass", "3001", "postpaid", 0)
    assert (shop.balance, shop.templates_enabled, shop.bind_ips, shop.pay_type) == (42, False, ["127.0.0.1"], "prepaid")


def test_load_without_a_file_gives_the_demo_accounts():
    config = load_sim_config(None)
    assert [a.account for a in config.accounts] == ["demo", "postpaid", "notemplate", "noreports"]
    assert config == SimConfig()


@pytest.mark.parametrize(("text", "named"), [
    ("sead = 3\n", ["'sead'", "'seed'"]),
    ("[[accounts]]\naccount = \"a\"\npassword = \"b\"\nbalanse = 5\n", ["accounts[0]", "'balanse'", "'balance'"]),
    ("[faults]\nlatancy = 1\n", ["[faults]", "'latancy'", "'latency'"]),
])
def test_load_unknown_key_names_file_and_key(tmp_path, text, named):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SimConfigError) as caught:
        load_sim_config(path)
    message = str(caught.value)
    assert str(path) in message
    for piece in named:
        assert piece in message


ACCOUNT = '[[accounts]]\naccount = "a"\npassword = "b"\n'


@pytest.mark.parametrize(("text", "named"), [
    ("seed = \"seven\"\n", ["seed", "whole number", "'seven'"]),
    ("seed = 1.5\n", ["seed", "whole number"]),
    ("clock = \"fast\"\n", ["clock", "'real' or 'frozen'", "'fast'"]),
    ("taskid_style = \"uuid\"\n", ["taskid_style", "'long' or 'short'"]),
    ("require_signature = \"yes\"\n", ["require_signature", "true or false"]),
    ("delivered_ratio = 1.5\n", ["delivered_ratio", "between 0 and 1"]),
    ("reply_rate = -0.1\n", ["reply_rate", "between 0 and 1"]),
    ("daily_limit = 0\n", ["daily_limit", "above 0"]),
    ("tick_interval = 0\n", ["tick_interval", "above 0"]),
    ("report_delay = [8, 2]\n", ["report_delay", "[shortest, longest]"]),
    ("report_delay = [1, 2, 3]\n", ["report_delay"]),
    ("reply_delay = [-1]\n", ["reply_delay", "0 or more"]),
    ("sensitive_words = \"赌博\"\n", ["sensitive_words", "a list"]),
    ("blacklist = [13800000000]\n", ["blacklist", "a list of strings"]),
    ("no_channel_prefixes = [\"17x\"]\n", ["no_channel_prefixes", "digits", "'17x'"]),
    ("start_time = \"tomorrow\"\n", ["start_time", "2026-03-01 10:00:00", "'tomorrow'"]),
    ("start_time = 2026-03-01T10:00:00\n", ["start_time", "a string"]),
    ("[faults]\ndrop_mode = \"lose\"\n", ["[faults]", "drop_mode", "'close' or 'timeout'"]),
    ("[faults]\ndrop_ratio = 2\n", ["[faults]", "drop_ratio", "between 0 and 1"]),
    ("[faults]\nlatency = -1\n", ["[faults]", "latency", "0 or more"]),
    ('[[accounts]]\npassword = "b"\n', ["accounts[0]", "missing account"]),
    ('[[accounts]]\naccount = ""\npassword = "b"\n', ["accounts[0]", "account must be a name"]),
    ('[[accounts]]\naccount = "a"\n', ["accounts[0]", "missing password"]),
    (ACCOUNT + ACCOUNT, ["two accounts", "'a'"]),
    (ACCOUNT + 'pay_type = "credit"\n', ["accounts[0]", "pay_type", "'prepaid' or 'postpaid'"]),
    (ACCOUNT + "balance = \"lots\"\n", ["accounts[0]", "balance", "whole number"]),
    (ACCOUNT + "enabled = 1\n", ["accounts[0]", "enabled", "true or false"]),
    (ACCOUNT + "bind_ips = \"127.0.0.1\"\n", ["accounts[0]", "bind_ips", "a list"]),
    (ACCOUNT + "has_channel = \"no\"\n", ["accounts[0]", "has_channel", "true or false"]),
    ("accounts = []\n", ["at least one account"]),
    ("faults = 3\n", ["[faults]", "table"]),
])
def test_load_bad_type_or_range_names_file_and_key(tmp_path, text, named):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SimConfigError) as caught:
        load_sim_config(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    for piece in named:
        assert piece in message, message


def test_load_unreadable_and_invalid(tmp_path):
    with pytest.raises(SimConfigError, match="cannot read"):
        load_sim_config(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("seed = = 1\n", encoding="utf-8")
    with pytest.raises(SimConfigError, match="not valid TOML"):
        load_sim_config(broken)


async def test_simulator_from_a_loaded_config(tmp_path):
    path = tmp_path / "sim.toml"
    path.write_text(
        GOOD_TOML.replace("error_ratio = 0.1", "error_ratio = 0.0").replace("latency = 0.25", "latency = 0.0"),
        encoding="utf-8",
    )
    async with Simulator(load_sim_config(path)) as sim, httpx.AsyncClient(base_url=sim.url) as http:
        request = p.build_send(p.Credentials("acme", "acme-pass", "3001"), MOBILE, "含违禁词" + SIG)
        refused = p.parse_send_result(
            (
                await http.post(
                    request.path, content=request.content(), headers={"Content-Type": request.content_type()}
                )
            ).content
        )
        assert not refused.ok and refused.message == "敏感词(违禁)"
        request = p.build_send(p.Credentials("acme", "acme-pass", "3001"), MOBILE, "您好" + SIG)
        ok = p.parse_send_result(
            (
                await http.post(
                    request.path, content=request.content(), headers={"Content-Type": request.content_type()}
                )
            ).content
        )
        assert ok.ok and ok.balance == -1 and ok.task_id.startswith("260501")
        request = p.build_balance(DEMO)
        gone = p.parse_balance(
            (
                await http.post(
                    request.path, content=request.content(), headers={"Content-Type": request.content_type()}
                )
            ).content
        )
        assert not gone.ok  # the demo accounts are replaced by the file's


# -- the command -------------------------------------------------------------------------------------------


def run_cli(*args: str, timeout: float = 20) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "smstui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cli_refuses_a_config_with_an_unknown_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("seed = 1\nreport_dealy = [1, 2]\n", encoding="utf-8")
    done = run_cli("simulator", "--port", str(free_port()), "--config", str(bad))
    assert done.returncode == 2
    assert str(bad) in done.stderr
    assert "report_dealy" in done.stderr and "report_delay" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_refuses_a_missing_config(tmp_path):
    done = run_cli("simulator", "--port", str(free_port()), "--config", str(tmp_path / "nope.toml"))
    assert done.returncode == 2 and "nope.toml" in done.stderr


def test_cli_serves_a_good_config(tmp_path):
    path = tmp_path / "sim.toml"
    path.write_text(
        GOOD_TOML.replace("error_ratio = 0.1", "error_ratio = 0.0").replace("latency = 0.25", "latency = 0.0"),
        encoding="utf-8",
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "smstui", "simulator", "--port", str(port), "--config", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            assert process.poll() is None, process.communicate()
            try:
                hello = httpx.get(f"http://127.0.0.1:{port}/_sim/hello", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the simulator did not start"
                time.sleep(0.05)
        assert hello.text == "hello"
        state = httpx.get(f"http://127.0.0.1:{port}/_sim/state", timeout=2).json()
        assert set(state["accounts"]) == {"acme", "shop"}
        assert state["now"].startswith("2026-05-01T09:00:00")  # clock = "frozen" from the file
        request = p.build_balance(p.Credentials("shop", "shop-pass"))
        balance = p.parse_balance(
            httpx.post(
                f"http://127.0.0.1:{port}{request.path}",
                content=request.content(),
                headers={"Content-Type": request.content_type()},
                timeout=2,
            ).content
        )
        assert balance.ok and balance.balance == 42
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)
    assert "acme" in out and "shop" in out  # the banner lists the accounts
