"""What the CLI says to people (issue 11): the send summary, --help, unclear messages, the simulator's start, and all
of it in Chinese or English (--language, else the config's language, else the locale) while JSON stays English."""

import ast
import asyncio
import json
import re
import signal
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from support.cli import SIGNED, smstui

import smstui.cli as cli
from smstui import protocol as p
from smstui.cli import build_parser
from smstui.cli.strings import CATALOG, Strings

CLI = Path(cli.__file__).parent
SERVICE_WORDS = ("error.kind.", "password.non_ascii", "doctor.cause.")  # English empty: the service's own words


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def tomorrow() -> str:
    return (datetime.now(p.BEIJING) + timedelta(days=1)).strftime("%Y-%m-%d 09:00:00")


async def human(gateway, tmp_path, *args, env=None):
    """(status, stdout, stderr) of a command's readable output."""
    return await smstui(gateway, tmp_path / "cli.db", *args, env=env, json_output=False)


# -- 20: the send summary --------------------------------------------------------------------------------------------

async def test_the_send_summary_is_right_for_mixed_batches_mms_schedules_and_refusals(gateway, tmp_path):
    rows = f"mobile,content\n13900139001,短{SIGNED}\n13900139002,{'长' * 80}{SIGNED}\n"
    (tmp_path / "mixed.csv").write_text(rows, encoding="utf-8")
    status, out, _ = await human(gateway, tmp_path, "batch", str(tmp_path / "mixed.csv"))
    assert status == 0 and "2 of 2 accepted, rows of different lengths, cost 3, balance 9,997" in out
    assert "segment" not in out
    status, out, _ = await human(gateway, tmp_path, "mms", "--to", "13900139000", "--subject", "新品",
                                 "--slide", "上市")
    assert status == 0 and "1 of 1 accepted, cost 1 MMS point, MMS balance 99" in out and "segment" not in out
    at = tomorrow()
    status, out, _ = await human(gateway, tmp_path, "send", "--to", "13900139000", "--content", SIGNED, "--at", at)
    assert status == 0 and f"1 segment each, cost 1, balance 9,996; scheduled for {at} (Beijing time)" in out
    gateway.patch_account("demo", balance=0)
    status, out, err = await human(gateway, tmp_path, "send", "--to", "13900139000", "--content", SIGNED)
    assert status == 1 and "0 of 1 accepted, 1 segment each, cost 0\n" in out
    assert "refused (1 number): 1111 AmountNotEnough" in out and "None" not in out + err
    assert "1 number refused for a reason a later send can cure" in out


# -- 21: --help ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "zh"])
def test_help_documents_every_command_and_every_option(language):
    parser = build_parser(Strings(language))
    [commands] = [a for a in parser._actions if a.dest == "command"]
    assert set(commands.choices) == {c.name for c in cli.commands()}
    helped = {choice.dest: choice.help for choice in commands._choices_actions}
    for name, child in [("smstui", parser), *commands.choices.items()]:
        if name != "smstui":
            assert helped[name] and (has_chinese(helped[name]) == (language == "zh")), name
        for action in child._actions:
            if action.dest == "command":
                continue
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
            assert has_chinese(action.help) == (language == "zh"), (name, action.dest, action.help)


async def test_help_and_usage_speak_the_chosen_language(tmp_path):
    async def run(*args):
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "smstui", *args,
                                                       stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await process.communicate()
        return process.returncode, out.decode(), err.decode()

    status, out, _ = await run("mms", "--help", "--language", "zh")
    assert status == 0 and out.startswith("用法：smstui mms") and "--include-held" in out and "彩信主题" in out
    status, out, _ = await run("batch", "--help")
    assert status == 0 and out.startswith("usage: smstui batch") and "or XLSX with a mobile" in out
    status, _, err = await run("--language", "zh", "templates")
    assert status == 2 and "smstui templates：错误：缺少必需的参数：action" in err
    status, _, err = await run("templates")
    assert status == 2 and "smstui templates: error: the following arguments are required: action" in err


# -- 22, 24: messages and names ----------------------------------------------------------------------------------

async def test_deleting_or_updating_a_template_that_does_not_exist_says_so(gateway, tmp_path):
    db = tmp_path / "cli.db"
    status, [gone], _ = await smstui(gateway, db, "templates", "delete", "999")
    assert status == 2 and gone["error"] == "InvalidInput"
    assert gone["message"].startswith("no template 999 on account demo") and "ParamError" not in gone["message"]
    status, [gone], _ = await smstui(gateway, db, "templates", "update", "999", f"您的验证码：@{SIGNED}")
    assert status == 2 and gone["message"].startswith("no template 999")
    status, [added], _ = await smstui(gateway, db, "templates", "add", f"您的验证码：@{SIGNED}")
    status, [deleted], _ = await smstui(gateway, db, "templates", "delete", added["template_id"])
    assert status == 0 and deleted == {"ok": True, "template_id": added["template_id"]}
    status, _, err = await human(gateway, tmp_path, "templates", "delete", "999", "--language", "zh")
    assert status == 2 and "账户 demo 没有模板 999" in err
    status, _, err = await human(gateway, tmp_path, "templates", "update", "1")
    assert status == 2 and "usage: smstui templates update ID TEXT" in err


async def test_balance_names_the_total_for_what_it_is(gateway, tmp_path):
    db = tmp_path / "cli.db"
    gateway.patch_account("demo", top_up=100)
    await smstui(gateway, db, "send", "--to", "13900139000", "--content", SIGNED)
    status, [prepaid], _ = await smstui(gateway, db, "balance")
    # what was recharged in all (10,000 at the start + 100), not what was sent: the balance is what is left of it
    assert status == 0 and prepaid == {"ok": True, "balance": 10_099, "recharged_total": 10_100,
                                       "pay_type": "prepaid", "mms": False}
    status, out, _ = await human(gateway, tmp_path, "balance")
    assert "balance: 10,099   recharged in all: 10,100   pay type: prepaid" in out and "None" not in out
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / "config.toml").write_text(f'[profiles.t]\nbase_url = "{gateway.url}"\naccount = "postpaid"\n')
    status, [postpaid], _ = await smstui(gateway, tmp_path / "post" / "cli.db", "balance",
                                         env={"SMSTUI_PASSWORD": "post123"})
    assert status == 0 and "recharged_total" not in postpaid and postpaid["used_total"] == 0
    assert postpaid["pay_type"] == "postpaid"


# -- 23: reconcile says when a send is settled ---------------------------------------------------------------------

@pytest.mark.gateway(clock="real", report_delay=[0, 0], delivered_ratio=1.0)
async def test_reconciling_a_settled_send_again_says_it_is_settled(gateway, tmp_path):
    db = tmp_path / "cli.db"
    (tmp_path / "config.toml").write_text(f'[profiles.t]\nbase_url = "{gateway.url}"\naccount = "demo"\n'
                                          "reconcile_wait = 0\nshared_account = false\n")
    gateway.set_faults(drop_ratio=1.0)
    status, [sent], _ = await smstui(gateway, db, "send", "--to", "13900139000,13700137000", "--content", SIGNED)
    assert status == 3 and sent["unknown_recipients"] == 2
    gateway.clear_faults()
    gateway.advance(1)
    status, [first], _ = await smstui(gateway, db, "reconcile", sent["send_id"])
    assert status == 0 and first["confirmed"] == 2 and first["unconfirmed"] == []
    for extra in ((), ("--resend",)):
        status, out, _ = await human(gateway, tmp_path, "reconcile", sent["send_id"], *extra)
        assert status == 0 and f"send {sent['send_id']}: settled, nothing in doubt (2 of 2 accepted)" in out
        assert "0 confirmed" not in out
    assert len(gateway.world.tasks) == 1  # nothing was sent again


# -- 26: the simulator says where it listens -----------------------------------------------------------------------

@pytest.mark.parametrize(("language", "first", "demo"), [
    ("en", "smstui gateway simulator on http://127.0.0.1:", "demo / demo123 / 1001: prepaid, 10,000 SMS and 100 MMS"),
    ("zh", "smstui 模拟网关：http://127.0.0.1:", "demo / demo123 / 1001：预付费，短信 10,000 点、彩信 100 点"),
])
async def test_the_simulator_says_where_it_listens_and_its_accounts_once_it_listens(tmp_path, language, first, demo):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "smstui", "simulator", "--port", "0", "--language", language,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    lines = [(await asyncio.wait_for(process.stdout.readline(), 20)).decode() for _ in range(7)]
    assert lines[0].startswith(first)
    url = lines[0][len(first) - len("http://127.0.0.1:"):].split()[0].split("（")[0]
    port = int(url.rsplit(":", 1)[1])
    assert port > 0 and any(demo in line for line in lines)
    assert sum(name in "".join(lines) for name in ("postpaid", "notemplate", "noreports")) == 3
    reader, writer = await asyncio.open_connection("127.0.0.1", port)  # it does listen where it says
    writer.write(b"GET /_sim/hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert b"hello" in await reader.read()
    writer.close()
    process.send_signal(signal.SIGINT)
    _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0 and b"Traceback" not in err


# -- D4: the push receiver warns when anyone can post ------------------------------------------------------------

@pytest.mark.parametrize(("listen", "warned"), [("0.0.0.0:0", True), ("127.0.0.1:0", False)])
async def test_the_push_receiver_warns_when_it_listens_beyond_loopback_without_a_token(gateway, tmp_path, listen,
                                                                                        warned):
    process = await smstui(gateway, tmp_path / "cli.db", "push-receiver", "--listen", listen, wait=False)
    started = json.loads(await asyncio.wait_for(process.stdout.readline(), 20))
    assert started["ok"] and started["url"].startswith("http://")
    process.send_signal(signal.SIGINT)
    _, err = await asyncio.wait_for(process.communicate(), 20)
    assert ("with neither a token nor an allow-list" in err.decode()) is warned
    assert "Traceback" not in err.decode()


# -- 25: the language of human output ------------------------------------------------------------------------------

async def test_chinese_human_output_of_a_send_and_of_invalid_input(gateway, tmp_path):
    status, out, err = await human(gateway, tmp_path, "--language", "zh", "send", "--to", "13900139000,13800000000",
                                   "--content", SIGNED)
    assert status == 1 and out.startswith("发送 ") and "：已接受 1 / 2，每条 1 段计费，费用 1，余额 9,999" in out
    assert "  网关未接受：1 个号码（原因见状态报告）" in out and "accepted" not in out
    status, _, err = await human(gateway, tmp_path, "send", "--to", "13900139000,1380013800", "--content", SIGNED,
                                 "--language", "zh")
    assert status == 2 and err == "smstui: 无效号码：第 2 项：1380013800 为 10 位（大陆手机号为 11 位）\n"
    status, _, err = await human(gateway, tmp_path, "send", "--to", "13900139000", "--content", "无签名",
                                 "--language", "zh")
    assert status == 2 and "缺少签名" in err and "signature" not in err.lower()
    status, _, err = await human(gateway, tmp_path, "balance", "--language", "zh", env={"SMSTUI_PASSWORD": "nope"})
    assert status == 1 and err.startswith("smstui: 1005 ") and has_chinese(err)  # a refusal by its code
    gateway.inject_uplink("demo", "13700137000", "TD")
    await smstui(gateway, tmp_path / "cli.db", "inbox")
    status, _, err = await human(gateway, tmp_path, "send", "--to", "13700137000,13900139000", "--content", SIGNED,
                                 "--language", "zh")
    assert "smstui: 警告：暂缓：13700137000 已退订" in err


async def test_json_output_is_the_same_english_in_every_language(gateway, tmp_path):
    db = tmp_path / "cli.db"
    outputs = {}
    for language in ("en", "zh"):
        runs = [await smstui(gateway, db, "balance", "--language", language),
                await smstui(gateway, db, "send", "--to", "13900139000,1380013800", "--content", SIGNED,
                             "--language", language),
                await smstui(gateway, db, "templates", "delete", "999", "--language", language)]
        outputs[language] = [(status, lines) for status, lines, _ in runs]
    assert outputs["zh"] == outputs["en"]
    assert outputs["en"][1][1][0]["message"].startswith("invalid numbers: entry 2: 1380013800 has 10 digits")
    status, [sent], _ = await smstui(gateway, db, "send", "--to", "13900139000", "--content", SIGNED,
                                     "--language", "zh")
    assert status == 0 and sent["message"] == "sent" and sent["ok"]


async def test_the_language_comes_from_the_option_else_the_config_else_the_locale(gateway, tmp_path):
    db = tmp_path / "cli.db"
    await smstui(gateway, db, "balance")  # writes the config of profile t
    config = tmp_path / "config.toml"
    _, out, _ = await human(gateway, tmp_path, "balance", env={"LANG": "zh_CN.UTF-8"})
    assert out.startswith("余额：10,000   累计充值：10,000")  # the locale
    _, out, _ = await human(gateway, tmp_path, "balance", env={"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"})
    assert out.startswith("balance: 10,000")  # LC_ALL before LANG
    config.write_text('language = "zh"\n' + config.read_text())
    _, out, _ = await human(gateway, tmp_path, "balance")
    assert out.startswith("余额：")  # the config's, whatever the locale
    _, out, _ = await human(gateway, tmp_path, "balance", "--language", "en", env={"LANG": "zh_CN.UTF-8"})
    assert out.startswith("balance: ")  # the option, whatever the config
    _, out, _ = await human(gateway, tmp_path, "--language", "en", "balance")
    assert out.startswith("balance: ")  # before the command too
    _, out, _ = await human(gateway, tmp_path, "--language", "auto", "balance")
    assert out.startswith("balance: ")  # auto: the locale (C.UTF-8), not the config


# -- every string the CLI says has both forms ------------------------------------------------------------------------

def looked_up() -> set[str]:
    """The literal keys the CLI's code passes to the catalog (t(...), t.count(...), t.get(...))."""
    keys = set()
    for path in CLI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func, first = node.func, node.args[0]
            strings = isinstance(func, ast.Name) and func.id == "t"  # t("key"), t.count("key", n), out.t.get("key")
            strings |= isinstance(func, ast.Attribute) and func.attr in ("count", "get") and (
                (isinstance(func.value, ast.Name) and func.value.id == "t")
                or (isinstance(func.value, ast.Attribute) and func.value.attr == "t"))
            if strings and isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.add(first.value)
    return keys


def test_every_string_the_cli_says_is_in_the_catalog_in_both_languages():
    keys = looked_up()
    assert len(keys) > 80, "the scan found the lookups"
    missing = sorted(k for k in keys if k not in CATALOG and f"{k}.one" not in CATALOG)
    assert missing == []
    for key, (english, chinese) in CATALOG.items():
        words = re.sub(r"\{[a-z_]*\}|`[^`]*`|--[a-z-]+|[A-Z_]{4,}|smstui", "", chinese)  # names are no words
        assert chinese and (has_chinese(chinese) or not re.search("[A-Za-z]", words)), key
        assert english or key.startswith(SERVICE_WORDS) or key.startswith(("problem.", "invalid.", "held.")), key
    families = {"send.rule.": ("optout", "doubt"), "doctor.cause.": ("crashed", "broken", "timeout", "http_error",
                                                                     "unreadable"),
                "reconcile.why.": ("rival", "foreign", "gap"), "templates.state.": ("1", "2", "3", "4"),
                "balance.": ("prepaid", "postpaid", "unknown"), "doctor.kind.": ("reports", "uplinks"),
                "error.kind.": ("reports_lost", "uplinks_lost", "unreachable", "timeout", "no_password")}
    for prefix, members in families.items():
        for member in members:
            assert f"{prefix}{member}" in CATALOG, f"{prefix}{member}"
    for command in cli.commands():
        assert f"command.{command.name}" in CATALOG


async def test_a_send_that_is_not_in_the_journal_is_said_in_chinese(gateway, tmp_path):
    status, _, err = await human(gateway, tmp_path, "reconcile", "f00dfeedf00dfeed", "--language", "zh")
    assert status == 2 and err.strip() == "smstui: 本地发送记录中没有发送 f00dfeedf00dfeed"
    status, _, err = await human(gateway, tmp_path, "resume", "f00dfeedf00dfeed")
    assert status == 2 and "no send f00dfeedf00dfeed in the journal" in err
