"""A profile's password goes only to its own gateway: other hosts and accounts named on the command line get none."""

import hashlib
import os

import pytest
from support.cli import SIGNED, smstui

from smstui.runtime.server import InLoopServer

PASSWORD = "demo123"
SECRETS = (PASSWORD, hashlib.md5(PASSWORD.encode()).hexdigest(), hashlib.md5(PASSWORD.encode()).hexdigest().upper())


class Recorder:
    """A test-only HTTP server that records every request and answers 503 (or redirects elsewhere)."""

    def __init__(self, redirect_to: str = "") -> None:
        self.requests: list[bytes] = []
        self.redirect_to = redirect_to
        self.server = InLoopServer(self.app, lifespan="off", interface="asgi3")
        self.url = ""

    async def app(self, scope, receive, send):
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = b"\n".join(k + b": " + v for k, v in scope["headers"])
        self.requests.append(scope["path"].encode() + b"?" + scope["query_string"] + b"\n" + headers + b"\n" + body)
        if self.redirect_to:
            await send({"type": "http.response.start", "status": 302,
                        "headers": [(b"location", (self.redirect_to + scope["path"]).encode())]})
        else:
            await send({"type": "http.response.start", "status": 503, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"busy"})

    async def __aenter__(self):
        self.url = f"http://127.0.0.1:{await self.server.start('127.0.0.1', 0)}"
        return self

    async def __aexit__(self, *exc):
        await self.server.stop()

    def carried_the_password(self) -> bool:
        return any(secret.encode() in request for request in self.requests for secret in SECRETS)


def config(store, base_url, extra=""):
    (store.parent / "config.toml").write_text(f"""
default_profile = "t"
[profiles.t]
base_url = "{base_url}"
account = "demo"
userid = "1001"
password = "{PASSWORD}"
{extra}""")
    (store.parent / "config.toml").chmod(0o600)


NO_ENV = {"SMSTUI_PASSWORD": None}


@pytest.mark.gateway(clock="real")
async def test_another_host_on_the_command_line_never_gets_the_profiles_password(gateway, tmp_path):
    db = tmp_path / "cli.db"
    config(db, gateway.url)
    async with Recorder() as other:
        status, [refused], _ = await smstui(gateway, db, "balance", base_url=other.url, env=NO_ENV)
        assert status == 2 and refused["error"] == "ConfigError" and other.requests == []
        assert "never sent to another account or host" in refused["message"] and "SMSTUI_PASSWORD" in refused["message"]
        status, _, _ = await smstui(gateway, db, "send", "--to", "13900139000", "--content", SIGNED,
                                    base_url=other.url, env={"SMSTUI_PASSWORD": "theirs456"})
        assert other.requests and not other.carried_the_password()
    assert gateway.world.tasks == {}


@pytest.mark.gateway(clock="real")
async def test_another_account_on_the_same_gateway_uses_its_own_password_from_the_environment(gateway, tmp_path):
    db = tmp_path / "cli.db"
    config(db, gateway.url)
    status, [refused], _ = await smstui(gateway, db, "balance", "--account", "noreports", env=NO_ENV)
    assert status == 2 and "noreports@127.0.0.1" in refused["message"]
    status, [balance], _ = await smstui(gateway, db, "balance", "--account", "noreports", "--userid", "1004",
                                        "--password-env", "NOREP_PW", env={**NO_ENV, "NOREP_PW": "norep123"})
    assert status == 0 and balance["balance"] == 500
    status, [refused], _ = await smstui(gateway, db, "balance", "--password-env", "UNSET_PW", env=NO_ENV)
    assert status == 2 and "Set UNSET_PW" in refused["message"]
    # the profile's own address, written another way, is the same account: its own password is used
    status, [balance], _ = await smstui(gateway, db, "balance", base_url=gateway.url.upper() + "/", env=NO_ENV)
    assert status == 0 and balance["balance"] == 10_000


async def test_a_redirect_from_the_gateway_is_not_followed_with_the_password(tmp_path):
    db = tmp_path / "cli.db"
    async with Recorder() as elsewhere, Recorder(redirect_to=elsewhere.url) as gateway:
        config(db, gateway.url)
        status, _, _ = await smstui(gateway, db, "balance", env=NO_ENV)
        assert status != 0 and len(gateway.requests) == 1 and elsewhere.requests == []


@pytest.mark.gateway(clock="real", report_delay=[0, 0])
async def test_every_file_smstui_writes_is_the_owners_alone(gateway, tmp_path, no_user_config):
    """They hold customers' numbers (the store, its spool, kept bodies, the log): owner-only, whatever the umask."""
    db = tmp_path / "data" / "cli.db"
    db.parent.mkdir()
    config(db, gateway.url)
    umask = os.umask(0)  # the processes it starts create files as loosely as the system lets them
    try:
        status, _, _ = await smstui(gateway, db, "send", "--to", "13900139000", "--content", SIGNED, env=NO_ENV)
        assert status == 0
        gateway.set_faults(truncate_ratio=1.0)
        status, _, _ = await smstui(gateway, db, "reports", env=NO_ENV)  # a cut body: a gap, what arrived kept
        gateway.clear_faults()
        status, _, _ = await smstui(gateway, db, "doctor", env=NO_ENV)
    finally:
        os.umask(umask)
    ours = [*db.parent.rglob("*"), *(p for d in no_user_config.rglob("smstui") for p in [d, *d.rglob("*")])]
    written = [path for path in ours if path.name != "config.toml"]  # the XDG base directories are the user's
    assert any(path.name == "cli.db" for path in written) and any(path.name == "smstui.log" for path in written)
    assert any(path.name == "cli.db.spool" for path in written)
    assert [f"{path} {path.stat().st_mode & 0o777:o}" for path in written if path.stat().st_mode & 0o077] == []


@pytest.mark.gateway(clock="real")
async def test_the_refusal_is_said_in_chinese_too(gateway, tmp_path):
    db = tmp_path / "cli.db"
    config(db, gateway.url)
    status, _, err = await smstui(gateway, db, "balance", "--account", "noreports", "--language", "zh", env=NO_ENV,
                                  json_output=False)
    assert status == 2 and "绝不会发送到其他账户或主机" in err and "SMSTUI_PASSWORD" in err
    status, _, err = await smstui(gateway, db, "balance", "--profile", "nope", "--language", "zh", env=NO_ENV,
                                  json_output=False, profile=None)
    assert status == 2 and "中没有配置 nope" in err
