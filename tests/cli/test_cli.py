"""The scriptable CLI as a user runs it: a real process against the simulator over HTTP."""

import asyncio
import json
import os
import signal
import sys

import pytest
from support.cli import SIGNED, accepted_per_mobile, smstui


@pytest.mark.gateway(clock="real")
async def test_send_balance_and_exit_statuses(gateway, tmp_path):
    db = tmp_path / "cli.db"
    status, [sent], _ = await smstui(gateway, db, "send", "--to", "13900139000，+86 137 0013 7000", "--content", SIGNED)
    assert status == 0 and sent["ok"] and sent["success_count"] == 2 and sent["cost"] == 2
    assert sent["balance"] == 9_998 and sent["task_ids"] == list(gateway.world.tasks)
    status, [balance], _ = await smstui(gateway, db, "balance")
    assert status == 0 and balance == {"ok": True, "balance": 9_998, "recharged_total": 10_000, "pay_type": "prepaid",
                                     "mms": False}
    status, [bad], _ = await smstui(gateway, db, "send", "--to", "13900139000,1380013800", "--content", SIGNED)
    assert status == 2 and "entry 2: 1380013800 has 10 digits" in bad["message"]
    status, [refused], _ = await smstui(gateway, db, "send", "--to", "13900139000", "--content", "无签名")
    assert status == 2 and "signature" in refused["message"].lower()
    gateway.patch_account("demo", balance=0)
    status, [low], _ = await smstui(gateway, db, "send", "--to", "13900139000", "--content", SIGNED)
    assert status == 1 and low["code"] == 1111 and "top up" in low["message"].lower()
    status, [wrong], _ = await smstui(gateway, db, "balance", env={"SMSTUI_PASSWORD": "nope"})
    assert status == 1 and wrong["code"] == 1005
    status, [down], _ = await smstui(gateway, db, "balance", base_url="http://127.0.0.1:9")
    assert status == 3 and down["error"] == "Unreachable"
    assert len(gateway.world.tasks) == 1


@pytest.mark.gateway(clock="real", report_delay=[0, 0], delivered_ratio=1.0)
async def test_reports_inbox_templates_and_human_output(gateway, tmp_path):
    db = tmp_path / "cli.db"
    await smstui(gateway, db, "send", "--to", "13900139000", "--content", SIGNED, "--extno", "01")
    gateway.inject_uplink("demo", "13900139000", "退订", "01")
    gateway.advance(1)
    status, [reports], _ = await smstui(gateway, db, "reports")
    assert status == 0 and [(r["mobile"], r["delivered"], r["extno"]) for r in reports["reports"]] == [
        ("13900139000", True, "01")
    ]
    status, [inbox], _ = await smstui(gateway, db, "inbox")
    assert inbox["uplinks"] == [
        {
            "mobile": "13900139000",
            "content": "退订",
            "receive_time": inbox["uplinks"][0]["receive_time"],
            "extno": "01",
            "optout": True,
        }
    ]
    status, [added], _ = await smstui(gateway, db, "templates", "add", "您的验证码：@【星辰科技】")
    status, [listed], _ = await smstui(gateway, db, "templates", "list")
    assert (
        listed["templates"][0]["template_id"] == added["template_id"]
        and listed["templates"][0]["state"] == "under review"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "smstui",
        "reports",
        "--profile",
        "t",
        "--store",
        str(db),
        "--config",
        str(tmp_path / "config.toml"),
        env={**os.environ, "SMSTUI_PASSWORD": "demo123"},
        stdout=asyncio.subprocess.PIPE,
    )
    human, _ = await process.communicate()
    text = human.decode()
    assert "13900139000" in text and "delivered" in text and text.splitlines()[1].startswith("----")


@pytest.mark.gateway(clock="real")
async def test_batch_file_in_gbk_with_chinese_headers(gateway, tmp_path):
    data = "手机号码,短信内容\n13900139000,张三您好【星辰科技】\n13700137000,李四您好【星辰科技】\n"
    (tmp_path / "batch.csv").write_bytes(data.encode("gbk"))
    status, [sent], _ = await smstui(gateway, tmp_path / "cli.db", "batch", str(tmp_path / "batch.csv"))
    assert status == 0 and sent["success_count"] == 2
    task = gateway.world.tasks[sent["task_ids"][0]]
    assert task.recipients["13700137000"].content == "李四您好【星辰科技】"
    (tmp_path / "bad.csv").write_text("mobile,content\n13900139000,a【星辰科技】\n1234,b【星辰科技】\n13900139000,c\n")
    status, [bad], _ = await smstui(gateway, tmp_path / "cli.db", "batch", str(tmp_path / "bad.csv"))
    assert (
        status == 2
        and "line 3: 1234" in bad["message"]
        and "line 4: 13900139000 is already on line 2" in bad["message"]
    )


@pytest.mark.gateway(clock="real", report_delay=[0, 0], delivered_ratio=1.0)
async def test_killed_send_resumes_without_sending_anything_twice(gateway, tmp_path):
    db = tmp_path / "cli.db"
    gateway.set_faults(latency=0.15)
    numbers = ",".join(f"139{i:08d}" for i in range(200))
    process = await smstui(gateway, db, "send", "--to", numbers, "--content", SIGNED, wait=False)
    for _ in range(200):  # wait until a few chunks are in
        await asyncio.sleep(0.05)
        if len(gateway.world.tasks) >= 3:
            break
    process.send_signal(signal.SIGKILL)
    await process.wait()
    gateway.clear_faults()
    before = len(accepted_per_mobile(gateway))
    assert 0 < before < 200
    status, [outcome], _ = await smstui(gateway, db, "resume")
    assert outcome["success_count"] + outcome["unknown_recipients"] == 200
    gateway.advance(1)
    status, [reconciled], _ = await smstui(gateway, db, "reconcile", outcome["send_id"], "--resend")
    unknown = outcome["unknown_recipients"]
    if not unknown:  # the kill landed between two requests (a loaded machine): nothing was in doubt
        assert status == 0 and reconciled["settled"]
    elif reconciled["ambiguous"]:  # the request out at the kill reached the gateway, and its reports came: on a
        # shared account (the default) a task this store never saw proves nothing, so they are left to the user
        assert status == 3 and len(reconciled["ambiguous"]) == unknown and "resent" not in reconciled
        assert set(reconciled["why"].values()) == {"foreign"}
    else:  # it never reached the gateway: no report, so they are re-sent
        assert status == 0 and len(reconciled["unconfirmed"]) == unknown and reconciled["resent"]["ok"]
    counts = accepted_per_mobile(gateway)
    assert len(counts) == 200 and set(counts.values()) == {1}


@pytest.mark.gateway(clock="real")
async def test_options_before_the_command_count_and_nothing_runs_without_a_profile(gateway, tmp_path):
    db = tmp_path / "cli.db"
    await smstui(gateway, db, "balance")  # writes the config of profile t
    environment = {**os.environ, "SMSTUI_PASSWORD": "demo123"}

    async def run(*args):
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "smstui",
            *args,
            env=environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        return process.returncode, out.decode(), err.decode()

    status, out, _ = await run(
        "--config", str(tmp_path / "config.toml"), "--profile", "t", "balance", "--json", "--store", str(db)
    )
    assert status == 0 and json.loads(out)["balance"] == 10_000
    status, _, err = await run(
        "--config", str(tmp_path / "config.toml"), "--profile", "nope", "balance", "--store", str(db)
    )
    assert status == 2 and "no profile 'nope'" in err
    (tmp_path / "empty.toml").write_text("")
    status, _, err = await run("balance", "--config", str(tmp_path / "empty.toml"), "--store", str(db))
    assert status == 2 and "no profile configured" in err and "Traceback" not in err
    (tmp_path / "typo.toml").write_text(f'default_profile = "prd"\n[profiles.prod]\nbase_url = "{gateway.url}"\n')
    status, _, err = await run("balance", "--config", str(tmp_path / "typo.toml"), "--store", str(db))
    assert status == 2 and "default_profile 'prd' is not a profile" in err


@pytest.mark.gateway(clock="real")
async def test_input_the_gateway_cannot_take_is_refused_before_anything_is_journaled(gateway, tmp_path):
    db = tmp_path / "cli.db"
    status, [gbk], _ = await smstui(
        gateway, db, "send", "--to", "13900139000", "--content", "生日快乐😀【星辰科技】", "--via", "gbk"
    )
    assert status == 2 and "U+1F600" in gbk["message"] and "GBK" in gbk["message"]
    status, [encrypted], _ = await smstui(
        gateway, db, "send", "--to", "13900139000", "--content", SIGNED, "--via", "encrypted", "--userid", "abc"
    )
    assert status == 2 and "numeric userid" in encrypted["message"]
    status, [nopassword], _ = await smstui(gateway, db, "balance", env={"SMSTUI_PASSWORD": ""})
    assert status == 2 and "no password" in nopassword["message"]
    status, [scheme], _ = await smstui(gateway, db, "balance", base_url="127.0.0.1:9")
    assert status == 2 and "http:// or https://" in scheme["message"]
    assert gateway.world.tasks == {}
    status, [nothing], _ = await smstui(gateway, db, "resume")
    assert status == 0 and nothing["resumed"] == 0  # nothing was journaled


@pytest.mark.gateway(clock="real")
async def test_a_quoted_csv_cell_and_a_slide_with_a_colon_arrive_whole(gateway, tmp_path):
    db = tmp_path / "cli.db"
    (tmp_path / "quoted.csv").write_text('mobile,content\n13900139000,"他说""你好""，明天, 见【星辰科技】"\n')
    status, [sent], _ = await smstui(gateway, db, "batch", str(tmp_path / "quoted.csv"))
    assert status == 0
    task = gateway.world.tasks[sent["task_ids"][0]]
    assert task.recipients["13900139000"].content == '他说"你好"，明天, 见【星辰科技】'
    status, [mms], _ = await smstui(
        gateway, db, "mms", "--to", "13900139000", "--subject", "会议", "--slide", "会议时间: 明天 10:00"
    )
    assert status == 0 and mms["success_count"] == 1


@pytest.mark.gateway(clock="real")
async def test_push_receiver_address_problems_are_messages_not_tracebacks(gateway, tmp_path):
    db = tmp_path / "cli.db"
    status, [bad], err = await smstui(gateway, db, "push-receiver", "--listen", "nowhere")
    assert status == 2 and "HOST:PORT" in bad["message"] and "Traceback" not in err
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        status, [busy], err = await smstui(gateway, db, "push-receiver", "--listen", f"127.0.0.1:{port}")
        assert status == 2 and f"cannot listen on 127.0.0.1:{port}" in busy["message"] and "Traceback" not in err
    finally:
        taken.close()


@pytest.mark.gateway(clock="real", report_delay=[0, 0], delivered_ratio=1.0)
async def test_ctrl_c_stops_after_the_requests_in_flight_and_resume_finishes(gateway, tmp_path):
    db = tmp_path / "cli.db"
    gateway.set_faults(latency=0.2)
    numbers = ",".join(f"139{i:08d}" for i in range(200))
    process = await smstui(gateway, db, "send", "--to", numbers, "--content", SIGNED, wait=False)
    for _ in range(200):
        await asyncio.sleep(0.05)
        if len(gateway.world.tasks) >= 2:
            break
    process.send_signal(signal.SIGINT)
    out, err = await process.communicate()
    [stopped] = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
    assert process.returncode == 130 and stopped["cancelled"] and "Traceback" not in err.decode()
    assert stopped["unknown_recipients"] == 0 and 0 < stopped["success_count"] < 200  # nothing left in doubt
    assert stopped["success_count"] == len(accepted_per_mobile(gateway))
    gateway.clear_faults()
    status, [finished], _ = await smstui(gateway, db, "resume")
    assert status == 0 and finished["success_count"] == 200
    counts = accepted_per_mobile(gateway)
    assert len(counts) == 200 and set(counts.values()) == {1}


@pytest.mark.gateway(clock="real", report_delay=[0, 0])
async def test_numbers_the_gateway_did_not_accept_are_said_and_exit_1(gateway, tmp_path):
    db = tmp_path / "cli.db"
    status, [sent], _ = await smstui(gateway, db, "send", "--to", "13900139000,13800000000", "--content", SIGNED)
    assert status == 1 and sent["success_count"] == 1 and sent["not_accepted_recipients"] == 1
    assert not sent["ok"] and "did not accept 1 of 2" in sent["message"]


@pytest.mark.gateway(clock="real")
async def test_output_into_a_closed_pipe_ends_quietly(gateway, tmp_path):
    db = tmp_path / "cli.db"
    await smstui(gateway, db, "balance")
    read, write = os.pipe()
    os.close(read)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "smstui",
        "balance",
        "--profile",
        "t",
        "--store",
        str(db),
        "--config",
        str(tmp_path / "config.toml"),
        env={**os.environ, "SMSTUI_PASSWORD": "demo123"},
        stdout=write,
        stderr=asyncio.subprocess.PIPE,
    )
    os.close(write)
    _, err = await process.communicate()
    assert process.returncode == 0 and "Traceback" not in err.decode()


@pytest.mark.gateway(clock="real")
async def test_password_without_a_terminal_says_how_and_changes_nothing(gateway, tmp_path):
    db = tmp_path / "cli.db"
    status, [answer], err = await smstui(gateway, db, "password")
    assert status == 2 and "SMSTUI_NEW_PASSWORD" in answer["message"] and "Traceback" not in err
    assert gateway.world.accounts["demo"].password == "demo123"
    status, [changed], _ = await smstui(gateway, db, "password", env={"SMSTUI_NEW_PASSWORD": "n3w-pass"})
    assert status == 0 and gateway.world.accounts["demo"].password == "n3w-pass"
    assert changed == {"ok": True, "account": "demo"}  # it names the account it changed


async def test_numbers_refused_for_balance_are_sent_again_by_resume_refused(gateway, tmp_path):
    db = tmp_path / "cli.db"
    gateway.patch_account("demo", balance=10)
    numbers = ",".join(f"1390000{i:04d}" for i in range(30))
    status, [sent], err = await smstui(gateway, db, "send", "--to", numbers, "--content", SIGNED)
    assert status == 1 and sent["success_count"] == 10 and len(sent["curable_refused"]) == 20
    assert "short of the cost" in err  # the fresh balance said so before anything went out
    gateway.patch_account("demo", top_up=100)
    status, [again], _ = await smstui(gateway, db, "resume", sent["send_id"], "--refused")
    assert status == 0 and again["success_count"] == 20 and again["send_id"] != sent["send_id"]
    status, [nothing], _ = await smstui(gateway, db, "resume", sent["send_id"], "--refused")
    assert status == 0 and nothing["resent"] == 0
    assert set(accepted_per_mobile(gateway).values()) == {1} and len(accepted_per_mobile(gateway)) == 30


async def test_include_held_names_what_it_overrides(gateway, tmp_path):
    db = tmp_path / "cli.db"
    gateway.inject_uplink("demo", "13700137000", "TD")
    status, _, _ = await smstui(gateway, db, "inbox")
    assert status == 0
    status, [sent], err = await smstui(gateway, db, "send", "--to", "13700137000,13900139000", "--content", SIGNED,
                                       "--include-held")
    assert status == 0 and sent["success_count"] == 2
    assert "--include-held overrides the opt-out list" in err and "13700137000 opted out" in err
