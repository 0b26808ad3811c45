"""Configuration: strict TOML, profiles, password sources, permission warnings, writing back."""

import os
import stat
import sys

import pytest

from smstui.service import ConfigError, load_config, save_config
from smstui.service.config import profile_password

GOOD = """
default_profile = "prod"
language = "zh"

[profiles.prod]
base_url = "https://sms.example.cn"
account = "acme"
userid = "12"
password_env = "ACME_PW"
transport = "encrypted"
chunk_size = 500

[profiles.lab]
base_url = "http://127.0.0.1:8080"
account = "demo"
password = "demo123"

[push]
listen = "0.0.0.0:8090"
token = "t0k"
allow = ["1.2.3.0/24"]
"""


def write(tmp_path, text, mode=0o600, name="config.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_profiles_and_settings_are_read(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert config.profile().name == "prod" and config.profile().transport == "encrypted"
    assert config.profile("lab").chunk_size == 1000 and config.language == "zh"
    assert config.push.allow == ["1.2.3.0/24"]
    with pytest.raises(ConfigError, match="profiles: lab, prod"):
        config.profile("nope")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[profiles.x]\nacount = 'a'\n", "unknown key 'acount' (did you mean 'account'?)"),
        ("langauge = 'zh'\n", "did you mean 'language'?"),
        ("[profiles.x]\nchunk_size = 'many'\n", "chunk_size must be a whole number"),
        ("[profiles.x]\ntransport = 'pigeon'\n", "transport must be one of"),
        ("not toml at all = = =", "not valid TOML"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_password_sources_and_loose_file_warnings(tmp_path, monkeypatch):
    monkeypatch.delenv("SMSTUI_PASSWORD", raising=False)
    config = load_config(write(tmp_path, GOOD, mode=0o644))
    monkeypatch.setenv("ACME_PW", "from-env")
    assert profile_password(config, config.profile("prod")).reveal() == "from-env"
    assert profile_password(config, config.profile("lab")).reveal() == "demo123"
    assert any("readable by others" in w for w in config.warnings)
    pw = tmp_path / "pw"
    pw.write_text("from-file\n")
    pw.chmod(0o600)
    script = tmp_path / "askpass.py"
    script.write_text("print('from-command')\n")
    cmd = f"{sys.executable} {script}"
    text = GOOD + f"\n[profiles.file]\npassword_file = '{pw}'\n[profiles.cmd]\npassword_command = '{cmd}'\n"
    tight = load_config(write(tmp_path, text, name="tight.toml"))
    assert profile_password(tight, tight.profile("file")).reveal() == "from-file"
    assert profile_password(tight, tight.profile("cmd")).reveal() == "from-command"
    assert tight.warnings == []
    secret = profile_password(tight, tight.profile("file"))
    assert "from-file" not in repr(secret) and "from-file" not in str(secret)


def test_save_writes_owner_only_and_round_trips(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    out = save_config(config, tmp_path / "out" / "config.toml")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    again = load_config(out)
    assert again.profiles.keys() == config.profiles.keys() and again.profile("prod").chunk_size == 500


def test_missing_default_config_is_empty_but_explicit_one_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    monkeypatch.delenv("SMSTUI_CONFIG", raising=False)
    assert load_config().profiles == {}
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "absent.toml")


@pytest.mark.parametrize(("text", "says"), [
    ("profiles = 3", "profiles must be tables"),
    ("push = 3", "[push]: must be a table"),
    ("keys = 3", "[keys] values must be strings"),
    ("[profiles.p]\noptout_words = [\"TD\", 1]", "optout_words must be a list of strings"),
    ("[profiles.p]\nchunk_size = 0", "chunk_size must be at least 1"),
    ("[profiles.p]\nconcurrency = -2", "concurrency must be at least 1"),
    ("[profiles.p]\nreconcile_wait = -1", "reconcile_wait must be at least 0"),
    ("[profiles.p]\nread_timeout = 0", "read_timeout must be above 0"),
    ("[profiles.p]\nretries = true", "retries must be a whole number"),
    ("[push]\nallow = [\"not-an-ip\"]", "'not-an-ip' is not an address"),
    ("[push]\nlisten = \"0.0.0.0:99999\"", "listen must be HOST:PORT with a port from 1 to 65535"),
    ("[push]\nlisten = \"8090\"", "listen must be HOST:PORT"),
    ("[profiles.p]\nread_timeout = nan", "read_timeout"),
    ("[profiles.p]\nreconcile_wait = nan", "reconcile_wait"),
    ("[profiles.p]\nconnect_timeout = inf", "connect_timeout"),
    ("[profiles.p]\npoll_interval = 1e-9", "poll_interval must be at least 1"),
    ("[profiles.p]\npoll_interval = nan", "poll_interval"),
    ("[profiles.p]\nbase_url = \"http://[::1\"", "base_url is not a valid address"),
    ("[profiles.p]\nbase_url = \"http://127.0.0.1:99999\"", "base_url is not a valid address"),
    ("[profiles.p]\nbase_url = \"http://\"", "base_url names no host"),
    ("[profiles.p]\nbase_url = \"http://user:pw@gw.example.cn\"", "no ?query, #fragment or user:password@"),
    ("[profiles.p]\nbase_url = \"ftp://gw.example.cn\"", "base_url must start with http:// or https://"),
])
def test_settings_of_the_wrong_kind_or_range_name_the_file_and_key(tmp_path, text, says):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert says in caught.value.message and str(path) in caught.value.message


@pytest.mark.parametrize("value", ["98765432123", "[\"hunter2\"]", "{ a = \"hunter2\" }", "1.5"])
def test_a_mistyped_password_is_never_echoed(tmp_path, value):
    path = write(tmp_path, f"[profiles.p]\npassword = {value}")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = caught.value.message
    assert "password" in message and "98765432123" not in message and "hunter2" not in message
    assert "1.5" not in message


def test_a_config_that_is_not_utf_8_names_the_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes("[profiles.p]\naccount = \"账户\"\n".encode("gbk"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in caught.value.message and "UTF-8" in caught.value.message


def test_the_account_key_ignores_how_the_address_is_written():
    from smstui.service.config import account_key

    same = {account_key(url, "acme") for url in ("http://GW.example.cn", "https://gw.example.cn:443/",
                                                  "http://gw.example.cn:80", "HTTP://gw.example.cn/")}
    assert same == {"acme@gw.example.cn"}
    assert account_key("http://gw.example.cn:8080/sms/", "acme") == "acme@gw.example.cn:8080/sms"
    assert account_key("http://gw.example.cn", "other") != account_key("http://gw2.example.cn", "acme")


async def test_a_plain_http_gateway_is_warned_about_once_per_account(tmp_path):
    from smstui.service import AppConfig, Profile, Secret, SmsService
    from smstui.service.config import plain_http

    assert plain_http("http://47.92.214.24") and not plain_http("https://gw.cn") and not plain_http("http://[::1]:80")
    assert not plain_http("http://127.0.0.1:8080") and not plain_http("http://localhost")
    profiles = {name: Profile(name=name, base_url="http://192.0.2.1", account="acme") for name in ("a", "b")}
    warned = []
    for name in ("a", "a", "b"):
        config = AppConfig(default_profile=name, profiles=profiles)
        service = await SmsService.open(config, name, store_path=tmp_path / "s.db", password=Secret("x"))
        warned.append([w for w in service.warnings if "plain http://" in w])
        await service.close()
    assert [len(w) for w in warned] == [1, 0, 0]  # the same account under another name was told already
    assert "MD5" in warned[0][0] and "profile a: http://192.0.2.1" in warned[0][0]


def test_the_example_config_is_a_config_smstui_reads(tmp_path):
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    path = write(tmp_path, example.read_text(encoding="utf-8"))
    config = load_config(path)
    assert config.default_profile == "prod" and config.profiles["prod"].account == "your-account"
    assert config.database_password() is None and config.push.listen == "127.0.0.1:8090"


@pytest.mark.parametrize(("text", "chinese"), [
    ("langauge = \"zh\"", "{path}：未知的键 'langauge'（是否想写 'language'？）"),
    ("[profiles.p]\nchunk_size = 0", "{path}: [profiles.p]：chunk_size 至少为 1，而不是 0"),
    ("[profiles.p]\nread_timeout = 0", "{path}: [profiles.p]：read_timeout 必须大于 0，而不是 0"),
    ("[profiles.p]\nconcurrency = 65", "{path}: [profiles.p]：concurrency 最多为 64，而不是 65"),
    ("[profiles.p]\nretries = true", "{path}: [profiles.p]：retries 必须是整数，而不是 True"),
    ("[profiles.p]\npassword = 98765432123", "{path}: [profiles.p]：password 必须是字符串，而不是 (hidden)"),
    ("[profiles.p]\ntransport = \"soapy\"",
     "{path}: [profiles.p]：transport 必须是 xml, json, gbk, encrypted, soap 之一，而不是 soapy"),
    ("[push]\nlisten = \"8090\"", "{path}: [push]：listen 必须是 主机:端口（端口 1–65535），例如 127.0.0.1:8090，"
                                  "而不是 8090"),
    ("language = \"fr\"", "{path}：language 必须是 auto、zh 或 en"),
])
def test_a_setting_that_is_wrong_is_said_whole_in_chinese_naming_the_file_and_key(tmp_path, text, chinese):
    from smstui.cli.strings import Strings
    from smstui.words import error_text

    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert error_text(Strings("zh"), caught.value) == chinese.format(path=path)
    assert error_text(Strings("en"), caught.value) == caught.value.message
